// Personal data of reviews' new parts: the lookup shows a person's reviews with the shop's
// replies and vote counts; erasing the person removes those reviews with their replies and every
// vote on them (the votes hold only keyed hashes of visitor ids).
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { mutate, review, rowOf, useStore } from './review-fixtures.ts';
import { ERASE } from './privacy-helpers.ts';

const t = useTestApp();
const store = useStore(t);

const VOTE = `mutation($input: VoteReviewInput!) { voteReview(input: $input) { __typename } }`;
const REPLY = `mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) { __typename } }`;
const LOOKUP = `query($subject: PersonalDataSubject!) { personalData(subject: $subject) {
  reviews { id helpfulCount merchantReply { content } } } }`;

describe('personal data of replies and votes', () => {
  it('lookup shows them; erasure removes the review, its reply and its votes, and leaves other reviews’ votes', async () => {
    const hers = await review(t, store.keys, { authorEmail: 'zoe@example.com' });
    const other = await review(t, store.keys, { authorEmail: 'max@example.com' });
    expect(await mutate(t, store.keys.admin, REPLY, { reviewId: hers, content: 'Thanks, Zoe' })).toEqual({
      __typename: 'ReplyToReviewSuccess',
    });
    for (const id of [hers, other]) {
      for (const voterId of ['v1', 'v2']) {
        expect(
          (await mutate(t, store.keys.storefront, VOTE, { reviewId: id, voterId, helpful: true })).__typename,
        ).toBe('VoteReviewSuccess');
      }
    }
    const lookup = await t.gql(store.keys.admin, LOOKUP, { subject: { email: 'zoe@example.com' } });
    expect(lookup.body.data.personalData.reviews).toEqual([
      { id: hers, helpfulCount: 2, merchantReply: { content: 'Thanks, Zoe' } },
    ]);
    const herRow = await rowOf(t, 'review', hers);
    const otherRow = await rowOf(t, 'review', other);

    const erased = await mutate(t, store.keys.admin, ERASE, { subject: { email: 'zoe@example.com' } });
    expect(erased.__typename).toBe('ErasePersonalDataSuccess');
    expect(await t.db.review.count({ where: { id: herRow.id } })).toBe(0);
    expect(await t.db.reviewVote.count({ where: { reviewId: herRow.id } })).toBe(0);
    expect(await t.db.reviewVote.count({ where: { reviewId: otherRow.id } })).toBe(2);
    expect(JSON.stringify(await t.db.review.findMany({ where: { clientId: store.clientId } }))).not.toContain(
      'Thanks, Zoe',
    );
  });
});
