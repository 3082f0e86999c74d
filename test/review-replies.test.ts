// replyToReview / deleteReviewReply and the seller-review pair: one public reply per item,
// ADMIN only, tenant-scoped, shown to STOREFRONT keys only with a PUBLISHED item.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import {
  mutate,
  newStore,
  review,
  rowOf,
  SUBMIT_SELLER_REVIEW,
  sellerReviewInput,
  moderate,
  useStore,
} from './review-fixtures.ts';

const t = useTestApp();
const store = useStore(t);

const RESULT = `__typename ... on ValidationError { fieldErrors { path message } } ... on Error { code message }`;
const REPLY_FIELDS = `id merchantReply { content createdAt updatedAt }`;
const REPLY = `mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) { ${RESULT}
  ... on ReplyToReviewSuccess { review { ${REPLY_FIELDS} } } } }`;
const DELETE = `mutation($input: DeleteReviewReplyInput!) { deleteReviewReply(input: $input) { ${RESULT}
  ... on DeleteReviewReplySuccess { review { ${REPLY_FIELDS} } } } }`;
const SELLER_REPLY = `mutation($input: ReplyToSellerReviewInput!) { replyToSellerReview(input: $input) { ${RESULT}
  ... on ReplyToSellerReviewSuccess { sellerReview { ${REPLY_FIELDS} } } } }`;
const SELLER_DELETE = `mutation($input: DeleteSellerReviewReplyInput!) { deleteSellerReviewReply(input: $input) { ${RESULT}
  ... on DeleteSellerReviewReplySuccess { sellerReview { ${REPLY_FIELDS} } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on Review { ${REPLY_FIELDS} } ... on SellerReview { ${REPLY_FIELDS} } } }`;

