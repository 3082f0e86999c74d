// One log line per request with id, operation, duration, key prefix, client, status; never a
// secret (the key, the Authorization header) nor personal data (e-mails, names, free text).
import { describe, expect, it } from 'vitest';
import { createLogger, safeError } from '../src/platform/logger.ts';
import { useTestApp } from './helpers.ts';

const lines: string[] = [];
const t = useTestApp({ logger: createLogger('debug', { write: (l: string) => void lines.push(l) }) });
const entries = () => lines.map((l) => JSON.parse(l));

const EMAIL = 'ada.lovelace.logtest@example.com';
const NAME = 'Ada Lovelace Logtest';
const UPSERT = `mutation PushOrder($input: UpsertOrderInput!) {
  upsertOrder(input: $input) { __typename ... on UpsertOrderSuccess { order { customer { email name } } } } }`;

describe('request log', () => {
  it('writes one line per request with the facts and nothing personal or secret', async () => {
    const { client, keys } = await t.newClient();
    lines.length = 0;
    const res = await t.gql(keys.admin, UPSERT, {
      input: {
        externalId: 'log-1',
        customer: { externalId: 'c-log', email: EMAIL, name: NAME },
        items: [{ sku: 'S1', name: 'Secret product name' }],
      },
    });
    expect(res.body.data.upsertOrder.order.customer).toEqual({ email: EMAIL, name: NAME });
    // The same values inline in the query text, and a lookup by e-mail.
    await t.gql(
      keys.admin,
      `query Lookup { orders(filter: { customerEmail: "${EMAIL}" }) { nodes { customer { name } } } }`,
    );
    const requestLines = entries().filter((e) => e.msg === 'request');
    expect(requestLines).toHaveLength(2);
    const [push, lookup] = requestLines;
    expect(push).toEqual({
      level: 30,
      time: push.time,
      msg: 'request',
      requestId: res.headers.get('x-request-id'),
      method: 'POST',
      path: '/graphql',
      operationName: 'PushOrder',
      durationMs: push.durationMs,
      keyPrefix: keys.admin.slice(0, 11),
      client: client.slug,
      role: 'ADMIN',
      cost: 13,
      status: 200,
    });
    expect(push.durationMs).toBeGreaterThan(0);
    expect(lookup).toMatchObject({ operationName: 'Lookup', status: 200, client: client.slug });
    const all = lines.join('\n');
    for (const secret of [
      EMAIL,
      NAME,
      'Secret product name',
      keys.admin,
      keys.admin.slice(11),
      'Bearer',
      'ada.lovelace',
    ]) {
      expect(all).not.toContain(secret);
    }
  });

  it('logs a refused key by its shown prefix only, and keeps a caller request id', async () => {
    lines.length = 0;
    const bogus = `sk_AbCdEfGh${'x'.repeat(24)}`;
    const res = await t.gql(bogus, `{ viewer { role } }`, undefined, {
      headers: { 'x-request-id': 'trace-0123456789' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('trace-0123456789');
    const [line] = entries().filter((e) => e.msg === 'request');
    expect(line).toMatchObject({
      requestId: 'trace-0123456789',
      keyPrefix: 'sk_AbCdEfGh',
      status: 401,
      errors: ['UNAUTHENTICATED'],
    });
    expect(line.client).toBeUndefined();
    expect(lines.join('\n')).not.toContain(bogus);
    // An id that does not look like one is replaced.
    const odd = await t.gql(bogus, `{ viewer { role } }`, undefined, { headers: { 'x-request-id': 'a b <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs probes at debug level only', async () => {
    lines.length = 0;
    await t.app.fetch('http://localhost/healthz');
    expect(entries().map((e) => [e.level, e.msg, e.path])).toEqual([[20, 'probe', '/healthz']]);
  });
});

describe('safeError', () => {
  it('keeps class, codes and frames; drops messages that may quote values', () => {
    const plain = safeError(new Error('Connection terminated unexpectedly'));
    expect(plain).toMatchObject({ type: 'Error', message: 'Connection terminated unexpectedly' });
    expect((plain.stack as string[])[0]).toMatch(/^at /);
    expect(safeError(new Error(`no customer ${EMAIL}`)).message).toBeUndefined();
    const prismaLike = Object.assign(new Error(`Invalid invocation: { email: "${EMAIL}" }`), {
      name: 'PrismaClientValidationError',
    });
    expect(JSON.stringify(safeError(prismaLike))).not.toContain(EMAIL);
    expect(safeError('text')).toEqual({ type: 'string' });
  });
});
