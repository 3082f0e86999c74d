// upsertOrders: many orders per call, one transaction, the rules of upsertOrder exactly as
// upsertOrder (which is a batch of one), a bounded number of SQL statements, safe concurrently.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { ORDER_FIELDS, orderInput, rowCounts, upsertOrderOk, upsertProductsOk } from './order-helpers.ts';

const t = useTestApp();

const UPSERT_ORDERS = `mutation UpsertOrders($input: UpsertOrdersInput!) {
  upsertOrders(input: $input) {
    __typename
    ... on UpsertOrdersSuccess { createdCount updatedCount results { created order { ${ORDER_FIELDS.replace('items {', 'items(first: 10) {')} } } }
    ... on Error { message code }
    ... on ValidationError { fieldErrors { path message } }
  }
}`;

/** For batches that must fail: no read-back, so even 1001 orders fit the cost limit. */
const UPSERT_ORDERS_BARE = UPSERT_ORDERS.replace(/results \{[\s\S]*\} \} \}/, '}');

type Order = ReturnType<typeof orderInput>;

async function upsertOrders(key: string, orders: unknown[], document = UPSERT_ORDERS) {
  const res = await t.gql(key, document, { input: { orders } });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data.upsertOrders;
}

async function upsertOrdersOk(key: string, orders: unknown[]) {
  const result = await upsertOrders(key, orders);
  expect(result.__typename, JSON.stringify(result)).toBe('UpsertOrdersSuccess');
  return result as { createdCount: number; updatedCount: number; results: { created: boolean; order: any }[] };
}

async function readOrder(key: string, externalId: string) {
  const res = await t.gql(key, `query($e: String!) { order(externalId: $e) { ${ORDER_FIELDS} } }`, { e: externalId });
  return res.body.data.order;
}

const bySku = (order: { items: { sku: string }[] }) =>
  Object.fromEntries(order.items.map((i) => [i.sku, i])) as Record<string, any>;

/** `n` orders `prefix-0…` with `items` items each, customers `c-0…c-4`. */
const orders = (prefix: string, n: number, items: number, version = 'v1'): Order[] =>
  Array.from({ length: n }, (_, k) =>
    orderInput(
      `${prefix}-${k}`,
      `c-${k % 5}`,
      Array.from({ length: items }, (_, i) => ({ sku: `s${i}`, name: `Item ${i} ${version}` })),
    ),
  );

describe('creates and updates in one call', () => {
  it('mixes new and existing orders; results in request order with created flags and counts', async () => {
    const { keys } = await t.newClient();
    const o1 = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple' }]));
    const o2 = await upsertOrderOk(t, keys.admin, orderInput('o2', 'c2', [{ sku: 'B', name: 'Banana' }]));
    const result = await upsertOrdersOk(keys.admin, [
      orderInput('o3', 'c3', [{ sku: 'C', name: 'Cherry' }]),
      orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple v2' }]),
      orderInput('o4', 'c1', []),
      orderInput('o2', 'c2', [{ sku: 'D', name: 'Date' }]),
    ]);
    expect(result.createdCount).toBe(2);
    expect(result.updatedCount).toBe(2);
    expect(result.results.map((r) => [r.order.externalId, r.created])).toEqual([
      ['o3', true],
      ['o1', false],
      ['o4', true],
      ['o2', false],
    ]);
    const [o3, o1b, o4, o2b] = result.results.map((r) => r.order);
    expect(o1b.id).toBe(o1.order.id);
    expect(o2b.id).toBe(o2.order.id);
    expect(o1b.items.map((i: any) => [i.sku, i.name])).toEqual([['A', 'Apple v2']]);
    expect(o2b.items.map((i: any) => i.sku)).toEqual(['B', 'D']);
    expect(o3.items.map((i: any) => i.sku)).toEqual(['C']);
    expect(o4).toMatchObject({ items: [], customer: { externalId: 'c1', status: 'REPEAT' } });
    // What the call answered is what is stored.
    for (const order of result.results.map((r) => r.order))
      expect(await readOrder(keys.admin, order.externalId)).toEqual(order);
  });

  it('an order of the batch whose items did not change keeps its updatedAt; one whose items changed moves', async () => {
    const { keys } = await t.newClient();
    await upsertOrdersOk(keys.admin, [
      orderInput('same', 'c', [{ sku: 'A', name: 'A' }]),
      orderInput('moves', 'c', [{ sku: 'A', name: 'A' }]),
    ]);
    const before = { same: await readOrder(keys.admin, 'same'), moves: await readOrder(keys.admin, 'moves') };
    await new Promise((r) => setTimeout(r, 15));
    const { results } = await upsertOrdersOk(keys.admin, [
      orderInput('same', 'c', [{ sku: 'A', name: 'A' }]),
      orderInput('moves', 'c', [{ sku: 'A', name: 'A2' }]),
    ]);
    expect(results[0].order.updatedAt).toBe(before.same.updatedAt);
    expect(Date.parse(results[1].order.updatedAt)).toBeGreaterThan(Date.parse(before.moves.updatedAt));
    expect(Date.parse(results[1].order.items[0].updatedAt)).toBeGreaterThan(
      Date.parse(before.moves.items[0].updatedAt),
    );
  });
});

