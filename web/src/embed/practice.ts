/**
 * Practice mode ("Luyện tập"): a few items from the center's materials at a time, checked by the
 * server (the same folding as search: an answer without diacritics counts), each answer followed
 * by its source sentence and a link to the cited page, and a score at the end. Which items come
 * back is decided by Leitner boxes kept in this browser's localStorage.
 */
import type { Strings } from './i18n.js';

interface Item {
  id: string;
  type: 'fill' | 'choice';
  prompt: string;
  choices?: string[];
  source: { title: string; page?: number; heading?: string; link: string };
}

/** Box 1 comes back every session, box 2 every second, box 3 every fourth… (Leitner). */
interface Boxes {
  session: number;
  items: Record<string, { box: number; due: number }>;
}

export interface PracticeContext {
  root: HTMLElement;
  t: () => Strings;
  headers: () => Record<string, string>;
  storeKey: string;
  make: <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => HTMLElementTagNameMap[K];
  onError: (r: Response) => Promise<unknown>;
  announce: (text: string) => void;
}

const perSession = 5;

function load(key: string): Boxes {
  try {
    const b = JSON.parse(localStorage.getItem(key) || 'null');
    if (b && typeof b.session === 'number' && b.items) return b;
  } catch {}
  return { session: 0, items: {} };
}

/** Items due first (lowest box first), then new ones, then the rest. */
export function pickDue(items: Item[], boxes: Boxes, n: number): Item[] {
  const rank = (i: Item) => {
    const b = boxes.items[i.id];
    return !b ? 10 : b.due <= boxes.session ? b.box : 20 + b.box;
  };
  return [...items].sort((a, b) => rank(a) - rank(b)).slice(0, n);
}

export async function startPractice(ctx: PracticeContext): Promise<void> {
  const { root, make } = ctx;
  const t = ctx.t();
  const key = `${ctx.storeKey}:practice`;
  const boxes = load(key);
  boxes.session++;
  const save = () => {
    try {
      localStorage.setItem(key, JSON.stringify(boxes));
    } catch {}
  };
  root.textContent = '';
  let items: Item[] = [];
  try {
    const r = await fetch('/api/practice?n=30', { headers: ctx.headers() });
    if (!r.ok) return void (await ctx.onError(r));
    items = pickDue((await r.json()).items, boxes, perSession);
  } catch {
    root.append(make('p', 'msg bot', t.network));
    return;
  }
  if (items.length === 0) return void root.append(make('p', 'msg bot', t.noItems));
  let score = 0;
  const show = (i: number) => {
    root.textContent = '';
    if (i >= items.length) {
      save();
      const end = make('div', 'msg bot score');
      const text = t.score.replace('{s}', String(score)).replace('{n}', String(items.length));
      const again = make('button', 'small', t.again);
      again.type = 'button';
      again.onclick = () => void startPractice(ctx);
      end.append(make('p', '', text), again);
      root.append(end);
      ctx.announce(text);
      return;
    }
    const item = items[i]!;
    const card = make('form', 'msg bot quiz');
    card.append(make('p', 'count', t.item.replace('{i}', String(i + 1)).replace('{n}', String(items.length))), make('p', 'prompt', item.prompt));
    const answer = async (value: string) => {
      card.querySelectorAll('button, input').forEach((e) => ((e as HTMLInputElement).disabled = true));
      const r = await fetch(`/api/practice/${encodeURIComponent(item.id)}/answer`, { method: 'POST', headers: ctx.headers(), body: JSON.stringify({ answer: value }) });
      if (!r.ok) return void (await ctx.onError(r));
      const result = await r.json();
      if (result.correct) score++;
      const b = boxes.items[item.id] ?? { box: 1, due: 0 };
      b.box = result.correct ? Math.min(b.box + 1, 5) : 1;
      b.due = boxes.session + 2 ** (b.box - 1);
      boxes.items[item.id] = b;
      save();
      const verdict = result.correct ? t.right : t.wrong.replace('{a}', result.expected);
      const feedback = make('div', `feedback ${result.correct ? 'ok' : 'no'}`);
      const link = make('a', 'source', `${t.openSource}: ${item.source.title}${item.source.page ? ` — ${t.page} ${item.source.page}` : item.source.heading ? ` — ${item.source.heading}` : ''}`);
      if (/^https?:/i.test(result.source.link)) link.href = result.source.link;
      link.target = '_blank';
      link.rel = 'noopener';
      const next = make('button', 'small', t.next);
      next.type = 'button';
      next.onclick = () => show(i + 1);
      feedback.append(make('p', 'verdict', verdict), make('blockquote', '', result.source.sentence), link, next);
      card.append(feedback);
      ctx.announce(verdict);
      next.focus();
    };
    if (item.type === 'choice') {
      const list = make('div', 'choices');
      for (const choice of item.choices ?? []) {
        const b = make('button', 'choice', choice);
        b.type = 'button';
        b.onclick = () => void answer(choice);
        list.append(b);
      }
      card.append(list);
    } else {
      const input = make('input');
      input.setAttribute('aria-label', t.yourAnswer);
      input.placeholder = t.yourAnswer;
      input.maxLength = 200;
      const check = make('button', 'small', t.check);
      check.type = 'submit';
      card.onsubmit = (e) => {
        e.preventDefault();
        if (input.value.trim()) void answer(input.value);
      };
      card.append(input, check);
      setTimeout(() => input.focus(), 0);
    }
    root.append(card);
  };
  show(0);
}
