// Every way PostgreSQL can be unavailable answers 503 SERVICE_UNAVAILABLE with Retry-After and
// the request id, never 500: not accepting connections (55000), starting up (57P03), no such
// database (3D000), a statement over its timeout (57014), the pool exhausted, the connection
// terminated by an administrator (57P01). Connection refused and a partition: db-outage.test.ts.
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { openDatabase, type Database } from '../src/platform/db/client.ts';
import { createLogger } from '../src/platform/logger.ts';
import { useTestApp } from './helpers.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const t = useTestApp();
const lines: string[] = [];
const logger = createLogger('warn', { write: (l: string) => void lines.push(l) });
const QUERY = '{ viewer { role } orders(first: 1) { totalCount } }';

/** A fake PostgreSQL that answers every connection with a FATAL error of the given SQLSTATE. */
async function refusingServer(sqlState: string, message: string) {
  const field = (code: string, value: string) => `${code}${value}\0`;
  const body = Buffer.from(
    `${field('S', 'FATAL')}${field('V', 'FATAL')}${field('C', sqlState)}${field('M', message)}\0`,
  );
  const header = Buffer.alloc(5);
  header.write('E');
  header.writeInt32BE(body.length + 4, 1);
  const server = net.createServer((s) => s.once('data', () => s.end(Buffer.concat([header, body]))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `postgres://postgres@127.0.0.1:${(server.address() as net.AddressInfo).port}/any` };
}

describe.skipIf(!ADMIN_URL)('database unavailable (PostgreSQL only)', () => {
  let key: string;
  let admin: pg.Client;
  const opened: { app: App; database: Database }[] = [];

  beforeAll(async () => {
    key = (await t.newClient()).keys.admin;
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    for (const { app, database } of opened) {
      await app.dispose();
      await database.close().catch(() => {});
    }
    await admin?.end();
  });

  function appOn(url: string, options: { poolSize?: number; queryTimeoutMs?: number } = {}) {
    const database = openDatabase({ url, connectTimeoutMs: 500, onPoolError: () => {}, ...options });
    const app = createApp({ db: database.prisma, logger });
    opened.push({ app, database });
    return app;
  }

  async function call(app: App, query = QUERY) {
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${key}`,
      },
      body: JSON.stringify({ query }),
    });
    return { res, body: await res.json() };
  }

  /** 503 + Retry-After, one SERVICE_UNAVAILABLE error carrying the request id, logged at warn with the SQLSTATE. */
  function expectUnavailable({ res, body }: Awaited<ReturnType<typeof call>>, dbCode?: string) {
    const requestId = res.headers.get('x-request-id');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      message: 'The database is unavailable or too slow right now. Retry in a few seconds.',
      extensions: { code: 'SERVICE_UNAVAILABLE', requestId },
    });
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId && l.msg === 'database fault');
    expect(logged).toMatchObject({ level: 40, code: 'SERVICE_UNAVAILABLE' });
    if (dbCode) expect(logged.err.dbCode ?? logged.err.code).toBe(dbCode);
  }

  it('a database not accepting connections (55000)', async () => {
    const name = new URL(t.databaseUrl!).pathname.slice(1);
    const app = appOn(t.databaseUrl!);
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      expectUnavailable(await call(app), '55000');
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    expect((await call(app)).res.status).toBe(200);
  });

  it('a server starting up (57P03) or shutting down (57P01) at connect', async () => {
    for (const [state, message] of [
      ['57P03', 'the database system is starting up'],
      ['57P01', 'terminating connection due to administrator command'],
    ]) {
      const fake = await refusingServer(state, message);
      try {
        expectUnavailable(await call(appOn(fake.url)), state);
      } finally {
        fake.server.close();
      }
    }
  });

  it('a database that does not exist (3D000)', async () => {
    const url = new URL(t.databaseUrl!);
    url.pathname = '/no_such_database_here';
    expectUnavailable(await call(appOn(url.toString())), '3D000');
  });

  describe('while a table is locked', () => {
    let locker: pg.Client;
    beforeAll(async () => {
      locker = new pg.Client({ connectionString: t.databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    });
    afterAll(async () => {
      await locker.query('ROLLBACK');
      await locker.end();
    });

    it('a statement over its timeout (57014)', async () => {
      expectUnavailable(await call(appOn(t.databaseUrl!, { queryTimeoutMs: 500 })), '57014');
    });

    it('the pool exhausted, for a query and for a mutation (its transaction cannot start)', async () => {
      const app = appOn(t.databaseUrl!, { poolSize: 1, queryTimeoutMs: 3_000 });
      expect((await call(app, '{ viewer { role } }')).res.status).toBe(200);
      const blocked = call(app); // holds the only connection, waiting for the lock
      await new Promise((r) => setTimeout(r, 200));
      expectUnavailable(await call(app, '{ viewer { role } }'));
      expectUnavailable(
        await call(
          app,
          'mutation { upsertOrder(input: { externalId: "x", customer: { externalId: "c" } }) { __typename } }',
        ),
      );
      expectUnavailable(await blocked, '57014');
    });

    it('the connection terminated by an administrator (57P01)', async () => {
      const app = appOn(t.databaseUrl!, { queryTimeoutMs: 5_000 });
      const blocked = call(app);
      const name = new URL(t.databaseUrl!).pathname.slice(1);
      let terminated = 0;
      for (let i = 0; i < 50 && terminated === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const r = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
          [name],
        );
        terminated = r.rowCount ?? 0;
      }
      expect(terminated).toBe(1);
      expectUnavailable(await blocked, '57P01');
    });
  });
});
