// Helpful votes on reviews: one vote per visitor per PUBLISHED review, changeable. The
// storefront's anonymous visitor id is never stored: only HMAC-SHA256 under the client's
// secret, so it cannot be read back and the same id is unrelated across clients. The counts
// live on the review row (helpfulCount, unhelpfulCount), so pages read no extra table.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/client.ts';
import { contentOrderBy, targetId, timeOrderBy, type ContentOrder } from './content.ts';
import { NotFoundError, parseInput } from '../../platform/rules/errors.ts';
import { identifier } from '../../platform/rules/input-rules.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';

export const voteInput = z.object({ id: z.string(), helpful: z.boolean(), voterId: identifier });

/** HMAC-SHA256 (hex) of the visitor id under the client's secret: what a vote stores. */
export function voterHash(secretHex: string, voterId: string): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex')).update(`VOTER:${voterId}`).digest('hex');
}

/** The hash of `voterId` for this client. */
export async function clientVoterHash(db: Tx, clientId: string, voterId: string): Promise<string> {
  const client = await db.client.findUniqueOrThrow({ where: { id: clientId }, select: { erasureSecret: true } });
  return voterHash(client.erasureSecret, voterId);
}

type Counter = 'helpfulCount' | 'unhelpfulCount';
const counter = (helpful: boolean): Counter => (helpful ? 'helpfulCount' : 'unhelpfulCount');

/** The counter changes when a vote goes from `before` (none: undefined) to `after`. */
export function countDelta(before: boolean | undefined, after: boolean): Partial<Record<Counter, object>> {
  if (before === after) return {};
  const delta: Partial<Record<Counter, object>> = { [counter(after)]: { increment: 1 } };
  if (before !== undefined) delta[counter(before)] = { decrement: 1 };
  return delta;
}

/**
 * Records or changes the vote of a visitor on a PUBLISHED review of this client. Voting the
 * same way again changes nothing. The review row is locked first, so concurrent votes of one
 * visitor count once. Unknown, unpublished or another client's review → NotFoundError.
 */
export async function voteReview(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(voteInput, raw);
  const id = targetId(input.id);
  const hash = await clientVoterHash(db, clientId, input.voterId);
  return inTransaction(db, async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM reviews WHERE id = ${id}::uuid AND client_id = ${clientId}::uuid AND status = 'PUBLISHED'
      FOR UPDATE`;
    if (locked.length === 0) throw new NotFoundError('No review with this id.');
    const key = { reviewId_voterHash: { reviewId: id, voterHash: hash } };
    const before = await tx.reviewVote.findUnique({ where: key, select: { helpful: true } });
    if (before?.helpful === input.helpful) return { id };
    await tx.reviewVote.upsert({
      where: key,
      create: { clientId, reviewId: id, voterHash: hash, helpful: input.helpful },
      update: { helpful: input.helpful },
    });
    await tx.review.update({ where: { id }, data: countDelta(before?.helpful, input.helpful) });
    return { id };
  });
}

/**
 * Review list order: contentOrderBy plus MOST_HELPFUL (helpful_count DESC, then NEWEST). A
 * total order, so id cursors stay exact; served by the (…, status, helpful_count, created_at,
 * id) indexes read backwards.
 */
export function reviewOrderBy(order: ContentOrder | null | undefined) {
  if (order === 'MOST_HELPFUL') return [{ helpfulCount: 'desc' as const }, ...timeOrderBy('NEWEST')];
  return contentOrderBy(order);
}
