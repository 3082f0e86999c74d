// Fair budgets under a public key. A STOREFRONT key ships in shop pages, so anyone has it: its
// requests pay from the bucket of their visitor (key + client address) before the key's, so one
// visitor flooding the key gets 429 while the shop's other visitors are served. The address is
// the socket's, or behind TRUSTED_PROXY_HOPS proxies the X-Forwarded-For entry they vouch for.
// Answers from the response cache take RATE_LIMIT_CACHED_COST points, not their query's cost.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { addressBucket, clientAddress } from '../src/platform/http/client-address.ts';
import { CONTENT_CHANGES_CHANNEL, ResponseCache } from '../src/platform/http/response-cache.ts';
import { memoryLimiter } from '../src/platform/http/token-bucket.ts';
import { expectRateLimited, SMALL_BUCKETS } from './rate-limit-helpers.ts';
import { callApp, fromAddress, useListening, useTestApp, type GqlInit } from './helpers.ts';

const t = useTestApp();
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const buckets = { ...SMALL_BUCKETS, STOREFRONT: { capacity: 1_000, restoreRate: 1 } };
const limits = { maxCost: 100 };
// products connection 1 + 30 nodes = 31 points
const Q31 = '{ products(first: 30) { nodes { sku } } }';
const FLOODER = '203.0.113.1';
const OTHER = '198.51.100.2';

/** An app whose buckets are in memory on a clock the test moves (it never does here: no refill). */
const appWith = (options: Partial<Parameters<typeof createApp>[0]> = {}) =>
  createApp({ db: t.db, limits, rateLimit: { buckets }, limiter: memoryLimiter(buckets, () => 1_000_000), ...options });
const page = (app: App, key: string, init: GqlInit) => callApp(app, key, Q31, undefined, init);

