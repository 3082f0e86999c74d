// GraphQL documents and seeding for the personal-data and erasure tests. Rows are seeded with
// set-based SQL (a person with 1,000 orders is seeded in a few statements).
import { randomBytes } from 'node:crypto';
import { beforeAll, expect } from 'vitest';
import type { CreatedClient } from '../src/features/clients/clients.ts';
import type { ErasureCounts } from '../src/features/privacy/personal-data.ts';
import type { TestContext } from './helpers.ts';
import { mutate } from './order-helpers.ts';

export const REQUEST_FIELDS = `id status statusDescription subjectType dryRun remaining executeAfter dueAt overdue
  createdAt updatedAt completedAt initiator { keyId name keyPrefix role }
  counts { customers orders orderItems reviews questions sellerReviews reviewInvitations }`;

const CONTENT = 'id authorNick authorEmail title content status createdAt';

export const PERSONAL_DATA = `query PersonalData($subject: PersonalDataSubject!) {
  personalData(subject: $subject) {
    customers { externalId name email optOut orders { totalCount } }
    reviews { ${CONTENT} rating verified }
    questions { ${CONTENT} }
    sellerReviews { ${CONTENT} rating }
  }
}`;

const ERRORS = `... on Error { message code }
    ... on ValidationError { fieldErrors { path message } }`;

export const ERASE = `mutation Erase($input: ErasePersonalDataInput!) {
  erasePersonalData(input: $input) {
    __typename
    ... on ErasePersonalDataSuccess { erasureRequest { ${REQUEST_FIELDS} } }
    ... on ErasureFailedError { erasureRequest { ${REQUEST_FIELDS} } }
    ${ERRORS}
  }
}`;

export const REQUEST_ERASURE = `mutation RequestErasure($input: RequestErasureInput!) {
  requestErasure(input: $input) {
    __typename
    ... on RequestErasureSuccess { created erasureRequest { ${REQUEST_FIELDS} } }
    ${ERRORS}
  }
}`;

export const CANCEL_ERASURE = `mutation CancelErasure($input: CancelErasureInput!) {
  cancelErasure(input: $input) {
    __typename
    ... on CancelErasureSuccess { erasureRequest { ${REQUEST_FIELDS} } }
    ... on ErasureNotCancellableError { status }
    ... on Error { message code }
  }
}`;

export type Subject = { customerExternalId: string } | { email: string };

export type Counts = ErasureCounts;

export const ZERO: Counts = {
  customers: 0,
  orders: 0,
  orderItems: 0,
  reviews: 0,
  questions: 0,
  sellerReviews: 0,
  reviewInvitations: 0,
};

/** personalData that must succeed; returns the PersonalData object. */
export async function personalData(t: TestContext, key: string, subject: Subject) {
  const res = await t.gql(key, PERSONAL_DATA, { subject });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.personalData as {
    customers: {
      externalId: string;
      name: string | null;
      email: string | null;
      optOut: boolean;
      orders: { totalCount: number };
    }[];
    reviews: any[];
    questions: any[];
    sellerReviews: any[];
  };
}

/** Sizes of the four lists of personalData. */
export async function personalDataSizes(t: TestContext, key: string, subject: Subject) {
  const pd = await personalData(t, key, subject);
  return {
    customers: pd.customers.length,
    reviews: pd.reviews.length,
    questions: pd.questions.length,
    sellerReviews: pd.sellerReviews.length,
  };
}

/** erasePersonalData that must return ErasePersonalDataSuccess; returns the erasure request. */
export async function eraseOk(t: TestContext, key: string, subject: Subject, dryRun?: boolean) {
  const result = await mutate(t, key, ERASE, { subject, dryRun });
  expect(result.__typename, JSON.stringify(result)).toBe('ErasePersonalDataSuccess');
  return result.erasureRequest;
}

export interface PersonSpec {
  externalId?: string;
  email?: string | null;
  name?: string;
  orders?: number;
  itemsPerOrder?: number;
  /** Content linked to the customer (customer_id set) and written under its e-mail. */
  linked?: { reviews?: number; questions?: number; sellerReviews?: number };
  /** Content written under `email` (as given, e.g. in other case) without a customer link. */
  unlinked?: { email: string; reviews?: number; questions?: number; sellerReviews?: number };
}

