// The delivery worker: claims due deliveries with FOR UPDATE SKIP LOCKED (several processes
// never claim one delivery twice), POSTs each signed event (send.ts), and records the outcome:
// success, or a retry after a growing delay with jitter, or FAILED after MAX_ATTEMPTS. An
// endpoint whose deliveries have all failed for DISABLE_AFTER_MS is disabled, with the reason.
// A claim pushes next_attempt_at past the send's timeout (a lease): a delivery whose worker
// died is tried again then. It also purges the outbox past the retention period.
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { type Poller, startPoller } from '../../platform/poller.ts';
import { purgeEvents } from './outbox.ts';
import { send, type SendResult } from './send.ts';
import type { WebhookSettings } from './webhook-settings.ts';

/** Delay before the next attempt after attempt n (index n-1): 5 s up to 24 h, 12 attempts in all. */
export const RETRY_DELAYS_MS = [5, 30, 120, 300, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 86_400].map((s) => s * 1000);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint failing without a single success for this long is disabled. */
export const DISABLE_AFTER_MS = 3 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

export interface DeliveryOptions extends Omit<WebhookSettings, 'workerIntervalMs'> {
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The clock (tests move it). */
  now?: () => Date;
  /** In [0, 1): the jitter's draw (tests fix it). */
  random?: () => number;
}

/** The delay after `attempts` failed attempts: the table's step, ±20 % jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1];
  return Math.round(base * (0.8 + 0.4 * random()));
}

interface Claim {
  id: string;
  attempts: number;
  endpointId: string;
  eventId: string;
}

/** Claims due deliveries of enabled endpoints and leases them until `leaseUntil`. */
async function claim(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<Claim[]> {
  return db.$queryRaw<Claim[]>`
    UPDATE webhook_deliveries d
    SET next_attempt_at = ${leaseUntil}, attempts = d.attempts + 1, updated_at = ${now}
    WHERE d.id IN (
      SELECT dd.id FROM webhook_deliveries dd
      JOIN webhook_endpoints e ON e.id = dd.endpoint_id AND e.enabled
      WHERE dd.status = 'PENDING' AND dd.next_attempt_at <= ${now}
      ORDER BY dd.next_attempt_at, dd.id
      LIMIT ${limit}
      FOR UPDATE OF dd SKIP LOCKED)
    RETURNING d.id, d.attempts, d.endpoint_id AS "endpointId", d.event_id AS "eventId"`;
}

/** Records one attempt's outcome (only while the claim still holds: same attempt number). */
async function record(db: Db, c: Claim, result: SendResult, now: Date, options: DeliveryOptions) {
  const gaveUp = !result.ok && c.attempts >= MAX_ATTEMPTS;
  const next = result.ok || gaveUp ? null : new Date(now.getTime() + retryDelayMs(c.attempts, options.random));
  await db.webhookDelivery.updateMany({
    where: { id: c.id, attempts: c.attempts, status: 'PENDING' },
    data: {
      status: result.ok ? 'SUCCEEDED' : gaveUp ? 'FAILED' : 'PENDING',
      nextAttemptAt: next,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      lastAttemptAt: now,
    },
  });
  if (result.ok) {
    await db.webhookEndpoint.updateMany({
      where: { id: c.endpointId, failingSince: { not: null } },
      data: { failingSince: null },
    });
    return;
  }
  await db.$executeRaw`
    UPDATE webhook_endpoints
    SET failing_since = COALESCE(failing_since, ${now}), updated_at = ${now}
    WHERE id = ${c.endpointId}::uuid`;
  const cutoff = new Date(now.getTime() - DISABLE_AFTER_MS);
  const disabled = await db.webhookEndpoint.updateMany({
    where: { id: c.endpointId, enabled: true, failingSince: { lte: cutoff } },
    data: {
      enabled: false,
      disabledReason: `Disabled on ${now.toISOString()}: every delivery failed for 3 days. Last error: ${result.error}`,
    },
  });
  if (disabled.count > 0)
    options.log?.warn({ endpointId: c.endpointId }, 'webhook endpoint disabled after 3 days failing');
}

export interface DeliverySummary {
  claimed: number;
  succeeded: number;
  retried: number;
  failed: number;
}

/** Claims up to `batchSize` due deliveries and sends them in parallel. */
export async function runDueDeliveries(db: Db, options: DeliveryOptions): Promise<DeliverySummary> {
  const now = options.now?.() ?? new Date();
  const leaseUntil = new Date(now.getTime() + options.timeoutMs + 60_000);
  const claims = await claim(db, now, leaseUntil, options.batchSize);
  const summary: DeliverySummary = { claimed: claims.length, succeeded: 0, retried: 0, failed: 0 };
  if (claims.length === 0) return summary;
  const [endpoints, events] = await Promise.all([
    db.webhookEndpoint.findMany({
      where: { id: { in: [...new Set(claims.map((c) => c.endpointId))] } },
      select: { id: true, url: true, secret: true, previousSecret: true, previousSecretUntil: true },
    }),
    db.webhookEvent.findMany({
      where: { id: { in: [...new Set(claims.map((c) => c.eventId))] } },
      select: { id: true, payload: true },
    }),
  ]);
  await Promise.all(
    claims.map(async (c) => {
      const endpoint = endpoints.find((e) => e.id === c.endpointId);
      const event = events.find((e) => e.id === c.eventId);
      if (!endpoint || !event) return; // deleted meanwhile (cascade removes the delivery too)
      const secrets = [endpoint.secret];
      if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now)
        secrets.push(endpoint.previousSecret);
      const result = await send({
        url: endpoint.url,
        secrets,
        id: event.id,
        body: JSON.stringify(event.payload),
        at: new Date(),
        timeoutMs: options.timeoutMs,
        allowedHttpHosts: options.allowedHttpHosts,
      });
      await record(db, c, result, options.now?.() ?? new Date(), options);
      if (result.ok) summary.succeeded++;
      else if (c.attempts >= MAX_ATTEMPTS) summary.failed++;
      else summary.retried++;
    }),
  );
  return summary;
}

/** Polls every `intervalMs` (at once again after a full batch); purges the outbox hourly. */
export function startWebhookWorker(options: DeliveryOptions & { db: Db; intervalMs: number }): Poller {
  const { db, intervalMs, ...rest } = options;
  let lastPurge = 0;
  return startPoller({
    intervalMs,
    log: rest.log,
    messages: { off: 'webhook worker run failed; retrying every interval', on: 'webhook worker runs again' },
    run: async () => {
      if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = Date.now();
        const purged = await purgeEvents(db, new Date(Date.now() - rest.retentionDays * 86_400_000));
        if (purged > 0) rest.log?.info({ purged }, 'webhook outbox purged');
      }
      const summary = await runDueDeliveries(db, rest);
      if (summary.claimed > 0) rest.log?.info({ ...summary }, 'webhook worker run');
      return summary.claimed >= rest.batchSize;
    },
  });
}
