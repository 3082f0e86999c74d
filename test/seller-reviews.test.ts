// submitSellerReview, moderateSellerReview, the seller review lists and sellerRatingSummary.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import {
  AUTHORED_BAD_INPUTS,
  contentCounts,
  expectInvalid,
  moderate,
  mutate,
  newStore,
  RATING_BAD_INPUTS,
  rowOf as row,
  sellerReviewInput as sellerInput,
  SUBMIT_SELLER_REVIEW,
  useStore,
} from './review-fixtures.ts';

const t = useTestApp();
const store = useStore(t);

async function submit(key: string, overrides: Record<string, unknown> = {}) {
  const r = await mutate(t, key, SUBMIT_SELLER_REVIEW, sellerInput(overrides));
  expect(r.__typename).toBe('SubmitSellerReviewSuccess');
  return r.sellerReview as { id: string; verified: boolean; status: string; rating: number };
}

const rowOf = (globalId: string) => row(t, 'sellerReview', globalId);

describe('submitSellerReview', () => {
  it('stores a PENDING unverified review without an order (STOREFRONT and ADMIN)', async () => {
    for (const key of [store.keys.storefront, store.keys.admin]) {
      const r = await submit(key, { rating: 2 });
      expect(r).toMatchObject({ rating: 2, status: 'PENDING', verified: false });
      expect(await rowOf(r.id)).toMatchObject({
        clientId: store.clientId,
        customerId: null,
        orderId: null,
        authorEmail: 'ada@example.com',
      });
    }
  });

  it("is verified and linked to the order and customer when the order is the author's (ADMIN sees it)", async () => {
    const r = await submit(store.keys.admin, { orderExternalId: 'o-1', authorEmail: 'ADA@example.com ' });
    expect(r.verified).toBe(true);
    const order = await t.db.order.findFirstOrThrow({ where: { clientId: store.clientId, externalId: 'o-1' } });
    expect(await rowOf(r.id)).toMatchObject({ verified: true, orderId: order.id, customerId: order.customerId });
  });

  it.each([
    ['unknown order', { orderExternalId: 'nope' }],
    ['another e-mail', { orderExternalId: 'o-1', authorEmail: 'eve@example.com' }],
  ])('%s: stored unverified, no error', async (_case, overrides) => {
    const r = await submit(store.keys.admin, overrides);
    expect(r.verified).toBe(false);
    expect(await rowOf(r.id)).toMatchObject({ orderId: null, customerId: null });
  });

  it.each([...RATING_BAD_INPUTS, ...AUTHORED_BAD_INPUTS])(
    '%s → ValidationError, nothing written',
    async (_case, overrides, path) => {
      await expectInvalid(t, store, SUBMIT_SELLER_REVIEW, sellerInput(overrides), [path]);
    },
  );

  it('SUPPORT keys may not submit: FORBIDDEN, nothing written', async () => {
    const before = await contentCounts(t, store.clientId);
    const res = await t.gql(store.keys.support, SUBMIT_SELLER_REVIEW, { input: sellerInput() });
    expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await contentCounts(t, store.clientId)).toEqual(before);
  });
});

