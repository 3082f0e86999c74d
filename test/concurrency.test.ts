// Concurrent upserts of the same order or customer never fail and never lose an item
// (database upserts, not read-then-write). Meaningful on PostgreSQL; PGlite serializes.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { mutate, UPSERT_ORDER, UPSERT_PRODUCTS } from './order-helpers.ts';

const t = useTestApp();
const N = 20;

async function parallel(key: string, document: string, inputs: unknown[]) {
  const results = await Promise.all(inputs.map((input) => mutate(t, key, document, input)));
  return results.map((r) => r.__typename as string);
}

describe('concurrent upserts', () => {
  it(`${N} parallel upserts of the same new order, each with its own item, make one order with ${N} items`, async () => {
    const { client, keys } = await t.newClient();
    const inputs = Array.from({ length: N }, (_, i) => ({
      externalId: 'race',
      customer: { externalId: 'buyer', name: `Name ${i}` },
      items: [{ sku: `item-${i}`, name: `Item ${i}` }],
    }));
    const typenames = await parallel(keys.admin, UPSERT_ORDER, inputs);
    expect(typenames).toEqual(Array(N).fill('UpsertOrderSuccess'));
    const orders = await t.db.order.findMany({ where: { clientId: client.id }, include: { items: true } });
    expect(orders).toHaveLength(1);
    expect(orders[0].items.map((i) => i.sku).sort()).toEqual(inputs.map((i) => i.items[0].sku).sort());
    expect(await t.db.customer.count({ where: { clientId: client.id } })).toBe(1);
  });

  it('exactly one of the parallel calls reports created: true', async () => {
    const { keys } = await t.newClient();
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.gql(
          keys.admin,
          'mutation($input: UpsertOrderInput!) { upsertOrder(input: $input) { ... on UpsertOrderSuccess { created } } }',
          {
            input: { externalId: 'race', customer: { externalId: 'buyer' }, items: [{ sku: `s${i}` }] },
          },
        ),
      ),
    );
    expect(results.map((r) => r.body.errors)).toEqual(Array(N).fill(undefined));
    expect(results.filter((r) => r.body.data.upsertOrder.created)).toHaveLength(1);
  });

  it(`${N} parallel upserts of different orders for the same new customer make one customer with ${N} orders`, async () => {
    const { client, keys } = await t.newClient();
    const inputs = Array.from({ length: N }, (_, i) => ({
      externalId: `order-${i}`,
      customer: { externalId: 'shared-buyer', email: 'Shared@Example.com', optOut: i % 2 === 0 },
      items: [{ sku: 'same-sku', name: 'Same thing' }],
    }));
    const typenames = await parallel(keys.admin, UPSERT_ORDER, inputs);
    expect(typenames).toEqual(Array(N).fill('UpsertOrderSuccess'));
    const customers = await t.db.customer.findMany({
      where: { clientId: client.id },
      include: { _count: { select: { orders: true } } },
    });
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({
      externalId: 'shared-buyer',
      email: 'shared@example.com',
      _count: { orders: N },
    });
    expect(await t.db.orderItem.count({ where: { order: { clientId: client.id } } })).toBe(N);
  });

  it('parallel updates of the same items in one order keep every item and end with one of the sent values', async () => {
    const { client, keys } = await t.newClient();
    const skus = ['a', 'b', 'c', 'd'];
    const inputs = Array.from({ length: N }, (_, i) => ({
      externalId: 'busy',
      customer: { externalId: 'buyer' },
      // Every call touches every item, in a different order, to provoke lock-order conflicts.
      items: (i % 2 ? skus : [...skus].reverse()).map((sku) => ({ sku, name: `v${i}` })),
    }));
    const typenames = await parallel(keys.admin, UPSERT_ORDER, inputs);
    expect(typenames).toEqual(Array(N).fill('UpsertOrderSuccess'));
    const items = await t.db.orderItem.findMany({ where: { order: { clientId: client.id } }, orderBy: { sku: 'asc' } });
    expect(items.map((i) => i.sku)).toEqual(skus);
    for (const item of items) expect(inputs.map((_, i) => `v${i}`)).toContain(item.name);
  });

  it('parallel feed uploads of overlapping skus never fail or duplicate a product', async () => {
    const { client, keys } = await t.newClient();
    const inputs = Array.from({ length: 10 }, (_, i) => ({
      products: Array.from({ length: 50 }, (_, k) => ({ sku: `p-${(k + i * 5) % 60}`, name: `from call ${i}` })),
    }));
    const typenames = await parallel(keys.admin, UPSERT_PRODUCTS, inputs);
    expect(typenames).toEqual(Array(10).fill('UpsertProductsSuccess'));
    expect(await t.db.product.count({ where: { clientId: client.id } })).toBe(60);
  });
});
