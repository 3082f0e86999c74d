// Requests without a valid key, as a stranger sends them: refused (401) before the document is
// read, so nothing about the schema leaks; limited per client address (429 past the address's
// bucket); made-up keys remembered as unknown, so a flood of them does not reach the database
// per request (counted in SQL statements), and forgotten as soon as keys change.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_SETTINGS } from '../src/config.ts';
import type { CreatedClient } from '../src/features/clients/clients.ts';
import { KEY_CHANGES_CHANNEL, KeyCache } from '../src/platform/auth/key-cache.ts';
import { generateKey, keyFromHeader } from '../src/platform/auth/keys.ts';
import type { Viewer } from '../src/platform/auth/viewer.ts';
import { INVALID_KEY, MISSING_KEY } from '../src/platform/http/authentication.ts';
import { memoryLimiter } from '../src/platform/http/token-bucket.ts';
import { useListening, useTestApp, type GqlResponse } from './helpers.ts';
import { expectRateLimited } from './rate-limit-helpers.ts';

const buckets = { ...DEFAULT_HTTP_SETTINGS.rateLimit.buckets, UNAUTHENTICATED: { capacity: 5, restoreRate: 1 } };
const cache = new KeyCache({ ttlMs: 60_000, negative: { ttlMs: 60_000, maxEntries: 1_000 } });
// The clock of the buckets stands still: nothing refills during the test.
const t = useTestApp({ keyCache: cache, rateLimit: { buckets }, limiter: memoryLimiter(buckets, () => 1_000_000) });
const VIEWER = '{ viewer { role } }';
const madeUpKey = () => `pk_${randomBytes(24).toString('base64url')}`;
const keyReads = () => t.statements.filter((s) => s.includes('"api_keys"')).length;
/** A fresh address, so each test starts with a full bucket. */
let lastOctet = 0;
const newAddress = () => `203.0.113.${++lastOctet}`;

const keyChanges = useListening(t, KEY_CHANGES_CHANNEL, cache);
let store: CreatedClient;
beforeAll(async () => {
  store = await t.newClient();
  await keyChanges.settle(); // its keys were inserted: each insert notifies
});

