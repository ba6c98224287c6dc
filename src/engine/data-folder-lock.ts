import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Exit code of a CLI command refused because another process holds the data folder. */
export const dataFolderInUseExitCode = 3;

/** Who holds a data folder: written into its lock file. */
export interface LockHolder {
  pid: number;
  /**
   * `service` (the HTTP server, the folder's writer), `cli` (a command such as `ingest`), or
   * `follower` (a service process that reads the folder and follows the writer's change log).
   */
  role: 'service' | 'cli' | 'follower';
  command: string;
  startedAt: string;
  host: string;
  /** The process's start time in clock ticks (Linux `/proc/<pid>/stat`), so a reused pid is not taken for the holder. */
  processStart: string | null;
}

/**
 * Another live process holds the data folder. Two writers on one folder leave it inconsistent
 * (issue 14: a CLI `ingest` while the service ran was stored but never reached the service's
 * indexes, and after a restart the store and BM25 disagreed), so the second one refuses.
 */
export class DataFolderInUse extends Error {
  readonly code = 'data_folder_in_use';
  readonly messageVi: string;
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const who =
      holder.role !== 'cli'
        ? `the trogiang service (pid ${holder.pid}, started ${holder.startedAt})`
        : `another trogiang command, \`${holder.command}\` (pid ${holder.pid})`;
    const whoVi =
      holder.role !== 'cli'
        ? `dịch vụ trogiang (pid ${holder.pid}, chạy từ ${holder.startedAt})`
        : `một lệnh trogiang khác, \`${holder.command}\` (pid ${holder.pid})`;
    super(
      `${who} is using the data folder ${dataDir}; nothing was changed. ` +
        (holder.role !== 'cli'
          ? 'While the service runs, add, remove and re-index documents through it (the admin page, or POST /api/admin/documents, DELETE /api/admin/documents/<id>, POST /api/admin/reindex), or stop the service and run this command again.'
          : 'Wait for it to finish, then run this command again.'),
    );
    this.messageVi =
      `${whoVi} đang dùng thư mục dữ liệu ${dataDir}; không có gì thay đổi. ` +
      (holder.role !== 'cli'
        ? 'Khi dịch vụ đang chạy, hãy thêm, xoá và lập chỉ mục lại tài liệu qua dịch vụ (trang quản trị hoặc API), hoặc dừng dịch vụ rồi chạy lại lệnh này.'
        : 'Hãy chờ lệnh đó xong rồi chạy lại lệnh này.');
    this.name = 'DataFolderInUse';
  }
}

/** The lock file of a data folder. */
export function lockPath(dataDir: string): string {
  return join(dataDir, 'trogiang.lock');
}

/** A process's start time from `/proc` (null where there is no `/proc`, or no such process). */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote `holder` is still running (same pid and, where known, same start time). */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // a folder shared over the network: assume its holder lives
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStart(holder.pid);
  return holder.processStart === null || start === null || start === holder.processStart;
}

function readHolder(path: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/** Locks held by this process, released when it exits. */
const held = new Set<DataFolderLock>();
let exitHook = false;

/** A held data folder; `release` removes the lock file (only if it is still this holder's). */
export class DataFolderLock {
  private released = false;
  constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    const current = readHolder(this.path);
    if (current && current.pid === this.holder.pid && current.startedAt === this.holder.startedAt) rmSync(this.path, { force: true });
  }
}

/**
 * Takes the data folder for this process, or throws `DataFolderInUse` naming the live holder.
 * The lock file is created with its content in one step (a hard link of a written temporary),
 * so a reader never sees it empty; one left by a process that died (SIGKILL, power cut) is taken
 * over. Released by `release` or when this process exits.
 */
export function acquireDataFolderLock(dataDir: string, role: LockHolder['role'], command: string): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const holder: LockHolder = {
    pid: process.pid,
    role,
    command,
    startedAt: new Date().toISOString(),
    host: hostname(),
    processStart: processStart(process.pid),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(holder));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temporary, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(path);
      const ours =
        current !== null && [...held].some((lock) => lock.holder.pid === current.pid && lock.holder.startedAt === current.startedAt);
      if (current && (ours || isAlive(current))) throw new DataFolderInUse(dataDir, current);
      if (attempt >= 3) throw new DataFolderInUse(dataDir, current ?? { ...holder, pid: -1, command: 'unknown' });
      // A dead holder's lock (or an unreadable one): moved aside, so of two takers only one wins the link.
      try {
        renameSync(path, `${path}.stale-${process.pid}`);
        rmSync(`${path}.stale-${process.pid}`, { force: true });
      } catch {
        // Another process moved it first; try again.
      }
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  // A command must not change the folder under live followers either (the service's writer leaves
  // them to it: they follow its change log). Checked after the link, so a follower that registers
  // later sees the lock and the command's pid.
  const follower = role === 'cli' ? liveFollowers(dataDir)[0] : undefined;
  if (follower) {
    rmSync(path, { force: true });
    throw new DataFolderInUse(dataDir, follower);
  }
  const lock = new DataFolderLock(path, holder);
  held.add(lock);
  hookExit();
  return lock;
}

function hookExit(): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const l of [...held]) l.release();
    });
  }
}

/** The folder of follower registrations: one file per follower process. */
function followersPath(dataDir: string): string {
  return join(dataDir, 'trogiang.followers');
}

/** The live follower processes of a data folder (files left by dead ones are removed). */
export function liveFollowers(dataDir: string): LockHolder[] {
  const dir = followersPath(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const live: LockHolder[] = [];
  for (const name of names) {
    const holder = readHolder(join(dir, name));
    if (holder && isAlive(holder)) live.push(holder);
    else if (holder) rmSync(join(dir, name), { force: true });
  }
  return live;
}

/**
 * Takes a data folder as a reader that follows the writer (a follower process of `PROCESSES`):
 * shared with other followers and with the service's writer, refused to a CLI command that
 * holds it (CLI commands in turn refuse while a follower lives). Released by `release` or when
 * this process exits.
 */
export function acquireFollowerLock(dataDir: string, command: string): DataFolderLock {
  const dir = followersPath(dataDir);
  mkdirSync(dir, { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    role: 'follower',
    command,
    startedAt: new Date().toISOString(),
    host: hostname(),
    processStart: processStart(process.pid),
  };
  const path = join(dir, `${process.pid}.json`);
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(holder));
  renameSync(temporary, path);
  const writer = dataFolderHolder(dataDir);
  if (writer && writer.role === 'cli') {
    rmSync(path, { force: true });
    throw new DataFolderInUse(dataDir, writer);
  }
  const lock = new DataFolderLock(path, holder);
  held.add(lock);
  hookExit();
  return lock;
}

/** Whether a live process holds the data folder (for messages; acquiring is the real test). */
export function dataFolderHolder(dataDir: string): LockHolder | null {
  const path = lockPath(dataDir);
  if (!existsSync(path)) return null;
  const holder = readHolder(path);
  return holder && isAlive(holder) ? holder : null;
}
