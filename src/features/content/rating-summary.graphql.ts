// RatingSummary and the two summaries on Product: ratingSummary (this sku) and
// familyRatingSummary (every variant of the product's family). Batched by dataloaders:
// one grouped query per request for all products on the page.
import type { RatingSummary } from './rating-summary.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { ProductNode } from '../catalog/product.graphql.ts';

export const RatingSummaryRef = builder.objectRef<RatingSummary>('RatingSummary').implement({
  description: 'Aggregate of PUBLISHED ratings. Pending and rejected reviews never count.',
  fields: (t) => ({
    average: t.exposeFloat('average', {
      nullable: true,
      description: 'Mean rating (1.0–5.0, not rounded); null when there is no published rating.',
    }),
    count: t.exposeInt('count', { description: 'Number of published ratings.' }),
    histogram: t.exposeIntList('histogram', {
      description: 'Five counts: how many published ratings gave 1, 2, 3, 4 and 5 stars, in that order.',
    }),
  }),
});

builder.prismaObjectFields(ProductNode, (t) => ({
  ratingSummary: t.field({
    type: RatingSummaryRef,
    description: 'Published reviews of this sku only.',
    resolve: (p, _args, ctx) => ctx.loaders.ratingSummaryBySku.load(p.sku),
  }),
  familyRatingSummary: t.field({
    type: RatingSummaryRef,
    description:
      "Published reviews of every product sharing this product's familyId (all variants): the rating a storefront shows on each variant page. Equals ratingSummary when the product has no familyId.",
    resolve: (p, _args, ctx) =>
      p.familyId == null
        ? ctx.loaders.ratingSummaryBySku.load(p.sku)
        : ctx.loaders.ratingSummaryByFamily.load(p.familyId),
  }),
}));
