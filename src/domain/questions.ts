// Product questions: asked by shoppers, answered and moderated by the merchant.
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { ReviewStatus, Role } from '../generated/prisma/enums.ts';
import {
  authoredInput,
  boundedText,
  MAX_CONTENT,
  parseModeration,
  requireProduct,
  statusWhere,
  targetId,
  updatedOne,
  verifyingOrder,
} from './content.ts';
import { parseInput } from './errors.ts';
import { identifier } from './fields.ts';

export const askQuestionInput = authoredInput.extend({ productSku: identifier });

/**
 * Stores a new PENDING question about a feed product. With an `orderExternalId` of this
 * client whose customer has the author's e-mail, the question is linked to that customer;
 * an unknown order is not an error. Unknown sku → NotFoundError.
 */
export async function askQuestion(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(askQuestionInput, raw);
  await requireProduct(db, clientId, input.productSku);
  const order = await verifyingOrder(db, clientId, input.orderExternalId, input.authorEmail);
  return db.question.create({
    data: {
      clientId,
      productSku: input.productSku,
      title: input.title,
      content: input.content,
      authorNick: input.authorNick,
      authorEmail: input.authorEmail,
      customerId: order?.customerId ?? null,
    },
    select: { id: true },
  });
}

export const answerQuestionInput = z.object({ id: z.string(), answer: boundedText(MAX_CONTENT) });

/** Sets (or replaces) the merchant's answer; the status is left as it is. */
export async function answerQuestion(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(answerQuestionInput, raw);
  const id = targetId(input.id);
  const data = { answer: input.answer, answeredAt: new Date() };
  return updatedOne(await db.question.updateMany({ where: { id, clientId }, data }), id, 'question');
}

/** PUBLISH or REJECT a question of this client; another client's or an unknown id → NotFoundError. */
export async function moderateQuestion(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const { id, status } = parseModeration(raw);
  return updatedOne(await db.question.updateMany({ where: { id, clientId }, data: { status } }), id, 'question');
}

export interface QuestionFilter {
  productSku?: string | null;
  familyId?: string | null;
  status?: ReviewStatus | null;
  answered?: boolean | null;
}

/** The questions a caller may list, narrowed by the filter (conditions combine with AND). */
export function questionWhere(clientId: string, role: Role, filter?: QuestionFilter | null): Prisma.QuestionWhereInput {
  return {
    clientId,
    status: statusWhere(role, filter?.status),
    productSku: filter?.productSku ?? undefined,
    product: filter?.familyId != null ? { familyId: filter.familyId } : undefined,
    answeredAt: filter?.answered == null ? undefined : filter.answered ? { not: null } : null,
  };
}
