// A subject with 1,000 orders × 3 items, their review invitations and 500 reviews is erased with the same, fixed number of
// SQL statements as a subject with one of each: every delete is set-based.
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { eraseOk, personalDataSizes, seedPerson, tableCounts } from './privacy-helpers.ts';

const t = useTestApp();

const minus = <T extends object>(a: T, b: T) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, (v as number) - (b[k as keyof T] as number)]));
let keys: { admin: string; support: string; storefront: string };

/** Statements of the erasure itself (the key lookup and the transaction frame excluded). */
const ERASURE_STATEMENTS = [
  'SELECT erasure secret of the client',
  'WITH …: the person, one round (its customers locked FOR UPDATE)',
  'DELETE reviews',
  'DELETE questions',
  'DELETE seller_reviews',
  'DELETE review_invitations (their items with them)',
  'DELETE order_items',
  'DELETE orders',
  'DELETE customers',
  'WITH …: the person afresh from every key found (the proof, one round)',
  'WITH …: count what is left (the proof)',
  'INSERT erasure_requests',
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
  // Every order gets a review invitation with all its items, as delivered orders would.
  await t.db.$executeRaw`
    INSERT INTO review_invitations (id, client_id, order_id, status, due_at, expires_at, updated_at)
    SELECT gen_random_uuid(), client_id, id, 'SCHEDULED', now(), now() + interval '30 days', now()
    FROM orders WHERE client_id = ${c.client.id}::uuid`;
  await t.db.$executeRaw`
    INSERT INTO review_invitation_items (invitation_id, order_item_id)
    SELECT ri.id, oi.id FROM review_invitations ri JOIN order_items oi ON oi.order_id = ri.order_id
    WHERE ri.client_id = ${c.client.id}::uuid`;
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
    reviewInvitations: 1,
  });

  const before = await tableCounts(t);
  const big = await measuredErase('big');
  expect(big.request).toMatchObject({
    status: 'SUCCEEDED',
    remaining: 0,
    counts: {
      customers: 1,
      orders: 1000,
      orderItems: 3000,
      reviews: 500,
      questions: 0,
      sellerReviews: 0,
      reviewInvitations: 1000,
    },
  });
  const after = await tableCounts(t);
  expect(minus(before, after)).toMatchObject({ orders: 1000, orderItems: 3000, reviews: 500, reviewInvitations: 1000 });
  // The bystander keeps its 5 invitations and their 15 items.
  expect(await t.db.reviewInvitationItem.count()).toBe(15);

  // One statement for the API key, then the erasure's fixed list.
  expect(big.statements).toHaveLength(1 + ERASURE_STATEMENTS.length);
  expect(small.statements).toHaveLength(big.statements.length);
  const deletes = big.statements
    .filter((s) => /\bDELETE FROM\b/i.test(s))
    .map((s) => /DELETE FROM (\w+)/i.exec(s)?.[1]);
  expect(deletes).toEqual([
    'reviews',
    'questions',
    'seller_reviews',
    'review_invitations',
    'order_items',
    'orders',
    'customers',
  ]);
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
