// updateReviewInvitationSettings and the mailer loop: claimDueReviewInvitations,
// markReviewInvitationsSent, skipReviewInvitation. ADMIN keys only; rules in policy.ts and mailer.ts.
import { builder } from '../../platform/graphql/builder.ts';
import { writeResult } from '../../platform/graphql/errors.ts';
import { localId } from '../content/content.graphql.ts';
import { claimDueInvitations, type ClaimResult, MAX_CLAIM, markInvitationsSent, skipInvitation } from './mailer.ts';
import { type InvitationPolicy, POLICY_BOUNDS, updateInvitationPolicy } from './policy.ts';
import { ReviewInvitationSettingsRef, ReviewInvitationSkipReasonEnum, showIssuedLinks } from './invitation.graphql.ts';

type Types = typeof builder.$inferSchemaTypes;

/** A list field of invitations read back by id, in the order of `ids` (one statement). */
function invitationsField<T extends { ids: string[] }>(description: string) {
  return (t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) =>
    t.prismaField({
      type: ['ReviewInvitation'],
      description,
      resolve: async (query, r, _args, ctx) => {
        const rows = await ctx.db.reviewInvitation.findMany({
          ...query,
          where: { id: { in: r.ids }, clientId: ctx.viewer.clientId },
          relationLoadStrategy: 'join',
        });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return r.ids.flatMap((id) => byId.get(id) ?? []);
      },
    });
}

const UpdateReviewInvitationSettingsInput = builder.inputType('UpdateReviewInvitationSettingsInput', {
  description: 'The policy fields to change; fields left out keep their value.',
  fields: (t) => ({
    enabled: t.boolean({ description: 'Turn invitations on or off.' }),
    delayDays: t.int({
      description: `Days from the latest delivery to dueAt, ${POLICY_BOUNDS.delayDays.min}–${POLICY_BOUNDS.delayDays.max}.`,
    }),
    expiryDays: t.int({
      description: `Days after dueAt before an unsent invitation EXPIRES (and how long review links stay valid), ${POLICY_BOUNDS.expiryDays.min}–${POLICY_BOUNDS.expiryDays.max}.`,
    }),
    frequencyCapDays: t.int({
      description: `At most one invitation per customer within this many days, ${POLICY_BOUNDS.frequencyCapDays.min}–${POLICY_BOUNDS.frequencyCapDays.max}; 0: no limit.`,
    }),
  }),
});

const UpdateReviewInvitationSettingsSuccess = builder
  .objectRef<{ policy: InvitationPolicy; rescheduled: number }>('UpdateReviewInvitationSettingsSuccess')
  .implement({
    description: 'The policy is stored and applied to every invitation not final yet.',
    fields: (t) => ({
      settings: t.field({
        type: ReviewInvitationSettingsRef,
        description: 'The policy now.',
        resolve: (r) => r.policy,
      }),
      rescheduledCount: t.exposeInt('rescheduled', {
        description:
          'Invitations not final yet whose dueAt, expiresAt or status changed with it (turned off: SKIPPED with POLICY_OFF; on: SCHEDULED again).',
      }),
    }),
  });

const ClaimDueReviewInvitationsInput = builder.inputType('ClaimDueReviewInvitationsInput', {
  description: 'How many due invitations to take.',
  fields: (t) => ({
    limit: t.int({ required: true, description: `1 to ${MAX_CLAIM}.` }),
  }),
});

const ClaimDueReviewInvitationsSuccess = builder.objectRef<ClaimResult>('ClaimDueReviewInvitationsSuccess').implement({
  description:
    'The invitations handed to this caller. Send their mails, then confirm with markReviewInvitationsSent (or give one up with skipReviewInvitation) before `leasedUntil`.',
  fields: (t) => ({
    invitations: invitationsField<ClaimResult>(
      'Due invitations now leased to this caller, oldest due first; empty when none is due. Each has its customer (name, e-mail) and items (name, url, image url, and `reviewToken` for each item not reviewed yet).',
    )(t),
    leasedUntil: t.expose('leasedUntil', {
      type: 'DateTime',
      nullable: true,
      description:
        "Until when they are this caller's; unconfirmed after it, they go back to the pool. Null when none was claimed.",
    }),
    skippedCount: t.exposeInt('skipped', {
      description: 'Due invitations this claim skipped for good instead (ALREADY_REVIEWED, FREQUENCY_CAP).',
    }),
    expiredCount: t.exposeInt('expired', {
      description: 'Invitations this claim found past their expiry and recorded as EXPIRED.',
    }),
  }),
});

const MarkReviewInvitationsSentInput = builder.inputType('MarkReviewInvitationsSentInput', {
  description: 'The invitations whose mails went out.',
  fields: (t) => ({
    ids: t.idList({
      required: true,
      description: `Global ids of claimed invitations, 1 to ${MAX_CLAIM}. An unknown (or another client's) id is a NotFoundError, one never claimed a ValidationError; either way nothing is marked.`,
    }),
  }),
});

