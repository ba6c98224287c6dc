/** One server-sent event frame: `event:` name and a JSON `data:` line. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line that keeps proxies and mobile networks from closing an idle stream. */
export const sseKeepAlive = ': keep-alive\n\n';

/** Headers of every event stream: no caching, no proxy buffering (nginx honours x-accel-buffering). */
export const sseHeaders: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};
