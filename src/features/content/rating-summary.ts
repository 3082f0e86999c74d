// Rating summaries over PUBLISHED reviews: one grouped query for a whole batch of products
// (or families), never one per product. The per-request dataloaders in platform/graphql/loaders.ts call these.
import type { Db } from '../../platform/db/client.ts';

export interface RatingSummary {
  /** Mean rating; null when there is no published review. */
  average: number | null;
  count: number;
  /** Counts of 1, 2, 3, 4 and 5 star ratings, in that order. */
  histogram: number[];
}

interface RatingCount {
  key: string;
  rating: number;
  n: number;
}

export function emptySummary(): RatingSummary {
  return { average: null, count: 0, histogram: [0, 0, 0, 0, 0] };
}

/** Folds (key, rating, count) rows into one summary per key; keys without rows get an empty one. */
export function summarize(keys: readonly string[], rows: RatingCount[]): RatingSummary[] {
  const byKey = new Map(keys.map((k) => [k, emptySummary()]));
  for (const { key, rating, n } of rows) {
    const summary = byKey.get(key);
    if (!summary || rating < 1 || rating > 5) continue;
    summary.histogram[rating - 1] += n;
  }
  for (const summary of byKey.values()) {
    summary.count = summary.histogram.reduce((a, b) => a + b, 0);
    const total = summary.histogram.reduce((sum, n, i) => sum + n * (i + 1), 0);
    summary.average = summary.count ? total / summary.count : null;
  }
  return keys.map((k) => byKey.get(k)!);
}

/** Summaries of the published reviews of each sku, in one GROUP BY statement. */
export async function ratingSummariesBySku(
  db: Db,
  clientId: string,
  skus: readonly string[],
): Promise<RatingSummary[]> {
  const groups = await db.review.groupBy({
    by: ['productSku', 'rating'],
    where: { clientId, status: 'PUBLISHED', productSku: { in: [...skus] } },
    _count: { _all: true },
  });
  return summarize(
    skus,
    groups.map((g) => ({ key: g.productSku, rating: g.rating, n: g._count._all })),
  );
}

/**
 * Summaries of the published reviews of every product of each family (all variants that share
 * the familyId), in one GROUP BY statement.
 */
export async function ratingSummariesByFamily(
  db: Db,
  clientId: string,
  familyIds: readonly string[],
): Promise<RatingSummary[]> {
  const rows = await db.$queryRaw<RatingCount[]>`
    SELECT p.family_id AS key, r.rating, count(*)::int AS n
    FROM reviews r
    JOIN products p ON p.client_id = r.client_id AND p.sku = r.product_sku
    WHERE r.client_id = ${clientId}::uuid AND r.status = 'PUBLISHED' AND p.family_id = ANY(${[...familyIds]}::text[])
    GROUP BY p.family_id, r.rating`;
  return summarize(familyIds, rows);
}

/** Summary of the client's published seller reviews. */
export async function sellerRatingSummary(db: Db, clientId: string): Promise<RatingSummary> {
  const groups = await db.sellerReview.groupBy({
    by: ['rating'],
    where: { clientId, status: 'PUBLISHED' },
    _count: { _all: true },
  });
  return summarize(
    ['shop'],
    groups.map((g) => ({ key: 'shop', rating: g.rating, n: g._count._all })),
  )[0];
}
