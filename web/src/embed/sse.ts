/** Reads a server-sent event stream from a fetch response, calling `on` for each event. */
export async function readEvents(response: Response, on: (event: string, data: any) => void): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const flush = (block: string) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(data.join('\n'));
      } catch {}
      on(event, parsed);
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    let at: number;
    while ((at = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const sep = /\r?\n\r?\n/.exec(buffer.slice(at))![0].length;
      flush(buffer.slice(0, at));
      buffer = buffer.slice(at + sep);
    }
    if (done) break;
  }
  if (buffer.trim()) flush(buffer);
}
