// GET /metrics through app.fetch: served only with a token (404 without one configured, 401
// for a wrong or missing bearer), the request, error, cost and rate-limit series with bounded
// labels, cache hits and misses, the erasure queue (one statement per scrape) and worker runs,
// the PostgreSQL pool; never a key, a client or personal data in the output.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { DEFAULT_HTTP_SETTINGS } from '../src/config.ts';
import { watchErasures } from '../src/features/privacy/erasure-metrics.ts';
import { KeyCache } from '../src/platform/auth/key-cache.ts';
import { Metrics } from '../src/platform/observability/metrics.ts';
import { OperationNames } from '../src/platform/observability/operation-names.ts';
import { useTestApp } from './helpers.ts';
import { UPSERT_ORDER } from './order-helpers.ts';
import { REQUEST_ERASURE } from './privacy-helpers.ts';

const TOKEN = 'metrics-token-0123456789';
const metrics = new Metrics({ token: TOKEN, maxOperationNames: 100, processMetrics: true });
const keyCache = new KeyCache({ ttlMs: 60_000 });
keyCache.onState(true); // as if its listener were connected
const t = useTestApp({
  metrics,
  keyCache,
  rateLimit: { buckets: { ...DEFAULT_HTTP_SETTINGS.rateLimit.buckets, STOREFRONT: { capacity: 120, restoreRate: 1 } } },
});
metrics.watchCaches({ key: keyCache });
let onRun: ReturnType<typeof watchErasures>;
beforeAll(() => {
  onRun = watchErasures(metrics.registry, t.db);
  metrics.watchPool(() => t.database.poolStats());
});

const EMAIL = 'grace.hopper.metrics@example.com';
const SCRAPE = { headers: { authorization: `Bearer ${TOKEN}` } };

