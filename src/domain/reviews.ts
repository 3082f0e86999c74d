// Product reviews: submission with purchase verification, moderation, and the list filter.
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { ReviewStatus, Role } from '../generated/prisma/enums.ts';
import { authoredInput, parseModeration, rating, requireProduct, statusWhere, updatedOne, verifyingOrder } from './content.ts';
import { parseInput } from './errors.ts';
import { identifier } from './fields.ts';

export const submitReviewInput = authoredInput.extend({ productSku: identifier, rating });

/**
 * Stores a new PENDING review of a feed product. It is `verified` (and linked to the customer
 * and the order item) when `orderExternalId` names an order of this client whose customer has
 * the author's e-mail and which has a reviewable, uncancelled item with the sku; otherwise it
 * is stored unverified, also when the order does not exist. Unknown sku → NotFoundError.
 */
export async function submitReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(submitReviewInput, raw);
  await requireProduct(db, clientId, input.productSku);
  const order = await verifyingOrder(db, clientId, input.orderExternalId, input.authorEmail, input.productSku);
  const item = order?.items[0];
  return db.review.create({
    data: {
      clientId,
      productSku: input.productSku,
      rating: input.rating,
      title: input.title,
      content: input.content,
      authorNick: input.authorNick,
      authorEmail: input.authorEmail,
      verified: item !== undefined,
      customerId: item ? order!.customerId : null,
      orderItemId: item?.id ?? null,
    },
    select: { id: true },
  });
}

/** PUBLISH or REJECT a review of this client; another client's or an unknown id → NotFoundError. */
export async function moderateReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const { id, status } = parseModeration(raw);
  return updatedOne(await db.review.updateMany({ where: { id, clientId }, data: { status } }), id, 'review');
}

export interface ReviewFilter {
  productSku?: string | null;
  familyId?: string | null;
  status?: ReviewStatus | null;
  rating?: number | null;
  verified?: boolean | null;
}

/** The reviews a caller may list, narrowed by the filter (conditions combine with AND). */
export function reviewWhere(clientId: string, role: Role, filter?: ReviewFilter | null): Prisma.ReviewWhereInput {
  return {
    clientId,
    status: statusWhere(role, filter?.status),
    productSku: filter?.productSku ?? undefined,
    product: filter?.familyId != null ? { familyId: filter.familyId } : undefined,
    rating: filter?.rating ?? undefined,
    verified: filter?.verified ?? undefined,
  };
}

export type SubmitReviewInput = z.input<typeof submitReviewInput>;
