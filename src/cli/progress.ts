/** A one-line progress bar on a terminal; silent when stderr is not a terminal (CI, pipes). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  const enabled = Boolean(stream.isTTY);
  return {
    update(done: number, total: number, label: string): void {
      if (!enabled) return;
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      const name = label.length > 40 ? `…${label.slice(-39)}` : label;
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${name}`.padEnd(90));
    },
    finish(): void {
      if (enabled) stream.write('\r'.padEnd(91) + '\r');
    },
  };
}