describe('moderation, lists and sellerRatingSummary', () => {
  it('only PUBLISHED seller reviews are listed for STOREFRONT and counted in the summary', async () => {
    const shop = await newStore(t);
    const k = shop.keys;
    const summary = async (key: string) =>
      (await t.gql(key, `{ sellerRatingSummary { average count histogram } }`)).body.data.sellerRatingSummary;
    expect(await summary(k.storefront)).toEqual({ average: null, count: 0, histogram: [0, 0, 0, 0, 0] });

    const a = (
      await mutate(
        t,
        k.storefront,
        SUBMIT_SELLER_REVIEW,
        sellerInput({ rating: 5, title: 'a', orderExternalId: 'o-1' }),
      )
    ).sellerReview.id;
    const b = (await mutate(t, k.storefront, SUBMIT_SELLER_REVIEW, sellerInput({ rating: 4, title: 'b' }))).sellerReview
      .id;
    const c = (await mutate(t, k.storefront, SUBMIT_SELLER_REVIEW, sellerInput({ rating: 1, title: 'c' }))).sellerReview
      .id;
    const d = (await mutate(t, k.storefront, SUBMIT_SELLER_REVIEW, sellerInput({ rating: 4, title: 'd' }))).sellerReview
      .id;
    expect(await summary(k.storefront)).toEqual({ average: null, count: 0, histogram: [0, 0, 0, 0, 0] });
    for (const id of [a, b, d])
      expect((await moderate(t, k.admin, 'SellerReview', id, 'PUBLISH')).sellerReview.status).toBe('PUBLISHED');
    expect((await moderate(t, k.admin, 'SellerReview', c, 'REJECT')).sellerReview.status).toBe('REJECTED');
    expect(await summary(k.storefront)).toEqual({ average: 13 / 3, count: 3, histogram: [0, 0, 0, 2, 1] });

    const list = async (key: string, vars: Record<string, unknown> = {}) => {
      const res = await t.gql(
        key,
        `query($filter: SellerReviewFilter, $orderBy: ReviewOrder!) {
        sellerReviews(filter: $filter, orderBy: $orderBy) { totalCount nodes { title } } }`,
        { orderBy: 'NEWEST', ...vars },
      );
      return res.body.data.sellerReviews.nodes.map((n: { title: string }) => n.title);
    };
    expect(await list(k.storefront)).toEqual(['d', 'b', 'a']);
    expect(await list(k.admin)).toEqual(['d', 'c', 'b', 'a']);
    expect(await list(k.storefront, { orderBy: 'LOWEST_RATING' })).toEqual(['d', 'b', 'a']);
    expect(await list(k.storefront, { orderBy: 'HIGHEST_RATING' })).toEqual(['a', 'd', 'b']);
    expect(await list(k.storefront, { orderBy: 'OLDEST', filter: { rating: 4 } })).toEqual(['b', 'd']);
    expect(await list(k.storefront, { filter: { verified: true } })).toEqual(['a']);
    expect(await list(k.storefront, { filter: { status: 'REJECTED' } })).toEqual([]);
    expect(await list(k.support, { filter: { status: 'REJECTED' } })).toEqual(['c']);

    const nodes = await t.gql(
      k.storefront,
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on SellerReview { title verified } } }`,
      { ids: [a, c] },
    );
    expect(nodes.body.data.nodes).toEqual([{ title: 'a', verified: true }, null]);
    const staff = await t.gql(
      k.support,
      `query($id: ID!) { node(id: $id) { ... on SellerReview { authorEmail customer { externalId } } } }`,
      { id: a },
    );
    expect(staff.body.data.node).toEqual({ authorEmail: 'ada@example.com', customer: { externalId: 'c-1' } });
    const sf = await t.gql(k.storefront, `query($id: ID!) { node(id: $id) { ... on SellerReview { authorEmail } } }`, {
      id: a,
    });
    expect([sf.body.data.node.authorEmail, sf.body.errors![0].extensions!.code]).toEqual([null, 'FORBIDDEN']);

    const customer = await t.gql(
      k.admin,
      `{ customer(externalId: "c-1") { sellerReviews { totalCount nodes { title } } } }`,
    );
    expect(customer.body.data.customer.sellerReviews).toEqual({ totalCount: 1, nodes: [{ title: 'a' }] });

    // Another client: its admin cannot moderate these, and sees none of them.
    const foreign = await moderate(t, store.keys.admin, 'SellerReview', b, 'REJECT');
    expect(foreign).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect((await rowOf(b)).status).toBe('PUBLISHED');
    expect(await list(store.keys.admin, { filter: { rating: 1 } })).toEqual([]);
  });
});
