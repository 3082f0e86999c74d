// Product: the client's feed, read by every role, written by upsertProducts.
import { upsertProducts } from './products.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { writeResult } from '../../platform/graphql/errors.ts';
import { keysetPage } from '../../platform/graphql/cursors.ts';
import { countedConnection, paging } from '../../platform/graphql/paging.ts';
import { ownedById } from '../../platform/graphql/scoping.ts';

export const ProductNode = builder.prismaNode('Product', {
  description: "An entry of the client's product feed. Order items with the same sku take its details.",
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedById,
  fields: (t) => ({
    sku: t.exposeString('sku', { description: "The merchant's identifier of the product; unique per client." }),
    familyId: t.exposeString('familyId', {
      nullable: true,
      description: 'Groups variants of one product (sizes, colours): they share a family rating.',
    }),
    name: t.exposeString('name', { description: 'Product name.' }),
    category: t.exposeString('category', { nullable: true, description: 'Category path or name.' }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Product page.' }),
    imageUrl: t.expose('imageUrl', { type: 'URL', nullable: true, description: 'Product image.' }),
    properties: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Free-form attributes: an object of strings (at most 50 keys).',
      resolve: (p) => p.properties as Record<string, string> | null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the product entered the feed.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the product last changed.' }),
  }),
});

const ProductFilter = builder.inputType('ProductFilter', {
  description: 'Narrows a product list. Conditions combine with AND.',
  fields: (t) => ({
    familyId: t.string({ description: 'Only variants of this family.' }),
    category: t.string({ description: 'Only this exact category.' }),
  }),
});

function productWhere(clientId: string, filter?: { familyId?: string | null; category?: string | null } | null) {
  return { clientId, familyId: filter?.familyId ?? undefined, category: filter?.category ?? undefined };
}

builder.queryFields((t) => ({
  product: t.prismaField({
    type: 'Product',
    nullable: true,
    description: 'One product by its sku; null when the feed has no such sku.',
    args: { sku: t.arg.string({ required: true, description: "The merchant's product identifier." }) },
    resolve: (query, _root, { sku }, ctx) =>
      ctx.db.product.findUnique({ ...query, where: { clientId_sku: { clientId: ctx.viewer.clientId, sku } } }),
  }),
  products: t.prismaConnection(
    {
      type: 'Product',
      cursor: 'id',
      ...paging,
      description: 'The product feed, oldest first.',
      args: { filter: t.arg({ type: ProductFilter, description: 'Conditions the products must meet.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.product.findMany({
          ...keysetPage(ctx, 'Query.products', args, query, productWhere(ctx.viewer.clientId, args.filter)),
          relationLoadStrategy: 'join',
        }),
      totalCount: (_conn, { filter }, ctx) =>
        ctx.db.product.count({ where: productWhere(ctx.viewer.clientId, filter) }),
    },
    countedConnection('A page of products.'),
    { description: 'A product in a page.' },
  ),
}));

const ProductInput = builder.inputType('ProductInput', {
  description: 'One product of the feed. Fields not sent keep their stored value; null clears a field.',
  fields: (t) => ({
    sku: t.string({ required: true, description: 'Identifier, 1–255 characters.' }),
    name: t.string({ required: true, description: 'Name, 1–1000 characters.' }),
    familyId: t.string({ description: 'Family (variant group) identifier.' }),
    category: t.string({ description: 'Category.' }),
    url: t.field({ type: 'URL', description: 'Product page (http or https).' }),
    imageUrl: t.field({ type: 'URL', description: 'Product image (http or https).' }),
    properties: t.field({ type: 'JSONObject', description: 'Object of strings, at most 50 keys.' }),
  }),
});

const UpsertProductsInput = builder.inputType('UpsertProductsInput', {
  description: 'A batch of the product feed.',
  fields: (t) => ({
    products: t.field({ type: [ProductInput], required: true, description: '1 to 1000 products, each sku once.' }),
  }),
});

const UpsertProductsSuccess = builder
  .objectRef<{ skus: string[]; created: number; updated: number }>('UpsertProductsSuccess')
  .implement({
    description: 'The products were written.',
    fields: (t) => ({
      createdCount: t.exposeInt('created', { description: 'How many skus were new.' }),
      updatedCount: t.exposeInt('updated', { description: 'How many skus existed and were updated.' }),
      products: t.prismaField({
        type: ['Product'],
        description: 'The products as stored, in request order.',
        resolve: async (query, r, _args, ctx) => {
          const rows = await ctx.db.product.findMany({
            ...query,
            where: { clientId: ctx.viewer.clientId, sku: { in: r.skus } },
          });
          const bySku = new Map(rows.map((p) => [p.sku, p]));
          return r.skus.map((s) => bySku.get(s)!);
        },
      }),
    }),
  });

builder.mutationField('upsertProducts', (t) =>
  t.field({
    type: UpsertProductsSuccess,
    description: 'Creates or updates feed products by sku (up to 1000 per call). ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('UpsertProducts'),
    args: { input: t.arg({ type: UpsertProductsInput, required: true, description: 'The products to write.' }) },
    resolve: (_root, { input }, ctx) => upsertProducts(ctx.db, ctx.viewer.clientId, input),
  }),
);
