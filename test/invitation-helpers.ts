// Shared by the review invitation tests: documents, dates relative to today, and helpers that go
// through the GraphQL API like the merchant's back end, its mailer and a storefront would.
import { expect } from 'vitest';
import type { TestContext } from './helpers.ts';
import { mutate, upsertOrderOk, upsertProductsOk } from './order-helpers.ts';

export type Keys = { admin: string; support: string; storefront: string };

const DAY_MS = 86_400_000;

/** The calendar date `n` days from today (UTC), as YYYY-MM-DD; negative: in the past. */
export function day(n: number): string {
  return new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);
}

/** 00:00 UTC of day(n) + `delay` days, as the API prints a DateTime. */
export function dueOf(n: number, delay = 7): string {
  return new Date(`${day(n + delay)}T00:00:00.000Z`).toISOString();
}

export const ITEM_FIELDS = 'orderItem { sku name url imageUrl } reviewToken reviewTokenExpiresAt linkUsedAt';
export const INVITATION_FIELDS = `id status skipReason dueAt expiresAt claimedAt leasedUntil sentAt
  customer { externalId name email } order { externalId } items { ${ITEM_FIELDS} }`;

const RESULT = `__typename
    ... on Error { message code }
    ... on ValidationError { fieldErrors { path message } }`;

export const CLAIM = `mutation Claim($input: ClaimDueReviewInvitationsInput!) {
  claimDueReviewInvitations(input: $input) {
    ${RESULT}
    ... on ClaimDueReviewInvitationsSuccess { leasedUntil skippedCount expiredCount invitations { ${INVITATION_FIELDS} } }
  }
}`;

export const MARK_SENT = `mutation MarkSent($input: MarkReviewInvitationsSentInput!) {
  markReviewInvitationsSent(input: $input) {
    ${RESULT}
    ... on MarkReviewInvitationsSentSuccess { sentCount invitations { id status sentAt } }
  }
}`;

export const SKIP = `mutation Skip($input: SkipReviewInvitationInput!) {
  skipReviewInvitation(input: $input) {
    ${RESULT}
    ... on SkipReviewInvitationSuccess { invitation { id status skipReason } }
  }
}`;

export const UPDATE_SETTINGS = `mutation Settings($input: UpdateReviewInvitationSettingsInput!) {
  updateReviewInvitationSettings(input: $input) {
    ${RESULT}
    ... on UpdateReviewInvitationSettingsSuccess { rescheduledCount settings { enabled delayDays expiryDays frequencyCapDays } }
  }
}`;

export const SUBMIT_REVIEW = `mutation Submit($input: SubmitReviewInput!) {
  submitReview(input: $input) {
    ${RESULT}
    ... on SubmitReviewSuccess { review { id productSku rating title verified status } }
  }
}`;

export const PRODUCTS = [
  { sku: 'SHOE', name: 'Trail shoe', url: 'https://shop.example/shoe', imageUrl: 'https://cdn.example/shoe.jpg' },
  { sku: 'TENT', name: 'Tent', url: 'https://shop.example/tent' },
  { sku: 'MUG', name: 'Mug' },
];

/** A new client with the PRODUCTS feed. */
export async function newShop(t: TestContext) {
  const made = await t.newClient();
  await upsertProductsOk(t, made.keys.admin, PRODUCTS);
  return { clientId: made.client.id, keys: made.keys as Keys };
}

/** upsertOrder of `externalId` for customer `customer` (e-mail <customer>@example.com unless given). */
export async function order(
  t: TestContext,
  key: string,
  externalId: string,
  customer: string | Record<string, unknown>,
  items: Record<string, unknown>[],
) {
  const c =
    typeof customer === 'string'
      ? { externalId: customer, name: `Name ${customer}`, email: `${customer}@example.com` }
      : customer;
  return upsertOrderOk(t, key, { externalId, customer: c, items });
}

/** The invitation of an order, as a SUPPORT key reads it; null when it has none. */
export async function invitationOf(t: TestContext, key: string, orderExternalId: string) {
  const res = await t.gql(
    key,
    `query($e: String!) { order(externalId: $e) { reviewInvitation { ${INVITATION_FIELDS} } } }`,
    {
      e: orderExternalId,
    },
  );
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.order.reviewInvitation as Invitation | null;
}

export interface Invitation {
  id: string;
  status: string;
  skipReason: string | null;
  dueAt: string;
  expiresAt: string;
  claimedAt: string | null;
  leasedUntil: string | null;
  sentAt: string | null;
  customer: { externalId: string; name: string | null; email: string | null };
  order: { externalId: string };
  items: {
    orderItem: { sku: string; name: string | null; url: string | null; imageUrl: string | null };
    reviewToken: string | null;
    reviewTokenExpiresAt: string | null;
    linkUsedAt: string | null;
  }[];
}

/** claimDueReviewInvitations that must succeed. */
export async function claim(t: TestContext, key: string, limit: number) {
  const r = await mutate(t, key, CLAIM, { limit });
  expect(r.__typename, JSON.stringify(r)).toBe('ClaimDueReviewInvitationsSuccess');
  return r as {
    leasedUntil: string | null;
    skippedCount: number;
    expiredCount: number;
    invitations: Invitation[];
  };
}

/** markReviewInvitationsSent; returns the result (the union member). */
export function markSent(t: TestContext, key: string, ids: string[]) {
  return mutate(t, key, MARK_SENT, { ids });
}

/** updateReviewInvitationSettings that must succeed. */
export async function settings(t: TestContext, key: string, input: Record<string, unknown>) {
  const r = await mutate(t, key, UPDATE_SETTINGS, input);
  expect(r.__typename, JSON.stringify(r)).toBe('UpdateReviewInvitationSettingsSuccess');
  return r as { rescheduledCount: number; settings: Record<string, unknown> };
}

/** submitReview with a review link's token; returns the result (the union member). */
export function submitWithToken(t: TestContext, key: string, reviewToken: string, extra: Record<string, unknown> = {}) {
  return mutate(t, key, SUBMIT_REVIEW, {
    reviewToken,
    rating: 5,
    title: 'Great',
    content: 'Just right.',
    authorNick: 'buyer',
    ...extra,
  });
}

/** Moves an invitation's dates by `days` (negative: into the past), as time passing would. */
export async function shiftInvitation(t: TestContext, globalId: string, days: number) {
  const id = Buffer.from(globalId, 'base64').toString().split(':')[1];
  await t.db.$executeRaw`UPDATE review_invitations SET due_at = due_at + make_interval(days => ${days}::int),
    expires_at = expires_at + make_interval(days => ${days}::int) WHERE id = ${id}::uuid`;
}

/** Ends an invitation's lease now, as if its time had run out. */
export async function endLease(t: TestContext, globalId: string) {
  const id = Buffer.from(globalId, 'base64').toString().split(':')[1];
  await t.db
    .$executeRaw`UPDATE review_invitations SET leased_until = now() - interval '1 second' WHERE id = ${id}::uuid`;
}

/** Rows of the invitation tables and reviews of a client (to prove a refused call wrote nothing). */
export async function invitationRows(t: TestContext, clientId: string) {
  const invitations = await t.db.reviewInvitation.findMany({
    where: { clientId },
    orderBy: { id: 'asc' },
    include: { items: { orderBy: { orderItemId: 'asc' } } },
  });
  const reviews = await t.db.review.count({ where: { clientId } });
  return { invitations, reviews };
}
