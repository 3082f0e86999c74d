// submitReview with a review link's token (storefront keys): a verified review of the order item
// the link names, linked to the item and its customer, without e-mail or order number. The
// author e-mail stored is the customer's. Every way a token can be wrong (malformed, altered,
// another client's, expired, used, the item cancelled or erased since) is the same
// ValidationError, so a caller learns nothing about orders from a submission beyond what a
// valid link already says.
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { parseInput, ValidationError } from '../../platform/rules/errors.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { boundedText, MAX_CONTENT, MAX_NICK, MAX_TITLE, rating, requireProduct } from '../content/content.ts';
import { readReviewToken } from './review-links.ts';

export const INVALID_LINK_MESSAGE =
  'is not a valid review link: it may be mistyped, expired, already used, or no longer open for review';

function invalidLink(): ValidationError {
  return new ValidationError([{ path: ['input', 'reviewToken'], message: INVALID_LINK_MESSAGE }]);
}

export const linkedReviewInput = z.object({
  reviewToken: z.string(),
  rating,
  title: boundedText(MAX_TITLE),
  content: boundedText(MAX_CONTENT),
  authorNick: boundedText(MAX_NICK),
});

interface LinkedItem {
  orderItemId: string;
  sku: string;
  customerId: string;
  email: string;
}

/**
 * Stores a PENDING, verified review of the item the token names and marks the link used, in
 * one transaction: the item row is locked, so two submissions of one link make one review. The
 * item must still be open: its link unused, no review of it yet (by link or by e-mail and order
 * number), not cancelled, its customer with an e-mail. A sku no longer in the feed is a
 * NotFoundError, as for any review.
 */
export async function submitLinkedReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const { reviewToken, ...fields } = parseInput(linkedReviewInput, raw);
  const client = await db.client.findUniqueOrThrow({ where: { id: clientId }, select: { erasureSecret: true } });
  const link = readReviewToken(client.erasureSecret, reviewToken, new Date());
  if (!link) throw invalidLink();
  return inTransaction(db, async (tx) => {
    const [item] = await tx.$queryRaw<LinkedItem[]>`
      SELECT x.order_item_id AS "orderItemId", oi.sku, o.customer_id AS "customerId", cu.email
      FROM review_invitation_items x
        JOIN review_invitations ri ON ri.id = x.invitation_id
        JOIN order_items oi ON oi.id = x.order_item_id
        JOIN orders o ON o.id = oi.order_id
        JOIN customers cu ON cu.id = o.customer_id
      WHERE x.order_item_id = ${link.orderItemId}::uuid AND ri.client_id = ${clientId}::uuid
        AND ri.claimed_at IS NOT NULL AND x.link_used_at IS NULL AND oi.cancelled_at IS NULL AND cu.email IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_item_id = x.order_item_id)
      FOR UPDATE OF x`;
    if (!item) throw invalidLink();
    await requireProduct(tx, clientId, item.sku);
    const review = await tx.review.create({
      data: {
        clientId,
        ...fields,
        productSku: item.sku,
        authorEmail: item.email,
        customerId: item.customerId,
        orderItemId: item.orderItemId,
        verified: true,
      },
      select: { id: true },
    });
    await tx.$executeRaw`
      UPDATE review_invitation_items SET link_used_at = now(), review_id = ${review.id}::uuid
      WHERE order_item_id = ${item.orderItemId}::uuid`;
    return review;
  });
}
