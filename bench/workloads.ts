// The workloads: each measures the API (and, for storefront and order sync, the ceiling) and
// returns what the report shows. Runs are back to back: API at full speed, ceiling at full
// speed, then each at half of its own measured maximum rate.
import { loadavg } from 'node:os';
import type { BenchConfig } from './config.ts';
import {
  eraseBody,
  INGEST_BATCH,
  ingestBatchBodies,
  ingestBodies,
  orderSyncBody,
  personalDataBody,
  productPageBody,
} from './documents.ts';
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
  /** Ingest workloads: orders written per second. */
  ordersPerSecond?: number;
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
  /** Starts another API process with other settings (e.g. without the response cache). */
  startApi(env: Record<string, string>, name: string): Promise<RunningServer>;
  ourStatements: Record<string, StatementCount>;
  log: (line: string) => void;
}

async function ceilingStats(server: RunningServer): Promise<{ requests: number; statements: number }> {
  const res = await fetch(server.url.replace(/\/graphql$/, '/stats'));
  return (await res.json()) as { requests: number; statements: number };
}

const describe = (r: LoadResult) =>
  `${r.rps.toFixed(0)} rps, p50 ${r.p50} ms, p99 ${r.p99} ms` +
  (r.failed + r.non2xx + r.errors + r.timeouts
    ? ` — ${r.failed} failed, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`
    : '') +
  (r.sample ? `\n      first failure: ${r.sample}` : '');

