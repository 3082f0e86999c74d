// A page after a cursor costs one statement more than the first page: the cursor's row, looked up
// within the caller's client before execution (src/platform/http/cursor-guard.ts). Root lists turn
// it into a keyset condition (`id > after`, or the ordering's sort keys for reviews), so Prisma keeps
// relationLoadStrategy 'join' and nested pages keep their LIMIT; relation lists (Product.reviews)
// position with Prisma's cursor on the checked row.
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
  it('orders after a cursor: the next rows in 3 statements (key, cursor row, one joined query)', async () => {
    const first = await page(ORDERS, { first: 2 });
    expect(first.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-1', 'O-2']);
    expect(first.statements).toHaveLength(2);
    const next = await page(ORDERS, { first: 2, after: first.data.orders.pageInfo.endCursor });
    expect(next.statements).toHaveLength(3);
    expect(next.statements[1]).toMatch(/FROM "public"\."orders".*"client_id" = \$\d/s);
    expect(next.data.orders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(next.data.orders.nodes).toEqual([
      { externalId: 'O-3', customer: { externalId: 'C-3' }, items: [{ sku: 'P-3' }, { sku: 'X-3' }] },
      { externalId: 'O-4', customer: { externalId: 'C-4' }, items: [{ sku: 'P-4' }, { sku: 'X-4' }] },
    ]);
    const last = await page(ORDERS, { first: 2, after: next.data.orders.pageInfo.endCursor });
    expect(last.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-5']);
    expect(last.data.orders.pageInfo.hasNextPage).toBe(false);
  });

  it('orders before a cursor: the rows just before it, in 3 statements', async () => {
    const tail = await page(ORDERS, { last: 2 });
    expect(tail.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-4', 'O-5']);
    const previous = await page(ORDERS, { last: 2, before: tail.data.orders.pageInfo.startCursor });
    expect(previous.statements).toHaveLength(3);
    expect(previous.data.orders.nodes.map((n: { externalId: string }) => n.externalId)).toEqual(['O-2', 'O-3']);
    expect(previous.data.orders.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('a cursor whose order was erased is invalid: BAD_USER_INPUT, the client restarts paging', async () => {
    const first = await page(ORDERS, { first: 2 });
    const gone = await t.db.order.findFirstOrThrow({ where: { externalId: 'O-2' } });
    await t.db.orderItem.deleteMany({ where: { orderId: gone.id } });
    await t.db.order.delete({ where: { id: gone.id } });
    const res = await t.gql(admin, ORDERS, { first: 2, after: first.data.orders.pageInfo.endCursor });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toMatchObject([{ message: 'Invalid cursor.', extensions: { code: 'BAD_USER_INPUT' } }]);
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
    expect(next.statements).toHaveLength(3);
    expect(next.statements[2]).toMatch(/"public"\."reviews".*ORDER BY [^)]*LIMIT/s);
  });

  it.each(['NEWEST', 'OLDEST', 'HIGHEST_RATING', 'LOWEST_RATING'])(
    'reviews(orderBy: %s) after a cursor: 3 statements, the product still joined',
    async (orderBy) => {
      const query = `query($after: String, $orderBy: ReviewOrder!) { reviews(first: 4, after: $after, orderBy: $orderBy) {
        pageInfo { endCursor } nodes { title product { sku } } } }`;
      const all = await page(query.replace('first: 4', 'first: 15'), { orderBy });
      const first = await page(query, { orderBy });
      expect(first.statements).toHaveLength(2);
      const next = await page(query, { orderBy, after: first.data.reviews.pageInfo.endCursor });
      expect(next.statements).toHaveLength(3);
      expect(next.data.reviews.nodes).toEqual(all.data.reviews.nodes.slice(4, 8));
    },
  );

  it('Product.reviews after a cursor: 4 statements (key, cursor row, product, its review page)', async () => {
    const query = `query($after: String) { product(sku: "P-1") { reviews(first: 1, after: $after, orderBy: LOWEST_RATING) {
      pageInfo { endCursor } nodes { title } } } }`;
    const first = await page(query, {});
    expect(first.statements).toHaveLength(2);
    const next = await page(query, { after: first.data.product.reviews.pageInfo.endCursor });
    expect(next.data.product.reviews.nodes).toEqual([{ title: 'P-1 review 2' }]);
    expect(next.statements).toHaveLength(4);
  });
});
