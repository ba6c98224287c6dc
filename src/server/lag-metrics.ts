import { Gauge } from 'prom-client';
import type { Engine } from '../engine/index.js';
import type { Metrics } from './metrics.js';
import type { ProcessInfo } from './process-info.js';

/**
 * Gauges of how far this process's indexes lag the store's change log (several processes on one
 * data folder): 0 on the writer, which applies each change as it commits it. Read at each scrape.
 */
export function registerLagMetrics(
  metrics: Metrics,
  engine: Engine,
  info: Pick<ProcessInfo, 'index'> & { role: ProcessInfo['role'] | 'replica' },
): void {
  const labels = { role: info.role, process: String(info.index) };
  const lagOf = async () =>
    (await engine.lag()) ?? {
      appliedGeneration: await engine.store.generation(),
      generationsBehind: 0,
      secondsBehind: 0,
      secondsSinceApplied: 0,
      reloads: 0,
    };
  const gauge = (name: string, help: string, value: (lag: Awaited<ReturnType<typeof lagOf>>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['role', 'process'] as const,
      registers: [metrics.registry],
      async collect() {
        // The store out of reach (PostgreSQL restarting): the last value stays, /metrics still answers.
        const lag = await lagOf().catch(() => undefined);
        if (lag) this.set(labels, value(lag));
      },
    });
  gauge('trogiang_index_generation', 'Store change-log generation the indexes have applied', (l) => l.appliedGeneration);
  gauge(
    'trogiang_index_generations_behind',
    'Change-log generations the indexes still have to apply (0 on the writer)',
    (l) => l.generationsBehind,
  );
  gauge('trogiang_index_seconds_behind', 'Seconds since the indexes were last caught up, 0 when they are', (l) => l.secondsBehind);
  gauge(
    'trogiang_index_seconds_since_applied',
    'Seconds since a change was last applied to the indexes (a follower)',
    (l) => l.secondsSinceApplied,
  );
  gauge('trogiang_index_reloads_total', 'Times the change log no longer reached back and the indexes were reloaded', (l) => l.reloads);
}
