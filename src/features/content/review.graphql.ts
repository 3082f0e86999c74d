// Review: a shopper's rating of a product. Lists: Query.reviews, Product.reviews, Customer.reviews.
// STOREFRONT keys see PUBLISHED reviews only; the rule is part of every where clause.
import { builder } from '../../platform/graphql/builder.ts';
import { contentNode, shownVerified, SORTS, staffCustomer, VERIFIED_SHOWN } from './content.graphql.ts';
import { contentFilter, contentFilterArgs, contentListQuery, relatedContent } from './content-lists.graphql.ts';
import { CustomerNode } from '../orders/customer.graphql.ts';
import { ProductNode } from '../catalog/product.graphql.ts';

export const ReviewNode = builder.prismaNode('Review', {
  ...contentNode(
    'A rating (1–5) and text about a product of the feed. New reviews are PENDING until the merchant publishes them; STOREFRONT keys see PUBLISHED reviews only.',
  ),
  fields: (t) => ({
    productSku: t.exposeString('productSku', { description: 'Sku of the reviewed product.' }),
    product: t.relation('product', { description: 'The reviewed product.' }),
    rating: t.exposeInt('rating', { description: 'Stars, 1 to 5.' }),
    verified: t.boolean({
      description: `True when the author bought the product: the order given on submission belongs to the author's e-mail and has a reviewable item with this sku. ${VERIFIED_SHOWN}`,
      resolve: shownVerified,
    }),
    customer: staffCustomer(t, 'The customer behind a verified review.'),
  }),
});

contentListQuery('reviews', 'Review', {
  description: 'Product reviews of the client, NEWEST first by default. STOREFRONT keys get PUBLISHED reviews only.',
  what: 'reviews',
  filter: contentFilter('ReviewFilter', 'reviews', ['productSku', 'familyId', 'status', 'rating', 'verified']),
  sort: SORTS.rating,
});

builder.prismaObjectFields(ProductNode, (t) => ({
  reviews: relatedContent(t, 'Product', 'reviews', {
    description:
      'Reviews of this product (this sku only), NEWEST first by default. STOREFRONT keys get PUBLISHED reviews only.',
    args: contentFilterArgs('reviews', ['rating', 'verified']),
    sort: SORTS.rating,
  }),
}));

builder.prismaObjectFields(CustomerNode, (t) => ({
  reviews: relatedContent(t, 'Customer', 'reviews', {
    description: 'Verified reviews written by this customer, every status, NEWEST first by default.',
    sort: SORTS.rating,
  }),
}));
