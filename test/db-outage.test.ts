// Database outage, for real: the app reaches PostgreSQL through a TCP proxy that the test cuts
// (silently dropping traffic, or refusing connections) and restores. Requests fail fast with
// SERVICE_UNAVAILABLE (503), /readyz says 503, nothing crashes, and service resumes by itself.
// A cache's LISTEN connection frozen half-open is found by its heartbeat: the cache steps aside.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { KEY_CHANGES_CHANNEL, KeyCache } from '../src/platform/auth/key-cache.ts';
import { openDatabase, type Database } from '../src/platform/db/client.ts';
import { loggedSubscriber } from '../src/platform/db/listener-log.ts';
import type { Subscription } from '../src/platform/db/notifications.ts';
import { createLogger } from '../src/platform/logger.ts';
import { useTestApp } from './helpers.ts';
import { TcpProxy } from './tcp-proxy.ts';

const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);
const HEARTBEAT_MS = 200;
const t = useTestApp();

describe.skipIf(!ON_POSTGRES)('database outage (PostgreSQL only: PGlite runs in-process and cannot be cut off)', () => {
  const proxy = new TcpProxy(Number(new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x:5432').port || 5432));
  const warnings: string[] = [];
  let database: Database;
  let app: App;
  let key: string;
  let listening: Subscription | undefined;

  afterAll(async () => {
    await listening?.close();
    await app?.dispose();
    await database?.close().catch(() => {});
    proxy.close();
  });

  async function call() {
    const started = Date.now();
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${key}`,
      },
      body: JSON.stringify({ query: '{ viewer { role } orders(first: 1) { totalCount } }' }),
    });
    return {
      status: res.status,
      body: await res.json(),
      ms: Date.now() - started,
      retryAfter: res.headers.get('retry-after'),
    };
  }

  async function ready() {
    const started = Date.now();
    const res = await app.fetch('http://localhost/readyz');
    return { status: res.status, ms: Date.now() - started };
  }

  async function recover() {
    const started = Date.now();
    for (let attempt = 1; attempt <= 20; attempt++) {
      const res = await call();
      if (res.status === 200) return { attempt, ms: Date.now() - started, res };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('did not recover within 20 attempts');
  }

  function expectUnavailable(res: Awaited<ReturnType<typeof call>>) {
    expect(res.status).toBe(503);
    expect(res.retryAfter).toBe('5');
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({
      message: 'The database is unavailable or too slow right now. Retry in a few seconds.',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }

  it('serves through the proxy', async () => {
    await proxy.listen();
    const url = new URL(t.databaseUrl!);
    url.host = `127.0.0.1:${proxy.port}`;
    database = openDatabase({
      url: url.toString(),
      poolSize: 4,
      connectTimeoutMs: 1_000,
      queryTimeoutMs: 1_000,
      listenHeartbeatMs: HEARTBEAT_MS,
      onPoolError: (e) => warnings.push(e.message),
    });
    const logger = createLogger('warn', { write: (l: string) => void warnings.push(l) });
    app = createApp({ db: database.prisma, logger });
    key = (await t.newClient()).keys.admin;
    const ok = await call();
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ viewer: { role: 'ADMIN' }, orders: { totalCount: 0 } });
    expect((await ready()).status).toBe(200);
  });

  it('network partition: fails fast with 503, /readyz 503, then recovers by itself', async () => {
    proxy.blackhole();
    const results = await Promise.all([call(), call(), call()]);
    for (const r of results) expectUnavailable(r);
    const slowest = Math.max(...results.map((r) => r.ms));
    // bounded by the connect timeout (1 s) or the query timeout (1 s + 1 s client grace)
    expect(slowest).toBeLessThan(3_500);
    const readiness = await ready();
    expect(readiness.status).toBe(503);
    expect(readiness.ms).toBeLessThan(3_500);
    proxy.restore();
    const back = await recover();
    expect(back.res.body.data.viewer.role).toBe('ADMIN');
    expect(back.attempt).toBeLessThanOrEqual(2);
    expect((await ready()).status).toBe(200);
    console.log(
      `partition: 503 after ≤ ${slowest} ms, /readyz 503 after ${readiness.ms} ms, recovered on attempt ${back.attempt} (${back.ms} ms)`,
    );
  });

  it('server down: refused connections answer 503 at once, then recovers by itself', async () => {
    proxy.refuse();
    const down = await call();
    expectUnavailable(down);
    expect(down.ms).toBeLessThan(1_500);
    expect((await ready()).status).toBe(503);
    proxy.restore();
    const back = await recover();
    expect(back.attempt).toBeLessThanOrEqual(2);
    expect((await ready()).status).toBe(200);
    console.log(`server down: 503 after ${down.ms} ms, recovered on attempt ${back.attempt} (${back.ms} ms)`);
    // Lost idle connections were reported as warnings, never thrown.
    expect(warnings.join('\n')).not.toMatch(/"level":50/);
  });

  it('a silent (half-open) listener is found by its heartbeat: the cache steps aside, says so, and comes back', async () => {
    const lines: string[] = [];
    const log = createLogger('warn', { write: (l: string) => void lines.push(l) });
    const cache = new KeyCache({ ttlMs: 60_000 });
    const { subscriber, onError } = loggedSubscriber(log, KEY_CHANGES_CHANNEL, cache);
    listening = database.listen(KEY_CHANGES_CHANNEL, subscriber, onError);
    await until(() => cache.active, 5_000);
    const viewer = { role: 'ADMIN' } as never;
    cache.set('hash', viewer, cache.ticket());
    expect(cache.get('hash')).toBe(viewer);
    // Frozen, not closed: no FIN, no RST, nothing passes; only the heartbeat can tell.
    proxy.blackhole();
    // Found within 2 heartbeats (a generous deadline here; DB_LISTEN_HEARTBEAT_MS ≤ 15 s keeps it within 30 s).
    await until(() => !cache.active, 20 * HEARTBEAT_MS);
    expect(cache.get('hash')).toBeUndefined();
    proxy.restore();
    await until(() => cache.active, 20_000);
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged.map((l) => [l.level, l.msg])).toEqual([
      [40, 'cache off: not listening for changes, every request reads the database until it reconnects'],
      [40, 'cache back on: listening for changes again'],
    ]);
    expect(logged[0]).toMatchObject({
      channel: KEY_CHANGES_CHANNEL,
      err: {
        type: 'Error',
        code: 'LISTENER_SILENT',
        message: `listening connection gave no heartbeat answer within ${HEARTBEAT_MS} ms`,
      },
    });
    expect(logged[1]).toMatchObject({
      channel: KEY_CHANGES_CHANNEL,
      failures: expect.any(Number),
      downMs: expect.any(Number),
    });
    await listening.close();
    listening = undefined;
  });
});

/** Waits until `done()` holds, polling; fails after `ms`. */
async function until(done: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
