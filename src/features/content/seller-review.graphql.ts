// SellerReview: a shopper's rating of the shop itself. Lists: Query.sellerReviews,
// Customer.sellerReviews; Query.sellerRatingSummary. STOREFRONT keys see PUBLISHED only.
import { sellerRatingSummary } from './rating-summary.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { contentNode, shownVerified, SORTS, staffCustomer, VERIFIED_SHOWN } from './content.graphql.ts';
import { contentFilter, contentListQuery, relatedContent } from './content-lists.graphql.ts';
import { CustomerNode } from '../orders/customer.graphql.ts';
import { RatingSummaryRef } from './rating-summary.graphql.ts';

export const SellerReviewNode = builder.prismaNode('SellerReview', {
  ...contentNode(
    'A rating (1–5) and text about the shop itself (service, delivery). New ones are PENDING until published; STOREFRONT keys see PUBLISHED seller reviews only.',
  ),
  fields: (t) => ({
    rating: t.exposeInt('rating', { description: 'Stars, 1 to 5.' }),
    verified: t.boolean({
      description: `True when the order given on submission exists and belongs to the author's e-mail. ${VERIFIED_SHOWN}`,
      resolve: shownVerified,
    }),
    customer: staffCustomer(t, 'The customer behind a verified seller review.'),
  }),
});

contentListQuery('sellerReviews', 'SellerReview', {
  description: 'Seller reviews of the client, NEWEST first by default. STOREFRONT keys get PUBLISHED ones only.',
  what: 'seller reviews',
  filter: contentFilter('SellerReviewFilter', 'seller reviews', ['status', 'rating', 'verified']),
  sort: SORTS.rating,
});

builder.queryField('sellerRatingSummary', (t) =>
  t.field({
    type: RatingSummaryRef,
    description: "Average, count and histogram of the shop's PUBLISHED seller reviews.",
    resolve: (_root, _args, ctx) => sellerRatingSummary(ctx.db, ctx.viewer.clientId),
  }),
);

builder.prismaObjectFields(CustomerNode, (t) => ({
  sellerReviews: relatedContent(t, 'Customer', 'sellerReviews', {
    description: 'Verified seller reviews written by this customer, every status, NEWEST first by default.',
    sort: SORTS.rating,
  }),
}));
