// upsertOrder, upsertOrders and cancelOrderItem. ADMIN keys only; rules live in orders.ts.
import type { GraphQLResolveInfo } from 'graphql';
import type { ReadBack, UpsertOrdersResult } from './order-batch.ts';
import {
  cancelOrderItem,
  MAX_BATCH_ITEMS,
  MAX_ORDERS,
  upsertOrder,
  upsertOrders,
  type UpsertOrderResult,
} from './orders.ts';
import type { Order } from '../../generated/prisma/client.ts';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Context } from '../../platform/graphql/context.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { writeResult } from '../../platform/graphql/errors.ts';

const CustomerInput = builder.inputType('CustomerInput', {
  description: 'The buyer, upserted by externalId. Fields not sent keep their stored value; null clears.',
  fields: (t) => ({
    externalId: t.string({
      required: true,
      description: "The merchant's customer id, 1–255 characters. Required and stable.",
    }),
    name: t.string({ description: 'Full name.' }),
    email: t.field({ type: 'EmailAddress', description: 'E-mail address; stored trimmed and lower-cased.' }),
    optOut: t.boolean({ description: 'True: never invite this customer to review.' }),
  }),
});

const OrderItemInput = builder.inputType('OrderItemInput', {
  description:
    'An order line, matched by sku. Fields not sent keep their stored value (null clears); details left out come from the product feed.',
  fields: (t) => ({
    sku: t.string({ required: true, description: 'Product identifier, 1–255 characters; once per request.' }),
    familyId: t.string({ description: 'Product family (variant group).' }),
    name: t.string({ description: 'Product name. An item outside the feed and without a name is not reviewable.' }),
    category: t.string({ description: 'Product category.' }),
    url: t.field({ type: 'URL', description: 'Product page (http or https).' }),
    imageUrl: t.field({ type: 'URL', description: 'Product image (http or https).' }),
    properties: t.field({ type: 'JSONObject', description: 'Object of strings, at most 50 keys.' }),
    deliveryDate: t.field({ type: 'Date', description: 'Delivery date (YYYY-MM-DD); needed for review invitations.' }),
    reviewable: t.boolean({
      description:
        'Overrides the derived value: false stops review collection for the item, true enables it for an item outside the feed; null returns to the derived value.',
    }),
  }),
});

const UpsertOrderInput = builder.inputType('UpsertOrderInput', {
  description: 'An order to create or update by externalId.',
  fields: (t) => ({
    externalId: t.string({
      required: true,
      description: "The merchant's order id, 1–255 characters. Required and stable.",
    }),
    customer: t.field({ type: CustomerInput, required: true, description: 'The buyer.' }),
    items: t.field({
      type: [OrderItemInput],
      description: 'Items to add or update (at most 1000); items not sent are kept.',
    }),
  }),
});

const UpsertOrderSuccess = builder.objectRef<UpsertOrderResult<Order>>('UpsertOrderSuccess').implement({
  description: 'The order was written.',
  fields: (t) => ({
    created: t.exposeBoolean('created', {
      description: 'True when this call created the order, false when it updated it.',
    }),
    order: t.prismaField({
      type: 'Order',
      description: 'The order as stored now.',
      // upsertOrder(s) read it inside its transaction (see readOrders).
      resolve: (query, r, _args, ctx) => {
        const read = { ...query, where: { id: r.orderId }, relationLoadStrategy: 'join' as const };
        return r.order ?? ctx.db.order.findUniqueOrThrow(read);
      },
    }),
  }),
});

const UpsertOrdersInput = builder.inputType('UpsertOrdersInput', {
  description: `A batch of orders, written in one transaction: all of them or none.`,
  fields: (t) => ({
    orders: t.field({
      type: [UpsertOrderInput],
      required: true,
      description: `1 to ${MAX_ORDERS} orders, each externalId once, at most ${MAX_BATCH_ITEMS.toLocaleString('en')} items in all. One customer may appear in several orders: its fields apply in list order.`,
    }),
  }),
});

