// The invitations feature's process settings: how long a mailer's claim holds. config.ts validates
// the variable in its one environment loader (it spreads `invitationEnvironment` into its schema)
// and hands the value down: server.ts to createApp, createApp to the resolvers (Context.settings).
// The per-client policy (on/off, delay, expiry, frequency cap) is data: see policy.ts.
import { z } from 'zod';

export const invitationEnvironment = {
  /** How long invitations handed out by claimDueReviewInvitations stay with that mailer. */
  REVIEW_INVITATION_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
};

export interface InvitationSettings {
  leaseMs: number;
}

/** The settings from the validated variables. */
export function invitationSettingsOf(e: z.output<z.ZodObject<typeof invitationEnvironment>>): InvitationSettings {
  return { leaseMs: e.REVIEW_INVITATION_LEASE_MS };
}