async function nodeAs(key: string, id: string) {
  const res = await t.gql(key, NODE, { id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node;
}

describe('replyToReview', () => {
  it('sets a trimmed reply that the storefront sees on a published review; a new reply keeps createdAt', async () => {
    const id = await review(t, store.keys);
    const first = await mutate(t, store.keys.admin, REPLY, { reviewId: id, content: '  Thanks, Ada!  ' });
    expect(first.__typename).toBe('ReplyToReviewSuccess');
    expect(first.review.merchantReply.content).toBe('Thanks, Ada!');
    expect(first.review.merchantReply.createdAt).toBe(first.review.merchantReply.updatedAt);
    const seen = await nodeAs(store.keys.storefront, id);
    expect(seen.merchantReply).toEqual(first.review.merchantReply);

    await new Promise((r) => setTimeout(r, 5));
    const second = await mutate(t, store.keys.admin, REPLY, { reviewId: id, content: 'Glad it fits.' });
    expect(second.review.merchantReply.content).toBe('Glad it fits.');
    expect(second.review.merchantReply.createdAt).toBe(first.review.merchantReply.createdAt);
    expect(second.review.merchantReply.updatedAt > first.review.merchantReply.updatedAt).toBe(true);
    const row = await rowOf(t, 'review', id);
    expect(row.replyContent).toBe('Glad it fits.');
  });

  it('a reply of a pending or rejected review is not visible to the storefront (nor the review)', async () => {
    for (const action of [null, 'REJECT'] as const) {
      const id = await review(t, store.keys, {}, action);
      await mutate(t, store.keys.admin, REPLY, { reviewId: id, content: 'We are sorry.' });
      expect(await nodeAs(store.keys.storefront, id)).toBeNull();
      const list = await t.gql(
        store.keys.storefront,
        `{ reviews(first: 50) { nodes { id merchantReply { content } } } }`,
      );
      expect(list.body.data.reviews.nodes.map((n: { id: string }) => n.id)).not.toContain(id);
      expect((await nodeAs(store.keys.admin, id)).merchantReply.content).toBe('We are sorry.');
    }
  });

  it('refuses STOREFRONT and SUPPORT keys with FORBIDDEN; nothing changes', async () => {
    const id = await review(t, store.keys);
    for (const key of [store.keys.storefront, store.keys.support]) {
      for (const [doc, input] of [
        [REPLY, { reviewId: id, content: 'Hijacked' }],
        [DELETE, { reviewId: id }],
      ] as const) {
        const res = await t.gql(key, doc, { input });
        expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
      }
    }
    expect((await rowOf(t, 'review', id)).replyContent).toBeNull();
  });

  it('blank, too long or lone-surrogate content is a ValidationError and changes nothing', async () => {
    const id = await review(t, store.keys);
    await mutate(t, store.keys.admin, REPLY, { reviewId: id, content: 'Original' });
    for (const content of ['', '  \n ', 'x'.repeat(5001), 'bad \ud83d text']) {
      const r = await mutate(t, store.keys.admin, REPLY, { reviewId: id, content });
      expect(r.__typename).toBe('ValidationError');
      expect(r.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(['input.content']);
    }
    expect((await rowOf(t, 'review', id)).replyContent).toBe('Original');
  });

  it("another client's review, an unknown, malformed or wrong-type id → NotFoundError, nothing changes", async () => {
    const other = await newStore(t);
    const theirs = await review(t, other.keys);
    const unknown = Buffer.from('Review:01a21541-cf3f-70b2-a4d4-55c47abaa5b9').toString('base64');
    const wrongType = Buffer.from('SellerReview:01a21541-cf3f-70b2-a4d4-55c47abaa5b9').toString('base64');
    for (const reviewId of [theirs, unknown, wrongType, '%%%']) {
      for (const [doc, input] of [
        [REPLY, { reviewId, content: 'Not mine' }],
        [DELETE, { reviewId }],
      ] as const) {
        const r = await mutate(t, store.keys.admin, doc, input);
        expect(r).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'No review with this id.' });
      }
    }
    expect((await rowOf(t, 'review', theirs)).replyContent).toBeNull();
  });
});

describe('deleteReviewReply', () => {
  it('removes the reply; deleting again is fine', async () => {
    const id = await review(t, store.keys);
    await mutate(t, store.keys.admin, REPLY, { reviewId: id, content: 'Thanks' });
    for (let i = 0; i < 2; i++) {
      const r = await mutate(t, store.keys.admin, DELETE, { reviewId: id });
      expect(r).toEqual({ __typename: 'DeleteReviewReplySuccess', review: { id, merchantReply: null } });
    }
    const row = await rowOf(t, 'review', id);
    expect([row.replyContent, row.replyCreatedAt, row.replyUpdatedAt]).toEqual([null, null, null]);
  });
});

describe('seller review replies', () => {
  it('reply, storefront view once published, delete; other tenants get NotFoundError', async () => {
    const submitted = await mutate(t, store.keys.admin, SUBMIT_SELLER_REVIEW, sellerReviewInput());
    const id = submitted.sellerReview.id;
    const r = await mutate(t, store.keys.admin, SELLER_REPLY, { sellerReviewId: id, content: 'Thank you!' });
    expect(r.sellerReview.merchantReply.content).toBe('Thank you!');
    expect(await nodeAs(store.keys.storefront, id)).toBeNull();
    await moderate(t, store.keys.admin, 'SellerReview', id, 'PUBLISH');
    expect((await nodeAs(store.keys.storefront, id)).merchantReply.content).toBe('Thank you!');

    const other = await newStore(t);
    const foreign = await mutate(t, other.keys.admin, SELLER_REPLY, { sellerReviewId: id, content: 'Mine now' });
    expect(foreign.__typename).toBe('NotFoundError');
    const foreignDelete = await mutate(t, other.keys.admin, SELLER_DELETE, { sellerReviewId: id });
    expect(foreignDelete.__typename).toBe('NotFoundError');
    expect((await rowOf(t, 'sellerReview', id)).replyContent).toBe('Thank you!');

    const deleted = await mutate(t, store.keys.admin, SELLER_DELETE, { sellerReviewId: id });
    expect(deleted.sellerReview.merchantReply).toBeNull();
  });
});
