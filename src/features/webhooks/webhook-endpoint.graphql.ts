// WebhookEndpoint and WebhookDelivery, and the `webhookEndpoints` list. ADMIN keys only: the
// types themselves carry the scope, so `node(id)` with another key answers FORBIDDEN too.
import { builder } from '../../platform/graphql/builder.ts';
import { countedConnection, paging } from '../../platform/graphql/paging.ts';
import { ownedById } from '../../platform/graphql/scoping.ts';
import { EVENT_TYPES, type EventType } from './outbox.ts';

/** GraphQL name of an event type: review.published → REVIEW_PUBLISHED. */
const enumName = (type: EventType) => type.replace('.', '_').toUpperCase();

export const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description:
    'What a webhook event reports; the delivered `type` is the dotted lower-case form (REVIEW_PUBLISHED is "review.published").',
  values: Object.fromEntries(
    EVENT_TYPES.map((type) => [enumName(type), { value: type, description: `The "${type}" event.` }]),
  ) as Record<string, { value: EventType; description: string }>,
});

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where one delivery (one event to one endpoint) stands.',
  values: {
    PENDING: { description: 'Not delivered yet: waiting for its first attempt or for a retry (`nextAttemptAt`).' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every attempt failed (12 over about 40 hours); `redeliverWebhookEvent` tries again.' },
  } as const,
});

builder.prismaNode('WebhookDelivery', {
  description: 'One event sent to one endpoint: its attempts and outcome. ADMIN keys only.',
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedById,
  authScopes: { admin: true },
  fields: (t) => ({
    eventId: t.exposeString('eventId', {
      description: 'The event id: the `webhook-id` header and the `id` of the body, the same on every attempt.',
    }),
    eventType: t.field({
      type: WebhookEventTypeEnum,
      description: 'The event type.',
      select: { event: { select: { type: true } } },
      resolve: (d) => d.event.type as EventType,
    }),
    payload: t.field({
      type: 'JSONObject',
      description: 'The body sent: {id, type, createdAt, clientId, data}.',
      select: { event: { select: { payload: true } } },
      resolve: (d) => d.event.payload as Record<string, unknown>,
    }),
    status: t.expose('status', { type: DeliveryStatusEnum, description: 'Where the delivery stands.' }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made so far (at most 12 per series).' }),
    lastStatusCode: t.exposeInt('lastStatusCode', {
      nullable: true,
      description: 'HTTP status of the last attempt; null when it got no answer (or none was made).',
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why the last attempt failed (status, timeout, connection or address refused); null on success.',
    }),
    lastAttemptAt: t.expose('lastAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the last attempt was made.',
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due; null once SUCCEEDED or FAILED.',
      resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the event was queued for this endpoint.' }),
  }),
});

const DeliveryFilter = builder.inputType('WebhookDeliveryFilter', {
  description: 'Narrows a list of deliveries.',
  fields: (t) => ({
    status: t.field({ type: DeliveryStatusEnum, description: 'Only deliveries in this status.' }),
  }),
});

builder.prismaNode('WebhookEndpoint', {
  description:
    "A merchant's receiver of signed webhook events (Standard Webhooks). The signing secret is shown once, by createWebhookEndpoint and rotateWebhookSecret. ADMIN keys only.",
  id: { field: 'id' },
  nullable: true,
  findUnique: ownedById,
  authScopes: { admin: true },
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where events are POSTed.' }),
    events: t.field({
      type: [WebhookEventTypeEnum],
      description: 'The event types sent to it.',
      resolve: (e) => e.events as EventType[],
    }),
    description: t.exposeString('description', { description: "The merchant's note (may be empty)." }),
    enabled: t.exposeBoolean('enabled', {
      description: 'False: nothing is sent (disabled by the merchant, or after 3 days of failing deliveries).',
    }),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Why it is disabled; null while enabled.',
    }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description:
        'Start of the current run of failed attempts (null after a success); 3 days of it disable the endpoint.',
    }),
    secretRotatedUntil: t.expose('previousSecretUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'After a rotation: until when the previous secret still signs beside the new one.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    deliveries: t.relatedConnection(
      'deliveries',
      {
        cursor: 'id',
        ...paging,
        description: 'Its deliveries, newest first.',
        args: { filter: t.arg({ type: DeliveryFilter, description: 'Conditions the deliveries must meet.' }) },
        query: ({ filter }) => ({ where: { status: filter?.status ?? undefined }, orderBy: { id: 'desc' } }),
        totalCount: true,
      },
      countedConnection('A page of webhook deliveries.'),
      { description: 'A delivery in a page.' },
    ),
  }),
});

builder.queryFields((t) => ({
  webhookEndpoints: t.prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'id',
      ...paging,
      authScopes: { admin: true },
      description: "The client's webhook endpoints, oldest first. ADMIN keys only.",
      resolve: (query, _root, _args, ctx) =>
        ctx.db.webhookEndpoint.findMany({ ...query, where: { clientId: ctx.viewer.clientId }, orderBy: { id: 'asc' } }),
      totalCount: (_conn, _args, ctx) => ctx.db.webhookEndpoint.count({ where: { clientId: ctx.viewer.clientId } }),
    },
    countedConnection('A page of webhook endpoints.'),
    { description: 'A webhook endpoint in a page.' },
  ),
}));