function expectRefused(res: GqlResponse, message: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="graphql"');
  expect(res.body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
}

describe('a request without a valid key', () => {
  it('is refused before its document is read: no suggestion, no parse or validation error', async () => {
    const address = newAddress();
    expectRefused(await t.gql(null, '{ personalDta }', undefined, { clientAddress: address }), MISSING_KEY);
    expectRefused(await t.gql(madeUpKey(), '{ personalDta }', undefined, { clientAddress: address }), INVALID_KEY);
    expectRefused(await t.gql(null, '{ personalData(', undefined, { clientAddress: address }), MISSING_KEY);
    // With a key the same typo is a validation error with its suggestion: the key is what hides it.
    const typo = await t.gql(store.keys.storefront, '{ personalDta }');
    expect(typo.status).toBe(400);
    expect(typo.body.errors![0].message).toMatch(/Did you mean "personalData"/);
  });

  it('with trailing text or a second token after the key is refused', async () => {
    const key = store.keys.admin;
    for (const header of [`Bearer ${key} junk`, `Bearer ${key} ${key}`, `Bearer ${key}\tx`, `Bearer  ${key} ,`]) {
      expect(keyFromHeader(header)).toBeNull();
      const res = await t.gql(null, VIEWER, undefined, {
        headers: { authorization: header },
        clientAddress: newAddress(),
      });
      expectRefused(res, INVALID_KEY);
    }
    expect(keyFromHeader(`  Bearer   ${key}  `)).toBe(key);
    expect((await t.gql(null, VIEWER, undefined, { headers: { authorization: ` Bearer ${key} ` } })).status).toBe(200);
  });

  it('takes a point from its address: past the bucket 429 + Retry-After, while other addresses still get 401', async () => {
    const flooder = newAddress();
    for (let i = 0; i < 5; i++)
      expectRefused(await t.gql(null, VIEWER, undefined, { clientAddress: flooder }), MISSING_KEY);
    for (let i = 0; i < 10; i++) {
      expectRateLimited(
        await t.gql(null, VIEWER, undefined, { clientAddress: flooder }),
        'Too many requests without a valid API key from this address; retry in 1 s.',
      );
    }
    expectRefused(await t.gql(null, VIEWER, undefined, { clientAddress: newAddress() }), MISSING_KEY);
    // A key this process has verified still works from that address; one it would have to look
    // up waits, like any key it does not know, until the address has a point again.
    expect((await t.gql(store.keys.admin, VIEWER, undefined, { clientAddress: newAddress() })).status).toBe(200);
    expect((await t.gql(store.keys.admin, VIEWER, undefined, { clientAddress: flooder })).status).toBe(200);
    expect((await t.gql(store.keys.support, VIEWER, undefined, { clientAddress: flooder })).status).toBe(429);
  });
});

describe('a flood of made-up keys', () => {
  it('of one key, from many addresses, reaches the database once', async () => {
    const key = madeUpKey();
    t.resetStatements();
    for (let i = 0; i < 50; i++)
      expectRefused(await t.gql(key, VIEWER, undefined, { clientAddress: newAddress() }), INVALID_KEY);
    expect(keyReads()).toBe(1);
  });

  it('of distinct keys, from one address, reaches the database only while the address has points', async () => {
    const address = newAddress();
    t.resetStatements();
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++)
      statuses.push((await t.gql(madeUpKey(), VIEWER, undefined, { clientAddress: address })).status);
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(45).fill(429)]);
    expect(keyReads()).toBe(5);
  });

  it('does not keep a key out once it exists: key changes forget unknown keys', async () => {
    const made = generateKey('STOREFRONT');
    expectRefused(await t.gql(made.key, VIEWER, undefined, { clientAddress: newAddress() }), INVALID_KEY);
    expect(cache.unknownSize).toBeGreaterThan(0);
    await t.db.apiKey.create({
      data: {
        clientId: store.client.id,
        role: 'STOREFRONT',
        name: 'late',
        prefix: made.prefix,
        secretHash: made.secretHash,
      },
    });
    const deadline = Date.now() + 2_000;
    let res = await t.gql(made.key, VIEWER);
    while (res.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      res = await t.gql(made.key, VIEWER);
    }
    expect(res.body.data).toEqual({ viewer: { role: 'STOREFRONT' } });
  });
});

describe('KeyCache of unknown keys', () => {
  const viewer = { clientId: 'c', client: { id: 'c', slug: 'c', name: 'c' }, role: 'ADMIN', key: {} } as Viewer;
  const counting = () => {
    const calls = { n: 0 };
    const load = (found: Viewer | null) => async () => {
      calls.n++;
      return found;
    };
    return { calls, load };
  };

  it('remembers an unknown key for its TTL, forgets it on any key change, and not while deaf', async () => {
    let now = 0;
    const keys = new KeyCache({ ttlMs: 60_000, negative: { ttlMs: 1_000, maxEntries: 10 }, now: () => now });
    const { calls, load } = counting();
    await keys.viewer('x', load(null));
    await keys.viewer('x', load(null));
    expect(calls.n).toBe(2); // not listening: nothing remembered
    keys.onState(true);
    await keys.viewer('x', load(null));
    await keys.viewer('x', load(null));
    expect(calls.n).toBe(3);
    now = 1_000;
    await keys.viewer('x', load(null));
    expect(calls.n).toBe(4);
    keys.onNotify();
    expect(await keys.viewer('x', load(viewer))).toBe(viewer);
    expect(calls.n).toBe(5);
  });

  it('keeps unknown keys apart and bounded: a flood of them never evicts a known key', async () => {
    const keys = new KeyCache({ ttlMs: 60_000, maxEntries: 2, negative: { ttlMs: 60_000, maxEntries: 3 } });
    keys.onState(true);
    const { calls, load } = counting();
    await keys.viewer('known', load(viewer));
    for (let i = 0; i < 100; i++) await keys.viewer(`fake-${i}`, load(null));
    expect(keys.unknownSize).toBe(3);
    expect(keys.size).toBe(1);
    calls.n = 0;
    expect(await keys.viewer('known', load(null))).toBe(viewer);
    await keys.viewer('fake-99', load(null));
    expect(calls.n).toBe(0);
  });
});
