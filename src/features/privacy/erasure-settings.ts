// The privacy feature's settings: grace period, worker poll interval, lease and batch size.
// config.ts validates these variables in its one environment loader (it spreads
// `erasureEnvironment` into its schema) and hands the result down: server.ts to the worker,
// createApp to the resolvers (Context.settings).
import { z } from 'zod';
import { DEADLINE_DAYS } from './erasure.ts';

export const erasureEnvironment = {
  /** Default grace period of requestErasure, in days (0 = run at the next worker poll). */
  ERASURE_GRACE_DAYS: z.coerce.number().int().min(0).max(DEADLINE_DAYS).default(7),
  /** Worker poll interval; 0 turns the worker off in this process. */
  ERASURE_WORKER_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** How long a claimed request stays with its worker before another may take it over. */
  ERASURE_LEASE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
  /** Requests claimed per poll. */
  ERASURE_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(10),
};

export interface ErasureSettings {
  graceDays: number;
  workerIntervalMs: number;
  leaseMs: number;
  batchSize: number;
}

/** The settings from the validated variables. */
export function erasureSettingsOf(e: z.output<z.ZodObject<typeof erasureEnvironment>>): ErasureSettings {
  return {
    graceDays: e.ERASURE_GRACE_DAYS,
    workerIntervalMs: e.ERASURE_WORKER_INTERVAL_MS,
    leaseMs: e.ERASURE_LEASE_MS,
    batchSize: e.ERASURE_BATCH_SIZE,
  };
}
