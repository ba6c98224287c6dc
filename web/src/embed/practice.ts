/**
 * Practice mode ("Luyện tập"): a few items from the center's materials at a time, checked by the
 * server (the same folding as search: an answer without diacritics counts), each answer followed
 * by its source sentence and a link to the cited page, and a score at the end. Which items come
 * back is decided by Leitner boxes: a known learner's (LMS launch, signed user token) on the server,
 * an anonymous learner's in this browser's localStorage. Both follow one schedule,
 * src/practice/leitner-schedule.ts (bundled from there).
 */
import { nextEntry, pickDue, type LeitnerEntry } from '../../../src/practice/leitner-schedule.js';
import type { PracticeAnswerResponse, PracticeItemsResponse, PracticeItemView as Item } from '../../../src/contract/index.js';
import type { Strings } from './i18n.js';

/** This browser's boxes (anonymous learners): its session count and each item's entry. */
interface Boxes {
  session: number;
  items: Record<string, LeitnerEntry>;
}

export interface PracticeContext {
  root: HTMLElement;
  t: () => Strings;
  headers: () => Record<string, string>;
  storeKey: string;
  /** A known learner: the server keeps their boxes and orders their items; localStorage is left alone. */
  known: boolean;
  make: <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => HTMLElementTagNameMap[K];
  onError: (r: Response) => Promise<unknown>;
  announce: (text: string) => void;
}

const perSession = 5;

function load(key: string): Boxes {
  try {
    const b: unknown = JSON.parse(localStorage.getItem(key) || 'null');
    if (b && typeof (b as Boxes).session === 'number' && (b as Boxes).items) return b as Boxes;
  } catch {}
  return { session: 0, items: {} };
}

export async function startPractice(ctx: PracticeContext): Promise<void> {
  const { root, make } = ctx;
  const t = ctx.t();
  const key = `${ctx.storeKey}:practice`;
  const boxes = ctx.known ? { session: 0, items: {} } : load(key);
  boxes.session++;
  const save = () => {
    if (ctx.known) return;
    try {
      localStorage.setItem(key, JSON.stringify(boxes));
    } catch {}
  };
  root.textContent = '';
  let items: Item[] = [];
  try {
    // The server picks a known learner's items from their boxes; this browser picks an anonymous one's from 30.
    const r = await fetch(`/api/practice?n=${ctx.known ? perSession : 30}`, { headers: ctx.headers() });
    if (!r.ok) return void (await ctx.onError(r));
    const got = ((await r.json()) as PracticeItemsResponse).items;
    items = ctx.known ? got.slice(0, perSession) : pickDue(got, (id) => boxes.items[id], boxes.session, perSession);
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
    card.append(
      make('p', 'count', t.item.replace('{i}', String(i + 1)).replace('{n}', String(items.length))),
      make('p', 'prompt', item.prompt),
    );
    const answer = async (value: string) => {
      card.querySelectorAll('button, input').forEach((e) => ((e as HTMLInputElement).disabled = true));
      const r = await fetch(`/api/practice/${encodeURIComponent(item.id)}/answer`, {
        method: 'POST',
        headers: ctx.headers(),
        body: JSON.stringify({ answer: value }),
      });
      if (!r.ok) return void (await ctx.onError(r));
      const result = (await r.json()) as PracticeAnswerResponse;
      if (result.correct) score++;
      boxes.items[item.id] = nextEntry(boxes.items[item.id], result.correct, boxes.session);
      save();
      const verdict = result.correct ? t.right : t.wrong.replace('{a}', result.expected);
      const feedback = make('div', `feedback ${result.correct ? 'ok' : 'no'}`);
      const link = make(
        'a',
        'source',
        `${t.openSource}: ${item.source.title}${item.source.page ? ` — ${t.page} ${item.source.page}` : item.source.heading ? ` — ${item.source.heading}` : ''}`,
      );
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
