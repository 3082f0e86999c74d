// Seller reviews: a rating of the shop itself, verified through an order.
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { ReviewStatus, Role } from '../generated/prisma/enums.ts';
import { authoredInput, parseModeration, rating, statusWhere, updatedOne, verifyingOrder } from './content.ts';
import { parseInput } from './errors.ts';

export const submitSellerReviewInput = authoredInput.extend({ rating });

/**
 * Stores a new PENDING seller review. It is `verified` (and linked to the customer and the
 * order) when `orderExternalId` names an order of this client whose customer has the
 * author's e-mail; otherwise, also when the order does not exist, it is stored unverified.
 */
export async function submitSellerReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(submitSellerReviewInput, raw);
  const order = await verifyingOrder(db, clientId, input.orderExternalId, input.authorEmail);
  return db.sellerReview.create({
    data: {
      clientId,
      rating: input.rating,
      title: input.title,
      content: input.content,
      authorNick: input.authorNick,
      authorEmail: input.authorEmail,
      verified: order !== null,
      customerId: order?.customerId ?? null,
      orderId: order?.id ?? null,
    },
    select: { id: true },
  });
}

/** PUBLISH or REJECT a seller review of this client; another client's or an unknown id → NotFoundError. */
export async function moderateSellerReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const { id, status } = parseModeration(raw);
  return updatedOne(await db.sellerReview.updateMany({ where: { id, clientId }, data: { status } }), id, 'seller review');
}

export interface SellerReviewFilter {
  status?: ReviewStatus | null;
  rating?: number | null;
  verified?: boolean | null;
}

/** The seller reviews a caller may list, narrowed by the filter (conditions combine with AND). */
export function sellerReviewWhere(clientId: string, role: Role, filter?: SellerReviewFilter | null): Prisma.SellerReviewWhereInput {
  return {
    clientId,
    status: statusWhere(role, filter?.status),
    rating: filter?.rating ?? undefined,
    verified: filter?.verified ?? undefined,
  };
}