const MarkReviewInvitationsSentSuccess = builder
  .objectRef<{ ids: string[]; newlySent: number }>('MarkReviewInvitationsSentSuccess')
  .implement({
    description: 'Every invitation given is SENT.',
    fields: (t) => ({
      invitations: invitationsField<{ ids: string[]; newlySent: number }>('The invitations, in the order given.')(t),
      sentCount: t.exposeInt('newlySent', {
        description: 'How many became SENT with this call (the others were SENT already).',
      }),
    }),
  });

const SkipReviewInvitationInput = builder.inputType('SkipReviewInvitationInput', {
  description: 'The invitation to give up, and why.',
  fields: (t) => ({
    id: t.id({ required: true, description: "Global id of the invitation; another client's id is a NotFoundError." }),
    reason: t.field({ type: ReviewInvitationSkipReasonEnum, required: true, description: 'Why it is not sent.' }),
  }),
});

const SkipReviewInvitationSuccess = builder.objectRef<{ id: string }>('SkipReviewInvitationSuccess').implement({
  description: 'The invitation is SKIPPED for good.',
  fields: (t) => ({
    invitation: t.prismaField({
      type: 'ReviewInvitation',
      description: 'The invitation as stored now.',
      resolve: (query, r, _args, ctx) =>
        ctx.db.reviewInvitation.findUniqueOrThrow({ ...query, where: { id: r.id }, relationLoadStrategy: 'join' }),
    }),
  }),
});

builder.mutationFields((t) => ({
  updateReviewInvitationSettings: t.field({
    type: UpdateReviewInvitationSettingsSuccess,
    description:
      "Changes the client's review invitation policy and applies it, in the same transaction, to every invitation not final yet. Out-of-bounds values are a ValidationError and change nothing. ADMIN keys only.",
    authScopes: { admin: true },
    errors: writeResult('UpdateReviewInvitationSettings'),
    args: {
      input: t.arg({ type: UpdateReviewInvitationSettingsInput, required: true, description: 'What to change.' }),
    },
    resolve: (_root, { input }, ctx) => updateInvitationPolicy(ctx.db, ctx.viewer.clientId, input),
  }),
  claimDueReviewInvitations: t.field({
    type: ClaimDueReviewInvitationsSuccess,
    description: `For the merchant's mailer: hands out up to \`limit\` (at most ${MAX_CLAIM}) SCHEDULED invitations whose dueAt has passed, oldest due first, leased to this caller (REVIEW_INVITATION_LEASE_MS, 5 minutes by default), with a review link token per item not reviewed yet. Any number of mailers may call at once: an invitation is handed to one of them only (FOR UPDATE SKIP LOCKED), and goes back to the pool when its lease runs out unconfirmed. Due invitations whose items are all reviewed, or whose customer is within the frequency cap, are skipped instead. ADMIN keys only.`,
    authScopes: { admin: true },
    errors: writeResult('ClaimDueReviewInvitations'),
    args: {
      input: t.arg({ type: ClaimDueReviewInvitationsInput, required: true, description: 'How many to take.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const claim = await claimDueInvitations(ctx.db, ctx.viewer.clientId, input, {
        leaseMs: ctx.settings.reviewInvitationLeaseMs,
      });
      showIssuedLinks(ctx, claim.links);
      return claim;
    },
  }),
  markReviewInvitationsSent: t.field({
    type: MarkReviewInvitationsSentSuccess,
    description:
      'For the mailer: records that the mails of claimed invitations went out (SENT, final). Safe to retry. ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('MarkReviewInvitationsSent'),
    args: {
      input: t.arg({ type: MarkReviewInvitationsSentInput, required: true, description: 'The invitations sent.' }),
    },
    resolve: (_root, { input }, ctx) =>
      markInvitationsSent(ctx.db, ctx.viewer.clientId, {
        ids: input.ids.map((id) => localId(String(id), 'ReviewInvitation')),
      }),
  }),
  skipReviewInvitation: t.field({
    type: SkipReviewInvitationSuccess,
    description:
      'Gives up an invitation that was not sent (SKIPPED with the reason, final; order writes no longer change it). Skipping it again changes nothing; a SENT or EXPIRED one is a ValidationError. ADMIN keys only.',
    authScopes: { admin: true },
    errors: writeResult('SkipReviewInvitation'),
    args: {
      input: t.arg({ type: SkipReviewInvitationInput, required: true, description: 'The invitation and the reason.' }),
    },
    resolve: (_root, { input }, ctx) =>
      skipInvitation(ctx.db, ctx.viewer.clientId, { ...input, id: localId(String(input.id), 'ReviewInvitation') }),
  }),
}));
