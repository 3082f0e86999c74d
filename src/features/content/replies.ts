// The merchant's public reply to a review or a seller review: one per item, replaced by a new
// reply, removed by deleteReply. Shown wherever the item is visible (STOREFRONT: PUBLISHED only).
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { boundedText, MAX_CONTENT, targetId, updatedOne } from './content.ts';
import { parseInput } from '../../platform/rules/errors.ts';

export type RepliedKind = 'review' | 'sellerReview';

export const replyInput = z.object({ id: z.string(), content: boundedText(MAX_CONTENT) });

interface ReplyDelegate {
  updateMany(args: { where: object; data: object }): Promise<{ count: number }>;
}

function delegate(db: Db, kind: RepliedKind): ReplyDelegate {
  return kind === 'review' ? db.review : db.sellerReview;
}

/**
 * Sets or replaces the reply of an item of this client. A replacement keeps the reply's
 * createdAt and moves its updatedAt. Unknown or another client's id → NotFoundError.
 */
export async function reply(db: Db, clientId: string, kind: RepliedKind, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(replyInput, raw);
  const id = targetId(input.id);
  const now = new Date();
  const rows = delegate(db, kind);
  const replaced = await rows.updateMany({
    where: { id, clientId, replyCreatedAt: { not: null } },
    data: { replyContent: input.content, replyUpdatedAt: now },
  });
  if (replaced.count > 0) return { id };
  const created = await rows.updateMany({
    where: { id, clientId },
    data: { replyContent: input.content, replyCreatedAt: now, replyUpdatedAt: now },
  });
  return updatedOne(created, id, kind);
}

/** Removes the reply of an item of this client (none is fine). Unknown id → NotFoundError. */
export async function deleteReply(db: Db, clientId: string, kind: RepliedKind, raw: unknown): Promise<{ id: string }> {
  const id = targetId(parseInput(z.object({ id: z.string() }), raw).id);
  const result = await delegate(db, kind).updateMany({
    where: { id, clientId },
    data: { replyContent: null, replyCreatedAt: null, replyUpdatedAt: null },
  });
  return updatedOne(result, id, kind);
}
