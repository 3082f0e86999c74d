// What upsertOrder, upsertOrders and cancelOrderItem accept (zod schemas: the input rules and
// their limits) and what they return. Shared by orders.ts, order-batch.ts and order-items.ts.
import { z } from 'zod';
import type { Tx } from '../../platform/db/client.ts';
import { date, email, identifier, properties, text, uniqueBy, url } from '../../platform/rules/input-rules.ts';

export const MAX_ITEMS = 1000;
/** An order holds at most this many items, over all calls (so a list of an order's items has a bound). */
export const MAX_ITEMS_PER_ORDER = 1000;

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

export const cancelOrderItemInput = z.object({ orderExternalId: identifier, sku: identifier });

export interface UpsertOrderResult<T = unknown> {
  orderId: string;
  created: boolean;
  /** What `readBack` returned: the order read inside the write's transaction. */
  order?: T;
}

export interface UpsertOrdersResult<T = unknown> {
  /** One per order, in request order. */
  results: UpsertOrderResult<T>[];
  created: number;
  updated: number;
}

/** Reads the written orders inside the write's transaction; rows may come in any order. */
export type ReadBack<T> = (tx: Tx, orderIds: string[]) => Promise<T[]>;
