// ErasureRequest: the audit record and result of an erasure, and the queries that list them.
// ADMIN and SUPPORT keys. Mutations are in erasure-mutations.graphql.ts; rules in erasure.ts.
import type { Context } from '../../platform/graphql/context.ts';
import { dueAt } from './erasure.ts';
import { erasureSecret, subjectHash } from './personal-data.ts';
import type { ErasureStatus } from '../../generated/prisma/enums.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { localId } from '../content/content.graphql.ts';
import { keysetPage } from '../../platform/graphql/cursors.ts';
import { countedConnection, paging } from '../../platform/graphql/paging.ts';
import { PersonalDataSubject, subjectArgument } from './personal-data.graphql.ts';
import { ownedById } from '../../platform/graphql/scoping.ts';
import { RoleEnum } from '../clients/viewer.graphql.ts';

export const ErasureStatusEnum = builder.enumType('ErasureStatus', {
  description: 'Where an erasure request stands.',
  values: {
    SCHEDULED: { description: 'Waiting for its grace period (`executeAfter`) to end; can still be cancelled.' },
    PROCESSING: { description: 'A worker is running it now.' },
    SUCCEEDED: {
      description:
        'Done: the counted rows are gone and nothing of the subject remains (or, for a dry run, counted only).',
    },
    FAILED: { description: 'Nothing was erased; `statusDescription` says why. Retry by creating a new request.' },
    CANCELLED: { description: 'Cancelled before it ran; nothing was erased.' },
  } as const,
});

const ErasureSubjectTypeEnum = builder.enumType('ErasureSubjectType', {
  description: 'Which key named the subject of an erasure request.',
  values: {
    CUSTOMER_EXTERNAL_ID: { description: "The merchant's customer id." },
    EMAIL: { description: 'An e-mail address.' },
  } as const,
});

interface InitiatorShape {
  keyId: string;
  name: string;
  prefix: string;
  role: 'ADMIN' | 'SUPPORT' | 'STOREFRONT';
}

const ErasureInitiator = builder.objectRef<InitiatorShape>('ErasureInitiator').implement({
  description: 'The API key that created an erasure request (never a person).',
  fields: (t) => ({
    keyId: t.exposeString('keyId', { description: 'Internal id of the key.' }),
    name: t.exposeString('name', { description: 'Name of the key, as created with the CLI.' }),
    keyPrefix: t.exposeString('prefix', {
      description: 'The visible start of the key (e.g. "sk_AbCdEfGh"), as listed by the CLI.',
    }),
    role: t.expose('role', { type: RoleEnum, description: 'Role of the key.' }),
  }),
});

type Counts = Record<
  'customers' | 'orders' | 'orderItems' | 'reviews' | 'questions' | 'sellerReviews' | 'reviewInvitations',
  number
>;

const ErasureCounts = builder.objectRef<Counts>('ErasureCounts').implement({
  description: 'Rows erased per kind (for a dry run: rows an erasure would have erased).',
  fields: (t) => ({
    customers: t.exposeInt('customers', { description: 'Customers.' }),
    orders: t.exposeInt('orders', { description: 'Orders of those customers.' }),
    orderItems: t.exposeInt('orderItems', { description: 'Items of those orders.' }),
    reviews: t.exposeInt('reviews', { description: 'Product reviews.' }),
    questions: t.exposeInt('questions', { description: 'Product questions.' }),
    sellerReviews: t.exposeInt('sellerReviews', { description: 'Seller reviews.' }),
    reviewInvitations: t.exposeInt('reviewInvitations', {
      description: 'Review invitations of those orders, with their items and review links (the links stop working).',
    }),
  }),
});

