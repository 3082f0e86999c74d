// Per-request dataloaders for loads that are not Prisma relations. One instance per request,
// scoped to the caller's client, so batching never mixes tenants.
import DataLoader from 'dataloader';
import type { Db } from './db/client.ts';
import type { Product } from './generated/prisma/client.ts';

export function createLoaders(db: Db, clientId: string) {
  return {
    productBySku: new DataLoader<string, Product | null>(async (skus) => {
      const rows = await db.product.findMany({ where: { clientId, sku: { in: [...skus] } } });
      const bySku = new Map(rows.map((p) => [p.sku, p]));
      return skus.map((s) => bySku.get(s) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
