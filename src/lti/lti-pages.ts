import type { CourseLogRow } from '../store/index.js';
import { ltiRefusals, type LtiRefusalCode } from './lti-error.js';
import { escapeHtml } from '../text/index.js';

const style = `body{font:15px/1.5 system-ui,sans-serif;margin:0;padding:20px 16px;color:#1c1e21;background:#fff;max-width:860px}
p{margin:0 0 12px}.en{color:#5f6670}h1{font-size:20px;margin:0 0 12px}label{display:block;margin:6px 0}
button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #1a5fb4;background:#1a5fb4;color:#fff;cursor:pointer}
button.link{background:none;color:#1a5fb4;border-color:#c3c8cf}table{border-collapse:collapse;width:100%;margin-top:12px}
td,th{border-bottom:1px solid #e1e4e8;padding:6px;text-align:left;vertical-align:top}.bad{color:#a51d2d}nav form{display:inline}`;

/** A page (no script unless `nonce` is given: its inline script must carry it). */
function page(title: string, body: string, nonce?: string, script = ''): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style${nonce ? ` nonce="${nonce}"` : ''}>${style}</style></head><body>${body}${script && nonce ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

/** The CSP of these pages: inline style and script only with this response's nonce; forms post to this server (or `formTo`). */
export function pageCsp(nonce: string, frameAncestors: string[], formTo: string[] = []): string {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; form-action 'self' ${formTo.join(' ')}; base-uri 'none'; frame-ancestors ${ancestors}`.replace(
    '  ',
    ' ',
  );
}

/** A refused login or launch, in Vietnamese and English, with the technical reason for the admin. */
export function refusalPage(code: LtiRefusalCode, detail: string | undefined, nonce: string): string {
  const r = ltiRefusals[code];
  return page(
    'Trợ giảng',
    `<main role="alert"><h1>Không mở được trợ giảng</h1><p>${escapeHtml(r.vi)}</p><p class="en" lang="en">${escapeHtml(r.en)}</p>
<p class="en"><small>code: ${code}${detail ? ` (${escapeHtml(detail)})` : ''}</small></p></main>`,
    nonce,
  );
}

/** A learner's launch into a course whose teacher has not chosen the collections yet. */
export function waitingPage(nonce: string): string {
  return page(
    'Trợ giảng',
    `<main><p>Giáo viên chưa chọn tài liệu cho khoá học này. Vui lòng quay lại sau.</p><p class="en" lang="en">The teacher has not chosen this course's materials yet. Please come back later.</p></main>`,
    nonce,
  );
}

/** The instructor's choice of the course's collections (first launch, or "change"). */
export function setupPage(o: {
  token: string;
  courseTitle: string;
  collections: Array<{ id: string; name: string }>;
  chosen: string[];
  nonce: string;
  error?: boolean;
}): string {
  const boxes = o.collections
    .map(
      (c) =>
        `<label><input type="checkbox" name="collections" value="${escapeHtml(c.id)}"${o.chosen.includes(c.id) ? ' checked' : ''}> ${escapeHtml(c.name)} <small class="en">(${escapeHtml(c.id)})</small></label>`,
    )
    .join('');
  return page(
    'Trợ giảng: chọn tài liệu',
    `<main><h1>Chọn tài liệu cho khoá học <span lang="en" class="en">/ Choose the course's materials</span></h1>
<p>${escapeHtml(o.courseTitle)}</p>
<p>Học viên của khoá học chỉ được hỏi trong các bộ tài liệu bạn chọn. <span class="en" lang="en">Learners of this course can only ask about the collections you choose.</span></p>
${o.error ? '<p class="bad" role="alert">Hãy chọn ít nhất một bộ tài liệu. <span lang="en">Choose at least one collection.</span></p>' : ''}
${o.collections.length ? '' : '<p class="bad">Trung tâm chưa có bộ tài liệu nào. <span lang="en">The center has no collections yet.</span></p>'}
<form method="post" action="/lti/course"><input type="hidden" name="token" value="${escapeHtml(o.token)}">${boxes}
<p><button type="submit">Lưu và mở trợ giảng / Save and open</button></p></form></main>`,
    o.nonce,
  );
}

/** The course's questions log for its teacher: all, unanswered, or thumbs-down. */
export function courseLogPage(o: {
  token: string;
  courseTitle: string;
  rows: CourseLogRow[];
  only: 'all' | 'unanswered' | 'thumbsDown';
  nonce: string;
}): string {
  const tab = (only: string, label: string) =>
    `<form method="post" action="/lti/course/log"><input type="hidden" name="token" value="${escapeHtml(o.token)}"><input type="hidden" name="only" value="${only}"><button type="submit" class="${o.only === only ? '' : 'link'}">${label}</button></form>`;
  const rows = o.rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.createdAt.slice(0, 16).replace('T', ' '))}</td><td>${escapeHtml(r.question)}</td><td>${escapeHtml(r.answer.slice(0, 300))}</td>` +
        `<td>${r.answerable ? '' : '<span class="bad">chưa trả lời được / unanswered</span> '}${r.rating === 'down' ? `<span class="bad">👎</span> ${escapeHtml(r.comment ?? '')}` : r.rating === 'up' ? '👍' : ''}</td></tr>`,
    )
    .join('');
  return page(
    'Trợ giảng: câu hỏi của khoá học',
    `<main><h1>Câu hỏi của khoá học <span lang="en" class="en">/ This course's questions</span></h1><p>${escapeHtml(o.courseTitle)}</p>
<nav>${tab('all', 'Tất cả / All')} ${tab('unanswered', 'Chưa trả lời được / Unanswered')} ${tab('thumbsDown', 'Bị chê / Thumbs down')}
<form method="post" action="/lti/course/chat"><input type="hidden" name="token" value="${escapeHtml(o.token)}"><button type="submit" class="link">← Trợ giảng / Chat</button></form></nav>
<table><thead><tr><th>Lúc / When</th><th>Câu hỏi / Question</th><th>Trả lời / Answer</th><th></th></tr></thead><tbody>${rows || '<tr><td colspan="4">Chưa có câu hỏi. / No questions yet.</td></tr>'}</tbody></table></main>`,
    o.nonce,
  );
}

/** A form that posts itself to the platform (the deep-linking response), with a button when scripts are off. */
export function autoPostPage(action: string, fields: Record<string, string>, nonce: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    'Trợ giảng',
    `<form id="post" method="post" action="${escapeHtml(action)}">${inputs}<p>Đang thêm trợ giảng vào khoá học… <span class="en" lang="en">Adding the assistant to the course…</span></p><button type="submit">Tiếp tục / Continue</button></form>`,
    nonce,
    "document.getElementById('post').submit();",
  );
}
