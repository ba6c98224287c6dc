import type { Engine } from '../../src/engine/index.js';
import type { Store } from '../../src/store/index.js';

/** A small lesson file whose code word (`KX4Q`) only it holds. */
export const lesson = (code: string) => ({
  fileName: `thong-bao-${code.toLowerCase()}.txt`,
  collection: 'chung',
  bytes: Buffer.from(`Thông báo lớp mã ${code}: buổi học bù môn Tin học văn phòng vào sáng thứ Bảy tại phòng máy số hai.`),
});

/** True when a search for `code` finds the document holding it. */
export async function finds(engine: Engine<Store>, code: string): Promise<boolean> {
  const r = await engine.retrieve(`lớp mã ${code}`, { k: 3 });
  return r.results.some((h) => h.chunk.text.includes(code));
}
