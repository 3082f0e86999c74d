// Property-based fuzzing (fast-check). Every mutation in the schema (enumerated, so new ones are
// covered automatically) gets random and malformed variables built from its input types, and
// random documents go to the endpoint. Never a 5xx, never an unmasked or internal error, never a
// write from a rejected input, never another tenant's data.
import fc from 'fast-check';
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONNECTIONS, encodeCursor } from '../src/platform/graphql/cursors.ts';
import { schema } from '../src/schema.ts';
import { useTestApp, type GqlResponse } from './helpers.ts';

const t = useTestApp();
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
// Fixed by default so CI is repeatable; FUZZ_SEED=random explores (the seed is printed on failure).
const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20261126);

// Another tenant's identifiers: the fuzzer uses them as inputs, and they must never come back.
const OTHER = {
  order: 'tenant-b-order-7731',
  customer: 'tenant-b-cust-7731',
  email: 'tenant-b-7731@example.com',
  sku: 'TENANT-B-SKU-7731',
  name: 'Tenant B Person',
};
let admin = '';
let storefront = '';
let tables: string[] = [];
/** Cursors of tenant B: handed out to B's keys, and forged for every connection × ordering with B's row ids. */
const foreignCursors: string[] = [];

beforeAll(async () => {
  const other = await t.newClient('tenant-b');
  const seeded = await t.gql(
    other.keys.admin,
    `mutation($i: UpsertOrderInput!) { upsertOrder(input: $i) { __typename } }`,
    {
      i: {
        externalId: OTHER.order,
        customer: { externalId: OTHER.customer, email: OTHER.email, name: OTHER.name },
        items: [{ sku: OTHER.sku, name: 'B item', deliveryDate: '2026-01-01' }],
      },
    },
  );
  expect(seeded.body.data.upsertOrder.__typename).toBe('UpsertOrderSuccess');
  await foreignCursorsOf(other.keys);
  const mine = await t.newClient('tenant-a');
  admin = mine.keys.admin;
  storefront = mine.keys.storefront;
  const rows = await t.db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`;
  tables = rows.map((r) => r.name);
  expect(tables).toContain('orders');
});

async function foreignCursorsOf(keys: { admin: string; storefront: string }) {
  const product = await t.gql(
    keys.admin,
    `mutation { upsertProducts(input: { products: [{ sku: "${OTHER.sku}", name: "B" }] }) { __typename } }`,
  );
  expect(product.body.data.upsertProducts.__typename).toBe('UpsertProductsSuccess');
  const review = await t.gql(
    keys.storefront,
    `mutation($i: SubmitReviewInput!) { submitReview(input: $i) { ... on SubmitReviewSuccess { review { id } } } }`,
    { i: { productSku: OTHER.sku, rating: 4, title: 't', content: 'c', authorNick: 'n', authorEmail: OTHER.email } },
  );
  const reviewId = review.body.data.submitReview.review.id;
  await t.gql(keys.admin, `mutation($id: ID!) { moderateReview(input: { id: $id, action: PUBLISH }) { __typename } }`, {
    id: reviewId,
  });
  const lists = await t.gql(
    keys.admin,
    `{ orders(first: 1) { edges { cursor node { id } } } customers(first: 1) { edges { cursor node { id } } }
       products(first: 1) { edges { cursor } } reviews(first: 1, orderBy: HIGHEST_RATING) { edges { cursor } } }`,
  );
  const data = lists.body.data;
  for (const list of Object.values(data) as { edges: { cursor: string }[] }[])
    foreignCursors.push(list.edges[0].cursor);
  const ids = [data.orders.edges[0].node.id, data.customers.edges[0].node.id, reviewId].map(
    (gid: string) => Buffer.from(gid, 'base64').toString().split(':')[1],
  );
  for (const [connection, { orderings }] of Object.entries(CONNECTIONS))
    for (const ordering of Object.keys(orderings))
      for (const id of ids) foreignCursors.push(encodeCursor(connection, ordering, id));
}

/** A digest of every row of every table: any write changes it. */
async function fingerprint(): Promise<string> {
  const parts = tables.map(
    (name) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${name}" x)`,
  );
  const [row] = await t.db.$queryRawUnsafe<{ f: string }[]>(`SELECT concat_ws(',', ${parts.join(', ')}) AS f`);
  return row.f;
}

// ---------- arbitraries from input types ----------

const junk = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
);
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(2000),
    '\u0000',
    '"; DROP TABLE orders; --',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-looking string is the input under test
    '${x}',
    OTHER.order,
    OTHER.customer,
    OTHER.sku,
    OTHER.email,
  ),
);
const SCALARS: Record<string, fc.Arbitrary<unknown>> = {
  String: text,
  ID: fc.oneof(text, fc.constantFrom('T3JkZXI6MQ==', 'Order:00000000-0000-0000-0000-000000000000')),
  Int: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1.5)),
  Float: fc.oneof(fc.double(), fc.integer()),
  Boolean: fc.boolean(),
  DateTime: fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    text,
  ),
  Date: fc.oneof(fc.constantFrom('2026-11-20', '2026-02-30', '0000-00-00', '99999-01-01'), text),
  EmailAddress: fc.oneof(fc.emailAddress(), fc.constantFrom(' A@B.COM ', OTHER.email.toUpperCase()), text),
  URL: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'ftp://x', 'http://'), text),
  JSONObject: fc.oneof(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), {
      maxKeys: 5,
    }),
    junk,
  ),
};

