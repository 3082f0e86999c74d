// voteReview, helpfulCount / unhelpfulCount and ReviewOrder.MOST_HELPFUL: one vote per visitor
// per published review, the visitor id kept only as a keyed hash, tenant-scoped.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { mutate, newStore, review, rowOf, useStore } from './review-fixtures.ts';
import { countDelta, voterHash } from '../src/features/content/votes.ts';

const t = useTestApp();
const store = useStore(t);

const RESULT = `__typename ... on ValidationError { fieldErrors { path message } } ... on Error { code message }`;
const VOTE = `mutation($input: VoteReviewInput!) { voteReview(input: $input) { ${RESULT}
  ... on VoteReviewSuccess { review { id helpfulCount unhelpfulCount } } } }`;

const vote = (key: string, reviewId: string, voterId: string, helpful = true) =>
  mutate(t, key, VOTE, { reviewId, voterId, helpful });

async function counts(id: string) {
  const row = await rowOf(t, 'review', id);
  return [row.helpfulCount, row.unhelpfulCount];
}

describe('countDelta', () => {
  it('adds a new vote, moves a changed one, ignores a repeated one', () => {
    expect(countDelta(undefined, true)).toEqual({ helpfulCount: { increment: 1 } });
    expect(countDelta(undefined, false)).toEqual({ unhelpfulCount: { increment: 1 } });
    expect(countDelta(true, false)).toEqual({ unhelpfulCount: { increment: 1 }, helpfulCount: { decrement: 1 } });
    expect(countDelta(false, true)).toEqual({ helpfulCount: { increment: 1 }, unhelpfulCount: { decrement: 1 } });
    expect(countDelta(true, true)).toEqual({});
  });

  it('hashes the visitor id under the secret: another secret, another hash', () => {
    const a = 'aa'.repeat(32);
    const b = 'bb'.repeat(32);
    expect(voterHash(a, 'visitor-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(voterHash(a, 'visitor-1')).not.toBe(voterHash(b, 'visitor-1'));
    expect(voterHash(a, 'visitor-1')).not.toBe(voterHash(a, 'visitor-2'));
  });
});

describe('voteReview', () => {
  it('counts one vote per visitor; a visitor can change it; a repeat counts once', async () => {
    const id = await review(t, store.keys);
    const first = await vote(store.keys.storefront, id, 'visitor-1');
    expect(first).toEqual({ __typename: 'VoteReviewSuccess', review: { id, helpfulCount: 1, unhelpfulCount: 0 } });
    await vote(store.keys.storefront, id, 'visitor-1');
    expect(await counts(id)).toEqual([1, 0]);
    await vote(store.keys.storefront, id, 'visitor-2');
    expect(await counts(id)).toEqual([2, 0]);
    const changed = await vote(store.keys.storefront, id, 'visitor-1', false);
    expect(changed.review).toMatchObject({ helpfulCount: 1, unhelpfulCount: 1 });
    expect(await t.db.reviewVote.count({ where: { reviewId: (await rowOf(t, 'review', id)).id } })).toBe(2);
  });

  it('concurrent votes of one visitor count once', async () => {
    const id = await review(t, store.keys);
    const results = await Promise.all(Array.from({ length: 6 }, () => vote(store.keys.storefront, id, 'racer')));
    expect(results.every((r) => r.__typename === 'VoteReviewSuccess')).toBe(true);
    expect(await counts(id)).toEqual([1, 0]);
  });

  it('stores only a keyed hash of the visitor id; no field returns it', async () => {
    const id = await review(t, store.keys);
    await vote(store.keys.storefront, id, 'visitor-secret-xyz');
    const rows = await t.db.reviewVote.findMany({ where: { review: { id: (await rowOf(t, 'review', id)).id } } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('visitor-secret-xyz');
    const client = await t.db.client.findUniqueOrThrow({ where: { id: store.clientId } });
    expect(rows[0].voterHash).toBe(voterHash(client.erasureSecret, 'visitor-secret-xyz'));
    const sdl = await t.gql(store.keys.storefront, `{ __type(name: "Review") { fields { name } } }`);
    const names = sdl.body.data.__type.fields.map((f: { name: string }) => f.name);
    expect(names.filter((n: string) => /vote/i.test(n))).toEqual([]);
  });

  it('pending, rejected, unknown, wrong-type and other tenants’ reviews → NotFoundError, nothing counted', async () => {
    const pending = await review(t, store.keys, {}, null);
    const rejected = await review(t, store.keys, {}, 'REJECT');
    const other = await newStore(t);
    const theirs = await review(t, other.keys);
    const unknown = Buffer.from('Review:01a21541-cf3f-70b2-a4d4-55c47abaa5b9').toString('base64');
    const wrongType = Buffer.from('Question:01a21541-cf3f-70b2-a4d4-55c47abaa5b9').toString('base64');
    for (const id of [pending, rejected, theirs, unknown, wrongType, '%%%']) {
      for (const key of [store.keys.storefront, store.keys.admin]) {
        const r = await vote(key, id, 'visitor-1');
        expect(r).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'No review with this id.' });
      }
    }
    for (const id of [pending, rejected, theirs]) expect(await counts(id)).toEqual([0, 0]);
    expect(await t.db.reviewVote.count({ where: { clientId: other.clientId } })).toBe(0);
  });

  it('a blank, empty or over-long voter id is a ValidationError and counts nothing', async () => {
    const id = await review(t, store.keys);
    for (const voterId of ['', '   ', 'v'.repeat(256)]) {
      const r = await vote(store.keys.storefront, id, voterId);
      expect(r.__typename).toBe('ValidationError');
      expect(r.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(['input.voterId']);
    }
    expect(await counts(id)).toEqual([0, 0]);
  });

  it('refuses a SUPPORT key with FORBIDDEN', async () => {
    const id = await review(t, store.keys);
    const res = await t.gql(store.keys.support, VOTE, { input: { reviewId: id, voterId: 'v', helpful: true } });
    expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await counts(id)).toEqual([0, 0]);
  });
});

describe('ReviewOrder.MOST_HELPFUL', () => {
  it('most helpful first, newest first among ties; cursors page through every review exactly once', async () => {
    const s = await newStore(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await review(t, s.keys, { productSku: 'TENT-1', title: `r${i}` }));
    const votes = [1, 3, 0, 3, 2];
    for (const [i, n] of votes.entries()) {
      for (let v = 0; v < n; v++) await vote(s.keys.storefront, ids[i], `v${v}`);
    }
    const expected = [ids[3], ids[1], ids[4], ids[0], ids[2]];
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res: { body: any } = await t.gql(
        s.keys.storefront,
        `query($after: String) { product(sku: "TENT-1") { reviews(orderBy: MOST_HELPFUL, first: 2, after: $after) {
          nodes { id helpfulCount } pageInfo { hasNextPage endCursor } } } }`,
        { after },
      );
      expect(res.body.errors).toBeUndefined();
      const conn: any = res.body.data.product.reviews;
      seen.push(...conn.nodes.map((n: { id: string }) => n.id));
      after = conn.pageInfo.endCursor;
      expect(conn.pageInfo.hasNextPage).toBe(page < 2);
    }
    expect(seen).toEqual(expected);
    const root = await t.gql(s.keys.storefront, `{ reviews(orderBy: MOST_HELPFUL, first: 5) { nodes { id } } }`);
    expect(root.body.data.reviews.nodes.map((n: { id: string }) => n.id)).toEqual(expected);
  });

  it('seller-review lists accept it and sort NEWEST', async () => {
    const res = await t.gql(
      store.keys.storefront,
      `{ sellerReviews(orderBy: MOST_HELPFUL, first: 1) { nodes { id } } }`,
    );
    expect(res.body.errors).toBeUndefined();
  });
});
