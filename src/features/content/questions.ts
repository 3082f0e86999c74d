// Product questions: asked by shoppers, answered by the merchant. Moderation and lists: content.ts.
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import {
  authoredInput,
  boundedText,
  MAX_CONTENT,
  requireProduct,
  targetId,
  updatedOne,
  verifyingOrder,
} from './content.ts';
import { parseInput } from '../../platform/rules/errors.ts';
import { identifier } from '../../platform/rules/input-rules.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { contentEvent } from './content-events.ts';

export const askQuestionInput = authoredInput.extend({ productSku: identifier });

/**
 * Stores a new PENDING question about a feed product. With an `orderExternalId` of this
 * client whose customer has the author's e-mail, the question is linked to that customer;
 * an unknown order is not an error. Unknown sku → NotFoundError.
 */
export async function askQuestion(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const { orderExternalId, ...fields } = parseInput(askQuestionInput, raw);
  await requireProduct(db, clientId, fields.productSku);
  const order = await verifyingOrder(db, clientId, orderExternalId, fields.authorEmail);
  return inTransaction(db, async (tx) => {
    const row = await tx.question.create({
      data: { clientId, ...fields, customerId: order?.customerId },
      select: { id: true },
    });
    await contentEvent(tx, clientId, 'question', 'asked', row.id);
    return row;
  });
}

export const answerQuestionInput = z.object({ id: z.string(), answer: boundedText(MAX_CONTENT) });

/** Sets (or replaces) the merchant's answer; the status is left as it is. */
export async function answerQuestion(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(answerQuestionInput, raw);
  const id = targetId(input.id);
  const data = { answer: input.answer, answeredAt: new Date() };
  return inTransaction(db, async (tx) => {
    const result = updatedOne(await tx.question.updateMany({ where: { id, clientId }, data }), id, 'question');
    await contentEvent(tx, clientId, 'question', 'answered', id);
    return result;
  });
}
