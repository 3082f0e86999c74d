// Order.items has a bound, so the cost model can price it: an order holds at most 1000 items over
// all calls, a page of orders pays for the items it may return (1000 per order without `first`,
// else `first`), and `itemCount` tells a client that asked for fewer how many there are.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { mutate, orderInput, rowCounts, UPSERT_ORDER, upsertOrderOk } from './order-helpers.ts';

const t = useTestApp();

const skus = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ sku: `${prefix}${i}` }));

const UPSERT_ORDERS = `mutation($input: UpsertOrdersInput!) { upsertOrders(input: $input) {
  __typename
  ... on UpsertOrdersSuccess { createdCount updatedCount }
  ... on ValidationError { fieldErrors { path message } }
} }`;

describe('items(first:) and itemCount', () => {
  it('returns the first lines in the order first sent, and the count of all of them', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', skus('s', 5)));
    const res = await t.gql(
      keys.admin,
      '{ order(externalId: "o1") { itemCount two: items(first: 2) { sku } none: items(first: 0) { sku } all: items { sku } } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.order).toEqual({
      itemCount: 5,
      two: [{ sku: 's0' }, { sku: 's1' }],
      none: [],
      all: skus('s', 5),
    });
  });

  it('a page of orders with items(first:) and itemCount takes as many statements for 100 orders as for 10', async () => {
    const counts: number[] = [];
    for (const n of [10, 100]) {
      const { keys } = await t.newClient();
      const orders = Array.from({ length: n }, (_, i) => orderInput(`o${i}`, `c${i}`, skus('s', 3)));
      await mutate(t, keys.admin, UPSERT_ORDERS, { orders });
      t.resetStatements();
      const res = await t.gql(keys.admin, '{ orders(first: 100) { nodes { itemCount items(first: 2) { sku } } } }');
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.orders.nodes).toHaveLength(n);
      expect(res.body.data.orders.nodes[n - 1]).toEqual({ itemCount: 3, items: [{ sku: 's0' }, { sku: 's1' }] });
      counts.push(t.statements.length);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('a negative or too large `first` is BAD_USER_INPUT', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', skus('s', 1)));
    for (const first of [-1, 1001]) {
      const res = await t.gql(keys.admin, `{ order(externalId: "o1") { items(first: ${first}) { sku } } }`);
      expect(res.body.data.order).toBeNull();
      expect(res.body.errors).toMatchObject([
        {
          message: `\`items(first:)\` must be between 0 and 1000; it was ${first}.`,
          extensions: { code: 'BAD_USER_INPUT', argument: 'first', max: 1000 },
        },
      ]);
    }
  });
});

describe('the cost model prices Order.items by its bound', () => {
  it('1000 per order without `first`, `first` with it', async () => {
    const { keys } = await t.newClient();
    const cost = async (query: string) => {
      const res = await t.gql(keys.admin, query);
      return {
        status: res.status,
        requested: res.body.extensions?.cost?.requested,
        code: res.body.errors?.[0]?.extensions?.code,
      };
    };
    // Order 1 + items 1000 × 1
    expect(await cost('{ order(externalId: "x") { items { sku } } }')).toMatchObject({ requested: 1001 });
    expect(await cost('{ order(externalId: "x") { items(first: 7) { sku } } }')).toMatchObject({ requested: 8 });
    // connection 1 + 9 × (Order 1 + 1000 items)
    expect(await cost('{ orders(first: 9) { nodes { items { sku } } } }')).toMatchObject({ requested: 1 + 9 * 1001 });
    // 10 orders with every item are over the default limit of 10,000; with items(first: 50) 100 orders fit.
    expect(await cost('{ orders(first: 10) { nodes { items { sku } } } }')).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
    });
    expect(await cost('{ orders(first: 100) { nodes { itemCount items(first: 50) { sku } } } }')).toMatchObject({
      requested: 1 + 100 * 51,
    });
  });

  it('a storefront key cannot read orders at all, whatever it asks', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', skus('s', 2)));
    const res = await t.gql(keys.storefront, '{ order(externalId: "o1") { itemCount items(first: 1) { sku } } }');
    expect(res.body.data?.order ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('an order holds at most 1000 items', () => {
  it('adding new skus past the bound is a ValidationError naming the order; nothing is written', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('big', 'c1', skus('a', 1000)));
    const before = await rowCounts(t);

    const one = await mutate(t, keys.admin, UPSERT_ORDER, orderInput('big', 'c1', [{ sku: 'new', name: 'N' }]));
    expect(one).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [
        {
          path: ['input', 'items'],
          message: 'an order holds at most 1000 items: it has 1000 and this call adds 1 new skus',
        },
      ],
    });

    const batch = await mutate(t, keys.admin, UPSERT_ORDERS, {
      orders: [orderInput('small', 'c2', skus('b', 3)), orderInput('big', 'c1', [{ sku: 'a0' }, { sku: 'x' }])],
    });
    expect(batch).toEqual({
      __typename: 'ValidationError',
      fieldErrors: [
        {
          path: ['input', 'orders', '1', 'items'],
          message: 'an order holds at most 1000 items: it has 1000 and this call adds 1 new skus',
        },
      ],
    });
    expect(await rowCounts(t)).toEqual(before);

    // Updating items it already holds is still fine.
    const update = await upsertOrderOk(t, keys.admin, orderInput('big', 'c1', [{ sku: 'a1', name: 'renamed' }]));
    expect(update.created).toBe(false);
    const res = await t.gql(keys.admin, '{ order(externalId: "big") { itemCount items(first: 2) { sku name } } }');
    expect(res.body.data.order).toEqual({
      itemCount: 1000,
      items: [
        { sku: 'a0', name: null },
        { sku: 'a1', name: 'renamed' },
      ],
    });
  });

  it('the count is read only when an existing order gains new skus', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o', 'c', skus('s', 2)));
    const statements = async (input: unknown) => {
      t.resetStatements();
      await mutate(t, keys.admin, UPSERT_ORDERS, { orders: [input] });
      return t.statements.filter((s) => /count\(/i.test(s) && /order_items/.test(s)).length;
    };
    expect(await statements(orderInput('fresh', 'c', skus('s', 3)))).toBe(0);
    expect(await statements(orderInput('o', 'c', [{ sku: 's0', name: 'changed' }]))).toBe(0);
    expect(await statements(orderInput('o', 'c', [{ sku: 'new' }]))).toBe(1);
  });
});
