// Review: a shopper's rating of a product. Lists: Query.reviews, Product.reviews, Customer.reviews.
// STOREFRONT keys see PUBLISHED reviews only; the rule is part of every where clause.
import { contentOrderBy, visibleById } from '../domain/content.ts';
import { reviewWhere } from '../domain/reviews.ts';
import { builder } from './builder.ts';
import { AuthoredContent, ModerationStatusEnum, reviewOrderArgs } from './content.ts';
import { CustomerNode } from './customer.ts';
import { countedConnection, paging } from './paging.ts';
import { ProductNode } from './product.ts';

export const ReviewNode = builder.prismaNode('Review', {
  description:
    'A rating (1–5) and text about a product of the feed. New reviews are PENDING until the merchant publishes them; STOREFRONT keys see PUBLISHED reviews only.',
  id: { field: 'id' },
  nullable: true,
  interfaces: [AuthoredContent],
  findUnique: (id, ctx) => visibleById(id, ctx.viewer.clientId, ctx.viewer.role),
  fields: (t) => ({
    productSku: t.exposeString('productSku', { description: 'Sku of the reviewed product.' }),
    product: t.relation('product', { description: 'The reviewed product.' }),
    rating: t.exposeInt('rating', { description: 'Stars, 1 to 5.' }),
    verified: t.exposeBoolean('verified', {
      description:
        'True when the author bought the product: the order given on submission belongs to the author\'s e-mail and has a reviewable item with this sku.',
    }),
    customer: t.relation('customer', {
      nullable: true,
      authScopes: { staff: true },
      description: 'The customer behind a verified review. ADMIN and SUPPORT keys only.',
    }),
  }),
});

const ReviewFilter = builder.inputType('ReviewFilter', {
  description: 'Narrows a review list. Conditions combine with AND.',
  fields: (t) => ({
    productSku: t.string({ description: 'Only reviews of this sku.' }),
    familyId: t.string({ description: 'Only reviews of products of this family (all variants).' }),
    status: t.field({
      type: ModerationStatusEnum,
      description: 'Only this status. STOREFRONT keys only ever get PUBLISHED reviews, whatever they ask.',
    }),
    rating: t.int({ description: 'Only this many stars (1–5).' }),
    verified: t.boolean({ description: 'Only verified (true) or only unverified (false) reviews.' }),
  }),
});

builder.queryField('reviews', (t) =>
  t.prismaConnection(
    {
      type: 'Review',
      cursor: 'id',
      ...paging,
      description: 'Product reviews of the client, NEWEST first by default. STOREFRONT keys get PUBLISHED reviews only.',
      args: { filter: t.arg({ type: ReviewFilter, description: 'Conditions the reviews must meet.' }), ...reviewOrderArgs },
      resolve: (query, _root, { filter, orderBy }, ctx) =>
        ctx.db.review.findMany({
          ...query,
          where: reviewWhere(ctx.viewer.clientId, ctx.viewer.role, filter),
          orderBy: contentOrderBy(orderBy),
          relationLoadStrategy: 'join',
        }),
      totalCount: (_conn, { filter }, ctx) =>
        ctx.db.review.count({ where: reviewWhere(ctx.viewer.clientId, ctx.viewer.role, filter) }),
    },
    countedConnection('A page of reviews.'),
    { description: 'A review in a page.' },
  ),
);

builder.prismaObjectFields(ProductNode, (t) => ({
  reviews: t.relatedConnection(
    'reviews',
    {
      cursor: 'id',
      ...paging,
      totalCount: true,
      description: 'Reviews of this product (this sku only), NEWEST first by default. STOREFRONT keys get PUBLISHED reviews only.',
      args: {
        rating: t.arg.int({ description: 'Only this many stars (1–5).' }),
        verified: t.arg.boolean({ description: 'Only verified (true) or only unverified (false) reviews.' }),
        ...reviewOrderArgs,
      },
      query: ({ rating, verified, orderBy }, ctx) => ({
        where: reviewWhere(ctx.viewer.clientId, ctx.viewer.role, { rating, verified }),
        orderBy: contentOrderBy(orderBy),
      }),
    },
    countedConnection("A page of a product's reviews.", 'ProductReviewsConnection'),
    { name: 'ProductReviewsEdge', description: "A review in a page of a product's reviews." },
  ),
}));

builder.prismaObjectFields(CustomerNode, (t) => ({
  reviews: t.relatedConnection(
    'reviews',
    {
      cursor: 'id',
      ...paging,
      totalCount: true,
      description: 'Verified reviews written by this customer, every status, NEWEST first by default.',
      args: { ...reviewOrderArgs },
      query: ({ orderBy }) => ({ orderBy: contentOrderBy(orderBy) }),
    },
    countedConnection("A page of a customer's reviews.", 'CustomerReviewsConnection'),
    { name: 'CustomerReviewsEdge', description: "A review in a page of a customer's reviews." },
  ),
}));
