// Query limits: depth (also hidden in fragments), aliases, directives, tokens, connection-aware
// cost; introspection, suggestions and GraphiQL switches; every limit pinned and configurable.
import { Lexer, Source, TokenKind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { DEFAULT_HTTP_SETTINGS, loadConfig } from '../src/config.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

function tokenCount(doc: string): number {
  const lexer = new Lexer(new Source(doc));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

async function adminKey() {
  return (await t.newClient()).keys.admin;
}

function limitError(body: any) {
  expect(body.errors).toHaveLength(1);
  return body.errors[0];
}

describe('query depth', () => {
  it('accepts depth 12 and rejects 13 with a clear error before anything runs', async () => {
    const key = await adminKey();
    // orders(1) nodes(2) customer(3) orders(4) nodes(5) customer(6) … : 3 per level, + the leaf.
    const ok = await t.gql(
      key,
      `{ orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer { orders(first: 1) { nodes { externalId } } } } } } } } } } } }`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    const deep = await t.gql(
      key,
      `{ orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer { externalId } } } } } } } } } } } } }`,
    );
    expect(deep.status).toBe(400);
    const e = limitError(deep.body);
    expect(e.message).toBe('Query depth is over the limit of 12 (found 13). Split the query or use variables.');
    expect(e.extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxDepth', max: 12, found: 13 });
    expect(deep.body.data).toBeUndefined();
  });

  it('counts depth hidden in fragment spreads and inline fragments', async () => {
    const key = await adminKey();
    const hidden = `
      query Hidden { ...Q }
      fragment Q on Query { orders(first: 1) { ...Conn } }
      fragment Conn on QueryOrdersConnection { nodes { ... on Order { customer { ...Cust } } } }
      fragment Cust on Customer { orders(first: 1) { nodes { ... { customer { ... on Customer { orders(first: 1) { nodes { customer { ...Deeper } } } } } } } } }
      fragment Deeper on Customer { orders(first: 1) { nodes { customer { externalId } } } }`;
    const res = await t.gql(key, hidden);
    expect(res.status).toBe(400);
    expect(limitError(res.body).extensions).toEqual({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'maxDepth',
      max: 12,
      found: 13,
    });
  });
});

describe('aliases, directives, tokens', () => {
  it('allows 15 aliases and rejects 16', async () => {
    const key = await adminKey();
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`;
    const ok = await t.gql(key, aliases(15));
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.data)).toHaveLength(15);
    const over = await t.gql(key, aliases(16));
    expect(over.status).toBe(400);
    expect(limitError(over.body).extensions).toEqual({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'maxAliases',
      max: 15,
      found: 16,
    });
  });

  it('rejects more than 50 directives', async () => {
    const key = await adminKey();
    const directives = (n: number) => `{ viewer { ${'role @include(if: true) '.repeat(n)}} }`;
    expect((await t.gql(key, directives(50))).status).toBe(200);
    const over = await t.gql(key, directives(51));
    expect(over.status).toBe(400);
    expect(limitError(over.body).extensions).toEqual({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'maxDirectives',
      max: 50,
      found: 51,
    });
  });

  it('rejects documents over 2000 tokens while parsing', async () => {
    const key = await adminKey();
    // A long literal list (skipped at run time) makes the tokens; counted with graphql's lexer.
    const doc = (ids: number) => `{ viewer { role } nodes(ids: [${'"x" '.repeat(ids)}]) @include(if: false) { id } }`;
    const frame = tokenCount(doc(0));
    const ok = await t.gql(key, doc(2000 - frame));
    expect(tokenCount(doc(2000 - frame))).toBe(2000);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ viewer: { role: 'ADMIN' } });
    const over = await t.gql(key, doc(2001 - frame));
    expect(over.status).toBe(400);
    const e = limitError(over.body);
    expect(e.extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxTokens', max: 2000 });
    expect(e.message).toBe('Number of tokens is over the limit of 2000. Split the query or use variables.');
  });
});

describe('query cost', () => {
  it('weighs connections by first/last: 1 + page size × node cost', async () => {
    const key = await adminKey();
    const q = (first: number) =>
      `{ orders(first: ${first}) { totalCount nodes { externalId items(first: 2) { sku } customer { email } } } }`;
    const small = await t.gql(key, q(10));
    const big = await t.gql(key, q(1000));
    // node: Order 1 + items 2 × 1 + customer 1 = 4
    expect(small.body.extensions.cost.requested).toBe(1 + 10 * 4);
    expect(big.body.extensions.cost.requested).toBe(1 + 1000 * 4);
    const viaVariable = await t.gql(key, `query($n: Int) { orders(first: $n) { nodes { externalId } } }`, { n: 250 });
    expect(viaVariable.body.extensions.cost.requested).toBe(1 + 250);
    const byDefault = await t.gql(key, `{ orders { edges { cursor node { externalId } } pageInfo { hasNextPage } } }`);
    // connection 1 + pageInfo 1 + 100 × (edge 1 + node 1)
    expect(byDefault.body.extensions.cost.requested).toBe(1 + 1 + 100 * 2);
  });

  it('counts fragments like inline selections and rejects a query over the cost limit', async () => {
    const key = await adminKey();
    const nested = `{ products(first: 100) { nodes { sku reviews(first: 100) { nodes { title } } } } }`;
    const res = await t.gql(key, nested);
    // 1 + 100 × (1 + (1 + 100 × 1)) = 10 201
    expect(res.status).toBe(400);
    const e = limitError(res.body);
    expect(e.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      cost: 10201,
      maxCost: 10000,
      requestId: res.headers.get('x-request-id'),
    });
    expect(e.message).toBe(
      'Query cost 10201 is over the limit of 10000. Ask for smaller pages (first/last) or fewer nested connections.',
    );
    expect(res.body.data).toBeUndefined();
    const viaFragments = await t.gql(
      key,
      `{ ...P } fragment P on Query { products(first: 100) { nodes { ... on Product { sku ...R } } } } fragment R on Product { reviews(first: 100) { nodes { title } } }`,
    );
    expect(limitError(viaFragments.body).extensions.cost).toBe(10201);
    const fits = await t.gql(key, nested.replace('reviews(first: 100)', 'reviews(first: 90)'));
    expect(fits.status).toBe(200);
    expect(fits.body.extensions.cost.requested).toBe(1 + 100 * (1 + 1 + 90));
  });

  it('charges mutations 10 per mutation field on top of their selection', async () => {
    const key = await adminKey();
    const res = await t.gql(
      key,
      `mutation { cancelOrderItem(input: { orderExternalId: "none", sku: "x" }) { __typename ... on Error { message } } }`,
    );
    expect(res.body.data.cancelOrderItem.__typename).toBe('NotFoundError');
    expect(res.body.extensions.cost.requested).toBe(10 + 1);
  });

  it('charges a batch mutation per element: its answer once per element, plus 1 each', async () => {
    const key = await adminKey();
    const doc = `mutation($input: UpsertOrdersInput!) { upsertOrders(input: $input) { ... on UpsertOrdersSuccess { results { created } } } }`;
    const order = (i: number) => ({
      externalId: `cost-${i}`,
      customer: { externalId: 'cost-c' },
      items: [{ sku: 'a' }, { sku: 'b' }],
    });
    // Selection: the union 1 + results 1 = 2; the mutation 10.
    const one = await t.gql(key, doc, { input: { orders: [order(1)] } });
    expect(one.body.extensions.cost.requested).toBe(2 + 10);
    // Three orders: 2 + 10 + 2 more answers × 2 + 3 orders written. Items do not multiply.
    const three = await t.gql(key, doc, { input: { orders: [order(1), order(2), order(3)] } });
    expect(three.body.extensions.cost.requested).toBe(2 + 10 + 2 * 2 + 3);
    // The same with the batch written inline in the document.
    const inline = await t.gql(
      key,
      `mutation { upsertOrders(input: { orders: [
      { externalId: "cost-1", customer: { externalId: "cost-c" } }, { externalId: "cost-2", customer: { externalId: "cost-c" } },
      { externalId: "cost-3", customer: { externalId: "cost-c" } }] }) { ... on UpsertOrdersSuccess { results { created } } } }`,
    );
    expect(inline.body.extensions.cost.requested).toBe(2 + 10 + 2 * 2 + 3);
  });
});

describe('introspection, suggestions, GraphiQL', () => {
  it('by default allows introspection, suggests field names and serves GraphiQL', async () => {
    const key = await adminKey();
    const intro = await t.gql(key, `{ __schema { queryType { name } } }`);
    expect(intro.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await t.gql(key, `{ viewr { role } }`);
    expect(typo.body.errors![0].message).toMatch(/^Cannot query field "viewr" on type "Query"\. Did you mean "viewer"/);
    const page = await t.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Merchant data API');
  });

  it('with introspection off refuses __schema, hides suggestions and (following it) GraphiQL', async () => {
    const settings = loadConfig({ INTROSPECTION: 'false' }).http;
    expect(settings.graphiql).toBe(false);
    const app = createApp({ db: t.db, ...settings });
    const key = await adminKey();
    const post = (query: string) =>
      app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          authorization: `Bearer ${key}`,
        },
        body: JSON.stringify({ query }),
      });
    const intro = await post(`{ __schema { queryType { name } } }`);
    expect(intro.status).toBe(400);
    const introBody = await intro.json();
    expect(introBody.errors[0].message).toBe(
      'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
    );
    const typo = await (await post(`{ viewr { role } }`)).json();
    expect(typo.errors[0].message).toBe('Cannot query field "viewr" on type "Query".');
    const page = await app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('Merchant data API');
    await app.dispose();
  });
});

describe('configuration', () => {
  it('pins every default explicitly', () => {
    expect(DEFAULT_HTTP_SETTINGS.limits).toEqual({
      maxDepth: 12,
      maxAliases: 15,
      maxDirectives: 50,
      maxTokens: 2000,
      maxCost: 10000,
      maxFields: 5000,
    });
    expect(DEFAULT_HTTP_SETTINGS.introspection).toBe(true);
    expect(DEFAULT_HTTP_SETTINGS.graphiql).toBe(true);
  });

  it('reads each limit from the environment and refuses inconsistent ones', () => {
    const c = loadConfig({
      QUERY_MAX_DEPTH: '7',
      QUERY_MAX_ALIASES: '3',
      QUERY_MAX_DIRECTIVES: '4',
      QUERY_MAX_TOKENS: '500',
      QUERY_MAX_COST: '900',
      QUERY_MAX_FIELDS: '300',
      INTROSPECTION: 'false',
      GRAPHIQL: 'true',
    });
    expect(c.http.limits).toEqual({
      maxDepth: 7,
      maxAliases: 3,
      maxDirectives: 4,
      maxTokens: 500,
      maxCost: 900,
      maxFields: 300,
    });
    expect(c.http.graphiql).toBe(true);
    expect(() => loadConfig({ QUERY_MAX_DEPTH: 'deep' })).toThrow(/QUERY_MAX_DEPTH/);
    expect(() => loadConfig({ QUERY_MAX_COST: '50000' })).toThrow(
      /RATE_LIMIT_ADMIN_CAPACITY: must be at least QUERY_MAX_COST/,
    );
  });

  it('applies limits passed to createApp', async () => {
    const app = createApp({ db: t.db, limits: { maxDepth: 3 } });
    const key = await adminKey();
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${key}`,
      },
      body: JSON.stringify({ query: '{ orders(first: 1) { nodes { customer { externalId } } } }' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions).toEqual({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'maxDepth',
      max: 3,
      found: 4,
    });
    await app.dispose();
  });
});
