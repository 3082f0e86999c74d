// Erasure metrics: the queue (requests waiting or running, and the oldest one's legal deadline,
// read from the database at each scrape: one statement over all clients, counts only) and the
// worker's runs. The deadline is what an alert compares with the clock (DEADLINE_DAYS).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Db } from '../../platform/db/client.ts';
import { dueAt } from './erasure.ts';
import type { RunSummary } from './erasure-worker.ts';

const OUTCOMES = ['succeeded', 'failed', 'released', 'lost'] as const;

/** Registers the queue gauges; returns the worker's `onRun` (startErasureWorker). */
export function watchErasures(registry: Registry, db: Db): (summary: RunSummary | undefined) => void {
  type Row = { status: string; n: number; oldest: Date | null };
  // One statement per scrape: the registry calls the collectors one after another without
  // waiting, in registration order, so the depth gauge starts the statement and the deadline
  // gauge, next, reads the same rows.
  let rows: Promise<Row[]> | undefined;
  const query = async () =>
    db.$queryRaw<Row[]>`
      SELECT status::text AS status, count(*)::int AS n, min(created_at) AS oldest
      FROM erasure_requests WHERE status IN ('SCHEDULED', 'PROCESSING') GROUP BY status`;
  new Gauge({
    name: 'erasure_queue_depth',
    help: 'Erasure requests not finished, by status (SCHEDULED: waiting for its date, PROCESSING: claimed by a worker).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      rows = query();
      const found = await rows;
      for (const status of ['SCHEDULED', 'PROCESSING'])
        this.set({ status }, found.find((r) => r.status === status)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'erasure_queue_oldest_due_timestamp_seconds',
    help: 'Deadline (dueAt, Unix seconds) of the oldest unfinished erasure request; 0 when none. Alert when it nears time().',
    registers: [registry],
    async collect() {
      const oldest = (await (rows ?? query()))
        .map((r) => r.oldest)
        .filter((d): d is Date => !!d)
        .sort((a, b) => a.getTime() - b.getTime())[0];
      this.set(oldest ? dueAt(oldest).getTime() / 1000 : 0);
    },
  });
  const runs = new Counter({
    name: 'erasure_worker_runs_total',
    help: 'Runs of the erasure worker, by result ("ok", or "error" when the run itself failed).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'erasure_worker_requests_total',
    help: 'Erasure requests the worker handled, by outcome (succeeded, failed, released for a retry, lost to another worker).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return (summary) => {
    runs.inc({ result: summary ? 'ok' : 'error' });
    for (const outcome of OUTCOMES) if (summary?.[outcome]) requests.inc({ outcome }, summary[outcome]);
  };
}
