// Webhook events of erasures (erasure.completed, erasure.failed), written in the transaction that
// ends the request. The data is the audit record's own PII-free fields: the request's global id,
// status, counts and times; never the subject's e-mail, name or customer id.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Tx } from '../../platform/db/client.ts';
import { recordEvent } from '../webhooks/outbox.ts';

/** Records the event of a finished (SUCCEEDED or FAILED) request; dry runs have none. */
export async function erasureEvent(tx: Tx, clientId: string, requestId: string) {
  const r = await tx.erasureRequest.findFirst({
    where: { id: requestId, clientId, dryRun: false, status: { in: ['SUCCEEDED', 'FAILED'] } },
    select: {
      id: true,
      status: true,
      statusDescription: true,
      customers: true,
      orders: true,
      orderItems: true,
      reviews: true,
      questions: true,
      sellerReviews: true,
      createdAt: true,
      completedAt: true,
    },
  });
  if (!r) return;
  const { id, ...fields } = r;
  const type = r.status === 'SUCCEEDED' ? 'erasure.completed' : 'erasure.failed';
  await recordEvent(tx, clientId, type, { erasureRequest: { id: encodeGlobalID('ErasureRequest', id), ...fields } });
}
