// Attack: a stranger with the public storefront key sends ~1 KB documents whose fragments each
// spread the next one twice, 24 levels deep (2^24 fields once expanded), on Query, on Mutation
// and inside `viewer`. Each is answered QUERY_LIMIT_EXCEEDED (HTTP 400, the request id in the
// error as in the x-request-id header) without expanding anything, and /healthz answers
// meanwhile. The timings have bounds a loaded 2-core CI machine meets (before the analysis was
// linear these requests took seconds to minutes); that the analysis is linear is proven by
// counting its work in query-analysis.test.ts.
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { DEFAULT_HTTP_SETTINGS } from '../src/config.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();
const LEVELS = 24;
const GENEROUS_MS = 1_500;

function bomb(root: 'Query' | 'Mutation' | 'Viewer', leaf: string): string {
  const op = root === 'Mutation' ? 'mutation { ...F0 }' : root === 'Query' ? '{ ...F0 }' : '{ viewer { ...F0 } }';
  const chain = Array.from({ length: LEVELS }, (_, i) => `fragment F${i} on ${root} { ...F${i + 1} ...F${i + 1} }`);
  return [op, ...chain, `fragment F${LEVELS} on ${root} { ${leaf} }`].join('\n');
}

const BOMBS = [
  { root: 'Query', leaf: 'product(sku: "x") { name }', fields: 2 * 2 ** LEVELS },
  { root: 'Mutation', leaf: '__typename', fields: 2 ** LEVELS },
  { root: 'Viewer', leaf: 'role', fields: 1 + 2 ** LEVELS },
] as const;

describe('fragment bombs with the storefront key', () => {
  for (const { root, leaf, fields } of BOMBS) {
    it(`on ${root}: a limit error at once, with the request id`, async () => {
      const { keys } = await t.newClient();
      const doc = bomb(root, leaf);
      expect(doc.length).toBeLessThan(1_500);
      const started = performance.now();
      const res = await t.gql(keys.storefront, doc);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toHaveLength(1);
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      expect(res.body.errors![0].extensions).toEqual({
        code: 'QUERY_LIMIT_EXCEEDED',
        limit: 'maxFields',
        max: DEFAULT_HTTP_SETTINGS.limits.maxFields,
        found: fields,
        requestId,
      });
      expect(res.body.errors![0].message).toBe(
        `The query selects ${fields} fields with its fragments expanded; the limit is ${DEFAULT_HTTP_SETTINGS.limits.maxFields}. Spread each fragment where it is needed once.`,
      );
      expect(elapsed).toBeLessThan(GENEROUS_MS);
    });
  }

  it('/healthz answers while bombs are analysed', async () => {
    const { keys } = await t.newClient();
    const bombs = BOMBS.map(({ root, leaf }) => t.gql(keys.storefront, bomb(root, leaf)));
    const started = performance.now();
    const health = await t.app.fetch('http://localhost/healthz');
    const elapsed = performance.now() - started;
    expect(health.status).toBe(200);
    expect(elapsed).toBeLessThan(GENEROUS_MS);
    expect((await Promise.all(bombs)).map((r) => r.status)).toEqual([400, 400, 400]);
  });

  it('the same fragments spread once per level run normally', async () => {
    const { keys } = await t.newClient();
    const chain = Array.from({ length: LEVELS }, (_, i) => `fragment F${i} on Viewer { ...F${i + 1} }`);
    const res = await t.gql(
      keys.storefront,
      ['{ viewer { ...F0 } }', ...chain, `fragment F${LEVELS} on Viewer { role }`].join('\n'),
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ viewer: { role: 'STOREFRONT' } });
  });

  it('refuses inline fragments nested past the bound with the request id', async () => {
    const { keys } = await t.newClient();
    const res = await t.gql(keys.storefront, `{ ${'... { '.repeat(70)}__typename${' }'.repeat(70)} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions).toEqual({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'maxNesting',
      max: 64,
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('QUERY_MAX_FIELDS counts each spread of a fragment: at the limit it runs, one more is refused', async () => {
    const app = createApp({ db: t.db, limits: { maxFields: 6 } });
    const { keys } = await t.newClient();
    const post = async (query: string) => {
      const res = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          authorization: `Bearer ${keys.storefront}`,
        },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, body: await res.json() };
    };
    // viewer 1 + V (role, client, slug) 3 = 4; + client { name } = 6; V spread twice (once in an inline fragment) = 7
    const fragment = 'fragment V on Viewer { role client { slug } }';
    expect((await post(`{ viewer { ...V } } ${fragment}`)).status).toBe(200);
    expect((await post(`{ viewer { ...V client { name } } } ${fragment}`)).status).toBe(200);
    const over = await post(`{ viewer { ...V ... on Viewer { ...V } } } ${fragment}`);
    expect(over.status).toBe(400);
    expect(over.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'maxFields',
      max: 6,
      found: 7,
    });
    await app.dispose();
  });

  it('repeated fields: at the field-merge limit the query runs, past it graphql-js is not asked to compare them', async () => {
    const { keys } = await t.newClient();
    // viewer and viewer.role each selected n times: n² + n² steps; 50 → 5000 (the limit), 51 → 5202.
    const repeated = (n: number) => `{ ${'viewer { role } '.repeat(n)}}`;
    const ok = await t.gql(keys.storefront, repeated(50));
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ viewer: { role: 'STOREFRONT' } });
    for (const [n, found] of [
      [51, 5202],
      [490, 480200],
    ]) {
      const started = performance.now();
      const res = await t.gql(keys.storefront, repeated(n));
      expect(performance.now() - started).toBeLessThan(GENEROUS_MS);
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions).toEqual({
        code: 'QUERY_LIMIT_EXCEEDED',
        limit: 'maxFieldMerges',
        max: 5000,
        found,
      });
    }
  });
});
