// The workloads: each measures the API (and, for storefront and order sync, the ceiling) and
// returns what the report shows. Runs are back to back: API at full speed, ceiling at full
// speed, then each at half of its own measured maximum rate.
import { loadavg } from 'node:os';
import type { BenchConfig } from './config.ts';
import { eraseBody, ingestBodies, orderSyncBody, personalDataBody, productPageBody } from './documents.ts';
import { runLoad, warmAndRun, type LoadResult } from './load.ts';
import type { Samples } from './seed.ts';
import type { RunningServer } from './servers.ts';
import type { StatementCount } from './statements.ts';

export interface ServerRun {
  max: LoadResult;
  half?: LoadResult;
  /** SQL statements per request. */
  statements?: number;
  peakRssMiB: number;
}

export interface WorkloadResult {
  name: string;
  what: string;
  ours: ServerRun;
  ceiling?: ServerRun;
  /** Ingest: orders per second; privacy: per-erasure timings … */
  notes: string[];
  loadBefore: number;
}

export interface Erasure {
  ms: number;
  counts: Record<string, number>;
}

export interface Keys {
  admin: string;
  support: string;
  storefront: string;
}

export interface Context {
  config: BenchConfig;
  samples: Samples;
  keys: Keys;
  api: RunningServer;
  ceiling: RunningServer;
  ourStatements: Record<string, StatementCount>;
  log: (line: string) => void;
}

async function ceilingStats(server: RunningServer): Promise<{ requests: number; statements: number }> {
  const res = await fetch(server.url.replace(/\/graphql$/, '/stats'));
  return (await res.json()) as { requests: number; statements: number };
}

