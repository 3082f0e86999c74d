// The in-memory cache of verified API keys (src/platform/auth/key-cache.ts): rules of the cache itself,
// and, through app.fetch on both databases, that a cached key still stops working as soon as it
// is revoked, and that the cache steps aside whenever key changes cannot be heard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_CHANGES_CHANNEL, KeyCache } from '../src/platform/auth/key-cache.ts';
import type { Viewer } from '../src/platform/graphql/context.ts';
import type { Subscription } from '../src/platform/db/notifications.ts';
import { createKey, revokeKey } from '../src/features/clients/clients.ts';
import { useTestApp } from './helpers.ts';

const viewer = (id: string) =>
  ({ clientId: id, client: { id, slug: id, name: id }, role: 'ADMIN', key: { id, name: id, prefix: id } }) as Viewer;
const until = async (check: () => boolean | Promise<boolean>, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('KeyCache', () => {
  it('reads the database every time while not listening', async () => {
    const cache = new KeyCache({ ttlMs: 60_000 });
    let loads = 0;
    const load = async () => {
      loads++;
      return viewer('a');
    };
    await cache.viewer('h', load);
    await cache.viewer('h', load);
    expect(loads).toBe(2);
    cache.onState(true);
    await cache.viewer('h', load);
    await cache.viewer('h', load);
    expect(loads).toBe(3);
    cache.onState(false);
    await cache.viewer('h', load);
    expect(loads).toBe(4);
  });

  it('forgets everything on a notification, and expires entries after the TTL', async () => {
    let now = 0;
    const cache = new KeyCache({ ttlMs: 1_000, now: () => now });
    cache.onState(true);
    let loads = 0;
    const load = async () => {
      loads++;
      return viewer('a');
    };
    await cache.viewer('h', load);
    cache.onNotify();
    await cache.viewer('h', load);
    expect(loads).toBe(2);
    now = 999;
    await cache.viewer('h', load);
    expect(loads).toBe(2);
    now = 1_000;
    await cache.viewer('h', load);
    expect(loads).toBe(3);
  });

  it('does not store an answer whose lookup began before a change was notified', async () => {
    const cache = new KeyCache({ ttlMs: 60_000 });
    cache.onState(true);
    let release!: () => void;
    const slow = cache.viewer('h', () => new Promise<Viewer>((r) => (release = () => r(viewer('stale')))));
    await until(() => release !== undefined);
    cache.onNotify(); // e.g. the key was revoked while it was being read
    release();
    expect((await slow)?.clientId).toBe('stale'); // the request that raced the revocation
    expect(cache.size).toBe(0);
    expect(await cache.viewer('h', async () => null)).toBeNull();
  });

  it('never keeps unknown or revoked keys, and drops the least recently used past maxEntries', async () => {
    const cache = new KeyCache({ ttlMs: 60_000, maxEntries: 2 });
    cache.onState(true);
    await cache.viewer('unknown', async () => null);
    expect(cache.size).toBe(0);
    await cache.viewer('a', async () => viewer('a'));
    await cache.viewer('b', async () => viewer('b'));
    await cache.viewer('a', async () => viewer('x')); // hit: a becomes the most recent
    await cache.viewer('c', async () => viewer('c')); // evicts b
    let loaded = '';
    await cache.viewer('a', async () => {
      loaded += 'a';
      return viewer('a');
    });
    await cache.viewer('b', async () => {
      loaded += 'b';
      return viewer('b');
    });
    expect(loaded).toBe('b');
  });
});

describe('API keys with the cache, through the app', () => {
  const cache = new KeyCache({ ttlMs: 60_000 });
  const t = useTestApp({ keyCache: cache });
  let subscription: Subscription;
  let heard = 0;
  /** A new client: its keys were inserted, so wait until the cache has heard of it. */
  const newClient = async () => {
    const before = heard;
    const c = await t.newClient();
    await until(() => heard > before);
    return c;
  };
  beforeAll(async () => {
    subscription = t.database.listen(KEY_CHANGES_CHANNEL, {
      onNotify: () => {
        heard++;
        cache.onNotify();
      },
      onState: (listening) => cache.onState(listening),
    });
    await until(() => cache.active);
  });
  afterAll(() => subscription?.close());

  const VIEWER = '{ viewer { role client { slug } } }';
  const keyReads = () => t.statements.filter((s) => s.includes('"api_keys"')).length;

  it('reads a key once, then answers from memory', async () => {
    const c = await newClient();
    t.resetStatements();
    expect((await t.gql(c.keys.admin, VIEWER)).status).toBe(200);
    expect((await t.gql(c.keys.admin, VIEWER)).body.data.viewer.role).toBe('ADMIN');
    expect(keyReads()).toBe(1);
  });

  it('a revoked key fails at once, although it was in memory', async () => {
    const c = await newClient();
    expect((await t.gql(c.keys.support, VIEWER)).status).toBe(200);
    await revokeKey(t.db, c.keys.support.slice(0, 11));
    // The notification travels after commit: allow it the time of a round trip, no more.
    await until(async () => (await t.gql(c.keys.support, VIEWER)).status === 401, 1_000);
    expect((await t.gql(c.keys.support, VIEWER)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a new key works at once, and a renamed client shows its new slug', async () => {
    const c = await newClient();
    expect((await t.gql(c.keys.admin, VIEWER)).status).toBe(200);
    const made = await createKey(t.db, c.client.slug, 'STOREFRONT');
    expect((await t.gql(made.key, VIEWER)).body.data.viewer.role).toBe('STOREFRONT');
    await t.db.client.update({ where: { id: c.client.id }, data: { slug: `${c.client.slug}-renamed` } });
    await until(
      async () => (await t.gql(c.keys.admin, VIEWER)).body.data?.viewer.client.slug === `${c.client.slug}-renamed`,
      1_000,
    );
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'steps aside while its listener is cut, and comes back when it reconnects (PostgreSQL)',
    async () => {
      const c = await newClient();
      expect((await t.gql(c.keys.admin, VIEWER)).status).toBe(200);
      expect((await t.gql(c.keys.storefront, VIEWER)).status).toBe(200);
      await t.db.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`;
      await until(() => !cache.active);
      // Not listening: nothing is served from memory, so a change nobody heard still counts at once.
      await t.db.$executeRaw`UPDATE api_keys SET revoked_at = now() WHERE prefix = ${c.keys.storefront.slice(0, 11)}`;
      expect((await t.gql(c.keys.storefront, VIEWER)).status).toBe(401);
      t.resetStatements();
      await t.gql(c.keys.admin, VIEWER);
      await t.gql(c.keys.admin, VIEWER);
      expect(keyReads()).toBe(2);
      await until(() => cache.active, 5_000);
      t.resetStatements();
      await t.gql(c.keys.admin, VIEWER);
      await t.gql(c.keys.admin, VIEWER);
      expect(keyReads()).toBe(1);
    },
  );
});
