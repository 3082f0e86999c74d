// Erasure under concurrency: racing order upserts for the same customer, and two
// erasures of the same subject at once. Meaningful on PostgreSQL (PGlite runs one at a time).
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { mutate, UPSERT_ORDER, upsertOrderOk } from './order-helpers.ts';
import {
  ERASE,
  personalDataSizes,
  seedPerson,
  tableCounts,
  uniq,
  type Counts,
  useClientOf,
} from './privacy-helpers.ts';

const t = useTestApp();
const me = useClientOf(t);

const order = (externalId: string, customerExternalId: string, email: string) => ({
  externalId,
  customer: { externalId: customerExternalId, email, name: 'Racing Customer' },
  items: [
    { sku: 'a', name: 'A', deliveryDate: '2026-01-01' },
    { sku: 'b', name: 'B', deliveryDate: '2026-01-01' },
  ],
});

/** Rows that would be half-state: orders without a customer, items without an order, orders missing an item. */
async function halfState() {
  const [row] = await t.db.$queryRaw<{ orphanOrders: number; orphanItems: number; partialOrders: number }[]>`
    SELECT (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id))::int AS "orphanOrders",
           (SELECT count(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id))::int AS "orphanItems",
           (SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) <> 2
              AND o.client_id = ${me.clientId}::uuid)::int AS "partialOrders"`;
  return row;
}

describe('erasure racing upsertOrder for the same customer', () => {
  it.each([5, 15])(
    'neither side sees an error and no half-state is left (erasure after %i upserts started)',
    async (position) => {
      const s = uniq();
      const customer = `race-${s}`;
      const email = `race.${s}@example.org`;
      await upsertOrderOk(t, me.keys.admin, order(`race-${s}-0`, customer, email));
      const before = await tableCounts(t);

      const upserts: Promise<any>[] = [];
      let erasure!: Promise<any>;
      for (let i = 1; i <= 20; i++) {
        if (i === position) erasure = mutate(t, me.keys.admin, ERASE, { subject: { customerExternalId: customer } });
        upserts.push(mutate(t, me.keys.admin, UPSERT_ORDER, order(`race-${s}-${i}`, customer, email)));
      }
      const [erased, ...written] = await Promise.all([erasure, ...upserts]);

      expect(written.map((w) => w.__typename)).toEqual(Array(20).fill('UpsertOrderSuccess'));
      expect(erased.__typename, JSON.stringify(erased)).toBe('ErasePersonalDataSuccess');
      const { counts, remaining, status } = erased.erasureRequest;
      expect([status, remaining]).toEqual(['SUCCEEDED', 0]);
      expect(await halfState()).toEqual({ orphanOrders: 0, orphanItems: 0, partialOrders: 0 });

      // Every order written is either erased (with both items) or still there, with its customer.
      const after = await tableCounts(t);
      expect(counts.orders + (after.orders - before.orders)).toBe(20);
      expect(counts.orderItems).toBe(counts.orders * 2);
      expect(counts.customers).toBe(1);
      const left = await personalDataSizes(t, me.keys.support, { customerExternalId: customer });
      const leftOrders = await t.db.order.count({
        where: { clientId: me.clientId, customer: { externalId: customer } },
      });
      expect(leftOrders).toBe(21 - counts.orders);
      expect(left.customers).toBe(leftOrders > 0 ? 1 : 0);
    },
    60_000,
  );
});

describe('two erasures of the same subject at once', () => {
  const SEEDED: Counts = {
    customers: 1,
    orders: 3,
    orderItems: 6,
    reviews: 2,
    questions: 1,
    sellerReviews: 1,
    reviewInvitations: 0,
  };

  async function seed() {
    const s = uniq();
    const email = `twice.${s}@example.org`;
    await seedPerson(t, me.clientId, {
      externalId: `twice-${s}`,
      email,
      orders: 3,
      itemsPerOrder: 2,
      linked: { reviews: 1, questions: 1, sellerReviews: 1 },
      unlinked: { email, reviews: 1 },
    });
    return { email, externalId: `twice-${s}` };
  }

  const sum = (a: Counts, b: Counts) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof Counts]])) as unknown as Counts;

  it.each([
    ['by e-mail twice', (p: { email: string; externalId: string }) => [{ email: p.email }, { email: p.email }]],
    [
      'by e-mail and by externalId',
      (p: { email: string; externalId: string }) => [{ email: p.email }, { customerExternalId: p.externalId }],
    ],
  ])(
    '%s: both succeed and every row is counted once',
    async (_name, subjects) => {
      const p = await seed();
      const before = await tableCounts(t);
      const results = await Promise.all(subjects(p).map((subject) => mutate(t, me.keys.admin, ERASE, { subject })));
      expect(results.map((r) => [r.__typename, r.erasureRequest?.status, r.erasureRequest?.remaining])).toEqual([
        ['ErasePersonalDataSuccess', 'SUCCEEDED', 0],
        ['ErasePersonalDataSuccess', 'SUCCEEDED', 0],
      ]);
      expect(sum(results[0].erasureRequest.counts, results[1].erasureRequest.counts)).toEqual(SEEDED);
      const after = await tableCounts(t);
      expect(sum(after, SEEDED)).toEqual(before);
    },
    60_000,
  );
});
