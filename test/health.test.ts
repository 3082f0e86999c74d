// GET /healthz (alive) and GET /readyz (database reachable, migrations applied; else 503).
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDatabase } from '../src/platform/db/client.ts';
import { shippedMigrations } from '../src/platform/http/health.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

async function get(app: { fetch: (url: string) => Promise<Response> | Response }, path: string) {
  const res = await app.fetch(`http://localhost${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

describe('health endpoints', () => {
  it('/healthz (yoga health check) answers without a key or the database; its default /health is gone', async () => {
    const alive = await t.app.fetch('http://localhost/healthz');
    expect(alive.status).toBe(200);
    expect(alive.headers.get('x-yoga-id')).toBe('merchant-data-api');
    const old = await t.app.fetch('http://localhost/health');
    expect(old.status).toBe(404);
    expect(old.headers.get('x-yoga-id')).toBeNull();
  });

  it('/readyz is 200 when the database answers and every shipped migration is applied', async () => {
    expect(shippedMigrations().length).toBeGreaterThan(0);
    expect(await get(t.app, '/readyz')).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: { status: 'ready', ready: true, database: 'ok', pendingMigrations: [] },
    });
  });

  it('/readyz is 503 and names the migration while one is not applied', async () => {
    const last = shippedMigrations().at(-1)!;
    await t.db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ${last}`;
    try {
      expect(await get(t.app, '/readyz')).toEqual({
        status: 503,
        type: 'application/json; charset=utf-8',
        body: { status: 'not ready', ready: false, database: 'ok', pendingMigrations: [last] },
      });
    } finally {
      await t.db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = ${last}`;
    }
    expect((await get(t.app, '/readyz')).status).toBe(200);
  });

  it('/readyz is 503 quickly when the database is unreachable, /healthz stays 200', async () => {
    const down = openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 500 });
    const app = createApp({ db: down.prisma });
    const started = Date.now();
    expect(await get(app, '/readyz')).toEqual({
      status: 503,
      type: 'application/json; charset=utf-8',
      body: { status: 'not ready', ready: false, database: 'unreachable', pendingMigrations: [] },
    });
    expect(Date.now() - started).toBeLessThan(3_500);
    expect((await app.fetch('http://localhost/healthz')).status).toBe(200);
    await app.dispose();
    await down.close();
  });
});
