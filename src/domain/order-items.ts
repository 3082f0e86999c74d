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

/** Writes the items; returns whether anything was added or changed. */
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
  const updates: { id: string; data: Prisma.OrderItemUpdateInput }[] = [];
  for (const input of items) {
    const existing = storedBySku.get(input.sku);
    const values = resolveItem(input, existing, feedBySku.get(input.sku));
    if (!existing) {
      creates.push({ id: uuidv7(), orderId, sku: input.sku, ...values, properties: jsonValue(values.properties) });
      continue;
    }
    const changed = (Object.keys(values) as (keyof ItemValues)[]).filter((k) => !same(values[k], existing[k]));
    if (changed.length === 0) continue;
    const data: Record<string, unknown> = Object.fromEntries(changed.map((k) => [k, values[k]]));
    if ('properties' in data) data.properties = jsonValue(data.properties);
    updates.push({ id: existing.id, data: data as Prisma.OrderItemUpdateInput });
  }
  if (creates.length) await tx.orderItem.createMany({ data: creates });
  // Sorted by id so concurrent writers lock rows in the same order.
  updates.sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const u of updates) await tx.orderItem.update({ where: { id: u.id }, data: u.data, select: { id: true } });
  return creates.length + updates.length > 0;
}
