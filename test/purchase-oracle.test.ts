// What the public storefront key can learn. A submission answers a STOREFRONT key the same for a
// buyer's e-mail and order number as for anyone else's (ids and timestamps aside): `verified` shows
// only once the item is PUBLISHED; staff keys see it at once. `node(id)` of a type the role may not
// read (Customer, Order, ErasureRequest for STOREFRONT) is null, exactly like an id that does not exist.
import { describe, expect, it } from 'vitest';
import { erasureRequestRow } from './cursor-fixtures.ts';
import { useTestApp, type GqlResponse } from './helpers.ts';
import { moderate, questionInput, reviewInput, sellerReviewInput, useStore } from './review-fixtures.ts';

const t = useTestApp();
const store = useStore(t);

const AUTHORED = 'id title content authorNick status createdAt updatedAt authorEmail customer { id }';
const DOCS = {
  submitReview: `mutation($input: SubmitReviewInput!) { submitReview(input: $input) { __typename
    ... on SubmitReviewSuccess { review { ${AUTHORED} productSku rating verified product { sku } } }
    ... on Error { code message } } }`,
  submitSellerReview: `mutation($input: SubmitSellerReviewInput!) { submitSellerReview(input: $input) { __typename
    ... on SubmitSellerReviewSuccess { sellerReview { ${AUTHORED} rating verified } }
    ... on Error { code message } } }`,
  askQuestion: `mutation($input: AskQuestionInput!) { askQuestion(input: $input) { __typename
    ... on AskQuestionSuccess { question { ${AUTHORED} productSku answer } }
    ... on Error { code message } } }`,
};
const INPUTS = { submitReview: reviewInput, submitSellerReview: sellerReviewInput, askQuestion: questionInput };

const BUYER = { authorEmail: 'ada@example.com', orderExternalId: 'o-1' };
const NOT_BUYERS = [
  { authorEmail: 'eve@example.com', orderExternalId: 'o-1' },
  { authorEmail: 'ada@example.com', orderExternalId: 'no-such-order' },
  { authorEmail: 'eve@example.com' },
];

/** The answer with ids and timestamps blanked: what must not differ between buyers and others. */
function shape(res: GqlResponse) {
  const blank = (key: string, value: unknown) => (['id', 'createdAt', 'updatedAt'].includes(key) ? key : value);
  return JSON.stringify({ status: res.status, data: res.body.data, errors: res.body.errors }, blank);
}

const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');
const localId = (gid: string) => Buffer.from(gid, 'base64').toString().split(':')[1];

describe('submissions are no purchase oracle', () => {
  it.each(Object.keys(DOCS) as (keyof typeof DOCS)[])(
    '%s with a STOREFRONT key: a buyer and non-buyers get byte-identical answers, though only the buyer is linked',
    async (name) => {
      const submit = (overrides: Record<string, unknown>) =>
        t.gql(store.keys.storefront, DOCS[name], { input: INPUTS[name](overrides) });
      const buyer = await submit(BUYER);
      expect(buyer.body.data[name].__typename).not.toBe('ValidationError');
      for (const other of NOT_BUYERS) expect(shape(await submit(other)), JSON.stringify(other)).toBe(shape(buyer));
      // The buyer's row is linked to the customer: the identical answers hide a real difference.
      const item = Object.values(buyer.body.data[name]).find((v) => typeof v === 'object') as { id: string };
      const model = name === 'askQuestion' ? 'question' : name === 'submitReview' ? 'review' : 'sellerReview';
      const row = await (t.db[model] as any).findUniqueOrThrow({ where: { id: localId(item.id) } });
      expect(row.customerId).not.toBeNull();
    },
  );

  it('ADMIN keys see `verified` at once; STOREFRONT keys once the merchant publishes', async () => {
    const byAdmin = await t.gql(store.keys.admin, DOCS.submitReview, { input: reviewInput(BUYER) });
    const { id } = byAdmin.body.data.submitReview.review;
    expect(byAdmin.body.data.submitReview.review.verified).toBe(true);
    const read = `query($id: ID!) { node(id: $id) { ... on Review { status verified } } }`;
    expect((await t.gql(store.keys.support, read, { id })).body.data.node).toEqual({
      status: 'PENDING',
      verified: true,
    });
    expect((await t.gql(store.keys.storefront, read, { id })).body.data.node).toBeNull();
    await moderate(t, store.keys.admin, 'Review', id, 'PUBLISH');
    expect((await t.gql(store.keys.storefront, read, { id })).body.data.node).toEqual({
      status: 'PUBLISHED',
      verified: true,
    });
    const listed = await t.gql(store.keys.storefront, `{ reviews(filter: { verified: true }) { nodes { id } } }`);
    expect(listed.body.data.reviews.nodes).toEqual([{ id }]);
  });
});

describe('node(id) of a type the role may not read', () => {
  it('is null for STOREFRONT keys, exactly like an id that does not exist; SUPPORT keys get the objects', async () => {
    const own = await t.gql(store.keys.admin, `{ order(externalId: "o-1") { id customer { id } } }`);
    const { id: orderId, customer } = own.body.data.order;
    const erasure = await erasureRequestRow(t, store.clientId);
    const real = [orderId, customer.id, globalId('ErasureRequest', erasure)];
    const missing = real.map((gid) => globalId(Buffer.from(gid, 'base64').toString().split(':')[0], store.clientId));
    const query = `query($id: ID!, $ids: [ID!]!) { node(id: $id) { __typename id
      ... on Customer { email } ... on Order { externalId } } nodes(ids: $ids) { __typename id } }`;
    for (const [i, id] of real.entries()) {
      const seen = await t.gql(store.keys.storefront, query, { id, ids: real });
      const unseen = await t.gql(store.keys.storefront, query, { id: missing[i], ids: missing });
      expect(seen.body).toMatchObject({ data: { node: null, nodes: [null, null, null] } });
      expect(seen.body.errors).toBeUndefined();
      expect(shape(seen)).toBe(shape(unseen));
      const staff = await t.gql(store.keys.support, query, { id, ids: real });
      expect(staff.body.data.node.id).toBe(id);
      expect(staff.body.data.nodes.map((n: { id: string }) => n.id)).toEqual(real);
    }
  });
});
