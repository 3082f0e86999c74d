// Environment → erasure settings (grace period, worker poll interval and lease), validated once.
// Kept beside config.ts so the erasure feature does not need createApp options; server.ts
// validates it at start-up (loadErasureSettings), resolvers read erasureSettings().
import { z } from 'zod';
import { parseEnvironment } from '../../config.ts';
import { DEADLINE_DAYS } from './erasure.ts';

const schema = z.object({
  /** Default grace period of requestErasure, in days (0 = run at the next worker poll). */
  ERASURE_GRACE_DAYS: z.coerce.number().int().min(0).max(DEADLINE_DAYS).default(7),
  /** Worker poll interval; 0 turns the worker off in this process. */
  ERASURE_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** How long a claimed request stays with its worker before another may take it over. */
  ERASURE_LEASE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
  /** Requests claimed per poll. */
  ERASURE_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(10),
});

export interface ErasureSettings {
  graceDays: number;
  workerIntervalMs: number;
  leaseMs: number;
  batchSize: number;
}

/** Parses the environment; throws one error naming every bad variable. */
export function loadErasureSettings(env: NodeJS.ProcessEnv = process.env): ErasureSettings {
  const e = parseEnvironment(schema, env);
  return {
    graceDays: e.ERASURE_GRACE_DAYS,
    workerIntervalMs: e.ERASURE_WORKER_INTERVAL_MS,
    leaseMs: e.ERASURE_LEASE_MS,
    batchSize: e.ERASURE_BATCH_SIZE,
  };
}

let current: ErasureSettings | undefined;

/** The process's settings, read from the environment on first use. */
export function erasureSettings(): ErasureSettings {
  current ??= loadErasureSettings();
  return current;
}
