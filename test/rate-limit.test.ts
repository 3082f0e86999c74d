// Per-key token buckets charged by query cost: extensions.cost on every response, RATE_LIMITED
// with HTTP 429 and Retry-After, nothing executed when refused, steady refill, buckets per key
// and role, one budget shared through Redis by two app instances.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { memoryLimiter } from '../src/platform/http/token-bucket.ts';
import { createLogger } from '../src/platform/logger.ts';
import { expectRateLimited, SMALL_BUCKETS } from './rate-limit-helpers.ts';
import { useTestApp } from './helpers.ts';
import { TcpProxy } from './tcp-proxy.ts';

const t = useTestApp();
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const small = SMALL_BUCKETS;
const limits = { maxCost: 100 };
// orders connection 1 + 30 nodes = 31 points
const Q31 = `{ orders(first: 30) { nodes { externalId } } }`;

async function post(app: App, key: string, query: string, variables?: unknown) {
  const res = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe('in-memory buckets (fake clock)', () => {
  let clock = 1_000_000;
  const app = () =>
    createApp({ db: t.db, limits, rateLimit: { buckets: small }, limiter: memoryLimiter(small, () => clock) });

  it('reports cost and remaining on every response and refuses with 429 + Retry-After', async () => {
    const a = app();
    const { keys } = await t.newClient();
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(a, keys.admin, Q31);
      expect(res.status).toBe(200);
      expect(res.body.extensions.cost).toEqual({
        requested: 31,
        charged: 31,
        remaining: 100 - 31 * (i + 1),
        capacity: 100,
        restoreRate: 1,
        maxQueryCost: 100,
      });
      remaining.push(res.body.extensions.cost.remaining);
    }
    expect(remaining).toEqual([69, 38, 7]);
    const refused = await post(a, keys.admin, Q31);
    expectRateLimited(
      refused,
      'Rate limit: this query costs 31 points and 7 are left. The bucket holds 100 and refills 1 per second; retry in 24 s.',
    );
    expect(refused.body.extensions.cost).toEqual({
      requested: 31,
      charged: 31,
      remaining: 7,
      capacity: 100,
      restoreRate: 1,
      maxQueryCost: 100,
      retryAfterMs: 24_000,
    });
    // A refused request takes nothing: a cheaper one still fits.
    const cheap = await post(a, keys.admin, `{ viewer { role } }`);
    expect(cheap.status).toBe(200);
    expect(cheap.body.extensions.cost).toMatchObject({ requested: 1, remaining: 6 });
    // Refill is steady: 25 s later 6 + 25 = 31 points are there.
    clock += 25_000;
    const after = await post(a, keys.admin, Q31);
    expect(after.status).toBe(200);
    expect(after.body.extensions.cost.remaining).toBe(0);
    await a.dispose();
  });

  it('executes nothing for a refused mutation', async () => {
    const a = app();
    const { keys } = await t.newClient();
    for (let i = 0; i < 3; i++) expect((await post(a, keys.admin, Q31)).status).toBe(200);
    // 10 per mutation + UpsertProductsSuccess 1 + products list 1 = 12 > 7 left
    const res = await post(
      a,
      keys.admin,
      `mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) { ... on UpsertProductsSuccess { products { sku } } } }`,
      { input: { products: [{ sku: 'rl-sku', name: 'Kept out' }] } },
    );
    expect(res.status).toBe(429);
    expect(res.body.extensions.cost).toMatchObject({ requested: 12, remaining: 7 });
    expect(await t.db.product.count({ where: { sku: 'rl-sku' } })).toBe(0);
    await a.dispose();
  });

  it('keeps one bucket per key, sized by the key role', async () => {
    const a = app();
    const { keys } = await t.newClient();
    const other = await t.newClient();
    for (let i = 0; i < 3; i++) await post(a, keys.admin, Q31);
    expect((await post(a, keys.admin, Q31)).status).toBe(429);
    // Another key (same client, other role; other client, same role) has its own full bucket.
    const support = await post(a, keys.support, Q31);
    expect(support.body.extensions.cost).toMatchObject({ remaining: 69, capacity: 100 });
    const otherAdmin = await post(a, other.keys.admin, Q31);
    expect(otherAdmin.body.extensions.cost).toMatchObject({ remaining: 69, capacity: 100 });
    const storefront = await post(a, keys.storefront, `{ products(first: 30) { nodes { sku } } }`);
    // A STOREFRONT request pays from its visitor's bucket too (key + client address).
    expect(storefront.body.extensions.cost).toEqual({
      requested: 31,
      charged: 31,
      remaining: 119,
      capacity: 150,
      restoreRate: 1,
      maxQueryCost: 100,
      visitor: { remaining: 69, capacity: 100, restoreRate: 1 },
    });
    await a.dispose();
  });
});

