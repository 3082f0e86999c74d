// submitReview and moderateReview: verification, every bad input (each writes nothing), roles
// and tenants.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import {
  AUTHORED_BAD_INPUTS,
  contentCounts,
  expectInvalid,
  moderate,
  mutate,
  newStore,
  RATING_BAD_INPUTS,
  review,
  reviewInput,
  SUBMIT_REVIEW,
  type Keys,
} from './review-fixtures.ts';

const t = useTestApp();
let keys: Keys;
let clientId: string;

beforeAll(async () => {
  ({ keys, clientId } = await newStore(t));
});

async function stored(globalId: string) {
  const id = Buffer.from(globalId, 'base64').toString().split(':')[1];
  return t.db.review.findUniqueOrThrow({ where: { id } });
}

describe('submitReview', () => {
  it('stores a PENDING review with trimmed text and a normalized e-mail (storefront key)', async () => {
    const r = await mutate(
      t,
      keys.storefront,
      SUBMIT_REVIEW,
      reviewInput({
        title: '  Solid  ',
        content: ' Fits well. ',
        authorNick: ' ada ',
        authorEmail: '  ADA@Example.COM ',
        rating: 4,
      }),
    );
    expect(r.__typename).toBe('SubmitReviewSuccess');
    expect(r.review).toMatchObject({
      productSku: 'SHOE-red',
      rating: 4,
      title: 'Solid',
      content: 'Fits well.',
      authorNick: 'ada',
      status: 'PENDING',
      verified: false,
    });
    const row = await stored(r.review.id);
    expect(row).toMatchObject({
      clientId,
      authorEmail: 'ada@example.com',
      verified: false,
      customerId: null,
      orderItemId: null,
      status: 'PENDING',
    });
  });

  it("is verified and linked when the order is the author's and has a reviewable item with the sku (ADMIN sees it)", async () => {
    const r = await mutate(
      t,
      keys.admin,
      SUBMIT_REVIEW,
      reviewInput({ orderExternalId: 'o-1', authorEmail: ' Ada@example.com' }),
    );
    expect(r.review.verified).toBe(true);
    const row = await stored(r.review.id);
    const customer = await t.db.customer.findFirstOrThrow({ where: { clientId, externalId: 'c-1' } });
    const item = await t.db.orderItem.findFirstOrThrow({
      where: { order: { clientId, externalId: 'o-1' }, sku: 'SHOE-red' },
    });
    expect(row.customerId).toBe(customer.id);
    expect(row.orderItemId).toBe(item.id);
  });

  it.each([
    ['an unknown order', { orderExternalId: 'no-such-order' }],
    ["another e-mail than the order customer's", { orderExternalId: 'o-1', authorEmail: 'eve@example.com' }],
    ['a sku the order does not contain', { orderExternalId: 'o-1', productSku: 'SHOE-blue' }],
    ['a cancelled item', { orderExternalId: 'o-1', productSku: 'TENT-1' }],
  ])('is stored unverified, without error, for %s', async (_case, overrides) => {
    const r = await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput(overrides));
    expect(r.__typename).toBe('SubmitReviewSuccess');
    expect(r.review.verified).toBe(false);
    const row = await stored(r.review.id);
    expect([row.customerId, row.orderItemId, row.status]).toEqual([null, null, 'PENDING']);
  });

  it("does not verify with another client's order of the same externalId", async () => {
    const other = await newStore(t);
    const r = await mutate(t, other.keys.admin, SUBMIT_REVIEW, reviewInput({ orderExternalId: 'o-1' }));
    expect(r.review.verified).toBe(true);
    await t.db.order.deleteMany({ where: { clientId: other.clientId } });
    const again = await mutate(t, other.keys.admin, SUBMIT_REVIEW, reviewInput({ orderExternalId: 'o-1' }));
    expect(again.review.verified).toBe(false);
  });

  it('accepts an ADMIN key and refuses a SUPPORT key with FORBIDDEN, writing nothing', async () => {
    const byAdmin = await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    expect(byAdmin.review.status).toBe('PENDING');
    const before = await contentCounts(t, clientId);
    const res = await t.gql(keys.support, SUBMIT_REVIEW, { input: reviewInput() });
    expect(res.status).toBe(200);
    expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(res.body.data).toBeNull();
    expect(await contentCounts(t, clientId)).toEqual(before);
  });
});

