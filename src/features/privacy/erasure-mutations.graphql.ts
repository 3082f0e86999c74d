// erasePersonalData, requestErasure and cancelErasure. ADMIN keys only; rules in erasure.ts.
import type { Context } from '../../platform/graphql/context.ts';
import { NotFoundError, ValidationError } from '../../platform/rules/errors.ts';
import {
  cancelErasure,
  erasePersonalData,
  ErasureFailedError,
  ErasureNotCancellableError,
  requestErasure,
  type Initiator,
} from './erasure.ts';
import { targetId } from '../content/content.ts';
import { erasureSettings } from './erasure-settings.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { localId } from '../content/content.graphql.ts';
import { ErasureStatusEnum } from './erasure.graphql.ts';
import { ErrorInterface } from '../../platform/graphql/errors.ts';
import { PersonalDataSubject } from './personal-data.graphql.ts';

function initiatorOf(ctx: Context): Initiator {
  const { key, role } = ctx.viewer;
  return { keyId: key.id, keyName: key.name, keyPrefix: key.prefix, role };
}

type Types = typeof builder.$inferSchemaTypes;

/** The `erasureRequest` field of a result that points at one request. */
function requestField<T extends { requestId: string }>(description: string) {
  return (t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) =>
    t.prismaField({
      type: 'ErasureRequest',
      description,
      resolve: (query, r, _args, ctx) =>
        ctx.db.erasureRequest.findUniqueOrThrow({ ...query, where: { id: r.requestId } }),
    });
}

/** A success type with an `erasureRequest` field. */
function withRequest<T extends { requestId: string }>(name: string, description: string, fieldDescription: string) {
  const ref = builder.objectRef<T>(name).implement({ description, fields: () => ({}) });
  builder.objectField(ref, 'erasureRequest', requestField<T>(fieldDescription));
  return ref;
}

const ErasureFailedErrorRef = builder.objectType(ErasureFailedError, {
  name: 'ErasureFailedError',
  description:
    'The erasure could not complete and was rolled back: nothing was erased (rows of the person kept coming back, or the person is past the bound of PersonalDataSubject). The FAILED request records why.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ErasureFailedError,
  fields: () => ({}),
});
builder.objectField(
  ErasureFailedErrorRef,
  'erasureRequest',
  requestField<ErasureFailedError>('The FAILED request (the audit record of the attempt).'),
);

builder.objectType(ErasureNotCancellableError, {
  name: 'ErasureNotCancellableError',
  description: 'The request is no longer SCHEDULED (it is running or has finished), so it cannot be cancelled.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ErasureNotCancellableError,
  fields: (t) => ({
    status: t.field({
      type: ErasureStatusEnum,
      description: 'The status the request is in.',
      resolve: (e) => e.status,
    }),
  }),
});

const ErasePersonalDataInput = builder.inputType('ErasePersonalDataInput', {
  description: 'Whom to erase, and whether only to count.',
  fields: (t) => ({
    subject: t.field({
      type: PersonalDataSubject,
      required: true,
      description: 'The person: by customerExternalId or by email.',
    }),
    dryRun: t.boolean({ description: 'True: count what would be erased and delete nothing. Default false.' }),
  }),
});

const ErasePersonalDataSuccess = withRequest<{ requestId: string }>(
  'ErasePersonalDataSuccess',
  'The erasure (or dry run) completed.',
  'The SUCCEEDED request: counts per kind and `remaining: 0` as proof of completion.',
);

const RequestErasureInput = builder.inputType('RequestErasureInput', {
  description: 'Whom to erase, and when.',
  fields: (t) => ({
    subject: t.field({
      type: PersonalDataSubject,
      required: true,
      description: 'The person: by customerExternalId or by email.',
    }),
    executeAfter: t.field({
      type: 'DateTime',
      description:
        'Run at or after this time, at most 30 days ahead. Default: now plus the grace period (ERASURE_GRACE_DAYS, 7 days unless configured). A time in the past means as soon as possible.',
    }),
  }),
});

const RequestErasureSuccess = withRequest<{ requestId: string; created: boolean }>(
  'RequestErasureSuccess',
  'The erasure is scheduled.',
  'The SCHEDULED request.',
);
builder.objectField(RequestErasureSuccess, 'created', (t) =>
  t.exposeBoolean('created', {
    description:
      'False when the subject already had a SCHEDULED request: that one is returned and nothing new was created.',
  }),
);

const CancelErasureInput = builder.inputType('CancelErasureInput', {
  description: 'The scheduled erasure to cancel.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'Global id of the request (`ErasureRequest.id`).' }),
  }),
});

const CancelErasureSuccess = withRequest<{ requestId: string }>(
  'CancelErasureSuccess',
  'The request is cancelled; nothing was erased.',
  'The CANCELLED request.',
);

builder.mutationFields((t) => ({
  erasePersonalData: t.field({
    type: ErasePersonalDataSuccess,
    description:
      'Erases the whole person (everything linked to the subject, see PersonalDataSubject): its customers, their orders and order items, and every review, question and seller review, in one transaction; then finds the person afresh from every e-mail and externalId it held and proves nothing is left. A person past the bound is not erased at all (ErasureFailedError). Idempotent: erasing what is not there succeeds with zero counts. ADMIN keys only.',
    authScopes: { admin: true },
    errors: {
      types: [ValidationError, ErasureFailedError],
      directResult: true,
      union: { name: 'ErasePersonalDataResult', description: 'ErasePersonalDataSuccess, or why nothing was erased.' },
    },
    args: {
      input: t.arg({ type: ErasePersonalDataInput, required: true, description: 'The subject and the dry-run flag.' }),
    },
    resolve: (_root, { input }, ctx) => erasePersonalData(ctx.db, ctx.viewer.clientId, initiatorOf(ctx), input),
  }),
  requestErasure: t.field({
    type: RequestErasureSuccess,
    description:
      'Schedules an erasure after a grace period; a worker runs it then (as erasePersonalData would). One SCHEDULED request per subject: asking again returns it. ADMIN keys only.',
    authScopes: { admin: true },
    errors: {
      types: [ValidationError],
      directResult: true,
      union: { name: 'RequestErasureResult', description: 'RequestErasureSuccess, or why nothing was scheduled.' },
    },
    args: { input: t.arg({ type: RequestErasureInput, required: true, description: 'The subject and when to run.' }) },
    resolve: (_root, { input }, ctx) =>
      requestErasure(ctx.db, ctx.viewer.clientId, initiatorOf(ctx), input, { graceDays: erasureSettings().graceDays }),
  }),
  cancelErasure: t.field({
    type: CancelErasureSuccess,
    description:
      'Cancels a SCHEDULED erasure request. A request that is running or finished cannot be cancelled. ADMIN keys only.',
    authScopes: { admin: true },
    errors: {
      types: [NotFoundError, ErasureNotCancellableError],
      directResult: true,
      union: { name: 'CancelErasureResult', description: 'CancelErasureSuccess, or why nothing was cancelled.' },
    },
    args: { input: t.arg({ type: CancelErasureInput, required: true, description: 'The request to cancel.' }) },
    resolve: (_root, { input }, ctx) =>
      cancelErasure(
        ctx.db,
        ctx.viewer.clientId,
        initiatorOf(ctx),
        targetId(localId(String(input.id), 'ErasureRequest')),
      ),
  }),
}));
