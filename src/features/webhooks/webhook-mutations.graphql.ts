// createWebhookEndpoint, updateWebhookEndpoint, rotateWebhookSecret, deleteWebhookEndpoint,
// sendTestWebhook, redeliverWebhookEvent. ADMIN keys only; rules in endpoints.ts.
import type { Db } from '../../platform/db/client.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { writeResult } from '../../platform/graphql/errors.ts';
import { localId } from '../content/content.graphql.ts';
import { targetId } from '../content/content.ts';
import { createEndpoint, deleteEndpoint, redeliver, rotateSecret, sendTestEvent, updateEndpoint } from './endpoints.ts';
import { WebhookEventTypeEnum } from './webhook-endpoint.graphql.ts';

type Types = typeof builder.$inferSchemaTypes;

/** A success type with an `endpoint` field (and a `secret` when `withSecret`). */
function endpointResult<T extends { endpointId: string; secret?: string }>(
  name: string,
  description: string,
  withSecret = false,
) {
  const ref = builder.objectRef<T>(name).implement({ description, fields: () => ({}) });
  builder.objectField(ref, 'endpoint', (t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) =>
    t.prismaField({
      type: 'WebhookEndpoint',
      description: 'The endpoint.',
      resolve: (query, r, _args, ctx) =>
        ctx.db.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: r.endpointId } }),
    }),
  );
  if (withSecret)
    builder.objectField(ref, 'secret', (t) =>
      t.string({
        description:
          'The signing secret ("whsec_…"), shown only now: give it to the receiver, which verifies each request with it (Standard Webhooks).',
        resolve: (r) => r.secret ?? '',
      }),
    );
  return ref;
}

const endpointId = (id: string | number) => targetId(localId(String(id), 'WebhookEndpoint'));
const idArg = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>, what: string) =>
  t.id({ required: true, description: `Global id of the ${what}.` });

const CreateInput = builder.inputType('CreateWebhookEndpointInput', {
  description: 'A new endpoint.',
  fields: (t) => ({
    url: t.field({
      type: 'URL',
      required: true,
      description:
        'Where to POST events: https (plain http only to hosts in WEBHOOK_ALLOWED_HTTP_HOSTS); never a loopback, private, link-local or metadata address.',
    }),
    events: t.field({
      type: [WebhookEventTypeEnum],
      required: true,
      description: 'Event types to send (at least one).',
    }),
    description: t.string({ description: 'A note for the merchant, up to 1000 characters.' }),
  }),
});

const UpdateInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'Changes to an endpoint; omitted fields stay as they are.',
  fields: (t) => ({
    id: idArg(t, 'endpoint'),
    url: t.field({ type: 'URL', description: 'A new URL (same rules as on create).' }),
    events: t.field({ type: [WebhookEventTypeEnum], description: 'A new list of event types (at least one).' }),
    description: t.string({ description: 'A new note.' }),
    enabled: t.boolean({ description: 'False stops sending; true resumes (also after an automatic disable).' }),
  }),
});

const EndpointIdInput = builder.inputType('WebhookEndpointIdInput', {
  description: 'One endpoint.',
  fields: (t) => ({ id: idArg(t, 'endpoint') }),
});

const RedeliverInput = builder.inputType('RedeliverWebhookEventInput', {
  description: 'One delivery to send again.',
  fields: (t) => ({ deliveryId: idArg(t, 'delivery (`WebhookDelivery.id`)') }),
});

const CreateSuccess = endpointResult('CreateWebhookEndpointSuccess', 'The endpoint is created.', true);
const UpdateSuccess = endpointResult('UpdateWebhookEndpointSuccess', 'The endpoint is changed.');
const RotateSuccess = endpointResult(
  'RotateWebhookSecretSuccess',
  'A new secret; the previous one signs beside it for 24 hours.',
  true,
);
const TestSuccess = endpointResult<{ endpointId: string; eventId: string }>(
  'SendTestWebhookSuccess',
  'A webhook.test event is queued for the endpoint (an enabled one; the worker sends it within seconds).',
);
builder.objectField(TestSuccess, 'eventId', (t) => t.exposeString('eventId', { description: 'Id of the test event.' }));

