// upsertOrder, upsertOrders and cancelOrderItem without GraphQL: an order is created or updated
// by its externalId; items are added or updated, never deleted; fields not sent keep their stored
// value; an item in the product feed gets the feed's details for fields the request leaves out. Inputs and results are in order-inputs.ts; orders are written by
// order-batch.ts, items by order-items.ts.
import type { Db } from '../../platform/db/client.ts';
import { NotFoundError, parseInput } from '../../platform/rules/errors.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { writeOrders } from './order-batch.ts';
import {
  cancelOrderItemInput,
  type ReadBack,
  type UpsertOrderResult,
  type UpsertOrdersResult,
  upsertOrderInput,
  upsertOrdersInput,
} from './order-inputs.ts';

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
  const { results } = await writeOrders(db, clientId, [input], readBack, () => ['input', 'items']);
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
