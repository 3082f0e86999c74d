// orders: cursor pagination both ways, page sizes, filters, totalCount, and SQL statement counts.
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertOrder } from '../src/features/orders/orders.ts';
import { useTestApp } from './helpers.ts';
import { expectData } from './order-helpers.ts';

// The per-key rate limit (tested on its own) would throttle this file's hundreds of page reads.
const t = useTestApp({ rateLimit: { enabled: false } });

const TOTAL = 250;
const CUSTOMERS = 10;
let key: string;
/** externalIds in creation order. */
const all = Array.from({ length: TOTAL }, (_, i) => `ORD-${String(i).padStart(3, '0')}`);
const customerOf = (i: number) => i % CUSTOMERS;

/** Creates `n` orders of two items each for a client, through the domain (the setup, not the subject). */
async function seedOrders(clientId: string, n: number, prefix = 'ORD') {
  for (let i = 0; i < n; i++) {
    await upsertOrder(t.db, clientId, {
      externalId: `${prefix}-${String(i).padStart(3, '0')}`,
      customer: { externalId: `c${customerOf(i)}`, email: `cust${customerOf(i)}@example.com` },
      items: [
        { sku: `sku-${i}-a`, name: 'A' },
        { sku: `sku-${i}-b`, name: 'B', deliveryDate: new Date('2026-01-01T00:00:00Z') },
      ],
    });
  }
}

beforeAll(async () => {
  const c = await t.newClient();
  key = c.keys.support;
  await seedOrders(c.client.id, TOTAL);
}, 120_000);

const PAGE = `query Page($first: Int, $after: String, $last: Int, $before: String, $filter: OrderFilter) {
  orders(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount
    edges { cursor node { externalId } }
    nodes { externalId createdAt }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function page(variables: Record<string, unknown>) {
  const res = await t.gql(key, PAGE, variables);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.orders as {
    totalCount: number;
    edges: { cursor: string; node: { externalId: string } }[];
    nodes: { externalId: string; createdAt: string }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const externalIds = (p: { nodes: { externalId: string }[] }) => p.nodes.map((n) => n.externalId);

describe('cursor pagination over 250 orders', () => {
  /** Follows cursors page by page in one direction; returns the externalIds in list order. */
  async function walk(direction: 'forward' | 'backward') {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const forward = direction === 'forward';
      const p = await page(forward ? { first: 40, after: cursor } : { last: 40, before: cursor });
      pages++;
      expect(p.totalCount).toBe(TOTAL);
      expect(p.edges.map((e) => e.node.externalId)).toEqual(externalIds(p));
      expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
      if (forward) seen.push(...externalIds(p));
      else seen.unshift(...externalIds(p));
      if (!(forward ? p.pageInfo.hasNextPage : p.pageInfo.hasPreviousPage)) break;
      cursor = forward ? p.pageInfo.endCursor : p.pageInfo.startCursor;
    }
    return { seen, pages };
  }

  it('forward with first/after visits every order once, in creation order', async () => {
    expect(await walk('forward')).toEqual({ seen: all, pages: 7 });
  });

  it('backward with last/before visits every order once', async () => {
    expect(await walk('backward')).toEqual({ seen: all, pages: 7 });
  });

  it('pages meet exactly at the cursor in both directions', async () => {
    const first = await page({ first: 10 });
    expect(externalIds(first)).toEqual(all.slice(0, 10));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await page({ first: 10, after: first.pageInfo.endCursor });
    expect(externalIds(next)).toEqual(all.slice(10, 20));
    expect(next.pageInfo.hasPreviousPage).toBe(true);
    const back = await page({ last: 5, before: next.pageInfo.startCursor });
    expect(externalIds(back)).toEqual(all.slice(5, 10));
    const tail = await page({ last: 3 });
    expect(externalIds(tail)).toEqual(all.slice(-3));
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('the default page is 100 orders; 1000 is allowed', async () => {
    const p = await page({});
    expect(externalIds(p)).toEqual(all.slice(0, 100));
    expect(p.pageInfo.hasNextPage).toBe(true);
    const big = await page({ first: 1000 });
    expect(externalIds(big)).toEqual(all);
    expect(big.pageInfo.hasNextPage).toBe(false);
  });

  it('first or last over 1000 is a clear error, not a silent cut', async () => {
    for (const arg of ['first', 'last'] as const) {
      const res = await t.gql(key, PAGE, { [arg]: 1001 });
      expect(res.body.data).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0]).toMatchObject({
        message: `\`${arg}\` may be at most 1000; it was 1001. Page with cursors instead.`,
        path: ['orders'],
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });
});

