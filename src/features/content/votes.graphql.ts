// Helpful votes: Review.helpfulCount, Review.unhelpfulCount and voteReview (STOREFRONT and
// ADMIN keys). No field ever returns a voter id or its hash.
import { builder } from '../../platform/graphql/builder.ts';
import { voteReview } from './votes.ts';
import { localId } from './content.graphql.ts';
import { contentMutation, reviewPayload } from './review-mutations.graphql.ts';
import { ReviewNode } from './review.graphql.ts';

builder.prismaObjectFields(ReviewNode, (t) => ({
  helpfulCount: t.exposeInt('helpfulCount', { description: 'How many visitors found the review helpful.' }),
  unhelpfulCount: t.exposeInt('unhelpfulCount', { description: 'How many visitors found the review not helpful.' }),
}));

const VoteReviewInput = builder.inputType('VoteReviewInput', {
  description: "A visitor's helpful / not helpful vote on a review.",
  fields: (t) => ({
    reviewId: t.id({
      required: true,
      description:
        "Global id of a PUBLISHED review; an unpublished, unknown or another client's review is a NotFoundError.",
    }),
    helpful: t.boolean({ required: true, description: 'True: helpful; false: not helpful.' }),
    voterId: t.string({
      required: true,
      description:
        "The storefront's anonymous visitor id, 1–255 characters, not blank. One vote per visitor and review: voting again replaces the earlier vote. Stored only as a keyed hash; never returned.",
    }),
  }),
});

contentMutation('voteReview', {
  description:
    "Records or changes a visitor's vote on a PUBLISHED review (helpfulCount / unhelpfulCount). The same vote twice counts once. STOREFRONT and ADMIN keys; each call takes from the key's rate-limit bucket like any storefront write.",
  success: 'The vote is counted.',
  input: VoteReviewInput,
  adminOnly: false,
  payload: reviewPayload,
  run: (db, clientId, input: { reviewId: string }) =>
    voteReview(db, clientId, { ...input, id: localId(input.reviewId, 'Review') }),
});
