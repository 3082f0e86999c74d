// Settings of `npm run bench`, from the environment. Nothing here is used by the product.
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

function num(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export interface BenchConfig {
  /** The bench database; dropped and created anew on every run. */
  databaseUrl: string;
  /** 1 = the full data set (FULL in seed-sql.ts); 0.01 = a quick run on 1 % of it. */
  scale: number;
  /** Seconds of warm-up (not measured) before each measured run. */
  warmupSeconds: number;
  /** Seconds of each measured run at full speed. */
  durationSeconds: number;
  /** Seconds of each run at half of the measured maximum rate. */
  halfRateSeconds: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Workloads to run (comma-separated names); all when unset. */
  only: string[] | undefined;
  /** Where the report goes. */
  outFile: string;
  /** Highest 1-minute load average at which the measurements start (waits up to waitMinutes). */
  maxLoad: number;
  waitMinutes: number;
}

export function loadBenchConfig(): BenchConfig {
  const scale = num('BENCH_SCALE', 1, 0.001, 1);
  return {
    databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench',
    scale,
    warmupSeconds: num('BENCH_WARMUP', 3, 0, 60),
    durationSeconds: num('BENCH_DURATION', 12, 1, 120),
    halfRateSeconds: num('BENCH_HALF_RATE_DURATION', 10, 1, 120),
    connections: num('BENCH_CONNECTIONS', 16, 1, 256),
    only: process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((s) => s.trim()) : undefined,
    outFile: process.env.BENCH_OUT || fileURLToPath(new URL('RESULTS.md', import.meta.url)),
    maxLoad: num('BENCH_MAX_LOAD', 2, 0.1, 1000),
    waitMinutes: num('BENCH_WAIT_MINUTES', 0, 0, 60),
  };
}