describe('submitReview bad input writes nothing', () => {
  const long = (n: number) => 'x'.repeat(n);
  const BAD: typeof AUTHORED_BAD_INPUTS = [
    ...RATING_BAD_INPUTS,
    ...AUTHORED_BAD_INPUTS,
    ['blank sku', { productSku: ' ' }, 'input.productSku'],
    ['sku over 255', { productSku: long(256) }, 'input.productSku'],
  ];
  it.each(BAD)('%s → ValidationError at the field', async (_case, overrides, path) => {
    await expectInvalid(t, { keys, clientId }, SUBMIT_REVIEW, reviewInput(overrides), [path]);
  });

  it('accepts the limits exactly: title of 150 and content of 5000 characters, ratings 1 and 5', async () => {
    const a = await mutate(
      t,
      keys.storefront,
      SUBMIT_REVIEW,
      reviewInput({ title: long(150), content: long(5000), rating: 1 }),
    );
    const b = await mutate(t, keys.storefront, SUBMIT_REVIEW, reviewInput({ rating: 5 }));
    expect([a.__typename, b.__typename]).toEqual(['SubmitReviewSuccess', 'SubmitReviewSuccess']);
  });

  it('reports every problem at once', async () => {
    const r = await mutate(t, keys.storefront, SUBMIT_REVIEW, reviewInput({ rating: 9, title: '', authorEmail: 'x' }));
    expect(r.fieldErrors.map((e: { path: string[] }) => e.path.join('.')).sort()).toEqual([
      'input.authorEmail',
      'input.rating',
      'input.title',
    ]);
  });

  it('a non-integer rating is a GraphQL validation error, nothing written', async () => {
    const before = await contentCounts(t, clientId);
    const res = await t.gql(keys.storefront, SUBMIT_REVIEW, { input: reviewInput({ rating: 4.5 }) });
    expect(res.body.errors![0].message).toMatch(/Int cannot represent non-integer value: 4.5/);
    expect(await contentCounts(t, clientId)).toEqual(before);
  });

  it('unknown sku → NotFoundError', async () => {
    const before = await contentCounts(t, clientId);
    const r = await mutate(t, keys.storefront, SUBMIT_REVIEW, reviewInput({ productSku: 'NOPE' }));
    expect(r).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: 'No product with sku "NOPE" in the feed.',
    });
    expect(await contentCounts(t, clientId)).toEqual(before);
  });

  it("a sku of another client's feed is unknown here", async () => {
    const other = await newStore(t, [{ sku: 'ONLY-THERE', name: 'x' }]);
    const r = await mutate(t, keys.storefront, SUBMIT_REVIEW, reviewInput({ productSku: 'ONLY-THERE' }));
    expect(r.__typename).toBe('NotFoundError');
    expect(await t.db.review.count({ where: { productSku: 'ONLY-THERE' } })).toBe(0);
    expect(other.clientId).not.toBe(clientId);
  });
});

describe('moderateReview', () => {
  it('publishes and rejects (ADMIN), and the status sticks', async () => {
    const id = await review(t, keys, {}, null);
    const published = await moderate(t, keys.admin, 'Review', id, 'PUBLISH');
    expect(published).toEqual({ __typename: 'ModerateReviewSuccess', review: { id, status: 'PUBLISHED' } });
    expect((await stored(id)).status).toBe('PUBLISHED');
    const rejected = await moderate(t, keys.admin, 'Review', id, 'REJECT');
    expect(rejected.review.status).toBe('REJECTED');
    expect((await stored(id)).status).toBe('REJECTED');
  });

  it('refuses STOREFRONT and SUPPORT keys with FORBIDDEN; the status stays', async () => {
    const id = await review(t, keys, {}, null);
    for (const key of [keys.storefront, keys.support]) {
      const res = await t.gql(
        key,
        `mutation($input: ModerateReviewInput!) { moderateReview(input: $input) { __typename } }`,
        {
          input: { id, action: 'PUBLISH' },
        },
      );
      expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    expect((await stored(id)).status).toBe('PENDING');
  });

  it("another client's review, an unknown, malformed or wrong-type id → NotFoundError, nothing changes", async () => {
    const other = await newStore(t);
    const theirs = await review(t, other.keys, {}, null);
    const questionId = Buffer.from('Question:01a21541-cf3f-70b2-a4d4-55c47abaa5b9').toString('base64');
    const unknown = Buffer.from('Review:01a21541-cf3f-70b2-a4d4-55c47abaa5b9').toString('base64');
    const malformed = Buffer.from('Review:not-a-uuid').toString('base64');
    for (const id of [theirs, unknown, malformed, questionId, '%%%']) {
      const r = await moderate(t, keys.admin, 'Review', id, 'PUBLISH');
      expect(r).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'No review with this id.' });
    }
    expect((await stored(theirs)).status).toBe('PENDING');
  });
});
