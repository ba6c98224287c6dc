const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for an element or a quoted attribute: `<b title="x">` → `&lt;b title=&quot;x&quot;&gt;`. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => entities[ch]!);
