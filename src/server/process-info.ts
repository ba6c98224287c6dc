/**
 * This process's place among several service processes on one data folder (`PROCESSES` above 1;
 * docs/operations.md#several-processes-on-one-machine). Absent with one process.
 */
export interface ProcessInfo {
  /** `writer`: the folder's one writer; `follower`: answers from indexes that follow its change log. */
  role: 'writer' | 'follower';
  /** 0 for the writer, 1… for followers (the offset from `PROCESS_PORT_BASE`). */
  index: number;
  /** The writer's loopback address, where a follower forwards writes; told by the primary process. */
  writerUrl: string | undefined;
}

/** The response header that names the process that answered (`writer-0`, `follower-1`). */
export const processHeader = 'x-trogiang-process';
/** The store generation a write reached, on the writer's response to a write (a follower waits for it). */
export const generationHeader = 'x-trogiang-generation';

/** Messages between the primary process and its workers (node:cluster IPC). */
export type ProcessMessage =
  | { type: 'trogiang:hello' }
  | { type: 'trogiang:role'; role: ProcessInfo['role']; index: number; writerUrl?: string }
  | { type: 'trogiang:writer'; url: string }
  | { type: 'trogiang:changed' }
  | { type: 'trogiang:ready'; index: number; banner?: string };

export function isProcessMessage(value: unknown): value is ProcessMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    (value as { type: string }).type.startsWith('trogiang:')
  );
}