// Well-formed values: right type and format, so the resolvers' own rules (and success paths) run.
const word = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);
const WELL_FORMED: Record<string, fc.Arbitrary<unknown>> = {
  String: fc.oneof(word, fc.constantFrom(OTHER.order, OTHER.customer, OTHER.sku)),
  ID: word,
  Int: fc.integer({ min: 1, max: 5 }),
  Float: fc.integer({ min: 1, max: 5 }),
  Boolean: fc.boolean(),
  DateTime: fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  Date: fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  EmailAddress: fc.oneof(
    word.map((w) => `${w}@example.com`),
    fc.constant(OTHER.email),
  ),
  URL: word.map((w) => `https://shop.example/${w}`),
  JSONObject: fc.dictionary(word, word, { maxKeys: 3 }),
};

/** Values for an input type: well-formed ones, or (malformed) anything that may break a rule. */
function arbOf(type: GraphQLInputType, wellFormed: boolean, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    const inner = arbOf(type.ofType, wellFormed, depth);
    return wellFormed ? inner : fc.oneof({ arbitrary: inner, weight: 9 }, { arbitrary: fc.constant(null), weight: 1 });
  }
  const t0 = getNullableType(type);
  const valid = ((): fc.Arbitrary<unknown> => {
    if (isListType(t0))
      return fc.array(arbOf(t0.ofType, wellFormed, depth + 1), {
        minLength: wellFormed ? 1 : 0,
        maxLength: depth > 1 ? 1 : 3,
      });
    if (isEnumType(t0)) return fc.constantFrom(...t0.getValues().map((v) => v.value));
    if (isScalarType(t0)) return (wellFormed ? WELL_FORMED : SCALARS)[t0.name] ?? junk;
    if (isInputObjectType(t0)) {
      if (depth > 3) return fc.constant({});
      const fields = Object.values(t0.getFields());
      const required = wellFormed ? fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) : [];
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, arbOf(f.type, wellFormed, depth + 1)])), {
        requiredKeys: required,
      });
    }
    return junk;
  })();
  if (wellFormed) return valid;
  return fc.oneof(
    { arbitrary: valid, weight: 8 },
    { arbitrary: junk, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

const mutations = Object.values(schema.getMutationType()!.getFields());

function mutationDocument(field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const result = getNullableType(field.type);
  const selection = isUnionType(result) ? `{ __typename ... on Error { code message } }` : `{ __typename }`;
  return `mutation Fuzz${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
}

const byName = new Map(mutations.map((m) => [m.name, m]));
const mutationCase = fc.tuple(fc.constantFrom(...byName.keys()), fc.boolean()).chain(([name, wellFormed]) =>
  fc.record({
    name: fc.constant(name),
    key: fc.constantFrom('admin', 'admin', 'storefront'),
    variables: fc.record(Object.fromEntries(byName.get(name)!.args.map((a) => [a.name, arbOf(a.type, wellFormed)])), {
      requiredKeys: wellFormed ? byName.get(name)!.args.map((a) => a.name) : [],
    }),
  }),
);

// ---------- checks ----------

function checkResponse(res: GqlResponse, what: string) {
  const text = JSON.stringify(res.body);
  expect(res.status, what).toBeLessThan(500);
  for (const e of res.body.errors ?? []) {
    expect(e.extensions?.code, `${what}: ${e.message}`).toBeDefined();
    expect(e.extensions?.code, `${what}: ${e.message}`).not.toBe('INTERNAL_SERVER_ERROR');
  }
  for (const marker of [OTHER.order, OTHER.customer, OTHER.name]) {
    // Echoing the caller's own input in a validation message is fine; data of tenant B is not.
    if (text.includes(marker)) expect(text, what).not.toMatch(new RegExp(`"(externalId|name)":"${marker}"`));
  }
}

function rejected(res: GqlResponse, field: string): boolean {
  const data = res.body.data?.[field];
  if (!data) return true;
  return typeof data.__typename === 'string' && data.__typename !== '' && 'code' in data;
}

describe('fuzzing', () => {
  it(`sends random and malformed inputs to every mutation (${mutations.length}: ${mutations.map((m) => m.name).join(', ')})`, async () => {
    expect(mutations.length).toBeGreaterThanOrEqual(3);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutationCase, async ({ name, key, variables }) => {
        const field = byName.get(name)!;
        const before = await fingerprint();
        const res = await t.gql(key === 'admin' ? admin : storefront, mutationDocument(field), variables);
        const what = `${field.name} ${JSON.stringify(variables).slice(0, 300)}`;
        checkResponse(res, what);
        const outcome = rejected(res, field.name) ? 'rejected' : 'written';
        seen.set(`${field.name}:${outcome}`, (seen.get(`${field.name}:${outcome}`) ?? 0) + 1);
        if (outcome === 'rejected') expect(await fingerprint(), `write from rejected input: ${what}`).toBe(before);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log('mutation outcomes', Object.fromEntries([...seen].sort()));
    // Tenant B's data survived every write and erasure made with tenant A's keys.
    const b = await t.db.customer.findFirst({
      where: { externalId: OTHER.customer },
      select: { email: true, name: true, orders: { select: { externalId: true } } },
    });
    expect(b).toEqual({ email: OTHER.email, name: OTHER.name, orders: [{ externalId: OTHER.order }] });
  }, 300_000);

  const fieldNames = Object.keys(schema.getQueryType()!.getFields());
  const randomQuery = fc
    .record({
      field: fc.constantFrom(...fieldNames),
      args: fc.array(
        fc.tuple(
          fc.constantFrom(
            'first',
            'last',
            'after',
            'before',
            'id',
            'ids',
            'externalId',
            'sku',
            'filter',
            'subject',
            'bogus',
          ),
          fc.constantFrom(
            '1',
            '-1',
            '1001',
            '"x"',
            'null',
            '[]',
            '{}',
            `"${OTHER.order}"`,
            `{ email: "${OTHER.email}" }`,
            `{ customerExternalId: "${OTHER.customer}" }`,
            '$v',
            '$c',
            '$c',
          ),
        ),
        { maxLength: 3 },
      ),
      sub: fc.constantFrom(
        '{ __typename }',
        '{ id }',
        '{ nodes { id } }',
        '{ totalCount }',
        '{ edges { cursor } pageInfo { hasNextPage } }',
        '',
        '{ nodes { customer { email name } } }',
      ),
    })
    .map(
      ({ field, args, sub }) =>
        `query R($v: String, $c: String) { ${field}${args.length ? `(${args.map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} ${sub} }`,
    );
  // Every connection, reached from the root, paged from a cursor of tenant B ($c).
  const paged = Object.keys(CONNECTIONS).map((connection) => {
    const [type, field] = connection.split('.');
    const around = {
      Query: ['', ''],
      Product: ['product(sku: "P-1") {', '}'],
      Customer: ['customer(externalId: "C-1") {', '}'],
    };
    return [field, ...around[type as keyof typeof around]] as const;
  });
  const cursorQuery = fc
    .record({
      connection: fc.constantFrom(...paged),
      direction: fc.constantFrom('first: 2, after: $c', 'last: 2, before: $c', 'after: $c'),
      order: fc.constantFrom('', ', orderBy: HIGHEST_RATING', ', orderBy: OLDEST'),
    })
    .map(
      ({ connection: [field, open, close], direction, order }) =>
        `query R($c: String) { ${open} ${field}(${direction}${field.includes('eview') ? order : ''}) { nodes { id } pageInfo { endCursor } } ${close} }`,
    );
  const document = fc.oneof(
    randomQuery,
    cursorQuery,
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.constantFrom(
      '{',
      '}}}',
      'query',
      'mutation { }',
      '{ __schema { types { name } } }',
      'subscription { x }',
      '{ viewer { role } } { viewer { role } }',
      'fragment F on Query { ...F } { ...F }',
    ),
    fc
      .tuple(randomQuery, fc.nat(60), fc.string({ maxLength: 5 }))
      .map(([q, at, s]) => q.slice(0, at) + s + q.slice(at)),
  );

  it('sends random documents: never a 5xx, an internal error or another tenant data', async () => {
    await fc.assert(
      fc.asyncProperty(
        document,
        fc.constantFrom('admin', 'storefront'),
        fc.option(junk, { nil: undefined }),
        fc.nat(),
        async (query, key, v, n) => {
          const c = foreignCursors[n % foreignCursors.length];
          const res = await t.gql(key === 'admin' ? admin : storefront, query, v === undefined ? { c } : { v, c });
          checkResponse(res, query.slice(0, 300));
          if (res.body.data && JSON.stringify(res.body.data).includes(OTHER.email))
            throw new Error(`tenant B e-mail leaked: ${query}`);
          // Another tenant's cursor never positions a page: the request is refused before execution.
          if (/(after|before): \$c/.test(query)) expect(res.body.data ?? null, query).toBeNull();
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);

  it('survives malformed HTTP bodies', async () => {
    const bodies = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.constantFrom(
        '',
        'null',
        '[]',
        '{"query":1}',
        '{"query":"{ viewer { role } }","variables":"x"}',
        '{"query":"{ viewer { role } }","operationName":7}',
        '{"query":"{ viewer { role } }","extensions":[]}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        bodies,
        fc.constantFrom('application/json', 'text/plain', 'application/graphql', 'multipart/form-data'),
        async (body, type) => {
          const res = await t.gql(admin, '', undefined, { body, headers: { 'content-type': type } });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: Math.min(RUNS, 100), seed: SEED },
    );
  }, 300_000);
});
