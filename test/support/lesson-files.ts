import type { IngestItem } from '../../src/engine/index.js';

const topics = ['phân số', 'tỉ lệ phần trăm', 'bảng tính', 'thư điện tử', 'lịch sử Việt Nam', 'địa lý tự nhiên', 'tiếng Anh giao tiếp'];

/** A deterministic Markdown lesson, distinct per index, long enough for several chunks. */
export function lessonFile(i: number): IngestItem {
  const topic = topics[i % topics.length]!;
  const paragraphs = Array.from(
    { length: 6 },
    (_, p) =>
      `Phần ${p + 1} của bài ${i} về ${topic}: học viên đọc ví dụ số ${i * 10 + p}, làm bài tập và ghi chú những điểm chính. ` +
      `Giáo viên hướng dẫn cách ôn tập ${topic} trong ${p + 2} buổi, mỗi buổi ${45 + p} phút.`,
  );
  const body = `# Bài ${i}: ${topic}\n\n${paragraphs.map((p, j) => `## Mục ${j + 1}\n\n${p}`).join('\n\n')}\n`;
  return { bytes: Buffer.from(body, 'utf8'), fileName: `bai-${i}.md`, collection: 'bai-hoc' };
}
