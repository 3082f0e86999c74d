// GraphQL over HTTP: graphql-http's server audits against app.fetch (as graphql-yoga runs them
// for itself), every one `ok`; and the errors that refuse a request (limits, rate limit, a
// malformed body, no key) answer the same HTTP status whatever `Accept` says.
import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { CSRF_HEADER } from '../src/platform/http/cross-site.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

describe('graphql-http server audits', () => {
  let key = '';
  /** The audits' requests, with a key (every request needs one) and the cross-site header (their GETs). */
  const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
    if (!key) key = (await t.newClient()).keys.storefront;
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${key}`);
    if (request.method === 'GET') headers.set(CSRF_HEADER, '1');
    return t.app.fetch(new Request(request, { headers }));
  };
  const audits = serverAudits({ url: 'http://localhost/graphql', fetchFn });

  it('includes the malformed-JSON audit (BCF8)', () => {
    expect(audits.map((a) => a.id)).toContain('BCF8');
    expect(audits.length).toBeGreaterThan(50);
  });

  for (const audit of audits) {
    it(`${audit.id}: ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});

describe('refusals answer one status whatever Accept says', () => {
  const ACCEPTS = ['application/json', 'application/graphql-response+json', '*/*'];

  it('limits, cost, rate limit, malformed body, missing key, cross-site check', async () => {
    const app = createApp({
      db: t.db,
      limits: { maxDepth: 3, maxTokens: 40, maxCost: 50 },
      rateLimit: { buckets: { ADMIN: { capacity: 60, restoreRate: 1 } } as never },
    });
    const { keys } = await t.newClient();
    const send = (accept: string, body: string, headers: Record<string, string> = {}) =>
      app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${keys.admin}`, ...headers },
        body,
      });
    const query = (q: string) => JSON.stringify({ query: q });
    const cases: [string, string, number, Record<string, string>?][] = [
      ['QUERY_LIMIT_EXCEEDED', query('{ orders { nodes { customer { id } } } }'), 400], // depth, while validating
      ['QUERY_LIMIT_EXCEEDED', query(`{ ${'viewer { role } '.repeat(12)}}`), 400], // tokens, while parsing
      ['QUERY_TOO_COMPLEX', query('{ orders(first: 100) { nodes { id } } }'), 400],
      ['RATE_LIMITED', query('{ orders(first: 45) { nodes { id } } }'), 429],
      ['BAD_REQUEST', '{"query": "{ viewer { role } }"', 400],
      ['BAD_REQUEST', '', 400],
      ['UNAUTHENTICATED', query('{ viewer { role } }'), 401, { authorization: 'Bearer pk_unknown' }],
      [
        'CSRF_HEADER_REQUIRED',
        `query=${encodeURIComponent('{ viewer { role } }')}`,
        403,
        { 'content-type': 'application/x-www-form-urlencoded' },
      ],
    ];
    // Spend the bucket so that the rate-limit case is refused under every Accept.
    expect((await send('application/json', query('{ orders(first: 45) { nodes { id } } }'))).status).toBe(200);
    const seen: string[] = [];
    for (const [code, body, status, headers] of cases) {
      for (const accept of ACCEPTS) {
        const res = await send(accept, body, headers);
        const json = await res.json();
        seen.push(`${code} ${accept} ${res.status} ${json.errors?.[0]?.extensions?.code}`);
        expect(`${code} ${accept} ${res.status}`).toBe(`${code} ${accept} ${status}`);
        expect(json.errors?.[0]?.extensions?.code).toBe(code);
      }
    }
    expect(seen).toHaveLength(cases.length * ACCEPTS.length);
    await app.dispose();
  });

  it('document errors keep the GraphQL-over-HTTP rule: 200 for application/json, 400 otherwise', async () => {
    const { keys } = await t.newClient();
    for (const [q, code] of [
      ['{ viewer ', 'GRAPHQL_PARSE_FAILED'],
      ['{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
    ]) {
      const json = await t.gql(keys.admin, q, undefined, { headers: { accept: 'application/json' } });
      expect([json.status, json.body.errors?.[0]?.extensions?.code]).toEqual([200, code]);
      const spec = await t.gql(keys.admin, q, undefined, { headers: { accept: 'application/graphql-response+json' } });
      expect([spec.status, spec.body.errors?.[0]?.extensions?.code]).toEqual([400, code]);
    }
  });
});
