// Customer: the buyer of orders, identified by the merchant's externalId. ADMIN and SUPPORT only.
import { customerStatus } from './customers.ts';
import { normalizeEmail } from '../../platform/rules/input-rules.ts';
import { builder } from '../../platform/graphql/builder.ts';
import type { Context } from '../../platform/graphql/context.ts';
import { keysetPage, relatedPage, type PagingArgs } from '../../platform/graphql/cursors.ts';
import { countedConnection, paging } from '../../platform/graphql/paging.ts';
import { ownedById } from '../../platform/graphql/scoping.ts';

const CustomerStatusEnum = builder.enumType('CustomerStatus', {
  description: 'Where a customer stands, by the number of orders.',
  values: {
    PROSPECT: { description: 'No order (yet).' },
    ACQUIRED: { description: 'Exactly one order.' },
    REPEAT: { description: 'Two or more orders.' },
  } as const,
});

export const CustomerNode = builder.prismaNode('Customer', {
  description: 'A buyer. Personal data: visible to ADMIN and SUPPORT keys only.',
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedById,
  authScopes: { staff: true },
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: "The merchant's identifier of the customer." }),
    name: t.exposeString('name', { nullable: true, description: 'Full name, as the merchant sent it.' }),
    email: t.expose('email', {
      type: 'EmailAddress',
      nullable: true,
      description: 'E-mail address, trimmed and lower-cased.',
    }),
    optOut: t.exposeBoolean('optOut', { description: 'True when the customer declined review invitations.' }),
    status: t.field({
      type: CustomerStatusEnum,
      description: 'PROSPECT, ACQUIRED or REPEAT, by the number of orders.',
      select: { _count: { select: { orders: true } } },
      resolve: (c) => customerStatus(c._count.orders),
    }),
    orders: t.relatedConnection(
      'orders',
      {
        cursor: 'id',
        ...paging,
        totalCount: true,
        query: (args: PagingArgs, ctx: Context) => relatedPage(ctx, 'Customer.orders', args),
        description: 'Orders of this customer, oldest first.',
      },
      countedConnection("A page of a customer's orders.", 'CustomerOrdersConnection'),
      { name: 'CustomerOrdersEdge', description: "An order in a page of a customer's orders." },
    ),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the customer was first seen.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When name, e-mail or opt-out last changed.' }),
  }),
});

const CustomerFilter = builder.inputType('CustomerFilter', {
  description: 'Narrows a customer list.',
  fields: (t) => ({
    email: t.string({ description: 'Only customers with this e-mail; case and surrounding spaces are ignored.' }),
  }),
});

function customerWhere(clientId: string, filter?: { email?: string | null } | null) {
  return { clientId, email: filter?.email != null ? normalizeEmail(filter.email) : undefined };
}

builder.queryFields((t) => ({
  customer: t.prismaField({
    type: 'Customer',
    nullable: true,
    authScopes: { staff: true },
    description: 'One customer by externalId; null when there is none. ADMIN and SUPPORT keys.',
    args: { externalId: t.arg.string({ required: true, description: "The merchant's customer identifier." }) },
    resolve: (query, _root, { externalId }, ctx) =>
      ctx.db.customer.findUnique({
        ...query,
        where: { clientId_externalId: { clientId: ctx.viewer.clientId, externalId } },
        relationLoadStrategy: 'join',
      }),
  }),
  customers: t.prismaConnection(
    {
      type: 'Customer',
      cursor: 'id',
      ...paging,
      authScopes: { staff: true },
      description: 'Customers, oldest first. ADMIN and SUPPORT keys.',
      args: { filter: t.arg({ type: CustomerFilter, description: 'Conditions the customers must meet.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.customer.findMany({
          ...keysetPage(ctx, 'Query.customers', args, query, customerWhere(ctx.viewer.clientId, args.filter)),
          relationLoadStrategy: 'join',
        }),
      totalCount: (_conn, { filter }, ctx) =>
        ctx.db.customer.count({ where: customerWhere(ctx.viewer.clientId, filter) }),
    },
    countedConnection('A page of customers.'),
    { description: 'A customer in a page.' },
  ),
}));
