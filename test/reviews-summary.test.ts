// Product.ratingSummary and Product.familyRatingSummary: published reviews only, histogram of
// 1..5, family = every variant sharing the familyId. Plus the domain fold, directly.
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../src/features/content/rating-summary.ts';
import { useTestApp } from './helpers.ts';
import { newStore, review, type Keys } from './review-fixtures.ts';

const t = useTestApp();
let keys: Keys;

beforeAll(async () => {
  ({ keys } = await newStore(t));
  for (const rating of [5, 4, 4]) await review(t, keys, { rating, productSku: 'SHOE-red' });
  await review(t, keys, { rating: 1, productSku: 'SHOE-red' }, null); // pending: not counted
  await review(t, keys, { rating: 1, productSku: 'SHOE-red' }, 'REJECT'); // rejected: not counted
  await review(t, keys, { rating: 2, productSku: 'SHOE-blue' });
  await review(t, keys, { rating: 3, productSku: 'SOLO' });
});

const QUERY = `query($sku: String!) { product(sku: $sku) {
  ratingSummary { average count histogram } familyRatingSummary { average count histogram } } }`;

async function summaries(sku: string, key = keys.storefront) {
  const res = await t.gql(key, QUERY, { sku });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.product;
}

describe('rating summaries', () => {
  it('ratingSummary counts the published reviews of the sku only', async () => {
    expect((await summaries('SHOE-red')).ratingSummary).toEqual({
      average: 13 / 3,
      count: 3,
      histogram: [0, 0, 0, 2, 1],
    });
    expect((await summaries('SHOE-blue')).ratingSummary).toEqual({ average: 2, count: 1, histogram: [0, 1, 0, 0, 0] });
  });

  it('is the same for every role (published only, also for ADMIN)', async () => {
    expect(await summaries('SHOE-red', keys.admin)).toEqual(await summaries('SHOE-red', keys.storefront));
  });

  it('familyRatingSummary covers every variant of the family, shown on each variant', async () => {
    const family = { average: 15 / 4, count: 4, histogram: [0, 1, 0, 2, 1] };
    expect((await summaries('SHOE-red')).familyRatingSummary).toEqual(family);
    expect((await summaries('SHOE-blue')).familyRatingSummary).toEqual(family);
  });

  it('a product without familyId: the family summary is its own summary', async () => {
    const solo = await summaries('SOLO');
    expect(solo.familyRatingSummary).toEqual({ average: 3, count: 1, histogram: [0, 0, 1, 0, 0] });
    expect(solo.familyRatingSummary).toEqual(solo.ratingSummary);
  });

  it('no published review: average null, count 0, five zeros', async () => {
    const empty = { average: null, count: 0, histogram: [0, 0, 0, 0, 0] };
    expect(await summaries('TENT-1')).toEqual({ ratingSummary: empty, familyRatingSummary: empty });
  });

  it('publishing a pending review changes the summary on the next request', async () => {
    const id = await review(t, keys, { rating: 1, productSku: 'TENT-1' }, null);
    expect((await summaries('TENT-1')).ratingSummary.count).toBe(0);
    await review(t, keys, { rating: 5, productSku: 'TENT-1' });
    await t.gql(
      keys.admin,
      `mutation($id: ID!) { moderateReview(input: { id: $id, action: PUBLISH }) { __typename } }`,
      { id },
    );
    expect((await summaries('TENT-1')).ratingSummary).toEqual({ average: 3, count: 2, histogram: [1, 0, 0, 0, 1] });
  });
});

describe('summarize (domain)', () => {
  it('folds grouped rows per key, in key order, ignoring unknown keys and out-of-range ratings', () => {
    const rows = [
      { key: 'b', rating: 5, n: 3 },
      { key: 'a', rating: 1, n: 1 },
      { key: 'a', rating: 2, n: 1 },
      { key: 'zzz', rating: 5, n: 9 },
      { key: 'a', rating: 7, n: 9 },
    ];
    expect(summarize(['a', 'b', 'c'], rows)).toEqual([
      { average: 1.5, count: 2, histogram: [1, 1, 0, 0, 0] },
      { average: 5, count: 3, histogram: [0, 0, 0, 0, 3] },
      { average: null, count: 0, histogram: [0, 0, 0, 0, 0] },
    ]);
  });
});
