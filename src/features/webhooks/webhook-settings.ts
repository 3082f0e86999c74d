// The webhooks feature's settings. config.ts spreads `webhookEnvironment` into its schema and
// hands the result down: server.ts to the delivery worker, createApp to the resolvers.
import { z } from 'zod';

export const webhookEnvironment = {
  /** Delivery worker poll interval; 0 turns the worker off in this process. */
  WEBHOOK_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  /** Deliveries claimed per poll. */
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(20),
  /** How long one POST may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Comma-separated hosts that may be reached over plain http and on non-public addresses. */
  WEBHOOK_ALLOWED_HTTP_HOSTS: z.string().default(''),
  /** Days the outbox keeps events (and their deliveries). */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
};

export interface WebhookSettings {
  workerIntervalMs: number;
  batchSize: number;
  timeoutMs: number;
  allowedHttpHosts: string[];
  retentionDays: number;
}

/** The settings from the validated variables. */
export function webhookSettingsOf(e: z.output<z.ZodObject<typeof webhookEnvironment>>): WebhookSettings {
  return {
    workerIntervalMs: e.WEBHOOK_WORKER_INTERVAL_MS,
    batchSize: e.WEBHOOK_BATCH_SIZE,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    allowedHttpHosts: e.WEBHOOK_ALLOWED_HTTP_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    retentionDays: e.WEBHOOK_RETENTION_DAYS,
  };
}
