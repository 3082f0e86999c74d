// The transactional outbox: an event row (and one delivery row per subscribed endpoint) is
// written with the transaction of the change that causes it, so a rolled-back change has no
// event and a committed change always has its event. The worker (webhook-worker.ts) sends them.
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../platform/db/client.ts';

/** Every event type an endpoint can subscribe to. */
export const EVENT_TYPES = [
  'review.submitted',
  'review.published',
  'review.rejected',
  'question.asked',
  'question.answered',
  'question.published',
  'question.rejected',
  'seller_review.submitted',
  'seller_review.published',
  'seller_review.rejected',
  'erasure.completed',
  'erasure.failed',
  'webhook.test',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The delivered body (Standard Webhooks' recommended shape plus the client). */
export interface EventPayload {
  id: string;
  type: EventType;
  createdAt: string;
  clientId: string;
  data: Record<string, unknown>;
}

/**
 * Writes the event and its deliveries (two statements) inside `tx`. `subjects` are the local
 * ids of rows the event mentions: an erasure of those rows deletes the event while undelivered.
 * `endpointId` limits the fan-out to one endpoint; `always` sends whatever it subscribes to (a test event).
 */
export async function recordEvent(
  tx: Tx,
  clientId: string,
  type: EventType,
  data: Record<string, unknown>,
  options: { subjects?: string[]; endpointId?: string; always?: boolean } = {},
): Promise<EventPayload> {
  const id = uuidv7();
  const createdAt = new Date();
  const payload: EventPayload = { id, type, createdAt: createdAt.toISOString(), clientId, data };
  await tx.webhookEvent.create({
    data: { id, clientId, type, payload: payload as object, subjects: options.subjects ?? [], createdAt },
    select: { id: true },
  });
  await tx.$executeRaw`
    INSERT INTO webhook_deliveries (id, client_id, event_id, endpoint_id, status, next_attempt_at, updated_at)
    SELECT gen_random_uuid(), ${clientId}::uuid, ${id}::uuid, e.id, 'PENDING', ${createdAt}, ${createdAt}
    FROM webhook_endpoints e
    WHERE e.client_id = ${clientId}::uuid AND e.enabled AND (${options.always ?? false} OR ${type} = ANY(e.events))
      AND (${options.endpointId ?? null}::uuid IS NULL OR e.id = ${options.endpointId ?? null}::uuid)`;
  return payload;
}

/**
 * Deletes the stored events that mention any of `subjects` (erasure), delivered or not: an
 * undelivered one is never sent, and no copy of the subject's rows stays in the outbox.
 */
export async function forgetEventsOf(tx: Tx, clientId: string, subjects: string[]): Promise<number> {
  if (subjects.length === 0) return 0;
  return tx.$executeRaw`
    DELETE FROM webhook_events ev
    WHERE ev.client_id = ${clientId}::uuid AND ev.subjects && ${subjects}::text[]`;
}

/** Deletes events (and their deliveries) older than `before`. Returns the count. */
export async function purgeEvents(tx: Tx, before: Date): Promise<number> {
  return tx.$executeRaw`DELETE FROM webhook_events WHERE created_at < ${before}`;
}
