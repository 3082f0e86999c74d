// Per-request dataloaders for loads that are not Prisma relations. One instance per request,
// scoped to the caller's client, so batching never mixes tenants.
import DataLoader from 'dataloader';
import type { Db } from '../db/client.ts';
import {
  ratingSummariesByFamily,
  ratingSummariesBySku,
  type RatingSummary,
} from '../../features/content/rating-summary.ts';
import type { Product } from '../../generated/prisma/client.ts';

export function createLoaders(db: Db, clientId: string) {
  return {
    productBySku: new DataLoader<string, Product | null>(async (skus) => {
      const rows = await db.product.findMany({ where: { clientId, sku: { in: [...skus] } } });
      const bySku = new Map(rows.map((p) => [p.sku, p]));
      return skus.map((s) => bySku.get(s) ?? null);
    }),
    /** Published-review summary per product sku: one grouped query per batch. */
    ratingSummaryBySku: new DataLoader<string, RatingSummary>((skus) => ratingSummariesBySku(db, clientId, skus)),
    /** Published-review summary per product family: one grouped query per batch. */
    ratingSummaryByFamily: new DataLoader<string, RatingSummary>((ids) => ratingSummariesByFamily(db, clientId, ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
