// ReviewInvitation and its items, the staff list, Order.reviewInvitation and the client's
// invitation policy on viewer.client. ADMIN and SUPPORT keys. Mutations: invitation-mutations.graphql.ts.
import type { Context } from '../../platform/graphql/context.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { keysetPage } from '../../platform/graphql/cursors.ts';
import { countedConnection, paging } from '../../platform/graphql/paging.ts';
import { ownedById } from '../../platform/graphql/scoping.ts';
import { CustomerNode } from '../orders/customer.graphql.ts';
import { invitationWhere, shownStatus } from './invitations.ts';
import type { IssuedLink } from './mailer.ts';
import { type InvitationPolicy, POLICY_BOUNDS, POLICY_SELECT, policyOf } from './policy.ts';

export const ReviewInvitationStatusEnum = builder.enumType('ReviewInvitationStatus', {
  description: 'Where a review invitation stands.',
  values: {
    SCHEDULED: {
      description:
        'Waiting for `dueAt`; then a mailer may claim it. While SCHEDULED (and while SKIPPED for OPTED_OUT, ITEMS_CANCELLED, NO_EMAIL or POLICY_OFF) it follows the order: order writes and policy changes update its items, dates and status.',
    },
    SENT: { description: 'A mailer sent it (markReviewInvitationsSent). Final.' },
    SKIPPED: { description: 'It will not be sent now; `skipReason` says why.' },
    EXPIRED: { description: "Not sent within the policy's expiry after `dueAt`. Final." },
  } as const,
});

export const ReviewInvitationSkipReasonEnum = builder.enumType('ReviewInvitationSkipReason', {
  description:
    'Why an invitation is SKIPPED. OPTED_OUT, ITEMS_CANCELLED, NO_EMAIL and POLICY_OFF follow the data and lift when it changes (before the invitation is final); the others are final, and so is any reason given with skipReviewInvitation.',
  values: {
    OPTED_OUT: { description: 'The customer opted out of review invitations.' },
    ITEMS_CANCELLED: {
      description: 'No eligible item is left: cancelled, made not reviewable, or its delivery date removed.',
    },
    ALREADY_REVIEWED: {
      description:
        'When it was claimed, every item was reviewed already (through a review link, or verified by e-mail and order number).',
    },
    FREQUENCY_CAP: {
      description:
        "When it was claimed, the customer had another invitation sent (or being sent) within the policy's frequency cap.",
    },
    POLICY_OFF: { description: "The client's review invitations are turned off." },
    ERASED: {
      description: 'The customer asked to be forgotten (given by a mailer or staff with skipReviewInvitation).',
    },
    NO_EMAIL: { description: 'The customer has no e-mail address to write to.' },
  } as const,
});

export const ReviewInvitationSettingsRef = builder.objectRef<InvitationPolicy>('ReviewInvitationSettings').implement({
  description: "The client's review invitation policy (updateReviewInvitationSettings).",
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled', {
      description: 'Whether invitations go out. Off: open invitations are SKIPPED (POLICY_OFF) until it is on again.',
    }),
    delayDays: t.exposeInt('delayDays', {
      description: `Days from the latest delivery date of an order's eligible items to its invitation's dueAt (${POLICY_BOUNDS.delayDays.min}–${POLICY_BOUNDS.delayDays.max}, default 7).`,
    }),
    expiryDays: t.exposeInt('expiryDays', {
      description: `Days after dueAt an invitation may still be sent before it is EXPIRED; also how long a review link stays valid after it is issued (${POLICY_BOUNDS.expiryDays.min}–${POLICY_BOUNDS.expiryDays.max}, default 30).`,
    }),
    frequencyCapDays: t.exposeInt('frequencyCapDays', {
      description: `At most one invitation per customer within this many days: a claim skips (FREQUENCY_CAP) one whose customer had another sent, or being sent, within them (${POLICY_BOUNDS.frequencyCapDays.min}–${POLICY_BOUNDS.frequencyCapDays.max}; 0, the default: no limit).`,
    }),
  }),
});

builder.prismaObjectField('Client', 'reviewInvitationSettings', (t) =>
  t.field({
    type: ReviewInvitationSettingsRef,
    authScopes: { staff: true },
    description: "The client's review invitation policy. ADMIN and SUPPORT keys.",
    select: POLICY_SELECT,
    resolve: (c) => policyOf(c),
  }),
);

/** Review links issued by this request's claim, by order item id: only its answer shows them. */
const issuedLinks = new WeakMap<Context, Map<string, IssuedLink>>();

export function showIssuedLinks(ctx: Context, links: Map<string, IssuedLink>): void {
  issuedLinks.set(ctx, links);
}

