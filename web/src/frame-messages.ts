/**
 * The messages between the host page (the loader, widget.ts) and the chat page in its iframe
 * (embed/main.ts): one envelope `{ ns: 'trogiang', type, … }`, one union per direction. Each side
 * checks the sender's origin and window, then the shape with the guard below; anything else is
 * ignored (another script on the page may post messages too).
 */

/** Page → iframe. */
export type PageMessage =
  | { type: 'open'; phone: boolean }
  | { type: 'resize'; phone: boolean }
  | { type: 'close' }
  | { type: 'set-lang'; lang: string }
  | { type: 'set-theme'; theme?: string; color?: string };

/** Iframe → page. */
export type FrameMessage = { type: 'ready' } | { type: 'open' } | { type: 'close' } | { type: 'resize'; size: 'large' | 'normal' };

/** Every message, in its envelope. */
export type TrogiangMessage = (PageMessage | FrameMessage) & { ns: 'trogiang' };

type Fields = { ns?: unknown; type?: unknown } & Record<string, unknown>;

const optionalText = (v: unknown) => v === undefined || typeof v === 'string';

/** A message from the page, well formed (its origin and window are checked by the caller). */
export function isPageMessage(data: unknown): data is PageMessage & { ns: 'trogiang' } {
  const m = (data ?? {}) as Fields;
  if (m.ns !== 'trogiang') return false;
  switch (m.type) {
    case 'open':
    case 'resize':
      return typeof m.phone === 'boolean';
    case 'close':
      return true;
    case 'set-lang':
      return typeof m.lang === 'string';
    case 'set-theme':
      return optionalText(m.theme) && optionalText(m.color);
    default:
      return false;
  }
}

/** A message from the chat page, well formed (its origin and window are checked by the caller). */
export function isFrameMessage(data: unknown): data is FrameMessage & { ns: 'trogiang' } {
  const m = (data ?? {}) as Fields;
  return (
    m.ns === 'trogiang' &&
    (m.type === 'ready' || m.type === 'open' || m.type === 'close' || (m.type === 'resize' && (m.size === 'large' || m.size === 'normal')))
  );
}