describe('upsertOrder rules inside a batch', () => {
  it('one customer in several orders: fields apply in order, fields never sent keep the stored value', async () => {
    const { client, keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, {
      externalId: 'old',
      customer: { externalId: 'ada', name: 'Ada', email: 'ada@example.com' },
    });
    await upsertOrderOk(t, keys.admin, {
      externalId: 'old2',
      customer: { externalId: 'bob', name: 'Bob', email: 'bob@example.com' },
    });
    const bobBefore = await t.db.customer.findFirstOrThrow({ where: { clientId: client.id, externalId: 'bob' } });
    await new Promise((r) => setTimeout(r, 15));
    const { results } = await upsertOrdersOk(keys.admin, [
      { externalId: 'n1', customer: { externalId: 'ada', name: 'Ada L', email: ' Ada.L@Example.com ' } },
      { externalId: 'n2', customer: { externalId: 'bob' } },
      { externalId: 'n3', customer: { externalId: 'ada', name: 'Ada King' } },
      { externalId: 'n4', customer: { externalId: 'ada', optOut: true } },
      { externalId: 'n5', customer: { externalId: 'bob', name: 'Bob' } },
      { externalId: 'n6', customer: { externalId: 'new', email: 'new@example.com' } },
      { externalId: 'n7', customer: { externalId: 'new', email: null, optOut: true } },
    ]);
    const ada = { externalId: 'ada', name: 'Ada King', email: 'ada.l@example.com', optOut: true, status: 'REPEAT' };
    expect(results.map((r) => r.order.customer)).toEqual([
      expect.objectContaining(ada),
      expect.objectContaining({ externalId: 'bob', name: 'Bob', email: 'bob@example.com', optOut: false }),
      expect.objectContaining(ada),
      expect.objectContaining(ada),
      expect.objectContaining({ externalId: 'bob', name: 'Bob' }),
      expect.objectContaining({ externalId: 'new', name: null, email: null, optOut: true, status: 'REPEAT' }),
      expect.objectContaining({ externalId: 'new', email: null, optOut: true }),
    ]);
    expect(await t.db.customer.count({ where: { clientId: client.id } })).toBe(3);
    // Bob was sent only with values he already had: his updatedAt did not move.
    const bobAfter = await t.db.customer.findFirstOrThrow({ where: { clientId: client.id, externalId: 'bob' } });
    expect(bobAfter.updatedAt).toEqual(bobBefore.updatedAt);
  });

  it('feed details, request overrides, reviewable rules and no deletion, as upsertOrder', async () => {
    const { keys } = await t.newClient();
    await upsertProductsOk(t, keys.admin, [
      { sku: 'P1', name: 'Feed jacket', category: 'Jackets', properties: { material: 'wool' } },
    ]);
    await upsertOrderOk(
      t,
      keys.admin,
      orderInput('kept', 'c1', [
        { sku: 'A', name: 'Apple', category: 'Fruit', deliveryDate: '2026-01-01' },
        { sku: 'B', name: 'Banana' },
      ]),
    );
    const { results } = await upsertOrdersOk(keys.admin, [
      orderInput('feed', 'c1', [
        { sku: 'P1', deliveryDate: '2026-10-10' },
        { sku: 'X-bare', category: 'Misc', deliveryDate: '2026-10-10' },
        { sku: 'X-named', name: 'Named thing', deliveryDate: '2026-10-10' },
        { sku: 'X-forced', reviewable: true, deliveryDate: '2026-10-10' },
      ]),
      orderInput('kept', 'c1', [
        { sku: 'A', reviewable: false },
        { sku: 'C', name: 'Cherry' },
      ]),
      orderInput('own', 'c2', [{ sku: 'P1', name: 'Own name', category: null, reviewable: false }]),
    ]);
    const [feed, kept, own] = results.map((r) => bySku(r.order));
    expect(feed.P1).toMatchObject({
      name: 'Feed jacket',
      category: 'Jackets',
      properties: { material: 'wool' },
      reviewable: true,
      reviewInvitationEligible: true,
    });
    expect(feed['X-bare']).toMatchObject({
      name: null,
      category: 'Misc',
      reviewable: false,
      reviewInvitationEligible: false,
    });
    expect(feed['X-named']).toMatchObject({ name: 'Named thing', reviewable: true, reviewInvitationEligible: true });
    expect(feed['X-forced']).toMatchObject({ name: null, reviewable: true, reviewInvitationEligible: true });
    expect(Object.keys(kept)).toEqual(['A', 'B', 'C']);
    expect(kept.A).toMatchObject({
      name: 'Apple',
      category: 'Fruit',
      deliveryDate: '2026-01-01',
      reviewable: false,
      reviewInvitationEligible: false,
    });
    expect(kept.B).toMatchObject({ name: 'Banana', reviewable: true });
    expect(own.P1).toMatchObject({
      name: 'Own name',
      category: null,
      properties: { material: 'wool' },
      reviewable: false,
    });
  });
});