const UpsertOrdersSuccess = builder.objectRef<UpsertOrdersResult<Order>>('UpsertOrdersSuccess').implement({
  description: 'Every order of the batch was written.',
  fields: (t) => ({
    results: t.field({
      type: [UpsertOrderSuccess],
      description: 'One result per order sent, in request order: whether it was created, and the order as stored now.',
      resolve: (r) => r.results,
    }),
    createdCount: t.exposeInt('created', { description: 'How many orders this call created.' }),
    updatedCount: t.exposeInt('updated', {
      description: 'How many orders existed and were updated (or left as they were).',
    }),
  }),
});

/**
 * Reads the written orders back in the write's transaction, with the selection of `order` at
 * `path`, so a concurrent erasure of a customer cannot make the answer fail. One statement.
 */
function readOrders(ctx: Context, info: GraphQLResolveInfo, path: { type: string; name: string }[]): ReadBack<Order> {
  const query = queryFromInfo({ context: ctx, info, typeName: 'Order', path });
  return (tx, ids) => tx.order.findMany({ ...query, where: { id: { in: ids } }, relationLoadStrategy: 'join' });
}

const CancelOrderItemInput = builder.inputType('CancelOrderItemInput', {
  description: 'Identifies the item to cancel.',
  fields: (t) => ({
    orderExternalId: t.string({ required: true, description: "The order's externalId." }),
    sku: t.string({ required: true, description: "The item's sku." }),
  }),
});

const CancelOrderItemSuccess = builder
  .objectRef<{ orderId: string; itemId: string }>('CancelOrderItemSuccess')
  .implement({
    description: 'The item is cancelled (it was already, or is now).',
    fields: (t) => ({
      order: t.prismaField({
        type: 'Order',
        description: 'The order as stored now.',
        resolve: (query, r, _args, ctx) =>
          ctx.db.order.findUniqueOrThrow({ ...query, where: { id: r.orderId }, relationLoadStrategy: 'join' }),
      }),
      item: t.prismaField({
        type: 'OrderItem',
        description: 'The cancelled item.',
        resolve: (query, r, _args, ctx) =>
          ctx.db.orderItem.findUniqueOrThrow({ ...query, where: { id: r.itemId }, relationLoadStrategy: 'join' }),
      }),
    }),
  });

builder.mutationFields((t) => ({
  upsertOrder: t.field({
    type: UpsertOrderSuccess,
    description:
      'Creates the order or updates it by externalId, upserting its customer. Items are added or updated, never deleted. Safe to retry and to call concurrently. ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('UpsertOrder'),
    args: {
      input: t.arg({ type: UpsertOrderInput, required: true, description: 'The order, its customer and items.' }),
    },
    resolve: (_root, { input }, ctx, info) =>
      upsertOrder(
        ctx.db,
        ctx.viewer.clientId,
        input,
        readOrders(ctx, info, [{ type: 'UpsertOrderSuccess', name: 'order' }]),
      ),
  }),
  upsertOrders: t.field({
    type: UpsertOrdersSuccess,
    description: `upsertOrder for a batch: up to ${MAX_ORDERS} orders and ${MAX_BATCH_ITEMS.toLocaleString('en')} items in all per call, with the same rules, in one transaction (all orders are written or none; an invalid order is a ValidationError whose paths name it, e.g. ["input", "orders", "3", "items", "0", "sku"]). Safe to retry and to call concurrently. ADMIN keys only.`,
    authScopes: { admin: true },
    errors: writeResult('UpsertOrders'),
    args: {
      input: t.arg({ type: UpsertOrdersInput, required: true, description: 'The orders, their customers and items.' }),
    },
    resolve: (_root, { input }, ctx, info) =>
      upsertOrders(
        ctx.db,
        ctx.viewer.clientId,
        input,
        readOrders(ctx, info, [
          { type: 'UpsertOrdersSuccess', name: 'results' },
          { type: 'UpsertOrderSuccess', name: 'order' },
        ]),
      ),
  }),
  cancelOrderItem: t.field({
    type: CancelOrderItemSuccess,
    description: 'Cancels one item: no review invitation will be sent for it. Idempotent. ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('CancelOrderItem'),
    args: { input: t.arg({ type: CancelOrderItemInput, required: true, description: 'The item to cancel.' }) },
    resolve: (_root, { input }, ctx) => cancelOrderItem(ctx.db, ctx.viewer.clientId, input),
  }),
}));
