// Order and OrderItem, and the order queries. ADMIN and SUPPORT keys only.
import { reviewInvitationEligible } from './customers.ts';
import { normalizeEmail } from '../../platform/rules/input-rules.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { keysetPage } from '../../platform/graphql/cursors.ts';
import { countedConnection, paging } from '../../platform/graphql/paging.ts';
import { ProductNode } from '../catalog/product.graphql.ts';
import { ownedById } from '../../platform/graphql/scoping.ts';

export const OrderNode = builder.prismaNode('Order', {
  description: 'An order pushed by the merchant. Items are added or updated by upsertOrder, never deleted.',
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedById,
  authScopes: { staff: true },
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: "The merchant's order identifier; unique per client." }),
    customer: t.relation('customer', { description: 'Who placed the order.' }),
    items: t.relation('items', {
      description: 'The order lines, in the order they were first sent.',
      query: { orderBy: { id: 'asc' } },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the order was first received.' }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When the order or one of its items last changed.',
    }),
  }),
});

builder.prismaObject('OrderItem', {
  description: 'One line of an order: a product (by sku) the customer bought.',
  fields: (t) => ({
    sku: t.exposeString('sku', { description: 'Product identifier; unique within the order.' }),
    familyId: t.exposeString('familyId', { nullable: true, description: 'Product family (variant group).' }),
    name: t.exposeString('name', { nullable: true, description: 'Product name (from the request or the feed).' }),
    category: t.exposeString('category', { nullable: true, description: 'Product category.' }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Product page.' }),
    imageUrl: t.expose('imageUrl', { type: 'URL', nullable: true, description: 'Product image.' }),
    properties: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Free-form attributes: an object of strings.',
      resolve: (i) => i.properties as Record<string, string> | null,
    }),
    deliveryDate: t.expose('deliveryDate', {
      type: 'Date',
      nullable: true,
      description: 'When the item was delivered; required before a review invitation can go out.',
    }),
    reviewable: t.exposeBoolean('reviewable', {
      description:
        'Whether reviews are collected for this item: as sent, else true when the sku is in the feed or the item was sent with a name.',
    }),
    cancelled: t.boolean({
      description: 'True once cancelOrderItem was called for this item.',
      resolve: (i) => i.cancelledAt !== null,
    }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true, description: 'When it was cancelled.' }),
    reviewInvitationEligible: t.boolean({
      description: 'Reviewable, not cancelled, delivered (has a delivery date) and the customer has not opted out.',
      select: { order: { select: { customer: { select: { optOut: true } } } } },
      resolve: (i) => reviewInvitationEligible({ ...i, customerOptOut: i.order.customer.optOut }),
    }),
    product: t.field({
      type: ProductNode,
      nullable: true,
      description: 'The feed product with this sku, if the feed has one.',
      resolve: (i, _args, ctx) => ctx.loaders.productBySku.load(i.sku),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the item was first sent.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the item last changed.' }),
  }),
});

const OrderFilter = builder.inputType('OrderFilter', {
  description: 'Narrows an order list. Conditions combine with AND.',
  fields: (t) => ({
    createdAfter: t.field({ type: 'DateTime', description: 'Only orders received strictly after this instant.' }),
    customerExternalId: t.string({ description: 'Only orders of the customer with this externalId.' }),
    customerEmail: t.string({
      description: 'Only orders of customers with this e-mail; case and surrounding spaces are ignored.',
    }),
  }),
});

type OrderFilterValue = {
  createdAfter?: Date | null;
  customerExternalId?: string | null;
  customerEmail?: string | null;
};

function orderWhere(clientId: string, filter?: OrderFilterValue | null): Prisma.OrderWhereInput {
  const customer: Prisma.CustomerWhereInput = {};
  if (filter?.customerExternalId != null) customer.externalId = filter.customerExternalId;
  if (filter?.customerEmail != null) customer.email = normalizeEmail(filter.customerEmail);
  return {
    clientId,
    createdAt: filter?.createdAfter ? { gt: filter.createdAfter } : undefined,
    customer: Object.keys(customer).length ? customer : undefined,
  };
}

builder.queryFields((t) => ({
  order: t.prismaField({
    type: 'Order',
    nullable: true,
    authScopes: { staff: true },
    description: 'One order by its externalId; null when there is none. ADMIN and SUPPORT keys.',
    args: { externalId: t.arg.string({ required: true, description: "The merchant's order identifier." }) },
    resolve: (query, _root, { externalId }, ctx) =>
      ctx.db.order.findUnique({
        ...query,
        where: { clientId_externalId: { clientId: ctx.viewer.clientId, externalId } },
        relationLoadStrategy: 'join',
      }),
  }),
  orders: t.prismaConnection(
    {
      type: 'Order',
      cursor: 'id',
      ...paging,
      authScopes: { staff: true },
      description:
        'Orders in the order they were received (oldest first), 100 per page by default, at most 1000. For incremental sync pass `filter.createdAfter` and follow `pageInfo.endCursor` until `hasNextPage` is false.',
      args: { filter: t.arg({ type: OrderFilter, description: 'Conditions the orders must meet.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.order.findMany({
          ...keysetPage(ctx, 'Query.orders', args, query, orderWhere(ctx.viewer.clientId, args.filter)),
          relationLoadStrategy: 'join',
        }),
      totalCount: (_conn, { filter }, ctx) => ctx.db.order.count({ where: orderWhere(ctx.viewer.clientId, filter) }),
    },
    countedConnection('A page of orders.'),
    { description: 'An order in a page.' },
  ),
}));