const DeleteSuccess = builder.objectRef<{ deletedId: string }>('DeleteWebhookEndpointSuccess').implement({
  description: 'The endpoint and its deliveries are deleted.',
  fields: (t) => ({
    deletedId: t.exposeID('deletedId', { description: 'Database id of the deleted endpoint.' }),
  }),
});
const RedeliverSuccess = builder.objectRef<{ deliveryId: string }>('RedeliverWebhookEventSuccess').implement({
  description: 'The delivery is PENDING again, due now, with a new series of attempts.',
  fields: (t) => ({
    deliveryId: t.exposeID('deliveryId', { description: 'Database id of the delivery.' }),
  }),
});

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: CreateSuccess,
    description:
      'Creates an endpoint and returns its signing secret (shown once). At most 20 per client. ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('CreateWebhookEndpoint'),
    args: { input: t.arg({ type: CreateInput, required: true, description: 'URL, events, note.' }) },
    resolve: (_root, { input }, ctx) =>
      createEndpoint(ctx.db, ctx.viewer.clientId, input, { allowedHttpHosts: ctx.settings.webhookAllowedHttpHosts }),
  }),
  updateWebhookEndpoint: t.field({
    type: UpdateSuccess,
    description: 'Changes an endpoint. ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('UpdateWebhookEndpoint'),
    args: { input: t.arg({ type: UpdateInput, required: true, description: 'The endpoint and its changes.' }) },
    resolve: (_root, { input }, ctx) =>
      updateEndpoint(ctx.db, ctx.viewer.clientId, endpointId(input.id), input, {
        allowedHttpHosts: ctx.settings.webhookAllowedHttpHosts,
      }),
  }),
  redeliverWebhookEvent: t.field({
    type: RedeliverSuccess,
    description:
      'Sends a delivery again (after FAILED, or at once instead of waiting for its retry): PENDING, due now, attempts from 0. ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('RedeliverWebhookEvent'),
    args: { input: t.arg({ type: RedeliverInput, required: true, description: 'The delivery.' }) },
    resolve: (_root, { input }, ctx) =>
      redeliver(ctx.db, ctx.viewer.clientId, targetId(localId(String(input.deliveryId), 'WebhookDelivery'))),
  }),
}));

/** A mutation on one endpoint by id: `rotateWebhookSecret`, `deleteWebhookEndpoint`, `sendTestWebhook`. */
function endpointMutation<R extends object>(
  name: string,
  type: PothosSchemaTypes.ObjectRef<Types, R>,
  description: string,
  run: (db: Db, clientId: string, id: string) => Promise<R>,
) {
  builder.mutationField(name, (t) =>
    t.field({
      type,
      description: `${description} ADMIN keys only.`,
      authScopes: { admin: true },
      errors: writeResult(name[0].toUpperCase() + name.slice(1)),
      args: { input: t.arg({ type: EndpointIdInput, required: true, description: 'The endpoint.' }) },
      resolve: (_root, { input }, ctx) => run(ctx.db, ctx.viewer.clientId, endpointId(input.id)) as never,
    }),
  );
}

endpointMutation(
  'rotateWebhookSecret',
  RotateSuccess,
  'Replaces the signing secret; the old one keeps signing beside the new for 24 hours.',
  (db, clientId, id) => rotateSecret(db, clientId, id),
);
endpointMutation('deleteWebhookEndpoint', DeleteSuccess, 'Deletes an endpoint and its deliveries.', deleteEndpoint);
endpointMutation(
  'sendTestWebhook',
  TestSuccess,
  'Queues a `webhook.test` event for one endpoint, whatever events it subscribes to.',
  sendTestEvent,
);
