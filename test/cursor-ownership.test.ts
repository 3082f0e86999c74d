// Cursors belong to the caller: every connection of the schema (found by introspection, so a new
// connection without an entry in REACH fails) × every ordering it offers, tried with another
// tenant's cursor, the cursor of an erased row, of another connection or ordering, of a row the key
// may not see, garbage, and negative first/last. Each is BAD_USER_INPUT (HTTP 400), nothing
// executes (no statement after the cursor lookup), no row comes back, and the log has an info line
// without the cursor text.
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor, orderingOf } from '../src/platform/graphql/cursors.ts';
import { createLogger } from '../src/platform/logger.ts';
import { cursorTenant, deleteRow, makeRow, type CursorTenant, type Model } from './cursor-fixtures.ts';
import { useTestApp, type GqlResponse } from './helpers.ts';

const lines: string[] = [];
const t = useTestApp({ logger: createLogger('info', { write: (l: string) => void lines.push(l) }) });

type Key = 'admin' | 'storefront';
/** The key that may read each connection, and the model of its rows. */
const REACH: Record<string, [Key, Model]> = {
  'Query.products': ['storefront', 'product'],
  'Query.orders': ['admin', 'order'],
  'Query.customers': ['admin', 'customer'],
  'Query.erasureRequests': ['admin', 'erasureRequest'],
  'Query.reviewInvitations': ['admin', 'reviewInvitation'],
  'Query.reviews': ['storefront', 'review'],
  'Query.questions': ['storefront', 'question'],
  'Query.sellerReviews': ['storefront', 'sellerReview'],
  'Product.reviews': ['storefront', 'review'],
  'Product.questions': ['storefront', 'question'],
  'Customer.orders': ['admin', 'order'],
  'Customer.reviews': ['admin', 'review'],
  'Customer.questions': ['admin', 'question'],
  'Customer.sellerReviews': ['admin', 'sellerReview'],
};
/** The root field that leads to a connection of each type (P-1 and C-1: cursor-fixtures.ts). */
const PARENT: Record<string, string> = { Product: 'product(sku: "P-1")', Customer: 'customer(externalId: "C-1")' };

function reach(connection: string) {
  const [type, field] = connection.split('.');
  const [key, model] = REACH[connection];
  const parent = type === 'Query' ? undefined : PARENT[type];
  if (type !== 'Query' && !parent) throw new Error(`no PARENT leads to ${connection}`);
  return { key, model, field, parent, path: parent ? [parent.split('(')[0], field] : [field] };
}

interface Case {
  connection: string;
  ordering: string;
  /** The `orderBy` enum type, when the connection has one. */
  orderType?: string;
  orderings: string[];
}

let A: CursorTenant;
let B: CursorTenant;
const cases: Case[] = [];

const INTROSPECT = `{ __schema { types { name fields {
  name type { name kind ofType { name kind ofType { name kind } } }
  args { name type { name kind ofType { name enumValues { name } } } } } } } }`;

beforeAll(async () => {
  A = await cursorTenant(t, 'cursor-a');
  B = await cursorTenant(t, 'cursor-b');
  const res = await t.gql(A.keys.admin, INTROSPECT);
  for (const type of res.body.data.__schema.types) {
    if (type.name.startsWith('__')) continue;
    for (const field of type.fields ?? []) {
      const named = field.type.ofType?.ofType ?? field.type.ofType ?? field.type;
      if (!/Connection$/.test(named.name ?? '')) continue;
      const order = field.args.find((a: { name: string }) => a.name === 'orderBy')?.type.ofType;
      const orderings = order ? order.enumValues.map((v: { name: string }) => v.name) : ['(default)'];
      for (const ordering of orderings)
        cases.push({ connection: `${type.name}.${field.name}`, ordering, orderType: order?.name, orderings });
    }
  }
}, 120_000);

