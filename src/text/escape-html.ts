const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe inside HTML element content and quoted attributes: `<a title="x">` → `&lt;a title=&quot;x&quot;&gt;`. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => entities[ch]!);