async function scrape(init: RequestInit = SCRAPE) {
  const res = await t.app.fetch('http://localhost/metrics', init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The value of one series line, e.g. `graphql_errors_total{code="RATE_LIMITED"}`. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('is 401 without the right bearer token, 405 for POST, 404 when no token is configured', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await scrape({ headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
    const { keys } = await t.newClient();
    expect((await scrape({ headers: { authorization: `Bearer ${keys.admin}` } })).status).toBe(401);
    expect((await scrape({ method: 'POST', ...SCRAPE })).status).toBe(405);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    // The same database without metrics: /metrics is an unknown path.
    const plain = createApp({ db: t.db });
    expect((await plain.fetch('http://localhost/metrics', SCRAPE)).status).toBe(404);
    await plain.dispose();
  });

  it('counts requests by bounded operation name and role, errors by code, cost and rate-limit refusals', async () => {
    const { client, keys } = await t.newClient();
    const input = { externalId: 'm-1', customer: { externalId: 'c-m', email: EMAIL }, items: [{ sku: 'S1' }] };
    expect((await t.gql(keys.admin, UPSERT_ORDER, { input })).status).toBe(200);
    // A STOREFRONT key is public: the names it makes up never become labels.
    const invented = 'StrangerMadeThisNameUp';
    const page = `query ${invented} { products(first: 50) { nodes { sku } } }`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.gql(keys.storefront, page)).status);
    expect(statuses).toEqual([200, 200, 429, 429]); // 51 points each from a bucket of 120
    expect((await t.gql('sk_not-a-real-key', '{ viewer { client { slug } } }')).status).toBe(401);

    const { text } = await scrape();
    expect(value(text, 'graphql_requests_total{operation="UpsertOrder",role="ADMIN",status="200"}')).toBe(1);
    expect(value(text, 'graphql_requests_total{operation="anonymous",role="STOREFRONT",status="200"}')).toBe(2);
    expect(value(text, 'graphql_requests_total{operation="anonymous",role="STOREFRONT",status="429"}')).toBe(2);
    expect(value(text, 'graphql_requests_total{operation="anonymous",role="none",status="401"}')).toBeGreaterThan(0);
    expect(value(text, 'graphql_request_duration_seconds_count{operation="UpsertOrder",role="ADMIN"}')).toBe(1);
    expect(value(text, 'graphql_errors_total{code="RATE_LIMITED"}')).toBe(2);
    expect(value(text, 'graphql_errors_total{code="UNAUTHENTICATED"}')).toBeGreaterThan(0);
    expect(value(text, 'graphql_rate_limited_total{role="STOREFRONT"}')).toBe(2);
    expect(value(text, 'graphql_query_cost_count{role="STOREFRONT"}')).toBe(4);
    expect(value(text, 'graphql_query_cost_bucket{le="50",role="STOREFRONT"}')).toBe(0);
    expect(value(text, 'graphql_query_cost_bucket{le="100",role="STOREFRONT"}')).toBe(4);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    // Nothing that identifies a caller or a person.
    for (const secret of [
      EMAIL,
      invented,
      keys.storefront,
      keys.admin,
      keys.storefront.slice(0, 11),
      client.slug,
      client.id,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('counts key-cache hits and misses', async () => {
    const { keys } = await t.newClient();
    const before = await scrape();
    const hits = value(before.text, 'cache_hits_total{cache="key"}') ?? 0;
    const misses = value(before.text, 'cache_misses_total{cache="key"}') ?? 0;
    await t.gql(keys.support, '{ viewer { role } }');
    await t.gql(keys.support, '{ viewer { role } }');
    const after = await scrape();
    expect(value(after.text, 'cache_hits_total{cache="key"}')).toBe(hits + 1);
    expect(value(after.text, 'cache_misses_total{cache="key"}')).toBe(misses + 1);
    expect(value(after.text, 'cache_active{cache="key"}')).toBe(1);
  });

  it('reads the erasure queue in one statement per scrape, and counts worker runs', async () => {
    const { keys } = await t.newClient();
    let { text } = await scrape();
    const depth = value(text, 'erasure_queue_depth{status="SCHEDULED"}')!;
    const executeAfter = new Date(Date.now() + 86_400_000).toISOString();
    const res = await t.gql(keys.admin, REQUEST_ERASURE, { input: { subject: { email: EMAIL }, executeAfter } });
    expect(res.body.data.requestErasure.__typename).toBe('RequestErasureSuccess');
    const due = Date.parse(res.body.data.requestErasure.erasureRequest.dueAt) / 1000;
    t.resetStatements();
    ({ text } = await scrape());
    expect(t.statements.filter((s) => s.includes('erasure_requests'))).toHaveLength(1);
    expect(value(text, 'erasure_queue_depth{status="SCHEDULED"}')).toBe(depth + 1);
    const oldest = value(text, 'erasure_queue_oldest_due_timestamp_seconds')!;
    expect(oldest).toBeGreaterThan(0);
    expect(oldest).toBeLessThanOrEqual(due);
    expect(text).not.toContain(EMAIL);

    onRun({ claimed: 2, succeeded: 1, failed: 1, released: 0, lost: 0 });
    onRun(undefined);
    ({ text } = await scrape());
    expect(value(text, 'erasure_worker_runs_total{result="ok"}')).toBe(1);
    expect(value(text, 'erasure_worker_runs_total{result="error"}')).toBe(1);
    expect(value(text, 'erasure_worker_requests_total{outcome="failed"}')).toBe(1);
    expect(value(text, 'erasure_worker_requests_total{outcome="released"}')).toBeUndefined();
  });

  it('shows the PostgreSQL pool (nothing on PGlite, which has no pool)', async () => {
    const { text } = await scrape();
    if (t.databaseUrl) {
      expect(value(text, 'db_pool_connections')).toBeGreaterThan(0);
      expect(value(text, 'db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
      expect(value(text, 'db_pool_waiting')).toBe(0);
    } else {
      expect(value(text, 'db_pool_connections')).toBeUndefined();
    }
  });
});

describe('operation name labels', () => {
  it('keeps trusted names, and at most `max` names of ADMIN/SUPPORT documents; the rest is "anonymous"', () => {
    const names = new OperationNames(['ProductPage'], 1);
    expect(names.label('ProductPage', 'STOREFRONT')).toBe('ProductPage');
    expect(names.label('Invented', 'STOREFRONT')).toBe('anonymous');
    expect(names.label('First', 'ADMIN')).toBe('First');
    expect(names.label('Second', 'SUPPORT')).toBe('anonymous');
    expect(names.label('First', 'STOREFRONT')).toBe('First');
    expect(names.label(undefined, 'ADMIN')).toBe('anonymous');
    expect(names.label('Lookup', undefined)).toBe('anonymous');
  });
});