function document(c: Case) {
  const { field, parent } = reach(c.connection);
  const orderVar = c.orderType ? `, $orderBy: ${c.orderType}!` : '';
  const orderArg = c.orderType ? ', orderBy: $orderBy' : '';
  const inner = `${field}(first: $first, last: $last, after: $after, before: $before${orderArg}) {
    pageInfo { startCursor endCursor } nodes { id } }`;
  const body = parent ? `${parent} { ${inner} }` : inner;
  return `query Page($first: Int, $last: Int, $after: String, $before: String${orderVar}) { ${body} }`;
}

async function page(c: Case, tenant: CursorTenant, args: Record<string, unknown>, key = reach(c.connection).key) {
  t.resetStatements();
  const variables = { ...args, ...(c.orderType ? { orderBy: c.ordering } : {}) };
  const res = await t.gql(tenant.keys[key], document(c), variables);
  return { res, statements: [...t.statements] };
}

function connectionOf(c: Case, res: GqlResponse) {
  let value = res.body.data;
  for (const step of reach(c.connection).path) value = value?.[step];
  return value as { pageInfo: { startCursor: string; endCursor: string }; nodes: { id: string }[] };
}

async function expectValid(c: Case, tenant: CursorTenant, args: Record<string, unknown>, key?: Key) {
  const { res } = await page(c, tenant, args, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return connectionOf(c, res);
}

/** Refused before execution: 400, no data, at most the key and cursor lookups ran, an info log line. */
async function expectRefused(
  c: Case,
  tenant: CursorTenant,
  args: Record<string, unknown>,
  message = 'Invalid cursor.',
  key?: Key,
) {
  lines.splice(0);
  const { res, statements } = await page(c, tenant, args, key);
  const what = `${c.connection} ${c.ordering} ${JSON.stringify(args)}`;
  expect(res.status, what).toBe(400);
  expect(res.body.data, what).toBeUndefined();
  expect(res.body.errors, what).toMatchObject([{ message, extensions: { code: 'BAD_USER_INPUT' } }]);
  expect(statements.length, what).toBeLessThanOrEqual(2);
  const cursor = (args.after ?? args.before) as string | undefined;
  const logged = lines.map((l) => JSON.parse(l));
  expect(
    logged.filter((l) => l.msg === 'paging arguments refused'),
    what,
  ).toMatchObject([{ level: 30, field: c.connection }]);
  expect(
    logged.filter((l) => l.level >= 40),
    what,
  ).toEqual([]);
  if (cursor) {
    expect(JSON.stringify(res.body), what).not.toContain(cursor);
    for (const line of lines) expect(line, what).not.toContain(cursor);
  }
}

describe('cursor ownership, every connection × every ordering', () => {
  it('the introspected connections are exactly the ones in REACH', () => {
    expect(new Set(cases.map((c) => c.connection))).toEqual(new Set(Object.keys(REACH)));
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('a cursor pages on for its owner, forward and backward (positive control)', async () => {
    for (const c of cases) {
      const first = await expectValid(c, A, { first: 2 });
      expect(first.nodes, c.connection).toHaveLength(2);
      const next = await expectValid(c, A, { first: 1, after: first.pageInfo.startCursor });
      expect(next.nodes, `${c.connection} ${c.ordering}`).toEqual([first.nodes[1]]);
      const back = await expectValid(c, A, { last: 1, before: first.pageInfo.endCursor });
      expect(back.nodes, `${c.connection} ${c.ordering}`).toEqual([first.nodes[0]]);
    }
  });

  it("another tenant's cursor is refused, forward and backward; nothing of either tenant comes back", async () => {
    for (const c of cases) {
      const { pageInfo } = await expectValid(c, A, { first: 1 });
      await expectRefused(c, B, { first: 1, after: pageInfo.endCursor });
      await expectRefused(c, B, { last: 1, before: pageInfo.endCursor });
    }
  });

  it('the cursor of an erased row is refused', async () => {
    for (const [n, c] of cases.entries()) {
      const id = await makeRow(t, A, reach(c.connection).model, 100 + n);
      const cursor = encodeCursor(c.connection, orderingName(c), id);
      await expectValid(c, A, { first: 1, after: cursor });
      await deleteRow(t, reach(c.connection).model, id);
      await expectRefused(c, A, { first: 1, after: cursor });
    }
  });

  it('a cursor of another connection or another ordering is refused', async () => {
    const cursors = new Map<Case, string>();
    for (const c of cases) cursors.set(c, (await expectValid(c, A, { first: 1 })).pageInfo.endCursor);
    for (const [n, c] of cases.entries()) {
      // Its other orderings, the other connections of its model, and one connection of another model.
      const model = reach(c.connection).model;
      const others = cases.filter(
        (o) => o !== c && (o.connection === c.connection || reach(o.connection).model === model),
      );
      const foreignModel = cases
        .slice(n)
        .concat(cases)
        .find((o) => reach(o.connection).model !== model)!;
      for (const other of [...others, foreignModel]) await expectRefused(c, A, { first: 1, after: cursors.get(other) });
    }
  });

  it('a cursor of a row the key may not see (PENDING for STOREFRONT, staff lists for STOREFRONT) is refused', async () => {
    for (const c of cases) {
      const { model, key } = reach(c.connection);
      if (key === 'storefront' && model in A.pending) {
        const cursor = encodeCursor(c.connection, c.ordering, A.pending[model as keyof CursorTenant['pending']]);
        await expectValid(c, A, { first: 1, after: cursor }, 'admin');
        await expectRefused(c, A, { first: 1, after: cursor });
      }
      if (key === 'admin' && c.connection.startsWith('Query.')) {
        const { pageInfo } = await expectValid(c, A, { first: 1 });
        await expectRefused(c, A, { first: 1, after: pageInfo.endCursor }, 'Invalid cursor.', 'storefront');
      }
    }
  });

  it('garbage is refused: not base64, the old format, a forged head, a row id that does not exist', async () => {
    for (const c of cases) {
      const ordering = orderingName(c);
      const { pageInfo } = await expectValid(c, A, { first: 1 });
      const id = (await expectValid(c, A, { first: 1 })).nodes[0].id;
      const garbage = [
        '',
        'zzz',
        '!!!!',
        Buffer.from(`GPC:S:${id}`).toString('base64'),
        encodeCursor(c.connection, ordering, '01900000-0000-7000-8000-000000000000'),
        /=$/.test(pageInfo.endCursor) ? pageInfo.endCursor.replace(/=+$/, '') : `${pageInfo.endCursor}=`,
        `${pageInfo.endCursor}AAAA`,
        Buffer.from(`GPC:S:c1|${c.connection}|${ordering}|' OR 1=1 --`).toString('base64'),
        'x'.repeat(10_000),
      ];
      for (const cursor of garbage) await expectRefused(c, A, { first: 1, after: cursor });
    }
  });

  it('negative first or last, and mixed directions, are refused with a clear message', async () => {
    for (const c of cases) {
      const { pageInfo } = await expectValid(c, A, { first: 1 });
      await expectRefused(c, A, { first: -1 }, '`first` must be 0 or more; it was -1.');
      await expectRefused(c, A, { last: -5 }, '`last` must be 0 or more; it was -5.');
      await expectRefused(
        c,
        A,
        { first: 1, after: pageInfo.endCursor, before: pageInfo.endCursor },
        'Pass `after` or `before`, not both.',
      );
      await expectRefused(
        c,
        A,
        { last: 1, after: pageInfo.endCursor },
        '`last` counts back from `before`; with `after` use `first`.',
      );
      await expectRefused(
        c,
        A,
        { first: 1, before: pageInfo.endCursor },
        '`first` counts on from `after`; with `before` use `last`.',
      );
    }
  });
});

/** The ordering named in the connection's cursors (a connection without `orderBy` has one). */
function orderingName(c: Case) {
  return c.orderType ? c.ordering : orderingOf(c.connection, {});
}
