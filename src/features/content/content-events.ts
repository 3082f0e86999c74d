// Webhook events of shopper content, written in the transaction of the change (outbox.ts). The
// data holds global ids and the fields a STOREFRONT key may read: never the author's e-mail
// or the linked customer. `subjects` name the row, so erasing it forgets the event.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Tx } from '../../platform/db/client.ts';
import { type EventType, recordEvent } from '../webhooks/outbox.ts';

export type ContentKind = 'review' | 'question' | 'sellerReview';

const TYPENAME: Record<ContentKind, string> = { review: 'Review', question: 'Question', sellerReview: 'SellerReview' };
const PREFIX: Record<ContentKind, string> = { review: 'review', question: 'question', sellerReview: 'seller_review' };

const common = { id: true, title: true, content: true, authorNick: true, status: true, createdAt: true } as const;

/** The public fields of one row (null when it is not there). */
async function publicFields(tx: Tx, clientId: string, kind: ContentKind, id: string) {
  const where = { id, clientId };
  if (kind === 'review')
    return tx.review.findFirst({ where, select: { ...common, productSku: true, rating: true, verified: true } });
  if (kind === 'question')
    return tx.question.findFirst({ where, select: { ...common, productSku: true, answer: true, answeredAt: true } });
  return tx.sellerReview.findFirst({ where, select: { ...common, rating: true, verified: true } });
}

/** Records `<kind>.<action>` (e.g. review.published) for the row, with its public fields. */
export async function contentEvent(tx: Tx, clientId: string, kind: ContentKind, action: string, id: string) {
  const row = await publicFields(tx, clientId, kind, id);
  if (!row) return;
  const type = `${PREFIX[kind]}.${action}` as EventType;
  const data = { [kind]: { ...row, id: encodeGlobalID(TYPENAME[kind], row.id) } };
  await recordEvent(tx, clientId, type, data, { subjects: [row.id] });
}
