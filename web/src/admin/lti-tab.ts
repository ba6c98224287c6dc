/**
 * The LTI tab: the values to paste into Moodle's "External tool" form (with copy buttons), the
 * center's registered platforms, and the form to register one (filled in from a Moodle address).
 */
import { listPlatforms, registerPlatform, removePlatform } from './api.js';
import { byId, currentLang, el } from './dom.js';

const vi = {
  tabLti: 'Moodle (LTI)',
  ltiPaste: 'Dán vào Moodle: Quản trị trang → Plugin → Mô-đun hoạt động → Công cụ bên ngoài → Quản lý công cụ → Cấu hình công cụ thủ công',
  ltiVersion: 'Phiên bản LTI',
  ltiKeyType: 'Kiểu khoá công khai',
  toolUrl: 'URL công cụ (Tool URL)',
  loginUrl: 'URL khởi tạo đăng nhập (Initiate login URL)',
  redirectUris: 'URI chuyển hướng (Redirection URI(s))',
  keysetUrl: 'URL bộ khoá công khai (Public keyset URL)',
  deepLinking: 'Content Selection URL (bật Deep Linking)',
  ltiRegister: 'Đăng ký một trang Moodle',
  ltiRegisterHelp:
    'Sau khi lưu công cụ, Moodle hiện "Chi tiết cấu hình công cụ" (biểu tượng danh sách): chép Client ID và Deployment ID vào đây.',
  moodleUrl: 'Địa chỉ trang Moodle',
  fill: 'Điền các URL chuẩn của Moodle',
  issuer: 'Platform ID (issuer)',
  clientId: 'Client ID',
  deploymentIds: 'Deployment ID (cách nhau bằng dấu phẩy)',
  authUrl: 'URL yêu cầu xác thực (Authentication request URL)',
  tokenUrl: 'URL lấy access token (Access token URL)',
  jwksUrl: 'URL bộ khoá công khai của Moodle (Public keyset URL)',
  register: 'Đăng ký',
  registered: 'Đã đăng ký nền tảng.',
  ltiPlatforms: 'Các nền tảng đã đăng ký',
  noPlatforms: 'Chưa đăng ký nền tảng nào.',
  remove: 'Xoá',
  removeConfirm: 'Xoá đăng ký nền tảng này? Các khoá học trên đó sẽ không mở được trợ giảng.',
  copy: 'Sao chép',
  copied: 'Đã sao chép.',
};
type Strings = typeof vi;
const en: Strings = {
  tabLti: 'Moodle (LTI)',
  ltiPaste:
    'Paste into Moodle: Site administration → Plugins → Activity modules → External tool → Manage tools → configure a tool manually',
  ltiVersion: 'LTI version',
  ltiKeyType: 'Public key type',
  toolUrl: 'Tool URL',
  loginUrl: 'Initiate login URL',
  redirectUris: 'Redirection URI(s)',
  keysetUrl: 'Public keyset URL',
  deepLinking: 'Content Selection URL (tick Deep Linking)',
  ltiRegister: 'Register a Moodle site',
  ltiRegisterHelp:
    'Once the tool is saved, Moodle shows its "Tool configuration details" (the list icon): copy the Client ID and Deployment ID here.',
  moodleUrl: 'Moodle site address',
  fill: "Fill in Moodle's standard URLs",
  issuer: 'Platform ID (issuer)',
  clientId: 'Client ID',
  deploymentIds: 'Deployment ID(s) (comma-separated)',
  authUrl: 'Authentication request URL',
  tokenUrl: 'Access token URL',
  jwksUrl: "Moodle's public keyset URL",
  register: 'Register',
  registered: 'Platform registered.',
  ltiPlatforms: 'Registered platforms',
  noPlatforms: 'No platform registered yet.',
  remove: 'Remove',
  removeConfirm: 'Remove this platform? Its courses will no longer open the assistant.',
  copy: 'Copy',
  copied: 'Copied.',
};
const s = (): Strings => (currentLang() === 'en' ? en : vi);