describe('shared buckets in Redis', () => {
  const prefix = `rl-test-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  afterAll(async () => {
    const stale = await redis.keys(`${prefix}:*`);
    if (stale.length) await redis.del(...stale);
    await redis.quit();
  });

  it('two app instances enforce one budget per key', async () => {
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    const settings = { db: t.db, limits, rateLimit: { buckets: small, redisUrl: REDIS_URL, redisPrefix: prefix } };
    const one = createApp(settings);
    const two = createApp(settings);
    const { keys } = await t.newClient();
    expect((await post(one, keys.admin, Q31)).body.extensions.cost.remaining).toBe(69);
    expect((await post(two, keys.admin, Q31)).body.extensions.cost.remaining).toBe(38);
    expect((await post(one, keys.admin, Q31)).body.extensions.cost.remaining).toBe(7);
    const refused = await post(two, keys.admin, Q31);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused.body.extensions.cost.remaining).toBe(7);
    expect(Number(refused.headers.get('retry-after'))).toBe(24);
    // The state lives in Redis under the configured prefix, one key per role and API key.
    const stored = await redis.keys(`${prefix}:*`);
    expect(stored).toEqual([`${prefix}:ADMIN:${keys.admin.slice(0, 11)}`]);
    await one.dispose();
    await two.dispose();
  });

  /** An app sharing its buckets through `redisUrl`, and its warn-level log lines. */
  function appWithRedis(redisUrl: string) {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (l: string) => void lines.push(l) });
    const app = createApp({ db: t.db, logger, limits, rateLimit: { buckets: small, redisUrl, redisPrefix: prefix } });
    return { app, lines };
  }

  it('limits in process memory when Redis cannot be reached, and says so once, not per request', async () => {
    const { app, lines } = appWithRedis('redis://127.0.0.1:1');
    const { keys } = await t.newClient();
    const res = await post(app, keys.admin, Q31);
    expect(res.status).toBe(200);
    expect(res.body.extensions.cost.remaining).toBe(69);
    for (let i = 0; i < 4; i++) expect((await post(app, keys.admin, '{ viewer { role } }')).status).toBe(200);
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['rate limit store unavailable; limiting in process memory']);
    expect(JSON.parse(lines[0]).err).toMatchObject({ type: 'Error', code: 'ECONNREFUSED' });
    await app.dispose();
  });

  it('a Redis outage is one warning when it starts and one when Redis is back', async () => {
    const proxy = new TcpProxy(Number(new URL(REDIS_URL).port || 6379));
    await proxy.listen();
    const { app, lines } = appWithRedis(proxy.urlThrough(REDIS_URL));
    const { keys } = await t.newClient();
    const ask = () => post(app, keys.admin, '{ viewer { role } }');
    try {
      expect((await ask()).status).toBe(200);
      expect(lines).toEqual([]);
      proxy.refuse();
      for (let i = 0; i < 6; i++) expect((await ask()).status).toBe(200);
      proxy.restore();
      for (let i = 0; i < 200 && lines.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        expect((await ask()).status).toBe(200);
      }
      const logged = lines.map((l) => JSON.parse(l));
      expect(logged.map((l) => [l.level, l.msg])).toEqual([
        [40, 'rate limit store unavailable; limiting in process memory'],
        [40, 'rate limit store back; buckets are shared again'],
      ]);
      expect(logged[1]).toMatchObject({ store: 'redis', downMs: expect.any(Number), failures: expect.any(Number) });
    } finally {
      await app.dispose();
      proxy.close();
    }
  });
});

describe('configuration', () => {
  it('has per-role defaults and reads each from the environment', () => {
    expect(loadConfig({}).http.rateLimit).toEqual({
      enabled: true,
      redisUrl: undefined,
      redisPrefix: 'rl',
      buckets: {
        ADMIN: { capacity: 20_000, restoreRate: 1_000 },
        SUPPORT: { capacity: 10_000, restoreRate: 250 },
        STOREFRONT: { capacity: 100_000, restoreRate: 50_000 },
        VISITOR: { capacity: 10_000, restoreRate: 200 },
        UNAUTHENTICATED: { capacity: 1_000, restoreRate: 100 },
      },
      cachedCost: 1,
    });
    const c = loadConfig({
      RATE_LIMIT_STOREFRONT_CAPACITY: '50000',
      RATE_LIMIT_STOREFRONT_RESTORE_RATE: '5000',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(c.http.rateLimit.buckets.STOREFRONT).toEqual({ capacity: 50_000, restoreRate: 5_000 });
    expect(c.http.rateLimit.redisUrl).toBe('redis://cache:6379');
    expect(() => loadConfig({ RATE_LIMIT_ADMIN_RESTORE_RATE: '30000' })).toThrow(
      /RATE_LIMIT_ADMIN_RESTORE_RATE: must not exceed the capacity/,
    );
  });

  it('can be switched off: costs are still reported and capped', async () => {
    const app = createApp({ db: t.db, rateLimit: { enabled: false } });
    const { keys } = await t.newClient();
    const res = await post(app, keys.admin, Q31);
    expect(res.body.extensions.cost).toEqual({ requested: 31, maxQueryCost: 10_000 });
    await app.dispose();
  });
});
