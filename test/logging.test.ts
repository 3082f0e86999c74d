// One log line per request with id, operation, duration, key prefix, client, status; never a
// secret (the key, the Authorization header) nor personal data (e-mails, names, free text).
// Errors as { type, message, code }; every "off" has its "back on" at the same level.
import { describe, expect, it } from 'vitest';
import { loggedSubscriber } from '../src/platform/db/listener-log.ts';
import { createLogger, safeError } from '../src/platform/logger.ts';
import { outageLog } from '../src/platform/outage-log.ts';
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
  it('keeps class, codes and message as { type, message, code }; drops messages that may quote values', () => {
    const plain = safeError(new Error('Connection terminated unexpectedly'));
    expect(JSON.parse(JSON.stringify(plain))).toEqual({ type: 'Error', message: 'Connection terminated unexpectedly' });
    // Frames only when asked (faults nobody expected).
    expect((safeError(new Error('x'), { stack: true }).stack as string[])[0]).toMatch(/^at /);
    expect(safeError(new Error(`no customer ${EMAIL}`)).message).toBeUndefined();
    const prismaLike = Object.assign(new Error(`Invalid invocation: { email: "${EMAIL}" }`), {
      name: 'PrismaClientValidationError',
    });
    expect(JSON.stringify(safeError(prismaLike))).not.toContain(EMAIL);
    expect(safeError('text')).toEqual({ type: 'string' });
  });

  it("names a driver error by its class and SQLSTATE, without the driver's stack", () => {
    // node-postgres names its server errors "error"; its class is DatabaseError.
    class DatabaseError extends Error {
      code = '57P01';
      constructor(message: string) {
        super(message);
        this.name = 'error';
      }
    }
    const e = new DatabaseError('terminating connection due to administrator command');
    expect(JSON.parse(JSON.stringify(safeError(e)))).toEqual({
      type: 'DatabaseError',
      message: 'terminating connection due to administrator command',
      code: '57P01',
    });
  });

  it('log lines serialise errors as { type, message, code }, whether given raw or made safe', () => {
    const out: string[] = [];
    const log = createLogger('warn', { write: (l: string) => void out.push(l) });
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    log.warn({ err: safeError(e) }, 'safe');
    log.warn({ err: e }, 'raw');
    for (const line of out.map((l) => JSON.parse(l))) {
      expect(line.err).toEqual({ type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' });
    }
  });
});

describe('off and back on, at the same level', () => {
  function capture() {
    const out: string[] = [];
    return {
      log: createLogger('warn', { write: (l: string) => void out.push(l) }),
      lines: () => out.map((l) => JSON.parse(l)),
    };
  }

  it('an outage is logged once when it starts and once when it ends, however many failures between', () => {
    const { log, lines } = capture();
    let now = 1_000;
    const outage = outageLog(log, 'warn', { store: 'x' }, { off: 'x off', on: 'x back on' }, () => now);
    outage.recovered(); // nothing to end
    for (let i = 0; i < 5; i++) outage.failed(new Error('refused'));
    now = 4_000;
    outage.recovered();
    outage.recovered();
    expect(lines()).toEqual([
      { level: 40, time: expect.any(Number), msg: 'x off', store: 'x', err: { type: 'Error', message: 'refused' } },
      { level: 40, time: expect.any(Number), msg: 'x back on', store: 'x', downMs: 3_000, failures: 5 },
    ]);
  });

  it('a cache: "cache on" at start (info), then every "cache off" (warn) has its "cache back on" (warn)', () => {
    const { log, lines } = capture();
    const states: boolean[] = [];
    const cache = { onNotify() {}, onState: (on: boolean) => void states.push(on) };
    const { subscriber, onError } = loggedSubscriber(log, 'content_changed', cache);
    subscriber.onState(true); // info: not in a warn-level log
    onError(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }));
    subscriber.onState(false);
    onError(new Error('connect ECONNREFUSED 127.0.0.1:5432')); // retries while down: no more lines
    subscriber.onState(true);
    subscriber.onState(false);
    subscriber.onState(true);
    expect(states).toEqual([true, false, true, false, true]);
    expect(lines().map((l) => [l.level, l.msg, l.err?.code, l.failures])).toEqual([
      [
        40,
        'cache off: not listening for changes, every request reads the database until it reconnects',
        'ECONNRESET',
        undefined,
      ],
      [40, 'cache back on: listening for changes again', undefined, 3],
      [
        40,
        'cache off: not listening for changes, every request reads the database until it reconnects',
        undefined,
        undefined,
      ],
      [40, 'cache back on: listening for changes again', undefined, 1],
    ]);
  });

  it('a cache whose first connection fails says "off" once and "back on" when it connects', () => {
    const { log, lines } = capture();
    const { subscriber, onError } = loggedSubscriber(log, 'api_keys_changed', { onNotify() {}, onState() {} });
    onError(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    onError(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    subscriber.onState(true);
    expect(lines().map((l) => l.msg)).toEqual([
      'cache off: not listening for changes, every request reads the database until it reconnects',
      'cache back on: listening for changes again',
    ]);
  });

  it('a shutdown closing the listener is not an outage', () => {
    const { log, lines } = capture();
    const { subscriber } = loggedSubscriber(log, 'api_keys_changed', { onNotify() {}, onState() {} }, () => true);
    subscriber.onState(true);
    subscriber.onState(false);
    expect(lines()).toEqual([]);
  });
});
