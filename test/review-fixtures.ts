// Shared set-up for the review, question and seller-review tests: a client with a small feed
// (two families), an order, and helpers that go through the GraphQL API like a caller would.
import { beforeAll, expect } from 'vitest';
import type { Question, Review, SellerReview } from '../src/generated/prisma/client.ts';
import type { TestContext } from './helpers.ts';

export type Keys = { admin: string; support: string; storefront: string };

export const PRODUCTS = [
  { sku: 'SHOE-red', familyId: 'SHOE', name: 'Trail shoe (red)' },
  { sku: 'SHOE-blue', familyId: 'SHOE', name: 'Trail shoe (blue)' },
  { sku: 'TENT-1', familyId: 'TENT', name: 'Tent' },
  { sku: 'SOLO', name: 'Solo product without family' },
];

/** A new client with the PRODUCTS feed and order "o-1" of ada@example.com (SHOE-red, TENT-1 cancelled). */
export async function newStore(t: TestContext, products = PRODUCTS) {
  const created = await t.newClient();
  const { keys } = created;
  const feed = await t.gql(
    keys.admin,
    `mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) { __typename } }`,
    {
      input: { products },
    },
  );
  expect(feed.body.data.upsertProducts.__typename).toBe('UpsertProductsSuccess');
  const order = await t.gql(
    keys.admin,
    `mutation($input: UpsertOrderInput!) { upsertOrder(input: $input) { __typename } }`,
    {
      input: {
        externalId: 'o-1',
        customer: { externalId: 'c-1', name: 'Ada', email: 'Ada@Example.com' },
        items: [
          { sku: 'SHOE-red', deliveryDate: '2026-10-01' },
          { sku: 'TENT-1', deliveryDate: '2026-10-01' },
          { sku: 'OUTSIDE-FEED' },
        ],
      },
    },
  );
  expect(order.body.data.upsertOrder.__typename).toBe('UpsertOrderSuccess');
  const cancel = await t.gql(
    keys.admin,
    `mutation { cancelOrderItem(input: { orderExternalId: "o-1", sku: "TENT-1" }) { __typename } }`,
  );
  expect(cancel.body.data.cancelOrderItem.__typename).toBe('CancelOrderItemSuccess');
  return { clientId: created.client.id, keys: keys as Keys };
}

const RESULT = `__typename
  ... on ValidationError { fieldErrors { path message } }
  ... on Error { code message }`;

export const SUBMIT_REVIEW = `mutation($input: SubmitReviewInput!) { submitReview(input: $input) { ${RESULT}
  ... on SubmitReviewSuccess { review { id productSku rating title content authorNick status verified } } } }`;
export const ASK_QUESTION = `mutation($input: AskQuestionInput!) { askQuestion(input: $input) { ${RESULT}
  ... on AskQuestionSuccess { question { id productSku title content authorNick status answer answeredAt } } } }`;
export const SUBMIT_SELLER_REVIEW = `mutation($input: SubmitSellerReviewInput!) { submitSellerReview(input: $input) { ${RESULT}
  ... on SubmitSellerReviewSuccess { sellerReview { id rating title content authorNick status verified } } } }`;

export function reviewInput(overrides: Record<string, unknown> = {}) {
  return {
    productSku: 'SHOE-red',
    rating: 5,
    title: 'Great shoe',
    content: 'Comfortable from day one.',
    authorNick: 'ada',
    authorEmail: 'ada@example.com',
    ...overrides,
  };
}

export function questionInput(overrides: Record<string, unknown> = {}) {
  const { rating: _rating, ...rest } = reviewInput({
    title: 'Waterproof?',
    content: 'Does it keep rain out?',
    ...overrides,
  });
  return rest;
}

export function sellerReviewInput(overrides: Record<string, unknown> = {}) {
  const { productSku: _sku, ...rest } = reviewInput({
    title: 'Fast delivery',
    content: 'Arrived in two days.',
    ...overrides,
  });
  return rest;
}

/** One store for the whole test file, made in a beforeAll hook; read its fields inside tests. */
export function useStore(t: TestContext) {
  const store = {} as Awaited<ReturnType<typeof newStore>>;
  beforeAll(async () => {
    Object.assign(store, await newStore(t));
  });
  return store;
}

