// Merging a request's items into an order. Runs while the order row is locked, so reading the
// stored items first is race-free. Items are added or updated, never deleted.
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../db/client.ts';
import { Prisma, type OrderItem, type Product } from '../generated/prisma/client.ts';
import type { OrderItemInput } from './orders.ts';

/** Product details an item takes from the feed when the request leaves them out. */
const DETAILS = ['familyId', 'name', 'category', 'url', 'imageUrl', 'properties'] as const;

type ItemValues = Pick<OrderItem, (typeof DETAILS)[number] | 'deliveryDate' | 'reviewable' | 'reviewableOverride'>;

/**
 * The item as it should be stored: sent fields replace, fields not sent keep the stored value,
 * and details still missing come from the product feed. `reviewable` sent explicitly wins;
 * otherwise an item is reviewable when it is in the feed or was described (has a name).
 */
export function resolveItem(input: OrderItemInput, stored: OrderItem | undefined, feed: Product | undefined): ItemValues {
  const pick = <K extends keyof ItemValues>(key: K, fallback: ItemValues[K] | undefined): ItemValues[K] => {
    const sent = (input as Record<string, unknown>)[key];
    if (sent !== undefined) return sent as ItemValues[K];
    return (stored?.[key] ?? fallback ?? null) as ItemValues[K];
  };
  const details = Object.fromEntries(DETAILS.map((k) => [k, pick(k, feed?.[k] as never)])) as Pick<
    ItemValues,
    (typeof DETAILS)[number]
  >;
  const reviewableOverride = pick('reviewableOverride', undefined);
  const override = input.reviewable !== undefined ? input.reviewable : reviewableOverride;
  return {
    ...details,
    deliveryDate: pick('deliveryDate', undefined),
    reviewableOverride: override,
    reviewable: override ?? (feed !== undefined || details.name !== null),
  };
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a && b && typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function jsonValue(v: unknown) {
  return v === null ? Prisma.DbNull : (v as Prisma.InputJsonObject);
}

/**
 * Changed items are written in one statement whatever their number: the new values travel as
 * one JSON array. The order row is locked by the caller, so writers of one order never interleave.
 */
async function updateItems(tx: Tx, rows: (ItemValues & { id: string })[]) {
  const json = JSON.stringify(
    rows.map((r) => ({ ...r, deliveryDate: r.deliveryDate ? r.deliveryDate.toISOString().slice(0, 10) : null })),
  );
  await tx.$executeRaw`
    UPDATE order_items AS i SET
      family_id = d."familyId", name = d.name, category = d.category, url = d.url, image_url = d."imageUrl",
      properties = NULLIF(d.properties, 'null'::jsonb), delivery_date = d."deliveryDate", reviewable = d.reviewable,
      reviewable_override = d."reviewableOverride", updated_at = now()
    FROM jsonb_to_recordset(${json}::jsonb) AS d(
      id uuid, "familyId" text, name text, category text, url text, "imageUrl" text, properties jsonb,
      "deliveryDate" date, reviewable boolean, "reviewableOverride" boolean)
    WHERE i.id = d.id`;
}

/** Writes the items; returns whether anything was added or changed. At most two statements. */
export async function mergeItems(tx: Tx, clientId: string, orderId: string, items: OrderItemInput[]): Promise<boolean> {
  if (items.length === 0) return false;
  const skus = items.map((i) => i.sku);
  const [stored, feed] = await Promise.all([
    tx.orderItem.findMany({ where: { orderId, sku: { in: skus } } }),
    tx.product.findMany({ where: { clientId, sku: { in: skus } } }),
  ]);
  const storedBySku = new Map(stored.map((i) => [i.sku, i]));
  const feedBySku = new Map(feed.map((p) => [p.sku, p]));

  const creates: Prisma.OrderItemCreateManyInput[] = [];
  const updates: (ItemValues & { id: string })[] = [];
  for (const input of items) {
    const existing = storedBySku.get(input.sku);
    const values = resolveItem(input, existing, feedBySku.get(input.sku));
    if (!existing) {
      creates.push({ id: uuidv7(), orderId, sku: input.sku, ...values, properties: jsonValue(values.properties) });
    } else if ((Object.keys(values) as (keyof ItemValues)[]).some((k) => !same(values[k], existing[k]))) {
      updates.push({ id: existing.id, ...values });
    }
  }
  if (creates.length) await tx.orderItem.createMany({ data: creates });
  if (updates.length) await updateItems(tx, updates);
  return creates.length + updates.length > 0;
}
