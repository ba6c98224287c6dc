/**
 * A known learner's extras on the chat page (an LTI launch): their earlier conversations in the
 * course (from the server, so on any device), deleting them, and for the course's teacher the
 * course's questions log and its materials (server pages posted with the same learner token).
 */
import type { LearnerConversationResponse, LearnerConversationsResponse } from '../../../src/contract/index.js';
import type { ChatMessage } from './chat-message.js';
import type { Strings } from './i18n.js';

export interface LearnerPanelOptions {
  token: string;
  teacher: boolean;
  headers: () => Record<string, string>;
  strings: () => Strings;
  announce: (text: string) => void;
  /** Shows a conversation from the history. */
  open: (conversationId: string, messages: ChatMessage[]) => void;
  /** Starts a new conversation (after the history was deleted). */
  reset: () => void;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/** A form that posts the learner token to one of the course's server pages (no cookie is needed). */
function postTo(action: string, token: string): void {
  const form = el('form');
  form.method = 'post';
  form.action = action;
  const input = el('input');
  input.type = 'hidden';
  input.name = 'token';
  input.value = token;
  form.append(input);
  document.body.append(form);
  form.submit();
}

export function learnerPanel(o: LearnerPanelOptions): { toggle: () => void; labels: (t: Strings) => void } {
  const panel = document.getElementById('panel')!;
  const log = document.getElementById('log')!;
  const teacherBar = document.getElementById('teacher')!;

  const close = () => {
    panel.hidden = true;
    log.hidden = false;
  };

  async function show(): Promise<void> {
    const t = o.strings();
    panel.textContent = '';
    const title = el('h2', '', t.history);
    title.id = 'panel-title';
    const back = el('button', 'link', t.back);
    back.type = 'button';
    back.onclick = close;
    panel.append(title, back);
    const r = await fetch('/api/learner/conversations', { headers: o.headers() });
    const { conversations = [] }: Partial<LearnerConversationsResponse> = r.ok ? await r.json() : {};
    const list = el('ul', 'history');
    for (const c of conversations) {
      const item = el('li');
      const b = el('button', 'conversation');
      b.type = 'button';
      b.append(
        el('span', 'q', c.title),
        el('span', 'when', new Date(c.updatedAt).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN')),
      );
      b.onclick = () => void openConversation(c.id);
      item.append(b);
      list.append(item);
    }
    if (conversations.length === 0) panel.append(el('p', 'empty', t.historyEmpty));
    else {
      panel.append(list);
      const del = el('button', 'danger', t.deleteHistory);
      del.type = 'button';
      del.onclick = async () => {
        if (!confirm(o.strings().deleteConfirm)) return;
        const d = await fetch('/api/learner/conversations', { method: 'DELETE', headers: o.headers() });
        if (d.ok) {
          o.announce(o.strings().historyDeleted);
          o.reset();
          await show();
        }
      };
      panel.append(del);
    }
    log.hidden = true;
    panel.hidden = false;
    title.tabIndex = -1;
    title.focus();
  }

  async function openConversation(id: string): Promise<void> {
    const r = await fetch(`/api/learner/conversations/${encodeURIComponent(id)}`, { headers: o.headers() });
    if (!r.ok) return;
    const { messages } = (await r.json()) as LearnerConversationResponse;
    const shown: ChatMessage[] = [];
    for (const m of messages) {
      shown.push({ role: 'user', text: m.question });
      shown.push({
        role: 'bot',
        text: m.answer,
        id: m.id,
        answerable: m.answerable,
        cites: m.citations,
        ...(m.rating ? { rating: m.rating, sent: true } : {}),
      });
    }
    close();
    o.open(id, shown);
  }

  const labels = (t: Strings) => {
    if (!o.teacher) return;
    teacherBar.textContent = '';
    for (const [label, action] of [
      [t.courseLog, '/lti/course/log'],
      [t.courseSetup, '/lti/course/setup'],
    ] as const) {
      const b = el('button', 'link', label);
      b.type = 'button';
      b.onclick = () => postTo(action, o.token);
      teacherBar.append(b);
    }
    teacherBar.hidden = false;
  };

  return { toggle: () => (panel.hidden ? void show() : close()), labels };
}
