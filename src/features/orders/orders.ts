// upsertOrder, upsertOrders and cancelOrderItem: the rules of DESIGN section 6 (Orders),
// without GraphQL. Orders are written by order-batch.ts, items by order-items.ts.
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { NotFoundError, parseInput } from '../../platform/rules/errors.ts';
import { date, email, identifier, properties, text, uniqueBy, url } from '../../platform/rules/fields.ts';
import { type ReadBack, type UpsertOrdersResult, writeOrders } from './order-batch.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';

export const MAX_ITEMS = 1000;

export const orderItemInput = z.object({
  sku: identifier,
  familyId: identifier.nullish(),
  name: text.nullish(),
  category: text.nullish(),
  url: url.nullish(),
  imageUrl: url.nullish(),
  properties: properties.nullish(),
  deliveryDate: date.nullish(),
  reviewable: z.boolean().nullish(),
});
export type OrderItemInput = z.output<typeof orderItemInput>;

export const customerInput = z.object({
  externalId: identifier,
  name: text.nullish(),
  email: email.nullish(),
  optOut: z.boolean().optional(),
});
export type CustomerInput = z.output<typeof customerInput>;

export const upsertOrderInput = z.object({
  externalId: identifier,
  customer: customerInput,
  items: z
    .array(orderItemInput)
    .max(MAX_ITEMS, `at most ${MAX_ITEMS} items per call`)
    .superRefine(uniqueBy((i) => i.sku, 'sku'))
    .default([]),
});
export type OrderInput = z.output<typeof upsertOrderInput>;

export const MAX_ORDERS = 1000;
export const MAX_BATCH_ITEMS = 10_000;

export const upsertOrdersInput = z.object({
  orders: z
    .array(upsertOrderInput)
    .min(1, 'send at least one order')
    .max(MAX_ORDERS, `at most ${MAX_ORDERS} orders per call`)
    .superRefine(uniqueBy((o) => o.externalId, 'externalId'))
    .refine(
      (orders) => orders.reduce((n, o) => n + o.items.length, 0) <= MAX_BATCH_ITEMS,
      `at most ${MAX_BATCH_ITEMS.toLocaleString('en')} items in all per call`,
    ),
});

export interface UpsertOrderResult<T = unknown> {
  orderId: string;
  created: boolean;
  /** What `readBack` returned: the order read inside the write's transaction. */
  order?: T;
}

/**
 * Creates the order or updates it by its externalId. Items are added or updated, never
 * deleted; fields not sent keep their stored values. A batch of one: see `writeOrders`.
 */
export async function upsertOrder<T extends { id: string }>(
  db: Db,
  clientId: string,
  raw: unknown,
  readBack?: ReadBack<T>,
): Promise<UpsertOrderResult<T>> {
  const input = parseInput(upsertOrderInput, raw);
  const { results } = await writeOrders(db, clientId, [input], readBack);
  return results[0];
}

/**
 * upsertOrder for up to 1000 orders (10,000 items in all) in one transaction: all are written
 * or none. Each externalId at most once; one customer may appear in several orders.
 */
export async function upsertOrders<T extends { id: string }>(
  db: Db,
  clientId: string,
  raw: unknown,
  readBack?: ReadBack<T>,
): Promise<UpsertOrdersResult<T>> {
  const input = parseInput(upsertOrdersInput, raw);
  return writeOrders(db, clientId, input.orders, readBack);
}

export const cancelOrderItemInput = z.object({ orderExternalId: identifier, sku: identifier });

/**
 * Marks one item cancelled: it no longer takes part in review collection. Idempotent: a second
 * call keeps the first cancellation time. Unknown order or sku → NotFoundError.
 */
export async function cancelOrderItem(db: Db, clientId: string, raw: unknown) {
  const input = parseInput(cancelOrderItemInput, raw);
  return inTransaction(db, async (tx) => {
    const [order] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM orders WHERE client_id = ${clientId}::uuid AND external_id = ${input.orderExternalId}
      FOR UPDATE`;
    if (!order) throw new NotFoundError(`No order with externalId "${input.orderExternalId}".`);
    const [cancelled] = await tx.$queryRaw<{ id: string }[]>`
      UPDATE order_items SET cancelled_at = now(), updated_at = now()
      WHERE order_id = ${order.id}::uuid AND sku = ${input.sku} AND cancelled_at IS NULL
      RETURNING id`;
    if (cancelled) {
      await tx.$executeRaw`UPDATE orders SET updated_at = now() WHERE id = ${order.id}::uuid`;
      return { orderId: order.id, itemId: cancelled.id };
    }
    const item = await tx.orderItem.findUnique({
      where: { orderId_sku: { orderId: order.id, sku: input.sku } },
      select: { id: true },
    });
    if (!item) {
      throw new NotFoundError(`Order "${input.orderExternalId}" has no item with sku "${input.sku}".`);
    }
    return { orderId: order.id, itemId: item.id };
  });
}
