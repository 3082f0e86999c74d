// Webhook endpoints: create, update, rotate the secret, delete, and the test event. ADMIN only
// (enforced by the GraphQL layer); every rule takes the tenant and touches only its rows.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { NotFoundError, parseInput, ValidationError } from '../../platform/rules/errors.ts';
import { text, url } from '../../platform/rules/input-rules.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { addressProblem, schemeProblem } from './address-guard.ts';
import { EVENT_TYPES, recordEvent } from './outbox.ts';

/** Endpoints per client. */
export const MAX_ENDPOINTS = 20;
/** How long the previous secret keeps signing beside the new one after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const events = z
  .array(z.enum(EVENT_TYPES))
  .min(1, 'must name at least one event type')
  .max(EVENT_TYPES.length)
  .transform((list) => [...new Set(list)]);

const createInput = z.object({ url, events, description: text.nullish() });
const updateInput = z.object({
  id: z.string(),
  url: url.nullish(),
  events: events.nullish(),
  description: text.nullish(),
  enabled: z.boolean().nullish(),
});

/** A new Standard Webhooks secret: "whsec_" and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Refuses a URL with a wrong scheme or one that resolves to a forbidden address. */
async function checkUrl(raw: string, allowedHttpHosts: string[]): Promise<void> {
  const parsed = new URL(raw);
  const problem = schemeProblem(parsed, allowedHttpHosts) ?? (await addressProblem(parsed, allowedHttpHosts));
  if (problem) throw new ValidationError([{ path: ['input', 'url'], message: problem }]);
}

export interface EndpointOptions {
  allowedHttpHosts: string[];
}

export async function createEndpoint(db: Db, clientId: string, raw: unknown, options: EndpointOptions) {
  const input = parseInput(createInput, raw);
  await checkUrl(input.url, options.allowedHttpHosts);
  if ((await db.webhookEndpoint.count({ where: { clientId } })) >= MAX_ENDPOINTS) {
    throw new ValidationError([{ path: ['input'], message: `a client may have at most ${MAX_ENDPOINTS} endpoints` }]);
  }
  const secret = newSecret();
  const endpoint = await db.webhookEndpoint.create({
    data: { clientId, url: input.url, events: input.events, description: input.description ?? '', secret },
    select: { id: true },
  });
  return { endpointId: endpoint.id, secret };
}

export async function updateEndpoint(db: Db, clientId: string, id: string, raw: unknown, options: EndpointOptions) {
  const input = parseInput(updateInput, raw);
  if (input.url) await checkUrl(input.url, options.allowedHttpHosts);
  const enabling = input.enabled === true ? { disabledReason: null, failingSince: null } : {};
  const disabling = input.enabled === false ? { disabledReason: 'Disabled by the merchant.' } : {};
  const result = await db.webhookEndpoint.updateMany({
    where: { id, clientId },
    data: {
      url: input.url ?? undefined,
      events: input.events ?? undefined,
      description: input.description ?? undefined,
      enabled: input.enabled ?? undefined,
      ...enabling,
      ...disabling,
    },
  });
  if (result.count === 0) throw new NotFoundError('No webhook endpoint with this id.');
  return { endpointId: id };
}

/** A new secret; the old one keeps signing beside it for ROTATION_OVERLAP_MS. */
export async function rotateSecret(db: Db, clientId: string, id: string, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id, clientId }, select: { secret: true } });
    if (!row) throw new NotFoundError('No webhook endpoint with this id.');
    const secret = newSecret();
    await tx.webhookEndpoint.update({
      where: { id },
      data: {
        secret,
        previousSecret: row.secret,
        previousSecretUntil: new Date(now.getTime() + ROTATION_OVERLAP_MS),
      },
    });
    return { endpointId: id, secret };
  });
}

export async function deleteEndpoint(db: Db, clientId: string, id: string) {
  const result = await db.webhookEndpoint.deleteMany({ where: { id, clientId } });
  if (result.count === 0) throw new NotFoundError('No webhook endpoint with this id.');
  return { deletedId: id };
}

/** Queues a `webhook.test` event to this endpoint only (whatever it subscribes to). */
export async function sendTestEvent(db: Db, clientId: string, id: string) {
  return inTransaction(db, async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id, clientId }, select: { id: true } });
    if (!row) throw new NotFoundError('No webhook endpoint with this id.');
    const event = await recordEvent(tx, clientId, 'webhook.test', { endpointId: id }, { endpointId: id, always: true });
    return { endpointId: id, eventId: event.id };
  });
}

/** Puts a delivery back in the queue, due now (a new series of attempts). */
export async function redeliver(db: Db, clientId: string, deliveryId: string) {
  const result = await db.webhookDelivery.updateMany({
    where: { id: deliveryId, clientId },
    data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date() },
  });
  if (result.count === 0) throw new NotFoundError('No webhook delivery with this id.');
  return { deliveryId };
}
