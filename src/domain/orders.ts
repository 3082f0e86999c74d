// upsertOrder and cancelOrderItem: the rules of DESIGN section 6 (Orders), without GraphQL.
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { Db, Tx } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { NotFoundError, parseInput } from './errors.ts';
import { date, email, identifier, properties, text, uniqueBy, url } from './fields.ts';
import { mergeItems } from './order-items.ts';
import { inTransaction } from './transaction.ts';

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

export interface UpsertOrderResult<T = unknown> {
  orderId: string;
  created: boolean;
  /** What `readBack` returned: the order read inside the write's transaction. */
  order?: T;
}

/**
 * Creates the order or updates it by its externalId. Items are added or updated, never
 * deleted; fields not sent keep their stored values. Race-free: rows are written with
 * INSERT … ON CONFLICT, and the order row stays locked while its items are merged.
 */
export async function upsertOrder<T>(
  db: Db,
  clientId: string,
  raw: unknown,
  readBack?: (tx: Tx, orderId: string) => Promise<T>,
): Promise<UpsertOrderResult<T>> {
  const input = parseInput(upsertOrderInput, raw);
  return inTransaction(db, async (tx) => {
    const customerId = await upsertCustomer(tx, clientId, input.customer);
    const [order] = await tx.$queryRaw<{ id: string; created: boolean }[]>`
      INSERT INTO orders (id, client_id, external_id, customer_id, created_at, updated_at)
      VALUES (${uuidv7()}::uuid, ${clientId}::uuid, ${input.externalId}, ${customerId}::uuid, now(), now())
      ON CONFLICT (client_id, external_id) DO UPDATE SET
        customer_id = EXCLUDED.customer_id,
        updated_at = CASE WHEN orders.customer_id IS DISTINCT FROM EXCLUDED.customer_id
                          THEN now() ELSE orders.updated_at END
      RETURNING id, (xmax = 0) AS created`;
    const changed = await mergeItems(tx, clientId, order.id, input.items);
    if (changed && !order.created) {
      await tx.$executeRaw`UPDATE orders SET updated_at = now() WHERE id = ${order.id}::uuid`;
    }
    // Read inside the transaction: a concurrent erasure of the customer cannot remove it in between.
    return { orderId: order.id, created: order.created, order: await readBack?.(tx, order.id) };
  });
}

/** Upserts the customer by externalId; only the fields sent are written. Returns its id. */
export async function upsertCustomer(tx: Tx, clientId: string, c: CustomerInput): Promise<string> {
  const sent = [
    c.name !== undefined && Prisma.sql`name`,
    c.email !== undefined && Prisma.sql`email`,
    c.optOut !== undefined && Prisma.sql`opt_out`,
  ].filter((x): x is Prisma.Sql => x !== false);
  const current = sent.map((col) => Prisma.sql`customers.${col}`);
  const incoming = sent.map((col) => Prisma.sql`EXCLUDED.${col}`);
  const sets = sent.length
    ? Prisma.sql`${Prisma.join(sent.map((col) => Prisma.sql`${col} = EXCLUDED.${col}`), ', ')},
        updated_at = CASE WHEN ROW(${Prisma.join(current)}) IS DISTINCT FROM ROW(${Prisma.join(incoming)})
                          THEN now() ELSE customers.updated_at END`
    : Prisma.sql`updated_at = customers.updated_at`;
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO customers (id, client_id, external_id, name, email, opt_out, created_at, updated_at)
    VALUES (${uuidv7()}::uuid, ${clientId}::uuid, ${c.externalId}, ${c.name ?? null}, ${c.email ?? null},
            ${c.optOut ?? false}, now(), now())
    ON CONFLICT (client_id, external_id) DO UPDATE SET ${sets}
    RETURNING id`;
  return row.id;
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
    const item = await tx.orderItem.findUnique({ where: { orderId_sku: { orderId: order.id, sku: input.sku } }, select: { id: true } });
    if (!item) {
      throw new NotFoundError(`Order "${input.orderExternalId}" has no item with sku "${input.sku}".`);
    }
    return { orderId: order.id, itemId: item.id };
  });
}