const FINISHED: ErasureStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export const ErasureRequestNode = builder.prismaNode('ErasureRequest', {
  description:
    "One erasure of a person's data: the result and the audit record. It holds no personal data: the subject is kept only as an HMAC under a per-client secret, so `erasureRequests(filter: { subject })` can match it, but nobody can read it back. ADMIN and SUPPORT keys only.",
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedById,
  authScopes: { staff: true },
  fields: (t) => ({
    status: t.expose('status', { type: ErasureStatusEnum, description: 'Where the request stands.' }),
    statusDescription: t.exposeString('statusDescription', {
      nullable: true,
      description: 'What happened, in words: the counts on success, the reason on failure.',
    }),
    subjectType: t.expose('subjectType', { type: ErasureSubjectTypeEnum, description: 'Which key named the subject.' }),
    initiator: t.field({
      type: ErasureInitiator,
      description: 'The API key that created the request.',
      resolve: (r) => ({
        keyId: r.initiatorKeyId,
        name: r.initiatorKeyName,
        prefix: r.initiatorKeyPrefix,
        role: r.initiatorRole,
      }),
    }),
    dryRun: t.exposeBoolean('dryRun', { description: 'True: rows were only counted, nothing was deleted.' }),
    counts: t.field({
      type: ErasureCounts,
      nullable: true,
      description:
        'Rows erased per kind (would-be for a dry run); null until the request has run, and for a FAILED one (nothing was erased).',
      resolve: (r) =>
        r.customers === null || r.status === 'FAILED'
          ? null
          : {
              customers: r.customers,
              orders: r.orders ?? 0,
              orderItems: r.orderItems ?? 0,
              reviews: r.reviews ?? 0,
              questions: r.questions ?? 0,
              sellerReviews: r.sellerReviews ?? 0,
              reviewInvitations: r.reviewInvitations ?? 0,
            },
    }),
    remaining: t.exposeInt('remaining', {
      nullable: true,
      description:
        'Proof of completion: rows of the subject (under every externalId and e-mail it had) that the lookup still found after deleting, in the same transaction. 0 on success; above 0 means the erasure was rolled back and FAILED. Null when no erasure ran (dry run, scheduled, cancelled).',
    }),
    executeAfter: t.expose('executeAfter', {
      type: 'DateTime',
      description: 'When it runs (or ran): the end of the grace period.',
    }),
    dueAt: t.field({
      type: 'DateTime',
      description: 'Deadline for answering the request: 30 days after it was created (GDPR art. 12(3)).',
      resolve: (r) => dueAt(r.createdAt),
    }),
    overdue: t.boolean({
      description: 'True when the request has not finished and `dueAt` has passed.',
      resolve: (r) => !FINISHED.includes(r.status) && dueAt(r.createdAt).getTime() < Date.now(),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the request was made.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its status last changed.' }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it reached SUCCEEDED, FAILED or CANCELLED; null before.',
    }),
  }),
});

const ErasureRequestFilter = builder.inputType('ErasureRequestFilter', {
  description: 'Narrows a list of erasure requests. Conditions combine with AND.',
  fields: (t) => ({
    status: t.field({ type: ErasureStatusEnum, description: 'Only requests in this status.' }),
    subject: t.field({
      type: PersonalDataSubject,
      description:
        "Only requests about this subject, matched by recomputing its HMAC: requests made for it, and erasures that covered it through the other key (an erasure by externalId also covers the customer's e-mail, and the reverse).",
    }),
  }),
});

type Filter = { status?: ErasureStatus | null; subject?: unknown } | null | undefined;

/** The where of a request list; the subject's HMAC needs the client's secret. */
async function requestWhere(ctx: Context, filter: Filter) {
  const clientId = ctx.viewer.clientId;
  const subject = filter?.subject == null ? undefined : subjectArgument(filter.subject, ['filter', 'subject']);
  const hash = subject ? subjectHash(await erasureSecret(ctx.db, clientId), subject) : undefined;
  return {
    clientId,
    status: filter?.status ?? undefined,
    ...(hash ? { OR: [{ subjectHash: hash }, { keyHashes: { has: hash } }] } : {}),
  };
}

builder.queryFields((t) => ({
  erasureRequest: t.prismaField({
    type: 'ErasureRequest',
    nullable: true,
    authScopes: { staff: true },
    description:
      'One erasure request by its global id; null when there is none for this client. ADMIN and SUPPORT keys.',
    args: { id: t.arg.id({ required: true, description: 'Global id of the request (`ErasureRequest.id`).' }) },
    resolve: (query, _root, { id }, ctx) =>
      ctx.db.erasureRequest.findFirst({ ...query, where: ownedById(localId(id, 'ErasureRequest'), ctx) }),
  }),
  erasureRequests: t.prismaConnection(
    {
      type: 'ErasureRequest',
      cursor: 'id',
      ...paging,
      authScopes: { staff: true },
      description: 'Erasure requests, newest first: the audit trail. ADMIN and SUPPORT keys.',
      args: { filter: t.arg({ type: ErasureRequestFilter, description: 'Conditions the requests must meet.' }) },
      resolve: async (query, _root, args, ctx) =>
        ctx.db.erasureRequest.findMany(
          keysetPage(ctx, 'Query.erasureRequests', args, query, await requestWhere(ctx, args.filter)),
        ),
      totalCount: async (_conn, { filter }, ctx) =>
        ctx.db.erasureRequest.count({ where: await requestWhere(ctx, filter) }),
    },
    countedConnection('A page of erasure requests.'),
    { description: 'An erasure request in a page.' },
  ),
}));