describe('invalid batches write nothing', () => {
  /** Sends the batch, expects a ValidationError with exactly these paths, and no row changed. */
  async function expectValidationError(key: string, batch: unknown[], paths: string[][]) {
    const before = await rowCounts(t);
    const result = await upsertOrders(key, batch, UPSERT_ORDERS_BARE);
    expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(result.fieldErrors.map((e: { path: string[] }) => e.path)).toEqual(paths);
    expect(await rowCounts(t)).toEqual(before);
    return result;
  }

  it('an invalid order in the middle: its path, and neither the orders before nor after it are written', async () => {
    const { keys } = await t.newClient();
    const stored = (await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple' }]))).order;
    await expectValidationError(
      keys.admin,
      [
        orderInput('new-1', 'c9', [{ sku: 'A', name: 'x' }]),
        orderInput('o1', 'c1', [{ sku: 'A', name: 'Changed' }, { sku: 'B' }]),
        orderInput('new-2', 'c9', [{ sku: 'A' }, { sku: '  ' }]),
        orderInput('new-3', 'c9'),
      ],
      [['input', 'orders', '2', 'items', '1', 'sku']],
    );
    expect(await readOrder(keys.admin, 'new-1')).toBeNull();
    expect(await readOrder(keys.admin, 'new-3')).toBeNull();
    expect(await readOrder(keys.admin, 'o1')).toEqual(stored);
  });

  it('a repeated order externalId, naming the repeat', async () => {
    const { keys } = await t.newClient();
    const r = await expectValidationError(
      keys.admin,
      [orderInput('o1', 'c1'), orderInput('o2', 'c1'), orderInput('o1', 'c2')],
      [['input', 'orders', '2', 'externalId']],
    );
    expect(r.fieldErrors[0].message).toBe('duplicate externalId "o1" (also at index 0)');
  });

  it('more than 1000 orders, more than 10,000 items in all, or none', async () => {
    const { keys } = await t.newClient();
    const many = await expectValidationError(keys.admin, orders('x', 1001, 0), [['input', 'orders']]);
    expect(many.fieldErrors[0].message).toBe('at most 1000 orders per call');
    const items = await expectValidationError(keys.admin, orders('y', 11, 1000), [['input', 'orders']]);
    expect(items.fieldErrors[0].message).toBe('at most 10,000 items in all per call');
    await expectValidationError(keys.admin, [], [['input', 'orders']]);
  });

  it('SUPPORT and STOREFRONT keys get FORBIDDEN', async () => {
    const { keys } = await t.newClient();
    const before = await rowCounts(t);
    for (const [role, key] of [
      ['SUPPORT', keys.support],
      ['STOREFRONT', keys.storefront],
    ]) {
      const res = await t.gql(key, UPSERT_ORDERS, { input: { orders: [orderInput('o1', 'c1', [{ sku: 'A' }])] } });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['FORBIDDEN', `A ${role} key may not use Mutation.upsertOrders.`],
      ]);
    }
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('statement count', () => {
  it('100 orders × 3 items take as many SQL statements as 10 orders × 3 items, created or changed', async () => {
    const { keys } = await t.newClient();
    const count = async (list: Order[]) => {
      t.resetStatements();
      const { results } = await upsertOrdersOk(keys.admin, list);
      expect(results).toHaveLength(list.length);
      return t.statements.length;
    };
    const created = [await count(orders('small', 10, 3)), await count(orders('large', 100, 3))];
    const changed = [await count(orders('small', 10, 3, 'v2')), await count(orders('large', 100, 3, 'v2'))];
    expect(created[1]).toBe(created[0]);
    expect(changed[1]).toBe(changed[0]);
    // Key, customers, orders, [stored items], feed, item write, read-back, COMMIT.
    expect(created[0]).toBeLessThanOrEqual(7);
    expect(changed[0]).toBeLessThanOrEqual(8);
    const order = await readOrder(keys.admin, 'large-99');
    expect(order.items.map((i: any) => i.name)).toEqual(['Item 0 v2', 'Item 1 v2', 'Item 2 v2']);
  });
});

describe('concurrent batches', () => {
  it('overlapping batches (same orders and customers, different order) never fail or lose an item', async () => {
    const { client, keys } = await t.newClient();
    const BATCHES = 8;
    const ORDERS = 30;
    const batches = Array.from({ length: BATCHES }, (_, b) => {
      // Each batch takes 20 of the 30 orders, starting at a different place, reversed for odd
      // batches. Three orders share a customer, so batches overlap on some customers but not all
      // (a customer common to every batch would serialize whole batches and hide lock-order races).
      const picked = Array.from({ length: 20 }, (_, k) => (k + b * 4) % ORDERS);
      if (b % 2) picked.reverse();
      return picked.map((n) => ({
        externalId: `race-${n}`,
        customer: { externalId: `buyer-${Math.floor(n / 3)}`, name: `Name from ${b}` },
        items: [
          { sku: `batch-${b}`, name: `From batch ${b}` },
          { sku: 'shared', name: `Shared v${b}` },
        ],
      }));
    });
    const results = await Promise.all(batches.map((batch) => upsertOrders(keys.admin, batch)));
    expect(results.map((r) => r.__typename)).toEqual(Array(BATCHES).fill('UpsertOrdersSuccess'));
    // Every order was created exactly once across the batches.
    const created = results.flatMap((r) => r.results.filter((x: any) => x.created).map((x: any) => x.order.externalId));
    expect(created.sort()).toEqual([...new Set(batches.flat().map((o) => o.externalId))].sort());

    const stored = await t.db.order.findMany({
      where: { clientId: client.id },
      include: { items: true, customer: true },
    });
    expect(stored).toHaveLength(ORDERS);
    for (const order of stored) {
      const expected = batches.flatMap((batch, b) =>
        batch.some((o) => o.externalId === order.externalId) ? [`batch-${b}`] : [],
      );
      expect(order.items.map((i) => i.sku).sort(), order.externalId).toEqual([...expected, 'shared'].sort());
      expect(order.customer.externalId).toBe(`buyer-${Math.floor(Number(order.externalId.slice(5)) / 3)}`);
    }
    expect(await t.db.customer.count({ where: { clientId: client.id } })).toBe(ORDERS / 3);
  });
});