describe('filters', () => {
  it('createdAfter returns only orders received strictly after the instant', async () => {
    const everything = await page({ first: 1000 });
    const pivot = everything.nodes[149].createdAt;
    const expected = everything.nodes
      .filter((n) => Date.parse(n.createdAt) > Date.parse(pivot))
      .map((n) => n.externalId);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThanOrEqual(100);
    const p = await page({ first: 1000, filter: { createdAfter: pivot } });
    expect(externalIds(p)).toEqual(expected);
    expect(p.totalCount).toBe(expected.length);
    const none = await page({ filter: { createdAfter: new Date(Date.now() + 60_000).toISOString() } });
    expect(none).toMatchObject({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('customerExternalId returns that customer’s orders, with totalCount', async () => {
    const expected = all.filter((_, i) => customerOf(i) === 3);
    const p = await page({ first: 10, filter: { customerExternalId: 'c3' } });
    expect(p.totalCount).toBe(25);
    expect(externalIds(p)).toEqual(expected.slice(0, 10));
    const rest = await page({ first: 100, after: p.pageInfo.endCursor, filter: { customerExternalId: 'c3' } });
    expect(externalIds(rest)).toEqual(expected.slice(10));
    expect((await page({ filter: { customerExternalId: 'nobody' } })).totalCount).toBe(0);
  });

  it('customerEmail ignores case and surrounding spaces', async () => {
    const expected = all.filter((_, i) => customerOf(i) === 7);
    for (const email of ['cust7@example.com', '  CUST7@Example.COM  ']) {
      const p = await page({ first: 100, filter: { customerEmail: email } });
      expect(p.totalCount).toBe(25);
      expect(externalIds(p)).toEqual(expected);
    }
    const res = await t.gql(
      key,
      '{ customers(filter: { email: " Cust7@EXAMPLE.com" }) { totalCount nodes { externalId email } } }',
    );
    expectData(res, { customers: { totalCount: 1, nodes: [{ externalId: 'c7', email: 'cust7@example.com' }] } });
  });

  it('filters combine with AND', async () => {
    const everything = await page({ first: 1000 });
    const pivot = everything.nodes[199].createdAt;
    const expected = everything.nodes
      .filter((n, i) => customerOf(i) === 2 && Date.parse(n.createdAt) > Date.parse(pivot))
      .map((n) => n.externalId);
    const p = await page({
      first: 1000,
      filter: { createdAfter: pivot, customerExternalId: 'c2', customerEmail: 'cust2@example.com' },
    });
    expect(externalIds(p)).toEqual(expected);
    expect(p.totalCount).toBe(expected.length);
    const contradictory = await page({ filter: { customerExternalId: 'c2', customerEmail: 'cust3@example.com' } });
    expect(contradictory.totalCount).toBe(0);
  });

  it("a customer's orders connection pages the same way", async () => {
    const query = `query($after: String) { customer(externalId: "c5") { status orders(first: 20, after: $after) {
      totalCount nodes { externalId } pageInfo { hasNextPage endCursor } } } }`;
    const expected = all.filter((_, i) => customerOf(i) === 5);
    const first = (await t.gql(key, query)).body.data.customer;
    expect(first.status).toBe('REPEAT');
    expect(first.orders.totalCount).toBe(25);
    expect(externalIds(first.orders)).toEqual(expected.slice(0, 20));
    const second = (await t.gql(key, query, { after: first.orders.pageInfo.endCursor })).body.data.customer;
    expect(externalIds(second.orders)).toEqual(expected.slice(20));
    expect(second.orders.pageInfo.hasNextPage).toBe(false);
  });
});

describe('SQL statements are bounded by the query shape, not the page size', () => {
  /** Statements (authentication included) one request issues. */
  async function statementsFor(apiKey: string, query: string) {
    t.resetStatements();
    const res = await t.gql(apiKey, query);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return { count: t.statements.length, data: res.body.data };
  }

  async function clientWith(orders: number) {
    const c = await t.newClient();
    await seedOrders(c.client.id, orders, 'S');
    return c.keys.admin;
  }

  it('orders(first: 100) { nodes { items(first: 10) { sku } customer { email } } } takes ≤ 4 statements for 10 and for 100 orders', async () => {
    const [ten, hundred] = [await clientWith(10), await clientWith(100)];
    const query = '{ orders(first: 100) { nodes { items(first: 10) { sku } customer { email } } } }';
    const small = await statementsFor(ten, query);
    const large = await statementsFor(hundred, query);
    expect(small.data.orders.nodes).toHaveLength(10);
    expect(large.data.orders.nodes).toHaveLength(100);
    expect(large.data.orders.nodes[99]).toEqual({
      items: [{ sku: 'sku-99-a' }, { sku: 'sku-99-b' }],
      customer: { email: 'cust9@example.com' },
    });
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(4);
    console.info(
      `orders page with items and customer: ${small.count} SQL statements for 10 orders, ${large.count} for 100`,
    );

    // A richer shape is still bounded: feed products (dataloader), eligibility, status, counts.
    const rich = `{ orders(first: 100) { totalCount pageInfo { hasNextPage } nodes { externalId
      items(first: 10) { sku name reviewInvitationEligible product { name } } customer { email status orders(first: 2) { totalCount nodes { externalId } } } } } }`;
    const richSmall = await statementsFor(ten, rich);
    const richLarge = await statementsFor(hundred, rich);
    // The nested page of each customer's orders is cut in SQL (LATERAL … LIMIT), not in memory.
    const main = t.statements.find((sql) => sql.includes('"Customer_orders"'));
    expect(main).toMatch(
      /ASC LIMIT \$\d+ OFFSET \$\d+ \/\* middle select \*\/\) AS "\w+" \/\* outer select \*\/\) AS "Customer_orders"/,
    );
    expect(richLarge.data.orders.nodes).toHaveLength(100);
    expect(richLarge.data.orders.nodes[0].customer).toEqual({
      email: 'cust0@example.com',
      status: 'REPEAT',
      orders: { totalCount: 10, nodes: [{ externalId: 'S-000' }, { externalId: 'S-010' }] },
    });
    expect(richLarge.count).toBe(richSmall.count);
    console.info(`richer orders page: ${richSmall.count} SQL statements for 10 orders, ${richLarge.count} for 100`);
  });
});
