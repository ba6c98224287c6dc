/**
 * A small, safe subset of Markdown rendered with DOM APIs only (never innerHTML): paragraphs,
 * line breaks, `-`/`*`/`1.` lists (numbered items keep their numbers), `**bold**`, `[text](url)` links to this server only, and
 * `[n]` citations turned into numbered links by `cite`. Anything else stays literal text.
 */
export type CiteLink = (n: number) => HTMLElement | null;

const inline = /\*\*([^*\n]+)\*\*|\[(\d{1,2})\]|\[([^\]\n]+)\]\(([^)\s]+)\)/g;

function addInline(parent: HTMLElement, text: string, cite: CiteLink): void {
  let last = 0;
  for (const m of text.matchAll(inline)) {
    const at = m.index ?? 0;
    if (at > last) parent.append(text.slice(last, at));
    last = at + m[0].length;
    if (m[1] !== undefined) {
      const b = document.createElement('strong');
      b.textContent = m[1];
      parent.append(b);
    } else if (m[2] !== undefined) {
      parent.append(cite(Number(m[2])) ?? m[0]);
    } else {
      let url: URL | null = null;
      try {
        url = new URL(m[4]!, location.href);
      } catch {}
      if (url && url.origin === location.origin) {
        const a = document.createElement('a');
        a.href = url.href;
        a.target = '_blank';
        a.rel = 'noopener';
        a.textContent = m[3]!;
        parent.append(a);
      } else parent.append(m[3]!);
    }
  }
  if (last < text.length) parent.append(text.slice(last));
}

const item = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;
const number = /^\s*(\d{1,3})[.)]/;

/** Renders `text` into `parent` (cleared first). */
export function renderMarkdown(parent: HTMLElement, text: string, cite: CiteLink): void {
  parent.textContent = '';
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim());
    if (!lines.length) continue;
    if (lines.every((l) => item.test(l))) {
      const list = document.createElement(/^\s*\d/.test(lines[0]!) ? 'ol' : 'ul');
      for (const line of lines) {
        const li = document.createElement('li');
        // Keep the answer's own numbers: "3. … 4. …" (items picked from a longer list, or one
        // item per block) showed as 1, 2 after the answer was stored and shown again.
        const n = number.exec(line)?.[1];
        if (list.tagName === 'OL' && n) li.value = Number(n);
        addInline(li, line.replace(item, ''), cite);
        list.append(li);
      }
      parent.append(list);
    } else {
      const p = document.createElement('p');
      lines.forEach((line, i) => {
        if (i) p.append(document.createElement('br'));
        addInline(p, line, cite);
      });
      parent.append(p);
    }
  }
}
