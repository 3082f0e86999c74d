// A subject with 1,000 orders × 3 items and 500 reviews is erased with the same, fixed number of
// SQL statements as a subject with one of each: every delete is set-based.
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { eraseOk, personalDataSizes, seedPerson, tableCounts } from './privacy-helpers.ts';

const t = useTestApp();
let keys: { admin: string; support: string; storefront: string };

/** Statements of the erasure itself (the key lookup and the transaction frame excluded). */
const ERASURE_STATEMENTS = [
  'SELECT erasure secret of the client',
  'WITH …: the person, one round (its customers locked FOR UPDATE)',
  'DELETE reviews (and the webhook events naming them, in the same statement)',
  'DELETE questions (same)',
  'DELETE seller_reviews (same)',
  'DELETE order_items',
  'DELETE orders',
  'DELETE customers',
  'WITH …: the person afresh from every key found (the proof, one round)',
  'WITH …: count what is left (the proof)',
  'INSERT erasure_requests',
  'SELECT the request for its erasure.completed webhook event',
  'INSERT webhook_events',
  'INSERT webhook_deliveries (one per subscribed endpoint)',
  'SELECT the request for the response',
];

beforeAll(async () => {
  const c = await t.newClient();
  keys = c.keys;
  await seedPerson(t, c.client.id, {
    externalId: 'big',
    email: 'big@example.org',
    orders: 1000,
    itemsPerOrder: 3,
    linked: { reviews: 500 },
  });
  await seedPerson(t, c.client.id, {
    externalId: 'small',
    email: 'small@example.org',
    orders: 1,
    itemsPerOrder: 1,
    linked: { reviews: 1 },
  });
  await seedPerson(t, c.client.id, {
    externalId: 'bystander',
    email: 'by@example.org',
    orders: 5,
    itemsPerOrder: 3,
    linked: { reviews: 5 },
  });
}, 120_000);

/** Erases and returns the request, the statements it took (BEGIN/COMMIT excluded) and the time. */
async function measuredErase(externalId: string) {
  t.resetStatements();
  const started = performance.now();
  const request = await eraseOk(t, keys.admin, { customerExternalId: externalId });
  const ms = performance.now() - started;
  const statements = t.statements.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK)\b|Implicit "(BEGIN|COMMIT)"/i.test(s));
  return { request, statements, ms };
}

it('erases 1,000 orders × 3 items and 500 reviews with as many statements as one order', async () => {
  const small = await measuredErase('small');
  expect(small.request.counts).toEqual({
    customers: 1,
    orders: 1,
    orderItems: 1,
    reviews: 1,
    questions: 0,
    sellerReviews: 0,
  });

  const before = await tableCounts(t);
  const big = await measuredErase('big');
  expect(big.request).toMatchObject({
    status: 'SUCCEEDED',
    remaining: 0,
    counts: { customers: 1, orders: 1000, orderItems: 3000, reviews: 500, questions: 0, sellerReviews: 0 },
  });
  const after = await tableCounts(t);
  expect([before.orders - after.orders, before.orderItems - after.orderItems, before.reviews - after.reviews]).toEqual([
    1000, 3000, 500,
  ]);

  // One statement for the API key, then the erasure's fixed list.
  expect(big.statements).toHaveLength(1 + ERASURE_STATEMENTS.length);
  expect(small.statements).toHaveLength(big.statements.length);
  const deletes = big.statements
    .filter((s) => /\bDELETE FROM\b/i.test(s))
    .map((s) => /DELETE FROM (\w+)/i.exec(s)?.[1]);
  expect(deletes).toEqual(['reviews', 'questions', 'seller_reviews', 'order_items', 'orders', 'customers']);
  // The person is found in one round per pass whatever its size: the customers, then everything linked to them.
  for (const run of [small, big]) expect(run.statements.filter((s) => /^\s*WITH c0 AS/.test(s))).toHaveLength(2);
  console.log(
    `[erasure-volume] ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}: 1 customer, 1000 orders, 3000 items, 500 reviews erased ` +
      `with ${big.statements.length} statements (+BEGIN/COMMIT) in ${big.ms.toFixed(0)} ms; one order: ${small.statements.length} statements in ${small.ms.toFixed(0)} ms`,
  );

  expect(await personalDataSizes(t, keys.support, { email: 'big@example.org' })).toEqual({
    customers: 0,
    reviews: 0,
    questions: 0,
    sellerReviews: 0,
  });
  expect(await personalDataSizes(t, keys.support, { email: 'by@example.org' })).toEqual({
    customers: 1,
    reviews: 5,
    questions: 0,
    sellerReviews: 0,
  });
}, 120_000);