/** The product every seeded review and question is about (content rows need a feed sku). */
export async function ensureProduct(t: TestContext, clientId: string) {
  await t.db.product.upsert({
    where: { clientId_sku: { clientId, sku: 'p1' } },
    create: { clientId, sku: 'p1', name: 'Product one' },
    update: {},
  });
}

async function insertContent(
  t: TestContext,
  clientId: string,
  content: { reviews?: number; questions?: number; sellerReviews?: number },
  author: { email: string; nick: string; customerId: string | null },
) {
  const args = [clientId, author.email, author.nick, author.customerId] as const;
  const n = (k: keyof typeof content) => content[k] ?? 0;
  await t.db.$executeRawUnsafe(
    `INSERT INTO reviews (id, client_id, product_sku, rating, title, content, author_nick, author_email, customer_id, updated_at)
     SELECT gen_random_uuid(), $1::uuid, 'p1', 4, 'Review ' || g, 'Text of review ' || g, $3, $2, $4::uuid, now()
     FROM generate_series(1, ${n('reviews')}) g`,
    ...args,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO questions (id, client_id, product_sku, title, content, author_nick, author_email, customer_id, updated_at)
     SELECT gen_random_uuid(), $1::uuid, 'p1', 'Question ' || g, 'Text of question ' || g, $3, $2, $4::uuid, now()
     FROM generate_series(1, ${n('questions')}) g`,
    ...args,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO seller_reviews (id, client_id, rating, title, content, author_nick, author_email, customer_id, updated_at)
     SELECT gen_random_uuid(), $1::uuid, 5, 'Seller review ' || g, 'Text of seller review ' || g, $3, $2, $4::uuid, now()
     FROM generate_series(1, ${n('sellerReviews')}) g`,
    ...args,
  );
}

/** Seeds one person; returns the customer id (null when no customer is made). */
export async function seedPerson(t: TestContext, clientId: string, spec: PersonSpec): Promise<string | null> {
  await ensureProduct(t, clientId);
  const nick = spec.name ?? 'Nick';
  let customerId: string | null = null;
  if (spec.externalId) {
    const customer = await t.db.customer.create({
      data: { clientId, externalId: spec.externalId, email: spec.email ?? null, name: spec.name ?? null },
    });
    customerId = customer.id;
    await t.db.$executeRawUnsafe(
      `INSERT INTO orders (id, client_id, external_id, customer_id, updated_at)
       SELECT gen_random_uuid(), $1::uuid, $2 || '-o' || g, $3::uuid, now() FROM generate_series(1, ${spec.orders ?? 0}) g`,
      clientId,
      spec.externalId,
      customerId,
    );
    await t.db.$executeRawUnsafe(
      `INSERT INTO order_items (id, order_id, sku, name, reviewable, updated_at)
       SELECT gen_random_uuid(), o.id, 'sku-' || g, 'Item ' || g, true, now()
       FROM orders o, generate_series(1, ${spec.itemsPerOrder ?? 0}) g WHERE o.customer_id = $1::uuid`,
      customerId,
    );
    if (spec.linked && spec.email)
      await insertContent(t, clientId, spec.linked, { email: spec.email, nick, customerId });
  }
  if (spec.unlinked) {
    await insertContent(t, clientId, spec.unlinked, {
      email: spec.unlinked.email.trim().toLowerCase(),
      nick,
      customerId: null,
    });
  }
  return customerId;
}

/** Rows of every personal-data table, over all clients. */
export async function tableCounts(t: TestContext): Promise<Counts> {
  const [customers, orders, orderItems, reviews, questions, sellerReviews, reviewInvitations] = await Promise.all([
    t.db.customer.count(),
    t.db.order.count(),
    t.db.orderItem.count(),
    t.db.review.count(),
    t.db.question.count(),
    t.db.sellerReview.count(),
    t.db.reviewInvitation.count(),
  ]);
  return { customers, orders, orderItems, reviews, questions, sellerReviews, reviewInvitations };
}

/** A unique suffix so tests in one file never share subjects. */
export const uniq = () => randomBytes(3).toString('hex');

/** A client made before the file's tests (after the app): its id and keys. */
export function useClientOf(t: TestContext) {
  const me = {} as { clientId: string; keys: CreatedClient['keys'] };
  beforeAll(async () => {
    const made = await t.newClient();
    me.clientId = made.client.id;
    me.keys = made.keys;
  });
  return me;
}