const describe = (r: LoadResult) =>
  `${r.rps.toFixed(0)} rps, p50 ${r.p50} ms, p99 ${r.p99} ms` +
  (r.failed + r.non2xx + r.errors + r.timeouts ? ` — ${r.failed} failed, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : '') +
  (r.sample ? `\n      first failure: ${r.sample}` : '');

/** Full speed, then half of the measured maximum rate, on one server. */
async function measure(ctx: Context, server: RunningServer, key: string, makeBody: () => string, half: boolean): Promise<ServerRun> {
  const { config } = ctx;
  server.resetPeakRss();
  const base = { url: server.url, key, makeBody, connections: config.connections };
  const max = await warmAndRun({ ...base, durationSeconds: config.durationSeconds }, config.warmupSeconds);
  ctx.log(`    ${server.name}: ${describe(max)}`);
  let halfRun: LoadResult | undefined;
  if (half) {
    const overallRate = Math.max(1, Math.round(max.rps / 2));
    halfRun = await runLoad({ ...base, durationSeconds: config.halfRateSeconds, overallRate });
    ctx.log(`    ${server.name} at ${overallRate} rps: ${describe(halfRun)}`);
  }
  return { max, half: halfRun, peakRssMiB: server.peakRssMiB() };
}

/** A read workload measured on the API and on the ceiling, back to back. */
async function compared(ctx: Context, name: string, what: string, key: string, makeBody: () => string): Promise<WorkloadResult> {
  const loadBefore = loadavg()[0];
  ctx.log(`  ${name} (load average ${loadBefore.toFixed(2)})`);
  const ours = await measure(ctx, ctx.api, key, makeBody, true);
  ours.statements = ctx.ourStatements[name]?.mean;
  const before = await ceilingStats(ctx.ceiling);
  const ceiling = await measure(ctx, ctx.ceiling, key, makeBody, true);
  const after = await ceilingStats(ctx.ceiling);
  ceiling.statements = (after.statements - before.statements) / (after.requests - before.requests);
  return { name, what, ours, ceiling, notes: [], loadBefore };
}

export const storefront = (ctx: Context) =>
  compared(
    ctx,
    'storefront',
    'product page over random skus: product, familyRatingSummary, 10 newest published reviews, 5 answered questions (STOREFRONT key)',
    ctx.keys.storefront,
    () => productPageBody(ctx.samples),
  );

export const orderSync = (ctx: Context) =>
  compared(
    ctx,
    'order sync',
    'orders(first: 100, after) with items and customer, from random precomputed cursors (ADMIN key)',
    ctx.keys.admin,
    () => orderSyncBody(ctx.samples),
  );

const upsertOk = (body: string) => body.includes('"__typename":"UpsertOrderSuccess"');

export async function ingest(ctx: Context): Promise<WorkloadResult> {
  const loadBefore = loadavg()[0];
  ctx.log(`  ingest (load average ${loadBefore.toFixed(2)})`);
  const { config, api } = ctx;
  api.resetPeakRss();
  const makeBody = ingestBodies(ctx.samples, Date.now().toString(36));
  const max = await warmAndRun(
    { url: api.url, key: ctx.keys.admin, makeBody, connections: config.connections, durationSeconds: config.durationSeconds, ok: upsertOk },
    config.warmupSeconds,
  );
  ctx.log(`    api: ${describe(max)}`);
  return {
    name: 'ingest',
    what: `upsertOrder with 3 items, half new orders (half of those for new customers), half updates of existing orders; ${config.connections} connections (ADMIN key)`,
    ours: { max, statements: ctx.ourStatements.ingest?.mean, peakRssMiB: api.peakRssMiB() },
    notes: [`${max.rps.toFixed(0)} orders/s (one order per request)`],
    loadBefore,
  };
}

/** personalData by e-mail, one connection (a support agent's lookups: latency, not saturation). */
export async function privacyLookup(ctx: Context): Promise<WorkloadResult> {
  const loadBefore = loadavg()[0];
  ctx.log(`  privacy lookup (load average ${loadBefore.toFixed(2)})`);
  const { config, api } = ctx;
  api.resetPeakRss();
  const max = await warmAndRun(
    { url: api.url, key: ctx.keys.support, makeBody: () => personalDataBody(ctx.samples), connections: 1, durationSeconds: config.durationSeconds },
    config.warmupSeconds,
  );
  ctx.log(`    api: ${describe(max)}`);
  return {
    name: 'privacy lookup',
    what: 'personalData(subject: { email }) of random customers’ e-mails (15 % shared by two customers): customers with 20 orders, reviews, questions, seller reviews; 1 connection (SUPPORT key)',
    ours: { max, statements: ctx.ourStatements['privacy lookup']?.mean, peakRssMiB: api.peakRssMiB() },
    notes: [],
    loadBefore,
  };
}

/** Erases each heavy subject in turn (one request at a time) and times it. */
export async function privacyErasure(ctx: Context): Promise<{ result: WorkloadResult; erasures: Erasure[] }> {
  const loadBefore = loadavg()[0];
  ctx.log(`  privacy erasure (load average ${loadBefore.toFixed(2)})`);
  ctx.api.resetPeakRss();
  const erasures: Erasure[] = [];
  for (const email of ctx.samples.heavyEmails) {
    const started = performance.now();
    const res = await fetch(ctx.api.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.keys.admin}`, 'content-type': 'application/json', accept: 'application/json' },
      body: eraseBody(email),
    });
    const json = (await res.json()) as { data?: { erasePersonalData: { erasureRequest?: { status: string; counts: Record<string, number> } } } };
    const ms = performance.now() - started;
    const request = json.data?.erasePersonalData.erasureRequest;
    if (!request || request.status !== 'SUCCEEDED') throw new Error(`erasure failed: ${JSON.stringify(json).slice(0, 500)}`);
    erasures.push({ ms, counts: request.counts });
    ctx.log(`    ${ms.toFixed(0)} ms: ${JSON.stringify(request.counts)}`);
  }
  const sorted = erasures.map((e) => e.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const fake: LoadResult = {
    rps: erasures.length / (sorted.reduce((a, b) => a + b, 0) / 1000),
    p50: Math.round(median),
    p90: Math.round(sorted[Math.floor(sorted.length * 0.9)] ?? NaN),
    p99: Math.round(sorted[sorted.length - 1] ?? NaN),
    max: Math.round(sorted[sorted.length - 1] ?? NaN),
    ok: erasures.length,
    failed: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    seconds: sorted.reduce((a, b) => a + b, 0) / 1000,
  };
  return {
    result: {
      name: 'privacy erasure',
      what: 'erasePersonalData by e-mail of people with large histories (two customers each), one at a time (ADMIN key); p99 column = slowest',
      ours: { max: fake, statements: ctx.ourStatements['privacy erasure']?.mean, peakRssMiB: ctx.api.peakRssMiB() },
      notes: [],
      loadBefore,
    },
    erasures,
  };
}
