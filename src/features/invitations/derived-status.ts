// The status of an invitation that is not settled yet, as SQL: it follows the order, its customer
// and the client's policy, and is computed again in every statement that changes one of them
// (schedule.ts after an order write, policy.ts after a policy change). Settled invitations (SENT,
// EXPIRED, skipped by a mailer, staff or a claim) never go through here again.
import { Prisma } from '../../generated/prisma/client.ts';

export const STATUS_TYPE = Prisma.raw('"ReviewInvitationStatus"');
export const REASON_TYPE = Prisma.raw('"ReviewInvitationSkipReason"');

/** What the derived status depends on, as SQL expressions of the statement that uses it. */
export interface StatusInputs {
  optOut: Prisma.Sql;
  /** True when the order still has an eligible item (reviewable, not cancelled, delivered). */
  hasItems: Prisma.Sql;
  email: Prisma.Sql;
  enabled: Prisma.Sql;
}

/**
 * Why the invitation is skipped now, or NULL: the customer opted out; no eligible item is left;
 * the customer has no e-mail address to write to; the client's invitations are off. First match wins.
 */
export function skipReasonSql(i: StatusInputs): Prisma.Sql {
  return Prisma.sql`(CASE WHEN ${i.optOut} THEN 'OPTED_OUT' WHEN NOT (${i.hasItems}) THEN 'ITEMS_CANCELLED'
    WHEN ${i.email} IS NULL THEN 'NO_EMAIL' WHEN NOT ${i.enabled} THEN 'POLICY_OFF' END)::${REASON_TYPE}`;
}

/** SKIPPED with a reason; else EXPIRED once past its expiry (which settles it); else SCHEDULED. */
export function statusSql(reason: Prisma.Sql, expiresAt: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(CASE WHEN ${reason} IS NOT NULL THEN 'SKIPPED' WHEN ${expiresAt} <= now() THEN 'EXPIRED'
    ELSE 'SCHEDULED' END)::${STATUS_TYPE}`;
}

/** The due time of a latest delivery date (SQL date) under a delay in days: 00:00 UTC of date + delay. */
export function dueSql(lastDelivery: Prisma.Sql, delayDays: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`((${lastDelivery} + ${delayDays})::timestamp AT TIME ZONE 'UTC')`;
}

/** The policy columns of the client, as `p(enabled, delay, expiry, cap)`. */
export function policySql(clientId: string): Prisma.Sql {
  return Prisma.sql`SELECT invitations_enabled AS enabled, invitation_delay_days AS delay,
    invitation_expiry_days AS expiry, invitation_frequency_days AS cap FROM clients WHERE id = ${clientId}::uuid`;
}
