// Builds every list of reviews, questions and seller reviews the same way: the filter inputs,
// the root connections (Query.reviews …) and the relation connections (Product.reviews,
// Customer.questions …). Each applies content.ts contentWhere, so the visibility rule
// (STOREFRONT: PUBLISHED only) is always part of the SQL where clause.
import type { InputObjectRef } from '@pothos/core';
import type { Context } from '../../platform/graphql/context.ts';
import { contentWhere, type ContentFilter, type ContentOrder } from './content.ts';
import { keysetPage, relatedPage, type PagingArgs } from '../../platform/graphql/cursors.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { ModerationStatusEnum, type Sort } from './content.graphql.ts';
import { countedConnection, paging } from '../../platform/graphql/paging.ts';

type Types = typeof builder.$inferSchemaTypes;
type FieldBuilder = PothosSchemaTypes.InputFieldBuilder<Types, 'Arg' | 'InputObject'>;
type FilterName = keyof ContentFilter;

const FILTER_FIELDS: Record<FilterName, (t: FieldBuilder, what: string) => unknown> = {
  productSku: (t, what) => t.string({ description: `Only ${what} of this sku.` }),
  familyId: (t, what) => t.string({ description: `Only ${what} of products of this family (every variant).` }),
  status: (t, what) =>
    t.field({
      type: ModerationStatusEnum,
      description: `Only this status. STOREFRONT keys only ever get PUBLISHED ${what}, whatever they ask.`,
    }),
  rating: (t) => t.int({ description: 'Only this many stars (1–5).' }),
  verified: (t, what) => t.boolean({ description: `Only verified (true) or only unverified (false) ${what}.` }),
  answered: (t, what) => t.boolean({ description: `Only answered (true) or only unanswered (false) ${what}.` }),
};

function filterFields(t: FieldBuilder, what: string, names: FilterName[]) {
  return Object.fromEntries(names.map((name) => [name, FILTER_FIELDS[name](t, what)])) as any;
}

/** An input type `name` with the given filter fields, for the `filter` argument of a root list. */
export function contentFilter(name: string, what: string, names: FilterName[]): InputObjectRef<Types, ContentFilter> {
  return builder.inputRef<ContentFilter>(name).implement({
    description: `Narrows a list of ${what}. Conditions combine with AND.`,
    fields: (t) => filterFields(t as FieldBuilder, what, names),
  });
}

/** The same filter fields as plain arguments, for relation lists (Product.reviews(rating: 5)). */
export function contentFilterArgs(what: string, names: FilterName[]) {
  return builder.args((t) => filterFields(t as FieldBuilder, what, names)) as Record<string, any>;
}

interface ListDelegate {
  findMany(args: object): Promise<any[]>;
  count(args: object): Promise<number>;
}

const DELEGATES = {
  Review: (ctx: Context) => ctx.db.review as unknown as ListDelegate,
  Question: (ctx: Context) => ctx.db.question as unknown as ListDelegate,
  SellerReview: (ctx: Context) => ctx.db.sellerReview as unknown as ListDelegate,
};

/** Registers Query.<name>(filter, orderBy, first/after/last/before) for a content type. */
export function contentListQuery(
  name: string,
  type: keyof typeof DELEGATES,
  o: { description: string; what: string; filter: InputObjectRef<Types, ContentFilter>; sort: Sort },
) {
  const delegate = DELEGATES[type];
  const where = (ctx: Context, filter?: ContentFilter | null) =>
    contentWhere(ctx.viewer.clientId, ctx.viewer.role, filter);
  builder.queryField(name, (t) =>
    t.prismaConnection(
      {
        type: type as 'Review',
        cursor: 'id',
        ...paging,
        description: o.description,
        args: { filter: t.arg({ type: o.filter, description: `Conditions the ${o.what} must meet.` }), ...o.sort.args },
        resolve: (query, _root, args, ctx) =>
          delegate(ctx).findMany({
            ...keysetPage(ctx, `Query.${name}`, args, query, where(ctx, args.filter)),
            relationLoadStrategy: 'join',
          }),
        totalCount: (_conn, { filter }, ctx) => delegate(ctx).count({ where: where(ctx, filter) }),
      },
      countedConnection(`A page of ${o.what}.`),
      { description: `An item in a page of ${o.what}.` },
    ),
  );
}

type RelatedArgs = ContentFilter & PagingArgs & { orderBy: ContentOrder };

const WHAT = { reviews: 'reviews', questions: 'questions', sellerReviews: 'seller reviews' };

/**
 * A relation connection, e.g. Product.reviews (type ProductReviewsConnection). Its extra
 * arguments are filter fields. Nested pages get a per-parent LIMIT when the root query uses
 * relationLoadStrategy 'join' (asserted in storefront-sql.test.ts).
 */
export function relatedContent(
  t: { relatedConnection: (...args: any[]) => any },
  owner: 'Product' | 'Customer',
  relation: keyof typeof WHAT,
  o: { description: string; sort: Sort; args?: Record<string, any> },
) {
  const name = `${owner}${relation[0].toUpperCase()}${relation.slice(1)}`;
  const what = `a ${owner.toLowerCase()}'s ${WHAT[relation]}`;
  return t.relatedConnection(
    relation,
    {
      cursor: 'id',
      ...paging,
      totalCount: true,
      description: o.description,
      args: { ...o.args, ...o.sort.args },
      query: (args: RelatedArgs, ctx: Context) => ({
        where: contentWhere(ctx.viewer.clientId, ctx.viewer.role, args),
        ...relatedPage(ctx, `${owner}.${relation}`, args),
      }),
    },
    countedConnection(`A page of ${what}.`, `${name}Connection`),
    { name: `${name}Edge`, description: `An item in a page of ${what}.` },
  );
}
