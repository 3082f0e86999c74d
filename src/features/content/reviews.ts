// Product reviews: submission with purchase verification, by e-mail and order number or by a
// review link's token (invitations/link-reviews.ts). Moderation and lists: content.ts.
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { authoredInput, rating, requireProduct, verifyingOrder } from './content.ts';
import { parseInput, ValidationError } from '../../platform/rules/errors.ts';
import { email, identifier } from '../../platform/rules/input-rules.ts';
import { submitLinkedReview } from '../invitations/link-reviews.ts';

const required = (what: string) => `is required without a reviewToken (${what})`;

export const submitReviewInput = authoredInput.extend({
  productSku: z.string({ error: required('the sku of the product reviewed') }).pipe(identifier),
  authorEmail: z.string({ error: required("the author's e-mail") }).pipe(email),
  rating,
});

/** With a reviewToken, the review is the link's: product, author and order come from it. */
const FIELDS_OF_THE_LINK = ['productSku', 'authorEmail', 'orderExternalId'] as const;

/**
 * Stores a new PENDING review of a feed product. With `reviewToken` (a review link's token) it is
 * the link's verified review (invitations/link-reviews.ts); `productSku`, `authorEmail` and
 * `orderExternalId` must then be left out. Without one it is `verified` (and linked to the
 * customer and the order item) when `orderExternalId` names an order of this client whose
 * customer has the author's e-mail and which has a reviewable, uncancelled item with the sku;
 * otherwise it is stored unverified, also when the order does not exist. Unknown sku →
 * NotFoundError.
 */
export async function submitReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const given = (raw ?? {}) as Record<string, unknown>;
  if (given.reviewToken != null) {
    const mixed = FIELDS_OF_THE_LINK.filter((f) => given[f] != null);
    if (mixed.length) {
      throw new ValidationError(
        mixed.map((f) => ({
          path: ['input', f],
          message: 'must be left out with a reviewToken: the review link names the product, the author and the order',
        })),
      );
    }
    return submitLinkedReview(db, clientId, given);
  }
  const { orderExternalId, ...fields } = parseInput(submitReviewInput, raw);
  await requireProduct(db, clientId, fields.productSku);
  const order = await verifyingOrder(db, clientId, orderExternalId, fields.authorEmail, fields.productSku);
  const item = order?.items[0];
  const link = item ? { verified: true, customerId: order!.customerId, orderItemId: item.id } : {};
  return db.review.create({ data: { clientId, ...fields, ...link }, select: { id: true } });
}
