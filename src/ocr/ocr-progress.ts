import { BroadcastChannel } from 'node:worker_threads';

/**
 * OCR progress of the files being read, for the admin page: pages done of total. A file is read
 * on the thread that answers or on the file reader's worker thread (prepare-off-thread.ts), so
 * progress goes over a BroadcastChannel, which reaches every thread of the process alike.
 */
export interface OcrProgressEntry {
  documentId: string;
  collection: string;
  fileName: string;
  done: number;
  total: number;
  /** When the last page was read (ms since the epoch). */
  updatedAt: number;
}

const channelName = 'trogiang:ocr-progress';
/** A finished file stays listed this long, so a poll after its last page still sees it done. */
const keepDoneMs = 15_000;
/** A file with no progress for this long is dropped (its upload failed or was abandoned). */
const staleMs = 10 * 60_000;

let sender: BroadcastChannel | null = null;

/** Reports one file's OCR progress from whichever thread reads it. */
export function reportOcrProgress(entry: Omit<OcrProgressEntry, 'updatedAt'>): void {
  sender ??= new BroadcastChannel(channelName);
  sender.unref();
  sender.postMessage({ ...entry, updatedAt: Date.now() } satisfies OcrProgressEntry);
}

/** The OCR progress of the files being read in this process (one tracker per process, made on first use). */
export class OcrProgressTracker {
  private readonly entries = new Map<string, OcrProgressEntry>();
  private readonly channel = new BroadcastChannel(channelName);

  constructor() {
    this.channel.unref();
    this.channel.onmessage = (event) => {
      const entry = (event as unknown as { data: OcrProgressEntry }).data;
      this.entries.set(entry.documentId, entry);
    };
  }

  /** Files being read by OCR (and those finished in the last seconds), oldest first. */
  list(now = Date.now()): OcrProgressEntry[] {
    for (const [id, e] of this.entries) {
      if (now - e.updatedAt > (e.done >= e.total ? keepDoneMs : staleMs)) this.entries.delete(id);
    }
    return [...this.entries.values()].sort((a, b) => a.updatedAt - b.updatedAt);
  }

  close(): void {
    this.channel.close();
  }
}

let tracker: OcrProgressTracker | null = null;

/** The process's tracker (the admin API reads it). */
export function ocrProgressTracker(): OcrProgressTracker {
  tracker ??= new OcrProgressTracker();
  return tracker;
}
