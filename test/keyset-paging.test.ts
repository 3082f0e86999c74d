// Pages after a cursor cost the same statements as the first page: orders and products turn their
// cursor into `id > after` / `id < before` (src/platform/graphql/paging.ts idKeyset), so Prisma keeps
// relationLoadStrategy 'join' and nested pages keep their LIMIT.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { upsertOrderOk, upsertProductsOk } from './order-helpers.ts';

const t = useTestApp();
let admin: string;

beforeAll(async () => {
  const { client, keys } = await t.newClient();
  admin = keys.admin;
  await upsertProductsOk(
    t,
    admin,
    [1, 2, 3, 4, 5].map((i) => ({ sku: `P-${i}`, name: `Product ${i}` })),
  );
  for (let i = 1; i <= 5; i++) {
    await upsertOrderOk(t, admin, {
      externalId: `O-${i}`,
      customer: { externalId: `C-${i}`, email: `c${i}@example.com` },
      items: [{ sku: `P-${i}` }, { sku: `X-${i}`, name: 'Outside the feed' }],
    });
  }
  await t.db.review.createMany({
    data: [1, 2, 3, 4, 5].flatMap((i) =>
      [1, 2, 3].map((r) => ({
        clientId: client.id,
        productSku: `P-${i}`,
        rating: r,
        title: `P-${i} review ${r}`,
        content: 'x',
        authorNick: 'n',
        authorEmail: 'a@example.com',
        status: 'PUBLISHED' as const,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, r)),
      })),
    ),
  });
});

async function page(query: string, variables: Record<string, unknown>) {
  t.resetStatements();
  const res = await t.gql(admin, query, variables);
  expect(res.body.errors).toBeUndefined();
  return { data: res.body.data, statements: [...t.statements] };
}

const ORDERS = `query($first: Int, $after: String, $last: Int, $before: String) {
  orders(first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { externalId customer { externalId } items { sku } } } }`;

describe('keyset pages', () => {
  it('orders after a cursor: the next rows in 2 statements (key lookup + one joined query), like the first page', async () => {
    const first = await page(ORDERS, { first: 2 });
    expect(first.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-1', 'O-2']);
    expect(first.statements).toHaveLength(2);
    const next = await page(ORDERS, { first: 2, after: first.data.orders.pageInfo.endCursor });
    expect(next.statements).toHaveLength(2);
    expect(next.data.orders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(next.data.orders.nodes).toEqual([
      { externalId: 'O-3', customer: { externalId: 'C-3' }, items: [{ sku: 'P-3' }, { sku: 'X-3' }] },
      { externalId: 'O-4', customer: { externalId: 'C-4' }, items: [{ sku: 'P-4' }, { sku: 'X-4' }] },
    ]);
    const last = await page(ORDERS, { first: 2, after: next.data.orders.pageInfo.endCursor });
    expect(last.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-5']);
    expect(last.data.orders.pageInfo.hasNextPage).toBe(false);
  });

  it('orders before a cursor: the rows just before it, in 2 statements', async () => {
    const tail = await page(ORDERS, { last: 2 });
    expect(tail.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-4', 'O-5']);
    const previous = await page(ORDERS, { last: 2, before: tail.data.orders.pageInfo.startCursor });
    expect(previous.statements).toHaveLength(2);
    expect(previous.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-2', 'O-3']);
    expect(previous.data.orders.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('a cursor whose order was erased still pages on from its place', async () => {
    const first = await page(ORDERS, { first: 2 });
    const gone = await t.db.order.findFirstOrThrow({ where: { externalId: 'O-2' } });
    await t.db.orderItem.deleteMany({ where: { orderId: gone.id } });
    await t.db.order.delete({ where: { id: gone.id } });
    const next = await page(ORDERS, { first: 2, after: first.data.orders.pageInfo.endCursor });
    expect(next.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-3', 'O-4']);
  });

  it('products after a cursor keep the LIMIT of their nested review pages', async () => {
    const query = `query($after: String) { products(first: 2, after: $after) {
      pageInfo { endCursor } nodes { sku reviews(first: 1) { nodes { title } } } } }`;
    const first = await page(query, {});
    const next = await page(query, { after: first.data.products.pageInfo.endCursor });
    expect(next.data.products.nodes).toEqual([
      { sku: 'P-3', reviews: { nodes: [{ title: 'P-3 review 3' }] } },
      { sku: 'P-4', reviews: { nodes: [{ title: 'P-4 review 3' }] } },
    ]);
    expect(next.statements).toHaveLength(2);
    expect(next.statements[1]).toMatch(/"public"\."reviews".*ORDER BY [^)]*LIMIT/s);
  });
});
