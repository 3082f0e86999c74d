// The client's review invitation policy (updateReviewInvitationSettings, read on viewer.client):
// on/off, the delay after delivery, the expiry, and the frequency cap. A change applies at once to
// every invitation not settled yet, in the same transaction: turned off, they are SKIPPED
// (POLICY_OFF); turned on again, they are SCHEDULED again (or EXPIRED when past their expiry);
// a new delay or expiry moves their dueAt and expiresAt. Sent and settled invitations keep theirs.
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { parseInput } from '../../platform/rules/errors.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { dueSql, policySql, skipReasonSql, statusSql } from './derived-status.ts';

/** Bounds of the policy's numbers, in days. */
export const POLICY_BOUNDS = {
  delayDays: { min: 0, max: 90 },
  expiryDays: { min: 1, max: 365 },
  frequencyCapDays: { min: 0, max: 365 },
} as const;

export interface InvitationPolicy {
  enabled: boolean;
  delayDays: number;
  expiryDays: number;
  frequencyCapDays: number;
}

const days = (name: keyof typeof POLICY_BOUNDS) => {
  const { min, max } = POLICY_BOUNDS[name];
  const message = `must be a whole number of days from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message).nullish();
};

const policyInput = z.object({
  enabled: z.boolean().nullish(),
  delayDays: days('delayDays'),
  expiryDays: days('expiryDays'),
  frequencyCapDays: days('frequencyCapDays'),
});

/** The client columns that hold the policy. */
export const POLICY_SELECT = {
  invitationsEnabled: true,
  invitationDelayDays: true,
  invitationExpiryDays: true,
  invitationFrequencyDays: true,
} as const;

export function policyOf(c: {
  invitationsEnabled: boolean;
  invitationDelayDays: number;
  invitationExpiryDays: number;
  invitationFrequencyDays: number;
}): InvitationPolicy {
  return {
    enabled: c.invitationsEnabled,
    delayDays: c.invitationDelayDays,
    expiryDays: c.invitationExpiryDays,
    frequencyCapDays: c.invitationFrequencyDays,
  };
}

/**
 * Every invitation of the client that is not settled, brought up to date with the policy now
 * stored: dueAt from the latest delivery of its items, expiresAt, and the derived status. One
 * statement; returns how many invitations changed.
 */
async function rescheduleOpen(tx: Tx, clientId: string): Promise<number> {
  const reason = skipReasonSql({
    optOut: Prisma.sql`d.opt_out`,
    hasItems: Prisma.sql`d.last_delivery IS NOT NULL`,
    email: Prisma.sql`d.email`,
    enabled: Prisma.sql`p.enabled`,
  });
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    WITH p AS (${policySql(clientId)}),
    pending AS (
      SELECT ri.id, cu.opt_out, cu.email,
             (SELECT max(oi.delivery_date) FROM review_invitation_items x JOIN order_items oi ON oi.id = x.order_item_id
              WHERE x.invitation_id = ri.id) AS last_delivery,
             ri.due_at
      FROM review_invitations ri JOIN orders o ON o.id = ri.order_id JOIN customers cu ON cu.id = o.customer_id
      WHERE ri.client_id = ${clientId}::uuid AND NOT ri.settled
    ), wanted AS (
      SELECT d.id, t.due, t.due + make_interval(days => p.expiry) AS expires, r.reason
      FROM pending d CROSS JOIN p
        CROSS JOIN LATERAL (SELECT COALESCE(${dueSql(Prisma.sql`d.last_delivery`, Prisma.sql`p.delay`)}, d.due_at) AS due) t
        CROSS JOIN LATERAL (SELECT ${reason} AS reason) r
    ), changed AS (
      UPDATE review_invitations ri SET due_at = w.due, expires_at = w.expires, status = st.status, skip_reason = w.reason,
             settled = st.status = 'EXPIRED', updated_at = now()
      FROM wanted w CROSS JOIN LATERAL (SELECT ${statusSql(Prisma.sql`w.reason`, Prisma.sql`w.expires`)} AS status) st
      WHERE ri.id = w.id AND (ri.due_at, ri.expires_at, ri.status, ri.skip_reason)
        IS DISTINCT FROM (w.due, w.expires, st.status, w.reason)
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM changed`;
  return row.n;
}

/**
 * Updates the policy (fields not sent keep their value) and applies it to the open invitations
 * in the same transaction. Out-of-bounds numbers are a ValidationError and change nothing.
 */
export async function updateInvitationPolicy(
  db: Db,
  clientId: string,
  raw: unknown,
): Promise<{ policy: InvitationPolicy; rescheduled: number }> {
  const input = parseInput(policyInput, raw);
  return inTransaction(db, async (tx) => {
    const client = await tx.client.update({
      where: { id: clientId },
      data: {
        invitationsEnabled: input.enabled ?? undefined,
        invitationDelayDays: input.delayDays ?? undefined,
        invitationExpiryDays: input.expiryDays ?? undefined,
        invitationFrequencyDays: input.frequencyCapDays ?? undefined,
      },
      select: POLICY_SELECT,
    });
    return { policy: policyOf(client), rescheduled: await rescheduleOpen(tx, clientId) };
  });
}