/** The database row behind a global id. */
export function rowOf(t: TestContext, model: 'review', globalId: string): Promise<Review>;
export function rowOf(t: TestContext, model: 'question', globalId: string): Promise<Question>;
export function rowOf(t: TestContext, model: 'sellerReview', globalId: string): Promise<SellerReview>;
export function rowOf(
  t: TestContext,
  model: 'review' | 'question' | 'sellerReview',
  globalId: string,
): Promise<Review | Question | SellerReview> {
  const where = { where: { id: Buffer.from(globalId, 'base64').toString().split(':')[1] } };
  if (model === 'review') return t.db.review.findUniqueOrThrow(where);
  if (model === 'question') return t.db.question.findUniqueOrThrow(where);
  return t.db.sellerReview.findUniqueOrThrow(where);
}

/** Runs a mutation and returns its result object (the union member). */
export async function mutate(t: TestContext, key: string, document: string, input: Record<string, unknown>) {
  const res = await t.gql(key, document, { input });
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data)[0] as any;
}

/** Submits a review with the admin key and publishes it (or applies `action`); returns its global id. */
export async function review(
  t: TestContext,
  keys: Keys,
  overrides: Record<string, unknown> = {},
  action: 'PUBLISH' | 'REJECT' | null = 'PUBLISH',
) {
  const r = await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput(overrides));
  expect(r.__typename).toBe('SubmitReviewSuccess');
  if (action) await moderate(t, keys.admin, 'Review', r.review.id, action);
  return r.review.id as string;
}

export async function moderate(
  t: TestContext,
  key: string,
  typename: 'Review' | 'Question' | 'SellerReview',
  id: string,
  action: 'PUBLISH' | 'REJECT',
) {
  const field = typename[0].toLowerCase() + typename.slice(1);
  const r = await mutate(
    t,
    key,
    `mutation($input: Moderate${typename}Input!) { moderate${typename}(input: $input) { ${RESULT}
    ... on Moderate${typename}Success { ${field} { id status } } } }`,
    { id, action },
  );
  return r;
}

/** Row counts of the three content tables for a client (to prove a bad input wrote nothing). */
export async function contentCounts(t: TestContext, clientId: string) {
  const where = { clientId };
  return {
    reviews: await t.db.review.count({ where }),
    questions: await t.db.question.count({ where }),
    sellerReviews: await t.db.sellerReview.count({ where }),
  };
}

/** Expects a ValidationError at exactly `paths` (e.g. "input.title") and no row written. */
export async function expectInvalid(
  t: TestContext,
  store: { clientId: string; keys: Keys },
  document: string,
  input: Record<string, unknown>,
  paths: string[],
) {
  const before = await contentCounts(t, store.clientId);
  const r = await mutate(t, store.keys.storefront, document, input);
  expect(r.__typename).toBe('ValidationError');
  expect(r.code).toBe('VALIDATION_FAILED');
  expect(r.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(paths);
  expect(await contentCounts(t, store.clientId)).toEqual(before);
}

/** Bad values of the fields every submission has: [case, fields, path of the error]. */
export const AUTHORED_BAD_INPUTS: [string, Record<string, unknown>, string][] = [
  ['empty title', { title: '' }, 'input.title'],
  ['blank title', { title: '   ' }, 'input.title'],
  ['title over 150', { title: 'x'.repeat(151) }, 'input.title'],
  ['empty content', { content: '' }, 'input.content'],
  ['blank content', { content: ' \n\t ' }, 'input.content'],
  ['content over 5000', { content: 'x'.repeat(5001) }, 'input.content'],
  ['empty nick', { authorNick: '' }, 'input.authorNick'],
  ['blank nick', { authorNick: '\t ' }, 'input.authorNick'],
  ['invalid e-mail', { authorEmail: 'not-an-email' }, 'input.authorEmail'],
  ['e-mail without domain', { authorEmail: 'a@' }, 'input.authorEmail'],
  ['blank order id', { orderExternalId: '  ' }, 'input.orderExternalId'],
  ['lone surrogate in content', { content: 'Great \ud83d tent' }, 'input.content'],
  ['lone surrogate in nick', { authorNick: '\udc00ada' }, 'input.authorNick'],
];

/** Bad ratings (reviews and seller reviews). */
export const RATING_BAD_INPUTS: [string, Record<string, unknown>, string][] = [
  ['rating 0', { rating: 0 }, 'input.rating'],
  ['rating -3', { rating: -3 }, 'input.rating'],
  ['rating 6', { rating: 6 }, 'input.rating'],
];