/** Sets the texts marked `data-tl` (the tab's label among them). */
export function applyLtiStrings(): void {
  const strings = s() as Record<string, string>;
  document.querySelectorAll<HTMLElement>('[data-tl]').forEach((e) => (e.textContent = strings[e.dataset.tl!] ?? ''));
}

function copyRow(label: string, value: string, status: (text: string) => void): HTMLElement[] {
  const b = el('button', { type: 'button', class: 'ghost' }, s().copy);
  b.onclick = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {}
    status(s().copied);
  };
  return [el('span', { class: 'strong' }, label), el('div', { class: 'row copy-row' }, el('code', { class: 'copy-value' }, value), b)];
}

/** Loads the values to paste and the platforms. */
export async function loadLti(status: (text: string) => void): Promise<void> {
  applyLtiStrings();
  const t = s();
  const body = await listPlatforms();
  const values = byId('lti-values');
  values.textContent = '';
  values.append(
    ...copyRow(t.ltiVersion, 'LTI 1.3', status),
    ...copyRow(t.toolUrl, body.tool.toolUrl, status),
    ...copyRow(t.ltiKeyType, 'Keyset URL', status),
    ...copyRow(t.keysetUrl, body.tool.publicKeysetUrl, status),
    ...copyRow(t.loginUrl, body.tool.loginUrl, status),
    ...copyRow(t.redirectUris, body.tool.redirectUris.join('\n'), status),
    ...copyRow(t.deepLinking, body.tool.deepLinkingUrl, status),
  );
  const list = byId('lti-platforms');
  list.textContent = '';
  if (body.platforms.length === 0) list.append(el('p', { class: 'muted' }, t.noPlatforms));
  for (const p of body.platforms) {
    const remove = el('button', { type: 'button', class: 'ghost' }, t.remove);
    remove.onclick = async () => {
      if (!confirm(s().removeConfirm)) return;
      await removePlatform(p.id);
      await loadLti(status);
    };
    list.append(
      el(
        'div',
        { class: 'card' },
        el('div', { class: 'row spread' }, el('h3', {}, p.issuer), remove),
        el('p', { class: 'small' }, `${t.clientId}: ${p.clientId} · Deployment: ${p.deploymentIds.join(', ')}`),
        el('p', { class: 'small muted' }, `${p.authUrl} · ${p.tokenUrl} · ${p.jwksUrl}`),
      ),
    );
  }
}

const field = (id: string) => byId<HTMLInputElement>(id);

/** Wires the registration form and the "fill from Moodle" button. */
export function initLtiTab(status: (text: string) => void, fail: (e: unknown) => void): void {
  applyLtiStrings();
  byId('l-fill').onclick = () => {
    const base = field('l-moodle').value.trim().replace(/\/+$/, '');
    if (!base) return;
    field('l-issuer').value = base;
    field('l-auth').value = `${base}/mod/lti/auth.php`;
    field('l-token').value = `${base}/mod/lti/token.php`;
    field('l-jwks').value = `${base}/mod/lti/certs.php`;
  };
  byId<HTMLFormElement>('l-form').onsubmit = async (e) => {
    e.preventDefault();
    const moodleUrl = field('l-moodle').value.trim();
    const optional = (id: string) => field(id).value.trim() || undefined;
    const body = {
      ...(moodleUrl ? { moodleUrl } : {}),
      issuer: optional('l-issuer'),
      clientId: field('l-client').value.trim(),
      deploymentIds: field('l-deployments')
        .value.split(',')
        .map((d) => d.trim())
        .filter(Boolean),
      authUrl: optional('l-auth'),
      tokenUrl: optional('l-token'),
      jwksUrl: optional('l-jwks'),
    };
    try {
      await registerPlatform(body);
      byId<HTMLFormElement>('l-form').reset();
      status(s().registered);
      await loadLti(status);
    } catch (error) {
      fail(error);
    }
  };
}
