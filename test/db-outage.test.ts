// Database outage, for real: the app reaches PostgreSQL through a TCP proxy that the test cuts
// (silently dropping traffic, or refusing connections) and restores. Requests fail fast with
// SERVICE_UNAVAILABLE (503), /readyz says 503, nothing crashes, and service resumes by itself.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { openDatabase, type Database } from '../src/platform/db/client.ts';
import { createLogger } from '../src/platform/logger.ts';
import { useTestApp } from './helpers.ts';

const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);
const t = useTestApp();

/** A TCP proxy to PostgreSQL: `up`, `blackhole` (accept, forward nothing) or `refuse`. */
class TcpProxy {
  mode: 'up' | 'blackhole' | 'refuse' = 'up';
  private sockets = new Set<net.Socket>();
  private server = net.createServer((client) => this.accept(client));
  port = 0;

  async listen() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private track(s: net.Socket) {
    this.sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => this.sockets.delete(s));
  }

  private accept(client: net.Socket) {
    this.track(client);
    if (this.mode === 'refuse') return void client.destroy();
    if (this.mode === 'blackhole') return; // held open, never answered
    const upstream = net.connect(5432, '127.0.0.1');
    this.track(upstream);
    client.on('data', (d) => this.mode === 'up' && upstream.write(d));
    upstream.on('data', (d) => this.mode === 'up' && client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Network partition: established connections go silent, new ones hang. */
  blackhole() {
    this.mode = 'blackhole';
  }

  /** Server down: every connection is reset and new ones are refused. */
  refuse() {
    this.mode = 'refuse';
    for (const s of this.sockets) s.destroy();
  }

  /** Back up. Connections that lived through the outage are gone (as after a failover). */
  restore() {
    for (const s of this.sockets) s.destroy();
    this.mode = 'up';
  }

  close() {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

describe.skipIf(!ON_POSTGRES)('database outage (PostgreSQL only: PGlite runs in-process and cannot be cut off)', () => {
  const proxy = new TcpProxy();
  const warnings: string[] = [];
  let database: Database;
  let app: App;
  let key: string;

  afterAll(async () => {
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
});
