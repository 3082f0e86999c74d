// Product reviews: submission with purchase verification. Moderation and lists: content.ts.
import type { Db } from '../../platform/db/client.ts';
import { authoredInput, rating, requireProduct, verifyingOrder } from './content.ts';
import { parseInput } from '../../platform/rules/errors.ts';
import { identifier } from '../../platform/rules/input-rules.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { contentEvent } from './content-events.ts';

export const submitReviewInput = authoredInput.extend({ productSku: identifier, rating });

/**
 * Stores a new PENDING review of a feed product. It is `verified` (and linked to the customer
 * and the order item) when `orderExternalId` names an order of this client whose customer has
 * the author's e-mail and which has a reviewable, uncancelled item with the sku; otherwise it
 * is stored unverified, also when the order does not exist. Unknown sku → NotFoundError.
 * The review.submitted webhook event is written in the same transaction.
 */
export async function submitReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const { orderExternalId, ...fields } = parseInput(submitReviewInput, raw);
  await requireProduct(db, clientId, fields.productSku);
  const order = await verifyingOrder(db, clientId, orderExternalId, fields.authorEmail, fields.productSku);
  const item = order?.items[0];
  const link = item ? { verified: true, customerId: order!.customerId, orderItemId: item.id } : {};
  return inTransaction(db, async (tx) => {
    const review = await tx.review.create({ data: { clientId, ...fields, ...link }, select: { id: true } });
    await contentEvent(tx, clientId, 'review', 'submitted', review.id);
    return review;
  });
}
