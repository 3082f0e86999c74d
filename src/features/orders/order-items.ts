// Merging the items of a batch of orders. Runs while the orders' rows are locked (the caller
// upserted them in this transaction), so reading the stored items first is race-free. Items are
// added or updated, never deleted. Statements per batch are bounded, whatever its size.
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../platform/db/client.ts';
import type { OrderItem, Product } from '../../generated/prisma/client.ts';
import { ValidationError } from '../../platform/rules/errors.ts';
import { MAX_ITEMS_PER_ORDER, type OrderItemInput } from './order-inputs.ts';

/** Product details an item takes from the feed when the request leaves them out. */
const DETAILS = ['familyId', 'name', 'category', 'url', 'imageUrl', 'properties'] as const;

type ItemValues = Pick<OrderItem, (typeof DETAILS)[number] | 'deliveryDate' | 'reviewable' | 'reviewableOverride'>;

/** The items sent for one order of the batch, and whether this call created that order. */
export interface OrderItems {
  orderId: string;
  created: boolean;
  items: OrderItemInput[];
  /** Where this order's items are in the request, for errors (e.g. ["input", "orders", "3", "items"]). */
  path: string[];
}

/**
 * The item as it should be stored: sent fields replace, fields not sent keep the stored value,
 * and details still missing come from the product feed. `reviewable` sent explicitly wins;
 * otherwise an item is reviewable when it is in the feed or was described (has a name).
 */
export function resolveItem(
  input: OrderItemInput,
  stored: OrderItem | undefined,
  feed: Product | undefined,
): ItemValues {
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

type ItemRow = ItemValues & { id: string; orderId: string; sku: string };

/**
 * New and changed items in one statement whatever their number: the rows travel as one JSON
 * array; a new item is inserted, an existing one (same order and sku) gets the new values. The
 * orders of the changed items that this call did not create get a new updatedAt in the same
 * statement.
 */
async function writeItems(tx: Tx, rows: ItemRow[], existingOrderIds: string[]) {
  const json = JSON.stringify(
    rows.map((r) => ({ ...r, deliveryDate: r.deliveryDate ? r.deliveryDate.toISOString().slice(0, 10) : null })),
  );
  await tx.$executeRaw`
    WITH written AS (
      INSERT INTO order_items AS i (id, order_id, sku, family_id, name, category, url, image_url, properties,
                                    delivery_date, reviewable, reviewable_override, created_at, updated_at)
      SELECT d.id, d."orderId", d.sku, d."familyId", d.name, d.category, d.url, d."imageUrl",
             NULLIF(d.properties, 'null'::jsonb), d."deliveryDate", d.reviewable, d."reviewableOverride", now(), now()
      FROM jsonb_to_recordset(${json}::jsonb) AS d(
        id uuid, "orderId" uuid, sku text, "familyId" text, name text, category text, url text, "imageUrl" text,
        properties jsonb, "deliveryDate" date, reviewable boolean, "reviewableOverride" boolean)
      ORDER BY d."orderId", d.sku
      ON CONFLICT (order_id, sku) DO UPDATE SET
        family_id = EXCLUDED.family_id, name = EXCLUDED.name, category = EXCLUDED.category, url = EXCLUDED.url,
        image_url = EXCLUDED.image_url, properties = EXCLUDED.properties, delivery_date = EXCLUDED.delivery_date,
        reviewable = EXCLUDED.reviewable, reviewable_override = EXCLUDED.reviewable_override, updated_at = now()
      RETURNING order_id)
    UPDATE orders SET updated_at = now()
    WHERE id = ANY(${existingOrderIds}::uuid[]) AND id IN (SELECT order_id FROM written)`;
}

const key = (orderId: string, sku: string) => `${orderId} ${sku}`;

/**
 * Writes the items of every order of the batch. At most three statements: the stored items (of
 * the orders that existed), the feed products of all skus, and one write of what changed.
 */
export async function mergeItems(tx: Tx, clientId: string, orders: OrderItems[]): Promise<void> {
  const sent = orders.filter((o) => o.items.length > 0);
  if (sent.length === 0) return;
  const existing = sent.filter((o) => !o.created);
  const skus = (list: OrderItems[]) => [...new Set(list.flatMap((o) => o.items.map((i) => i.sku)))];
  const [stored, feed] = await Promise.all([
    existing.length
      ? tx.orderItem.findMany({
          where: { orderId: { in: existing.map((o) => o.orderId) }, sku: { in: skus(existing) } },
        })
      : [],
    tx.product.findMany({ where: { clientId, sku: { in: skus(sent) } } }),
  ]);
  const storedByKey = new Map(stored.map((i) => [key(i.orderId, i.sku), i]));
  const feedBySku = new Map(feed.map((p) => [p.sku, p]));

  const rows: ItemRow[] = [];
  const added = new Map<OrderItems, number>();
  for (const order of sent) {
    const { orderId, items } = order;
    for (const input of items) {
      const current = storedByKey.get(key(orderId, input.sku));
      if (!current && !order.created) added.set(order, (added.get(order) ?? 0) + 1);
      const values = resolveItem(input, current, feedBySku.get(input.sku));
      if (current && (Object.keys(values) as (keyof ItemValues)[]).every((k) => same(values[k], current[k]))) continue;
      rows.push({ id: current?.id ?? uuidv7(), orderId, sku: input.sku, ...values });
    }
  }
  await checkItemsPerOrder(tx, added);
  if (rows.length)
    await writeItems(
      tx,
      rows,
      existing.map((o) => o.orderId),
    );
}

/**
 * An order holds at most MAX_ITEMS_PER_ORDER items over all calls, so that reading an order's
 * items has a bound. One call cannot send more (input rules), so only existing orders gaining new
 * skus need a count: one statement, and only then.
 */
async function checkItemsPerOrder(tx: Tx, added: Map<OrderItems, number>): Promise<void> {
  if (added.size === 0) return;
  const orders = [...added.keys()];
  const counts = await tx.orderItem.groupBy({
    by: ['orderId'],
    where: { orderId: { in: orders.map((o) => o.orderId) } },
    _count: { _all: true },
  });
  const stored = new Map(counts.map((c) => [c.orderId, c._count._all]));
  const over = orders.filter((o) => (stored.get(o.orderId) ?? 0) + added.get(o)! > MAX_ITEMS_PER_ORDER);
  if (over.length === 0) return;
  throw new ValidationError(
    over.map((o) => ({
      path: o.path,
      message: `an order holds at most ${MAX_ITEMS_PER_ORDER} items: it has ${stored.get(o.orderId) ?? 0} and this call adds ${added.get(o)} new skus`,
    })),
  );
}
