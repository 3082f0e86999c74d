// Enforces test/access-matrix.ts: every root field (Query, Mutation, Viewer) × every role (no key,
// STOREFRONT, SUPPORT, ADMIN), called through app.fetch, gets what the table says. The table must
// list exactly the schema's root fields, and CALLS must know how to call each one.
import { isObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/generated/prisma/enums.ts';
import { schema } from '../src/schema.ts';
import { ACCESS, ROLES, type Outcome, type RoleColumn } from './access-matrix.ts';
import { erasureRequestRow } from './cursor-fixtures.ts';
import type { GqlResponse } from './helpers.ts';
import { useTestApp } from './helpers.ts';
import { newStore, type Keys } from './review-fixtures.ts';

const t = useTestApp();
let keys: Keys;
const ids = { customer: '', erasureRequest: '' };

beforeAll(async () => {
  const store = await newStore(t);
  keys = store.keys;
  const customer = await t.db.customer.findFirstOrThrow({ where: { clientId: store.clientId, externalId: 'c-1' } });
  ids.customer = Buffer.from(`Customer:${customer.id}`).toString('base64');
  const request = await erasureRequestRow(t, store.clientId);
  ids.erasureRequest = Buffer.from(`ErasureRequest:${request}`).toString('base64');
});

interface Call {
  document: string;
  variables?: () => Record<string, unknown>;
}

const page = '{ totalCount }';
const authored = { title: 't', content: 'c', authorNick: 'n', authorEmail: 'eve@example.com' };
/** A mutation with its input; the answer is its result union (mostly a typed error: nothing is written). */
const mutation = (field: string, inputType: string, input: unknown): Call => ({
  document: `mutation($input: ${inputType}!) { ${field}(input: $input) { __typename } }`,
  variables: () => ({ input }),
});

/** How to call each root field; the answer checked is the value at the field's name. */
const CALLS: Record<string, Call> = {
  'Query.viewer': { document: '{ viewer { role } }' },
  'Query.product': { document: '{ product(sku: "SHOE-red") { sku } }' },
  'Query.products': { document: `{ products ${page} }` },
  'Query.reviews': { document: `{ reviews ${page} }` },
  'Query.questions': { document: `{ questions ${page} }` },
  'Query.sellerReviews': { document: `{ sellerReviews ${page} }` },
  'Query.sellerRatingSummary': { document: '{ sellerRatingSummary { count } }' },
  'Query.node': { document: 'query($id: ID!) { node(id: $id) { id } }', variables: () => ({ id: ids.customer }) },
  'Query.nodes': {
    document: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
    variables: () => ({ ids: [ids.customer] }),
  },
  'Query.order': { document: '{ order(externalId: "o-1") { externalId } }' },
  'Query.orders': { document: `{ orders ${page} }` },
  'Query.customer': { document: '{ customer(externalId: "c-1") { externalId } }' },
  'Query.customers': { document: `{ customers ${page} }` },
  'Query.personalData': { document: '{ personalData(subject: { email: "ada@example.com" }) { __typename } }' },
  'Query.erasureRequest': {
    document: 'query($id: ID!) { erasureRequest(id: $id) { id } }',
    variables: () => ({ id: ids.erasureRequest }),
  },
  'Query.erasureRequests': { document: `{ erasureRequests ${page} }` },
  'Query.reviewInvitations': { document: `{ reviewInvitations ${page} }` },
  'Mutation.claimDueReviewInvitations': mutation('claimDueReviewInvitations', 'ClaimDueReviewInvitationsInput', {
    limit: 1,
  }),
  'Mutation.markReviewInvitationsSent': mutation('markReviewInvitationsSent', 'MarkReviewInvitationsSentInput', {
    ids: ['nope'],
  }),
  'Mutation.skipReviewInvitation': mutation('skipReviewInvitation', 'SkipReviewInvitationInput', {
    id: 'nope',
    reason: 'ERASED',
  }),
  'Mutation.updateReviewInvitationSettings': mutation(
    'updateReviewInvitationSettings',
    'UpdateReviewInvitationSettingsInput',
    { enabled: true },
  ),
  'Viewer.client': { document: '{ viewer { client { slug } } }' },
  'Viewer.keyPrefix': { document: '{ viewer { keyPrefix } }' },
  'Viewer.role': { document: '{ viewer { role } }' },
  'Mutation.submitReview': mutation('submitReview', 'SubmitReviewInput', {
    productSku: 'NONE',
    rating: 5,
    ...authored,
  }),
  'Mutation.askQuestion': mutation('askQuestion', 'AskQuestionInput', { productSku: 'NONE', ...authored }),
  'Mutation.submitSellerReview': mutation('submitSellerReview', 'SubmitSellerReviewInput', { rating: 0, ...authored }),
  'Mutation.moderateReview': mutation('moderateReview', 'ModerateReviewInput', { id: 'nope', action: 'PUBLISH' }),
  'Mutation.moderateQuestion': mutation('moderateQuestion', 'ModerateQuestionInput', { id: 'nope', action: 'PUBLISH' }),
  'Mutation.moderateSellerReview': mutation('moderateSellerReview', 'ModerateSellerReviewInput', {
    id: 'nope',
    action: 'REJECT',
  }),
  'Mutation.answerQuestion': mutation('answerQuestion', 'AnswerQuestionInput', { id: 'nope', answer: 'a' }),
  'Mutation.upsertProducts': mutation('upsertProducts', 'UpsertProductsInput', { products: [] }),
  'Mutation.upsertOrder': mutation('upsertOrder', 'UpsertOrderInput', { externalId: '', customer: { externalId: '' } }),
  'Mutation.upsertOrders': mutation('upsertOrders', 'UpsertOrdersInput', { orders: [] }),
  'Mutation.cancelOrderItem': mutation('cancelOrderItem', 'CancelOrderItemInput', { orderExternalId: 'x', sku: 'x' }),
  'Mutation.erasePersonalData': mutation('erasePersonalData', 'ErasePersonalDataInput', {
    subject: { email: 'nobody@example.com' },
    dryRun: true,
  }),
  'Mutation.requestErasure': mutation('requestErasure', 'RequestErasureInput', {
    subject: { email: 'nobody@example.com' },
    executeAfter: '2999-01-01T00:00:00Z',
  }),
  'Mutation.cancelErasure': mutation('cancelErasure', 'CancelErasureInput', { id: 'nope' }),
};

/** What the role got, read from the answer at the field (`Viewer.x`: data.viewer.x). */
function outcome(coordinate: string, res: GqlResponse): Outcome | string {
  const [type, field] = coordinate.split('.');
  if (res.status === 401 && res.body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') return 'UNAUTHENTICATED';
  const data = res.body.data;
  const value = type === 'Viewer' ? data?.viewer?.[field] : data?.[field];
  const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
  if (codes.length) return codes.every((c) => c === 'FORBIDDEN') && value == null ? 'FORBIDDEN' : `errors ${codes}`;
  if (value == null || (Array.isArray(value) && value.every((v) => v === null))) return 'null';
  return 'data';
}

function rootFields(): string[] {
  const types = [schema.getQueryType(), schema.getMutationType(), schema.getType('Viewer')];
  return types.flatMap((type) =>
    isObjectType(type) ? Object.keys(type.getFields()).map((f) => `${type.name}.${f}`) : [],
  );
}

describe('roles × root fields', () => {
  it('the table has a column for no key and for every role of an API key', () => {
    expect([...ROLES].sort()).toEqual(['none', ...Object.values(Role)].sort());
  });

  it('the table lists every root field of Query, Mutation and Viewer, and nothing else', () => {
    expect(Object.keys(ACCESS).sort()).toEqual(rootFields().sort());
    expect(Object.keys(CALLS).sort()).toEqual(rootFields().sort());
  });

  it.each(ROLES)('%s gets what the table says from every root field', async (role: RoleColumn) => {
    const key = role === 'none' ? null : keys[role.toLowerCase() as keyof Keys];
    const column = ROLES.indexOf(role);
    const got: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [coordinate, row] of Object.entries(ACCESS)) {
      const call = CALLS[coordinate];
      got[coordinate] = outcome(coordinate, await t.gql(key, call.document, call.variables?.()));
      expected[coordinate] = row[column];
    }
    expect(got).toEqual(expected);
  });
});