builder.prismaObject('ReviewInvitationItem', {
  description: 'An order item a review invitation asks the customer to review, with its review link.',
  fields: (t) => ({
    orderItem: t.relation('orderItem', { description: 'The item: sku, name, url, image url.' }),
    reviewToken: t.string({
      nullable: true,
      description:
        "The token of the item's review link: put it in the link of the e-mail and send it back as `submitReview(input: { reviewToken })`. Only in the answer of the claimDueReviewInvitations call that handed the invitation out, and only for items not reviewed yet; null everywhere else (a token is never stored and cannot be read again).",
      resolve: (x, _args, ctx) => issuedLinks.get(ctx)?.get(x.orderItemId)?.token ?? null,
    }),
    reviewTokenExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until when `reviewToken` is valid; null when it is.',
      resolve: (x, _args, ctx) => issuedLinks.get(ctx)?.get(x.orderItemId)?.expiresAt ?? null,
    }),
    linkUsedAt: t.expose('linkUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a review was submitted with its link (a link makes one review); null before.',
    }),
    review: t.relation('review', { nullable: true, description: 'The review submitted with its link.' }),
  }),
});

export const ReviewInvitationNode = builder.prismaNode('ReviewInvitation', {
  description:
    "A request to review the items of one order, sent by the merchant's mailer (claimDueReviewInvitations). One per order that has an eligible item (reviewable, not cancelled, delivered); kept up to date by every order write until it is SENT, EXPIRED or skipped for good. ADMIN and SUPPORT keys only.",
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedById,
  authScopes: { staff: true },
  fields: (t) => ({
    status: t.field({
      type: ReviewInvitationStatusEnum,
      description: 'Where it stands. A SCHEDULED invitation past `expiresAt` shows EXPIRED.',
      resolve: (r) => shownStatus(r),
    }),
    skipReason: t.expose('skipReason', {
      type: ReviewInvitationSkipReasonEnum,
      nullable: true,
      description: 'Why it is SKIPPED; null otherwise.',
    }),
    dueAt: t.expose('dueAt', {
      type: 'DateTime',
      description: "When it may be sent: 00:00 UTC of the latest delivery date of its items + the policy's delayDays.",
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: "dueAt + the policy's expiryDays: not sent by then, it is EXPIRED.",
    }),
    claimedAt: t.expose('claimedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a mailer last claimed it; null if never.',
    }),
    leasedUntil: t.expose('leasedUntil', {
      type: 'DateTime',
      nullable: true,
      description:
        'While claimed and not confirmed: until when it stays with that mailer. Past it, the next claim may hand it out again.',
    }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true, description: 'When it was marked SENT.' }),
    order: t.relation('order', { description: 'The order it is about.' }),
    customer: t.field({
      type: CustomerNode,
      description: "Whom it goes to: the order's customer (name and e-mail for the mail).",
      select: (_args, _ctx, nestedSelection) => ({ order: { select: { customer: nestedSelection(true) } } }),
      resolve: (r) => r.order.customer,
    }),
    items: t.relation('items', {
      description:
        'The items it asks to review: while it follows the order, its eligible items; from when it is final, the items it had then.',
      query: { orderBy: { orderItemId: 'asc' } },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the order first had an eligible item.' }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When its status, dates or lease last changed.',
    }),
  }),
});

builder.prismaObjectField('Order', 'reviewInvitation', (t) =>
  t.relation('reviewInvitation', {
    nullable: true,
    description: 'The review invitation of this order; null while it has no eligible item.',
  }),
);

const ReviewInvitationFilter = builder.inputType('ReviewInvitationFilter', {
  description: 'Narrows a list of review invitations. Conditions combine with AND.',
  fields: (t) => ({
    status: t.field({
      type: ReviewInvitationStatusEnum,
      description: 'Only invitations in this status (as `status` shows it: SCHEDULED past its expiry is EXPIRED).',
    }),
    dueBefore: t.field({ type: 'DateTime', description: 'Only invitations due strictly before this instant.' }),
    dueAfter: t.field({ type: 'DateTime', description: 'Only invitations due strictly after this instant.' }),
    customerExternalId: t.string({ description: 'Only invitations of orders of the customer with this externalId.' }),
  }),
});

builder.queryField('reviewInvitations', (t) =>
  t.prismaConnection(
    {
      type: 'ReviewInvitation',
      cursor: 'id',
      ...paging,
      authScopes: { staff: true },
      description:
        'Review invitations in the order they were created (oldest first), 100 per page by default, at most 1000. ADMIN and SUPPORT keys.',
      args: { filter: t.arg({ type: ReviewInvitationFilter, description: 'Conditions the invitations must meet.' }) },
      resolve: (query, _root, args, ctx) =>
        ctx.db.reviewInvitation.findMany({
          ...keysetPage(ctx, 'Query.reviewInvitations', args, query, invitationWhere(ctx.viewer.clientId, args.filter)),
          relationLoadStrategy: 'join',
        }),
      totalCount: (_conn, { filter }, ctx) =>
        ctx.db.reviewInvitation.count({ where: invitationWhere(ctx.viewer.clientId, filter) }),
    },
    countedConnection('A page of review invitations.'),
    { description: 'A review invitation in a page.' },
  ),
);
