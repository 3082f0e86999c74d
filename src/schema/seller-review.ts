// SellerReview: a shopper's rating of the shop itself. Lists: Query.sellerReviews,
// Customer.sellerReviews; Query.sellerRatingSummary. STOREFRONT keys see PUBLISHED only.
import { contentOrderBy, visibleById } from '../domain/content.ts';
import { sellerRatingSummary } from '../domain/rating-summary.ts';
import { sellerReviewWhere } from '../domain/seller-reviews.ts';
import { builder } from './builder.ts';
import { AuthoredContent, ModerationStatusEnum, reviewOrderArgs } from './content.ts';
import { CustomerNode } from './customer.ts';
import { countedConnection, paging } from './paging.ts';
import { RatingSummaryRef } from './rating-summary.ts';

export const SellerReviewNode = builder.prismaNode('SellerReview', {
  description:
    'A rating (1–5) and text about the shop itself (service, delivery). New ones are PENDING until published; STOREFRONT keys see PUBLISHED seller reviews only.',
  id: { field: 'id' },
  nullable: true,
  interfaces: [AuthoredContent],
  findUnique: (id, ctx) => visibleById(id, ctx.viewer.clientId, ctx.viewer.role),
  fields: (t) => ({
    rating: t.exposeInt('rating', { description: 'Stars, 1 to 5.' }),
    verified: t.exposeBoolean('verified', {
      description: "True when the order given on submission exists and belongs to the author's e-mail.",
    }),
    customer: t.relation('customer', {
      nullable: true,
      authScopes: { staff: true },
      description: 'The customer behind a verified seller review. ADMIN and SUPPORT keys only.',
    }),
  }),
});

const SellerReviewFilter = builder.inputType('SellerReviewFilter', {
  description: 'Narrows a seller review list. Conditions combine with AND.',
  fields: (t) => ({
    status: t.field({
      type: ModerationStatusEnum,
      description: 'Only this status. STOREFRONT keys only ever get PUBLISHED seller reviews, whatever they ask.',
    }),
    rating: t.int({ description: 'Only this many stars (1–5).' }),
    verified: t.boolean({ description: 'Only verified (true) or only unverified (false) seller reviews.' }),
  }),
});

builder.queryFields((t) => ({
  sellerReviews: t.prismaConnection(
    {
      type: 'SellerReview',
      cursor: 'id',
      ...paging,
      description: 'Seller reviews of the client, NEWEST first by default. STOREFRONT keys get PUBLISHED ones only.',
      args: { filter: t.arg({ type: SellerReviewFilter, description: 'Conditions the seller reviews must meet.' }), ...reviewOrderArgs },
      resolve: (query, _root, { filter, orderBy }, ctx) =>
        ctx.db.sellerReview.findMany({
          ...query,
          where: sellerReviewWhere(ctx.viewer.clientId, ctx.viewer.role, filter),
          orderBy: contentOrderBy(orderBy),
          relationLoadStrategy: 'join',
        }),
      totalCount: (_conn, { filter }, ctx) =>
        ctx.db.sellerReview.count({ where: sellerReviewWhere(ctx.viewer.clientId, ctx.viewer.role, filter) }),
    },
    countedConnection('A page of seller reviews.'),
    { description: 'A seller review in a page.' },
  ),
  sellerRatingSummary: t.field({
    type: RatingSummaryRef,
    description: "Average, count and histogram of the shop's PUBLISHED seller reviews.",
    resolve: (_root, _args, ctx) => sellerRatingSummary(ctx.db, ctx.viewer.clientId),
  }),
}));

builder.prismaObjectFields(CustomerNode, (t) => ({
  sellerReviews: t.relatedConnection(
    'sellerReviews',
    {
      cursor: 'id',
      ...paging,
      totalCount: true,
      description: 'Verified seller reviews written by this customer, every status, NEWEST first by default.',
      args: { ...reviewOrderArgs },
      query: ({ orderBy }) => ({ orderBy: contentOrderBy(orderBy) }),
    },
    countedConnection("A page of a customer's seller reviews.", 'CustomerSellerReviewsConnection'),
    { name: 'CustomerSellerReviewsEdge', description: "A seller review in a page of a customer's seller reviews." },
  ),
}));
