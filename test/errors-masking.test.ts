// Faults are masked: INTERNAL_SERVER_ERROR with a request id that is also in the log, never a
// stack, SQL or Prisma text. Known database errors map to stable codes.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plugin } from 'graphql-yoga';
import { createApp } from '../src/app.ts';
import { openDatabase } from '../src/platform/db/client.ts';
import { classifyFault, publicError } from '../src/platform/http/errors.ts';
import { createLogger } from '../src/platform/logger.ts';
import { useTestApp } from './helpers.ts';

const lines: string[] = [];
const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
const t = useTestApp({ logger });
const logged = () => lines.map((l) => JSON.parse(l));

/** What must never reach a caller. */
const LEAKS =
  /prisma|invocation|relation|does not exist|select |insert |\bat \w+ \(|node_modules|\.ts:\d+|P2\d{3}|23505|42P01/i;

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('known database errors', () => {
  it('maps a unique violation (P2002) to CONFLICT and a missing record (P2025) to NOT_FOUND', async () => {
    const { client } = await t.newClient();
    const dup = await caught(() => t.db.client.create({ data: { slug: client.slug, name: 'x', erasureSecret: 'x' } }));
    expect((dup as { code?: string }).code).toBe('P2002');
    expect(classifyFault(dup)).toBe('CONFLICT');
    const missing = await caught(() => t.db.apiKey.update({ where: { id: randomUUID() }, data: { name: 'x' } }));
    expect((missing as { code?: string }).code).toBe('P2025');
    expect(classifyFault(missing)).toBe('NOT_FOUND');
    const mapped = publicError(dup, { requestId: 'req-12345678' });
    expect(mapped.message).toBe('A concurrent write touched the same record. Retry the request.');
    expect(mapped.extensions).toEqual({ code: 'CONFLICT', requestId: 'req-12345678' });
    expect(publicError(missing, {}).extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('maps data the database refuses (a NUL in text: SQLSTATE 22021) to BAD_USER_INPUT', async () => {
    const nul = await caught(() =>
      t.db.client.create({ data: { slug: `nul-${Date.now()}`, name: 'a\u0000b', erasureSecret: 'x' } }),
    );
    expect(classifyFault(nul)).toBe('BAD_USER_INPUT');
    expect(publicError(nul, {}).message).toBe(
      'The input holds a value the database cannot store (for example a NUL character or an out-of-range number).',
    );
  });

  it('maps an unreachable or silent database to SERVICE_UNAVAILABLE', async () => {
    const refused = openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 500 });
    const e1 = await caught(() => refused.prisma.client.count());
    expect((e1 as { code?: string }).code).toBe('P1001');
    expect(classifyFault(e1)).toBe('SERVICE_UNAVAILABLE');
    await refused.close();
    // A server that accepts and never answers: the connect timeout ends the wait.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const hung = openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/none`, connectTimeoutMs: 300 });
    const started = Date.now();
    const e2 = await caught(() => hung.prisma.client.count());
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((e2 as Error).message).toBe('Connection terminated due to connection timeout');
    expect(classifyFault(e2)).toBe('SERVICE_UNAVAILABLE');
    const mapped = publicError(e2, { requestId: 'req-abcdefgh' });
    expect(mapped.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      requestId: 'req-abcdefgh',
      http: { status: 503, headers: { 'Retry-After': '5' } },
    });
    await hung.close().catch(() => {});
    silent.close();
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'maps a statement timeout (PostgreSQL only) to SERVICE_UNAVAILABLE',
    async () => {
      const db = openDatabase({ url: t.databaseUrl, queryTimeoutMs: 200 });
      const e = await caught(() => db.prisma.$queryRawUnsafe('SELECT 1 AS one FROM pg_sleep(2)'));
      expect(classifyFault(e)).toBe('SERVICE_UNAVAILABLE');
      await db.close();
    },
  );

  it('answers 503 SERVICE_UNAVAILABLE with a request id when the database is down while authenticating', async () => {
    const down = openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 500 });
    const app = createApp({ db: down.prisma, logger });
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer sk_${'a'.repeat(32)}`,
      },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const requestId = res.headers.get('x-request-id');
    const text = await res.text();
    expect(text).not.toMatch(LEAKS);
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: 'The database is unavailable or too slow right now. Retry in a few seconds.',
          extensions: { code: 'SERVICE_UNAVAILABLE', requestId },
        },
      ],
    });
    const fault = logged().find((l) => l.msg === 'database fault' && l.requestId === requestId);
    expect(fault).toMatchObject({
      level: 40,
      code: 'SERVICE_UNAVAILABLE',
      err: { type: 'PrismaClientKnownRequestError', code: 'P1001' },
    });
    await app.dispose();
    await down.close();
  });
});

describe('faults inside plugins', () => {
  const HOOKS = [
    'onRequestParse',
    'onParams',
    'onParse',
    'onValidate',
    'onContextBuilding',
    'onExecute',
    'onExecuteDone',
  ];

  it.each(HOOKS)(
    'a fault thrown in %s is masked and carries the request id, in the answer and the log',
    async (hook) => {
      const fault = () => new Error(`boom in ${hook} 0123 select * from secret`);
      // onParse and onValidate are synchronous hooks; the others may wait first.
      const boom =
        hook === 'onParse' || hook === 'onValidate'
          ? () => {
              throw fault();
            }
          : async () => {
              await new Promise((r) => setTimeout(r, Math.random() * 20));
              throw fault();
            };
      const plugin = (
        hook === 'onExecuteDone' ? { onExecute: () => ({ onExecuteDone: boom }) } : { [hook]: boom }
      ) as Plugin;
      const app = createApp({ db: t.db, logger, plugins: [plugin] });
      const { keys } = await t.newClient();
      lines.length = 0;
      // Several at once: each answer carries its own request's id.
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          app.fetch('http://localhost/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
            body: JSON.stringify({ query: '{ viewer { role } }' }),
          }),
        ),
      );
      for (const res of answers) {
        const requestId = res.headers.get('x-request-id');
        const text = await res.text();
        expect(text).not.toMatch(LEAKS);
        expect(res.status).toBe(500);
        expect(JSON.parse(text)).toEqual({
          errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
        });
        expect(logged().find((l) => l.msg === 'unexpected fault' && l.requestId === requestId)).toMatchObject({
          level: 50,
          code: 'INTERNAL_SERVER_ERROR',
        });
      }
      await app.dispose();
    },
  );
});

describe('unexpected faults', () => {
  afterAll(() => {
    lines.length = 0;
  });

  it('passes intended errors unchanged', async () => {
    const { keys } = await t.newClient();
    const res = await t.gql(keys.storefront, `{ orders { totalCount } }`);
    expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(res.body.errors![0].extensions!.requestId).toBeUndefined();
  });

  // Runs last in this file: it drops a table of this file's own database.
  it('masks a resolver fault as INTERNAL_SERVER_ERROR with a request id that is also logged', async () => {
    const { keys } = await t.newClient();
    await t.db.$executeRawUnsafe('DROP TABLE order_items CASCADE');
    lines.length = 0;
    const res = await t.gql(keys.admin, `query Broken { orders(first: 5) { nodes { externalId items { sku } } } }`);
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(LEAKS);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 16 }],
        path: ['orders'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      },
    ]);
    const fault = logged().find((l) => l.msg === 'unexpected fault');
    expect(fault).toMatchObject({
      level: 50,
      requestId,
      code: 'INTERNAL_SERVER_ERROR',
      path: 'orders',
      err: { dbCode: '42P01' },
    });
    expect(fault.err.message).toBeUndefined(); // Prisma's text is never logged either
    const request = logged().find((l) => l.msg === 'request');
    expect(request).toMatchObject({
      requestId,
      operationName: 'Broken',
      status: 200,
      errors: ['INTERNAL_SERVER_ERROR'],
    });
  });
});