/** Full speed, then half of the measured maximum rate, on one server. */
async function measure(
  ctx: Context,
  server: RunningServer,
  key: string,
  makeBody: () => string,
  half: boolean,
): Promise<ServerRun> {
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

/** A read workload measured on the API and on the ceiling, back to back (or with a ceiling run given). */
async function compared(
  ctx: Context,
  o: { name: string; what: string; key: string; makeBody: () => string; api?: RunningServer; ceiling?: ServerRun },
): Promise<WorkloadResult> {
  const loadBefore = loadavg()[0];
  ctx.log(`  ${o.name} (load average ${loadBefore.toFixed(2)})`);
  const ours = await measure(ctx, o.api ?? ctx.api, o.key, o.makeBody, true);
  ours.statements = ctx.ourStatements[o.name]?.mean;
  let ceiling = o.ceiling;
  if (!ceiling) {
    const before = await ceilingStats(ctx.ceiling);
    ceiling = await measure(ctx, ctx.ceiling, o.key, o.makeBody, true);
    const after = await ceilingStats(ctx.ceiling);
    ceiling.statements = (after.statements - before.statements) / (after.requests - before.requests);
  }
  return { name: o.name, what: o.what, ours, ceiling, notes: [], loadBefore };
}

const PRODUCT_PAGE_WHAT =
  'product page over random skus of a hot set of 2,000 (of 20,000): product, familyRatingSummary, 10 newest published reviews, 5 answered questions (STOREFRONT key)';

/** The API as deployed: STOREFRONT answers come from the response cache after the first of each sku. */
export const storefront = (ctx: Context) =>
  compared(ctx, {
    name: 'storefront',
    what: `${PRODUCT_PAGE_WHAT}; the API as deployed, with its response cache (each sku executed once, then answered from memory until its content changes)`,
    key: ctx.keys.storefront,
    makeBody: () => productPageBody(ctx.samples),
  });

/** The same requests on an API process without the response cache: every page executed, as the ceiling does. */
export async function storefrontUncached(ctx: Context, ceiling: ServerRun | undefined): Promise<WorkloadResult> {
  const api = await ctx.startApi({ RESPONSE_CACHE_TTL_MS: '0' }, 'api-no-response-cache');
  try {
    return await compared(ctx, {
      name: 'storefront (no response cache)',
      what: `${PRODUCT_PAGE_WHAT}; an API process with RESPONSE_CACHE_TTL_MS=0: every page executed${ceiling ? ' (ceiling: the run above)' : ''}`,
      key: ctx.keys.storefront,
      makeBody: () => productPageBody(ctx.samples),
      api,
      ceiling,
    });
  } finally {
    await api.stop();
  }
}

export const orderSync = (ctx: Context) =>
  compared(ctx, {
    name: 'order sync',
    what: 'orders(first: 100, after) with items and customer, from random precomputed cursors (ADMIN key)',
    key: ctx.keys.admin,
    makeBody: () => orderSyncBody(ctx.samples),
  });

const INGEST_MIX = 'half new orders (half of those for new customers), half updates of existing orders';

/** An ingest run: `perRequest` orders per call, reported as orders per second. */
async function ingestRun(
  ctx: Context,
  o: { name: string; what: string; makeBody: () => string; connections: number; success: string; perRequest: number },
): Promise<WorkloadResult> {
  const loadBefore = loadavg()[0];
  ctx.log(`  ${o.name} (load average ${loadBefore.toFixed(2)})`);
  const { config, api } = ctx;
  api.resetPeakRss();
  const ok = (body: string) => body.includes(`"__typename":"${o.success}"`);
  const max = await warmAndRun(
    {
      url: api.url,
      key: ctx.keys.admin,
      makeBody: o.makeBody,
      connections: o.connections,
      durationSeconds: config.durationSeconds,
      ok,
    },
    config.warmupSeconds,
  );
  const ordersPerSecond = max.rps * o.perRequest;
  ctx.log(`    api: ${describe(max)} = ${ordersPerSecond.toFixed(0)} orders/s`);
  return {
    name: o.name,
    what: `${o.what}, ${INGEST_MIX}; ${o.connections} connections (ADMIN key)`,
    ours: { max, statements: ctx.ourStatements[o.name]?.mean, peakRssMiB: api.peakRssMiB() },
    notes: [
      `${ordersPerSecond.toFixed(0)} orders/s (${o.perRequest === 1 ? 'one order' : `${o.perRequest} orders`} per request)`,
    ],
    ordersPerSecond,
    loadBefore,
  };
}

/** Ingest with upsertOrders, INGEST_BATCH orders per call. */
export const ingestBatch = (ctx: Context) =>
  ingestRun(ctx, {
    name: 'ingest',
    what: `upsertOrders with ${INGEST_BATCH} orders of 3 items per call`,
    makeBody: ingestBatchBodies(ctx.samples, Date.now().toString(36)),
    connections: Math.min(4, ctx.config.connections),
    success: 'UpsertOrdersSuccess',
    perRequest: INGEST_BATCH,
  });

/** Ingest with upsertOrder, one order per call. */
export const ingest = (ctx: Context) =>
  ingestRun(ctx, {
    name: 'ingest (one order per call)',
    what: 'upsertOrder with 3 items',
    makeBody: ingestBodies(ctx.samples, Date.now().toString(36)),
    connections: ctx.config.connections,
    success: 'UpsertOrderSuccess',
    perRequest: 1,
  });

/** personalData by e-mail, one connection (a support agent's lookups: latency, not saturation). */
export async function privacyLookup(ctx: Context): Promise<WorkloadResult> {
  const loadBefore = loadavg()[0];
  ctx.log(`  privacy lookup (load average ${loadBefore.toFixed(2)})`);
  const { config, api } = ctx;
  api.resetPeakRss();
  const max = await warmAndRun(
    {
      url: api.url,
      key: ctx.keys.support,
      makeBody: () => personalDataBody(ctx.samples),
      connections: 1,
      durationSeconds: config.durationSeconds,
    },
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
      headers: {
        authorization: `Bearer ${ctx.keys.admin}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: eraseBody(email),
    });
    const json = (await res.json()) as {
      data?: { erasePersonalData: { erasureRequest?: { status: string; counts: Record<string, number> } } };
    };
    const ms = performance.now() - started;
    const request = json.data?.erasePersonalData.erasureRequest;
    if (request?.status !== 'SUCCEEDED') throw new Error(`erasure failed: ${JSON.stringify(json).slice(0, 500)}`);
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