describe('the client address', () => {
  const headers = (forwardedFor?: string) => new Headers(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});

  it('is the socket peer without trusted proxies: X-Forwarded-For is ignored', () => {
    expect(clientAddress(fromAddress('203.0.113.9'), headers('1.2.3.4'), 0)).toBe('203.0.113.9');
    expect(clientAddress({}, headers('1.2.3.4'), 0)).toBe('unknown');
  });

  it('behind n trusted proxies is the entry the outermost one saw; entries further left are never used', () => {
    const socket = fromAddress('10.0.0.2');
    expect(clientAddress(socket, headers('198.51.100.7, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(socket, headers('198.51.100.7, 203.0.113.9'), 2)).toBe('198.51.100.7');
    expect(clientAddress(socket, headers(), 1)).toBe('10.0.0.2');
  });

  it('counts IPv6 by its /64, an IPv4-mapped address as IPv4, anything unparsable as unknown', () => {
    expect(addressBucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:ffff::9')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressBucket('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressBucket('not-an-address')).toBe('unknown');
    expect(addressBucket(undefined)).toBe('unknown');
  });
});

describe('settings', () => {
  it('reads the visitor bucket, the cached price and the proxy hops, and refuses what cannot work', () => {
    const c = loadConfig({
      RATE_LIMIT_VISITOR_CAPACITY: '20000',
      RATE_LIMIT_VISITOR_RESTORE_RATE: '500',
      RATE_LIMIT_CACHED_COST: '2',
      TRUSTED_PROXY_HOPS: '2',
    });
    expect(c.http.rateLimit.buckets.VISITOR).toEqual({ capacity: 20_000, restoreRate: 500 });
    expect(c.http.rateLimit.cachedCost).toBe(2);
    expect(c.http.trustedProxyHops).toBe(2);
    expect(loadConfig({}).http.trustedProxyHops).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_VISITOR_CAPACITY: '5000' })).toThrow(
      /RATE_LIMIT_VISITOR_CAPACITY: must be at least QUERY_MAX_COST/,
    );
    expect(() => loadConfig({ RATE_LIMIT_UNAUTHENTICATED_RESTORE_RATE: '5000' })).toThrow(
      /RATE_LIMIT_UNAUTHENTICATED_RESTORE_RATE: must not exceed the capacity/,
    );
    expect(() => loadConfig({ RATE_LIMIT_CACHED_COST: '0' })).toThrow(/RATE_LIMIT_CACHED_COST/);
    expect(() => loadConfig({ TRUSTED_PROXY_HOPS: '-1' })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});

describe('one visitor flooding a storefront key', () => {
  it('gets 429 from its own bucket, which spares the key: another visitor is served', async () => {
    const app = appWith();
    const { keys } = await t.newClient();
    for (const left of [69, 38, 7]) {
      const res = await page(app, keys.storefront, { clientAddress: FLOODER });
      expect(res.status).toBe(200);
      expect(res.body.extensions.cost.visitor).toEqual({ remaining: left, capacity: 100, restoreRate: 1 });
    }
    for (let i = 0; i < 20; i++) {
      expectRateLimited(
        await page(app, keys.storefront, { clientAddress: FLOODER }),
        'Rate limit of this visitor: this query costs 31 points and 7 are left. The bucket holds 100 and refills 1 per second; retry in 24 s.',
      );
    }
    const served = await page(app, keys.storefront, { clientAddress: OTHER });
    expect(served.status).toBe(200);
    expect(served.body.data.products.nodes).toEqual([]);
    // The key paid for the 4 requests served, none of the 20 refused.
    expect(served.body.extensions.cost).toMatchObject({
      charged: 31,
      remaining: 1_000 - 4 * 31,
      visitor: { remaining: 69 },
    });
    // An IPv6 visitor cannot escape its bucket by changing the address within its /64.
    for (const [i, address] of ['2001:db8:5::1', '2001:db8:5::2', '2001:db8:5:0:abcd::3'].entries()) {
      const res = await page(app, keys.storefront, { clientAddress: address });
      expect(res.body.extensions.cost.visitor.remaining).toBe(69 - 31 * i);
    }
    await app.dispose();
  });

  it('served by node:http, is told apart by the socket address', async () => {
    const app = appWith();
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { keys } = await t.newClient();
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.storefront}` },
        body: JSON.stringify({ query: Q31 }),
      });
      const body = (await res.json()) as { extensions: { cost: { visitor: { remaining: number } } } };
      expect(body.extensions.cost.visitor.remaining).toBe(69);
      // The same visitor's bucket as a request whose socket is 127.0.0.1; not another address's.
      const same = await page(app, keys.storefront, { clientAddress: '127.0.0.1' });
      expect(same.body.extensions.cost.visitor.remaining).toBe(38);
      const other = await page(app, keys.storefront, { clientAddress: '127.0.0.2' });
      expect(other.body.extensions.cost.visitor.remaining).toBe(69);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.dispose();
    }
  });

  it('behind a trusted proxy, visitors are told apart by X-Forwarded-For, and a forged left part changes nothing', async () => {
    const behindProxy = appWith({ trustedProxyHops: 1 });
    const direct = appWith();
    const { keys } = await t.newClient();
    const viaProxy = (app: App, forwardedFor: string) =>
      page(app, keys.storefront, { clientAddress: '10.0.0.1', headers: { 'x-forwarded-for': forwardedFor } });
    for (let i = 0; i < 3; i++) expect((await viaProxy(behindProxy, FLOODER)).status).toBe(200);
    const forged = await viaProxy(behindProxy, `${OTHER}, ${FLOODER}`);
    expect(forged.status).toBe(429);
    const other = await viaProxy(behindProxy, OTHER);
    expect(other.status).toBe(200);
    expect(other.body.extensions.cost.visitor.remaining).toBe(69);
    // Without trusted proxies the header is the caller's word: every request is the proxy's.
    expect((await viaProxy(direct, FLOODER)).body.extensions.cost.visitor.remaining).toBe(69);
    expect((await viaProxy(direct, OTHER)).body.extensions.cost.visitor.remaining).toBe(38);
    await behindProxy.dispose();
    await direct.dispose();
  });

  it('is limited across instances that share Redis, under the configured prefix', async () => {
    const prefix = `rl-visitor-${randomBytes(4).toString('hex')}`;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const settings = { db: t.db, limits, rateLimit: { buckets, redisUrl: REDIS_URL, redisPrefix: prefix } };
    const one = createApp(settings);
    const two = createApp(settings);
    const { keys } = await t.newClient();
    try {
      for (const app of [one, two, one])
        expect((await page(app, keys.storefront, { clientAddress: FLOODER })).status).toBe(200);
      expect((await page(two, keys.storefront, { clientAddress: FLOODER })).status).toBe(429);
      const other = await page(one, keys.storefront, { clientAddress: OTHER });
      expect(other.status).toBe(200);
      expect(other.body.extensions.cost).toMatchObject({ remaining: 1_000 - 4 * 31, visitor: { remaining: 69 } });
      const prefixOfKey = keys.storefront.slice(0, 11);
      expect((await redis.keys(`${prefix}:*`)).sort()).toEqual(
        [
          `${prefix}:STOREFRONT:${prefixOfKey}`,
          `${prefix}:VISITOR:${prefixOfKey}:${FLOODER}`,
          `${prefix}:VISITOR:${prefixOfKey}:${OTHER}`,
        ].sort(),
      );
    } finally {
      const stale = await redis.keys(`${prefix}:*`);
      if (stale.length) await redis.del(...stale);
      await redis.quit();
      await one.dispose();
      await two.dispose();
    }
  });
});

describe('answers from the response cache', () => {
  const cache = new ResponseCache({ ttlMs: 60_000 });
  useListening(t, CONTENT_CHANGES_CHANNEL, cache);

  it('take the cached price from the key and the visitor, not the query cost', async () => {
    const app = appWith({ responseCache: cache });
    const { keys } = await t.newClient();
    const first = await page(app, keys.storefront, { clientAddress: FLOODER });
    expect(first.body.extensions.cost).toMatchObject({ requested: 31, charged: 31, remaining: 969 });
    // Charged 31 each, the visitor's 100 points would pay for 2 more; from memory they pay 1.
    for (let i = 1; i <= 60; i++) {
      const hit = await page(app, keys.storefront, { clientAddress: FLOODER });
      expect(hit.status).toBe(200);
      expect(hit.body.extensions.cost).toMatchObject({
        requested: 31,
        charged: 1,
        remaining: 969 - i,
        visitor: { remaining: 69 - i },
      });
    }
    // Still charged: the visitor's bucket empties at 1 point per answer.
    for (let i = 0; i < 9; i++) expect((await page(app, keys.storefront, { clientAddress: FLOODER })).status).toBe(200);
    expect((await page(app, keys.storefront, { clientAddress: FLOODER })).status).toBe(429);
    await app.dispose();
  });
});
