// What reviews, product questions and seller reviews share: input rules, who sees what,
// sort orders, verification through an order, and moderation. No GraphQL here.
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { ReviewStatus, Role } from '../../generated/prisma/enums.ts';
import { NotFoundError, parseInput } from '../../platform/rules/errors.ts';
import { email, identifier, storable } from '../../platform/rules/input-rules.ts';

export const MAX_TITLE = 150;
export const MAX_CONTENT = 5000;
export const MAX_NICK = 100;

/** Trimmed text that must not be blank and must fit `max` characters. */
export function boundedText(max: number) {
  return storable(z.string().trim().min(1, 'must not be empty or blank').max(max, `must be at most ${max} characters`));
}

export const rating = z
  .number({ error: 'must be a whole number from 1 to 5' })
  .int('must be a whole number from 1 to 5')
  .min(1, 'must be at least 1')
  .max(5, 'must be at most 5');

/** Fields every piece of shopper content carries. */
export const authoredInput = z.object({
  title: boundedText(MAX_TITLE),
  content: boundedText(MAX_CONTENT),
  authorNick: boundedText(MAX_NICK),
  authorEmail: email,
  orderExternalId: identifier.nullish(),
});

// ---- Visibility -------------------------------------------------------------------------

/**
 * The one visibility rule: a STOREFRONT key sees PUBLISHED items only; ADMIN and SUPPORT see
 * every status. Returned as a Prisma where fragment, so the rule is enforced in SQL.
 */
export function visibleTo(role: Role): { status?: ReviewStatus } {
  return role === 'STOREFRONT' ? { status: 'PUBLISHED' } : {};
}

/** Where for one item by its id: its client, and its status when the caller may not see all. */
export function visibleById(id: string, clientId: string, role: Role) {
  return { id: targetId(id), clientId, ...visibleTo(role) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_ROW = '00000000-0000-0000-0000-000000000000';

/** The id to look up: as given when it is a UUID, else one that matches no row. */
export function targetId(id: string): string {
  return UUID.test(id) ? id : NO_ROW;
}

/** Every list filter of reviews, questions and seller reviews; each list offers its subset. */
export interface ContentFilter {
  productSku?: string | null;
  familyId?: string | null;
  status?: ReviewStatus | null;
  rating?: number | null;
  verified?: boolean | null;
  answered?: boolean | null;
}

/**
 * Status condition of a list: the requested status within what the role may see. A storefront
 * asking for PENDING gets nothing (not the published items).
 */
function statusWhere(role: Role, requested?: ReviewStatus | null) {
  const visible = visibleTo(role).status;
  if (visible && requested && requested !== visible) return { in: [] as ReviewStatus[] };
  return visible ?? requested ?? undefined;
}

/**
 * The where clause of a list: the caller's client, the visibility rule, and the filter
 * (conditions combine with AND; familyId matches every variant through the product).
 */
export function contentWhere(clientId: string, role: Role, filter?: ContentFilter | null) {
  const f = filter ?? {};
  return {
    clientId,
    status: statusWhere(role, f.status),
    ...(f.productSku != null && { productSku: f.productSku }),
    ...(f.familyId != null && { product: { familyId: f.familyId } }),
    ...(f.rating != null && { rating: f.rating }),
    ...(f.verified != null && { verified: f.verified }),
    ...(f.answered != null && { answeredAt: f.answered ? { not: null } : null }),
  };
}

// ---- Sort orders --------------------------------------------------------------------------

/** The orders of content lists; their sort keys are in platform/graphql/cursors.ts (CONNECTIONS). */
export type ContentOrder = 'NEWEST' | 'OLDEST' | 'HIGHEST_RATING' | 'LOWEST_RATING';

// ---- Verification -------------------------------------------------------------------------

export interface VerifyingOrder {
  id: string;
  customerId: string;
  items: { id: string }[];
}

/**
 * The client's order `externalId` when its customer's e-mail is `authorEmail`, with the items
 * that can back a review of `sku` (reviewable and not cancelled). Null otherwise: an unknown
 * order, or one of somebody else, is not an error; the content is just stored unverified.
 */
export async function verifyingOrder(
  db: Tx,
  clientId: string,
  externalId: string | null | undefined,
  authorEmail: string,
  sku?: string,
): Promise<VerifyingOrder | null> {
  if (externalId == null) return null;
  return db.order.findFirst({
    where: { clientId, externalId, customer: { email: authorEmail } },
    select: {
      id: true,
      customerId: true,
      items: { where: { sku, reviewable: true, cancelledAt: null }, select: { id: true }, take: 1 },
    },
  });
}

/** NotFoundError unless the client's feed has the sku. */
export async function requireProduct(db: Tx, clientId: string, sku: string): Promise<void> {
  const product = await db.product.findUnique({ where: { clientId_sku: { clientId, sku } }, select: { id: true } });
  if (!product) throw new NotFoundError(`No product with sku "${sku}" in the feed.`);
}

// ---- Moderation ---------------------------------------------------------------------------

export const moderationInput = z.object({
  id: z.string(),
  action: z.enum(['PUBLISH', 'REJECT']),
});

const STATUS_OF_ACTION = { PUBLISH: 'PUBLISHED', REJECT: 'REJECTED' } as const;

/** The target id and new status of a moderation request. */
export function parseModeration(raw: unknown): { id: string; status: ReviewStatus } {
  const input = parseInput(moderationInput, raw);
  return { id: targetId(input.id), status: STATUS_OF_ACTION[input.action] };
}

export type ContentKind = 'review' | 'question' | 'sellerReview';

const LABEL: Record<ContentKind, string> = { review: 'review', question: 'question', sellerReview: 'seller review' };

/** Turns an update count into the id of the changed row, or a NotFoundError. */
export function updatedOne(result: { count: number }, id: string, kind: ContentKind): { id: string } {
  if (result.count === 0) throw new NotFoundError(`No ${LABEL[kind]} with this id.`);
  return { id };
}

/** PUBLISH or REJECT an item of this client; another client's or an unknown id → NotFoundError. */
export async function moderate(db: Db, clientId: string, kind: ContentKind, raw: unknown): Promise<{ id: string }> {
  const { id, status } = parseModeration(raw);
  const args = { where: { id, clientId }, data: { status } };
  const result =
    kind === 'review'
      ? await db.review.updateMany(args)
      : kind === 'question'
        ? await db.question.updateMany(args)
        : await db.sellerReview.updateMany(args);
  return updatedOne(result, id, kind);
}
