// Seller reviews: a rating of the shop itself, verified through an order. Moderation and
// lists: content.ts.
import type { Db } from '../../platform/db/client.ts';
import { authoredInput, rating, verifyingOrder } from './content.ts';
import { parseInput } from '../../platform/rules/errors.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { contentEvent } from './content-events.ts';

export const submitSellerReviewInput = authoredInput.extend({ rating });

/**
 * Stores a new PENDING seller review. It is `verified` (and linked to the customer and the
 * order) when `orderExternalId` names an order of this client whose customer has the
 * author's e-mail; otherwise, also when the order does not exist, it is stored unverified.
 */
export async function submitSellerReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const { orderExternalId, ...fields } = parseInput(submitSellerReviewInput, raw);
  const order = await verifyingOrder(db, clientId, orderExternalId, fields.authorEmail);
  const link = order ? { verified: true, customerId: order.customerId, orderId: order.id } : {};
  return inTransaction(db, async (tx) => {
    const row = await tx.sellerReview.create({ data: { clientId, ...fields, ...link }, select: { id: true } });
    await contentEvent(tx, clientId, 'sellerReview', 'submitted', row.id);
    return row;
  });
}
