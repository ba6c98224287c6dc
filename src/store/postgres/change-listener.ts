import pg from 'pg';
import { postgresTypes } from '../sql/index.js';
import { changesChannel, parseChangeNotice } from './changes-channel.js';
import type { PostgresStore } from './postgres-store.js';

/** Options of `listenForChanges`. */
export interface ChangeListenerOptions {
  /** First wait before reconnecting after the connection dropped, in ms (default 250), doubled up to `maxRetryMs`. */
  retryMs?: number;
  /** Longest wait between reconnection attempts, in ms (default 5,000). */
  maxRetryMs?: number;
  /** Told when listening stops and starts again (not about each failed attempt). */
  log?: (message: string) => void;
}

/**
 * A dedicated connection that `LISTEN`s for the store's committed changes (`changesChannel`) and
 * calls `wake` for each one of its schema. Notices sent while it was not connected are lost, so
 * it also calls `wake` each time it (re)connects: the follower then catches up by generation.
 * When the connection drops (PostgreSQL restarted, the backend was terminated), it reconnects
 * with backoff until `close`.
 */
export class ChangeListener {
  private client: pg.Client | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  /** Successful connections so far (a reconnection makes it 2, 3…). */
  connections = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly wake: () => void,
    private readonly options: ChangeListenerOptions = {},
  ) {
    this.delay = options.retryMs ?? 250;
  }

  /** True while a connection is listening. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** The server process id of the listening connection (tests terminate it). */
  get backendPid(): number | undefined {
    return (this.client as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  /** Connects and listens (in the background; failures are retried). */
  start(): this {
    void this.connect();
    return this;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.config);
    let dropped = false;
    const drop = (why: string) => {
      if (dropped) return;
      dropped = true;
      const wasListening = this.client === client;
      if (wasListening) this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      if (wasListening) this.options.log?.(`stopped listening for changes (${why}): reconnecting`);
      this.retry();
    };
    client.on('error', (error) => drop(error.message));
    client.on('end', () => drop('connection ended'));
    try {
      await client.connect();
      const schema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema;
      client.on('notification', (notice) => {
        if (notice.channel === changesChannel && parseChangeNotice(notice.payload)?.schema === schema) this.wake();
      });
      await client.query(`LISTEN ${changesChannel}`);
      if (dropped) return;
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.delay = this.options.retryMs ?? 250;
      if (++this.connections > 1) this.options.log?.('listening for changes again');
      // What was committed while nobody listened: caught up by generation.
      this.wake();
    } catch (error) {
      drop((error as Error).message);
    }
  }

  private retry(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.delay);
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, this.options.maxRetryMs ?? 5000);
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/**
 * Listens for `store`'s committed changes on a connection of its own, configured as its pool's
 * (same server, same schema), and calls `wake` for each (see `ChangeListener`).
 * @example const listener = listenForChanges(store, () => follower.wake());
 */
export function listenForChanges(store: PostgresStore, wake: () => void, options: ChangeListenerOptions = {}): ChangeListener {
  const { connectionString, options: serverOptions, host, port, user, password, database, ssl } = store.db.pool.options;
  const config: pg.ClientConfig = {
    ...(connectionString !== undefined && { connectionString }),
    ...(serverOptions !== undefined && { options: serverOptions }),
    ...(host !== undefined && { host }),
    ...(port !== undefined && { port }),
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    ...(database !== undefined && { database }),
    ...(ssl !== undefined && { ssl }),
    types: postgresTypes,
    connectionTimeoutMillis: 5000,
    // A dead peer without a FIN (a cable, a failover) is noticed too, not waited on forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  return new ChangeListener(config, wake, options).start();
}
