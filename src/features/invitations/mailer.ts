// The mailer loop, for the merchant's mailer processes (ADMIN keys), any number of them at once:
//   claimDueInvitations  hands out due SCHEDULED invitations, each to one caller only, leased for
//                        REVIEW_INVITATION_LEASE_MS, with a review link per item not yet reviewed;
//   markInvitationsSent  records that the mails went out (SENT, final);
//   skipInvitation       gives one up with a reason (SKIPPED, final).
// A lease that runs out unconfirmed returns the invitation to the pool: the next claim hands it
// out again (with new links; the old ones stay valid until their own expiry).
//
// No invitation is handed to two callers: a claim locks the rows it takes with FOR UPDATE SKIP
// LOCKED, so a concurrent claim takes other rows, and it leases them before committing, so a later
// claim does not see them as free. With a frequency cap, the customers of the candidates are
// locked too (before the invitations, in the order order writes lock them), so two claims never
// decide about one customer at the same time.
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { NotFoundError, parseInput, ValidationError } from '../../platform/rules/errors.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { REASON_TYPE, STATUS_TYPE } from './derived-status.ts';
import { issueReviewToken } from './review-links.ts';

export const MAX_CLAIM = 500;
const DAY_MS = 86_400_000;

export const SKIP_REASONS = [
  'OPTED_OUT',
  'ITEMS_CANCELLED',
  'ALREADY_REVIEWED',
  'FREQUENCY_CAP',
  'POLICY_OFF',
  'ERASED',
  'NO_EMAIL',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface IssuedLink {
  token: string;
  expiresAt: Date;
}

export interface ClaimResult {
  /** The invitations leased to the caller, oldest due first. */
  ids: string[];
  /** Until when they are the caller's; null when none was claimed. */
  leasedUntil: Date | null;
  /** Review links of their items not reviewed yet, by order item id. */
  links: Map<string, IssuedLink>;
  /** Due invitations this claim skipped for good (ALREADY_REVIEWED, FREQUENCY_CAP). */
  skipped: number;
  /** Invitations this claim found past their expiry (now EXPIRED). */
  expired: number;
}

/** Test seam: runs inside the claim's transaction once it holds its candidates' locks. */
export interface ClaimHooks {
  afterLock?(tx: Tx, ids: string[]): Promise<void>;
}

const claimInput = z.object({
  limit: z
    .number({ error: `must be a whole number from 1 to ${MAX_CLAIM}` })
    .int(`must be a whole number from 1 to ${MAX_CLAIM}`)
    .min(1, `must be a whole number from 1 to ${MAX_CLAIM}`)
    .max(MAX_CLAIM, `must be a whole number from 1 to ${MAX_CLAIM}`),
});

interface Candidate {
  id: string;
  customerId: string;
}

/** Due, free SCHEDULED invitations of the client (a lease that ran out is free), oldest due first. */
function dueSql(clientId: string, limit: number, lock: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT ri.id, o.customer_id AS "customerId"
    FROM review_invitations ri JOIN orders o ON o.id = ri.order_id
    WHERE ri.client_id = ${clientId}::uuid AND ri.status = 'SCHEDULED' AND ri.due_at <= now() AND ri.expires_at > now()
      AND (ri.leased_until IS NULL OR ri.leased_until <= now())
    ORDER BY ri.due_at, ri.id
    LIMIT ${limit}
    ${lock ? Prisma.sql`FOR UPDATE OF ri SKIP LOCKED` : Prisma.empty}`;
}

/**
 * The candidates, locked. Without a frequency cap: due rows FOR UPDATE SKIP LOCKED (a concurrent
 * claim gets the next ones). With one: the candidates' customers are locked first (waiting for a
 * concurrent claim or order write that holds them), then the candidates still free are locked.
 */
async function lockCandidates(tx: Tx, clientId: string, limit: number, capped: boolean): Promise<Candidate[]> {
  if (!capped) return tx.$queryRaw<Candidate[]>(dueSql(clientId, limit, true));
  const seen = await tx.$queryRaw<Candidate[]>(dueSql(clientId, limit, false));
  if (seen.length === 0) return [];
  await tx.$queryRaw`SELECT id FROM customers WHERE id = ANY(${[...new Set(seen.map((c) => c.customerId))]}::uuid[])
    ORDER BY id FOR UPDATE`;
  return tx.$queryRaw<Candidate[]>`
    SELECT ri.id, o.customer_id AS "customerId"
    FROM review_invitations ri JOIN orders o ON o.id = ri.order_id
    WHERE ri.id = ANY(${seen.map((c) => c.id)}::uuid[]) AND ri.status = 'SCHEDULED' AND ri.due_at <= now()
      AND ri.expires_at > now() AND (ri.leased_until IS NULL OR ri.leased_until <= now())
    FOR UPDATE OF ri SKIP LOCKED`;
}

/**
 * Leases the candidates that are still worth a mail and skips the others for good: every item
 * reviewed already (through its link or verified by e-mail and order number) → ALREADY_REVIEWED;
 * with a cap of N days, another invitation of the customer sent within N days, leased now, or
 * earlier due in this claim → FREQUENCY_CAP.
 */
function decideSql(clientId: string, ids: string[], capDays: number, leaseMs: number): Prisma.Sql {
  return Prisma.sql`
    WITH inv AS (
      SELECT ri.id, o.customer_id, ri.due_at,
        NOT EXISTS (SELECT 1 FROM review_invitation_items x WHERE x.invitation_id = ri.id AND x.link_used_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_item_id = x.order_item_id)) AS reviewed,
        ${capDays}::int > 0 AND EXISTS (
          SELECT 1 FROM review_invitations r2 JOIN orders o2 ON o2.id = r2.order_id
          WHERE o2.customer_id = o.customer_id AND r2.client_id = ${clientId}::uuid AND r2.id <> ri.id
            AND (r2.sent_at > now() - make_interval(days => ${capDays}::int)
                 OR (r2.status = 'SCHEDULED' AND r2.leased_until > now()))) AS recent
      FROM review_invitations ri JOIN orders o ON o.id = ri.order_id
      WHERE ri.id = ANY(${ids}::uuid[])
    ), ranked AS (
      SELECT inv.*, row_number() OVER (PARTITION BY customer_id, reviewed ORDER BY due_at, id) AS nth FROM inv
    ), decided AS (
      SELECT id, (CASE WHEN reviewed THEN 'ALREADY_REVIEWED'
                       WHEN ${capDays}::int > 0 AND (recent OR nth > 1) THEN 'FREQUENCY_CAP' END)::${REASON_TYPE} AS reason
      FROM ranked
    )
    UPDATE review_invitations ri SET
      status = (CASE WHEN d.reason IS NULL THEN 'SCHEDULED' ELSE 'SKIPPED' END)::${STATUS_TYPE},
      skip_reason = d.reason,
      settled = d.reason IS NOT NULL,
      claimed_at = CASE WHEN d.reason IS NULL THEN now() ELSE ri.claimed_at END,
      leased_until = CASE WHEN d.reason IS NULL THEN now() + make_interval(secs => ${leaseMs / 1000}::float8) END,
      updated_at = now()
    FROM decided d
    WHERE ri.id = d.id
    RETURNING ri.id, ri.due_at AS "dueAt", d.reason IS NULL AS leased, ri.leased_until AS "leasedUntil"`;
}

/**
 * Claims up to `limit` (1–500) due invitations for the caller, in one transaction: expires those
 * past their expiry, locks the candidates, decides (lease or skip), and issues a review link for
 * every item not reviewed yet, valid for the policy's expiry in days.
 */
export async function claimDueInvitations(
  db: Db,
  clientId: string,
  raw: unknown,
  options: { leaseMs: number; hooks?: ClaimHooks },
): Promise<ClaimResult> {
  const { limit } = parseInput(claimInput, raw);
  return inTransaction(db, async (tx) => {
    const [policy] = await tx.$queryRaw<{ enabled: boolean; expiry: number; cap: number; secret: string; now: Date }[]>`
      SELECT invitations_enabled AS enabled, invitation_expiry_days AS expiry, invitation_frequency_days AS cap,
             erasure_secret AS secret, now() AS now
      FROM clients WHERE id = ${clientId}::uuid`;
    // due_at <= now() is implied (expires_at follows due_at) and keeps the scan to the due rows of the claim's index.
    const expired = await tx.$executeRaw`
      UPDATE review_invitations SET status = 'EXPIRED', settled = true, leased_until = NULL, updated_at = now()
      WHERE id IN (
        SELECT id FROM review_invitations
        WHERE client_id = ${clientId}::uuid AND status = 'SCHEDULED' AND due_at <= now() AND expires_at <= now()
          AND (leased_until IS NULL OR leased_until <= now())
        FOR UPDATE SKIP LOCKED)`;
    const none: ClaimResult = { ids: [], leasedUntil: null, links: new Map(), skipped: 0, expired };
    if (!policy.enabled) return none;
    const candidates = await lockCandidates(tx, clientId, limit, policy.cap > 0);
    await options.hooks?.afterLock?.(
      tx,
      candidates.map((c) => c.id),
    );
    if (candidates.length === 0) return none;
    const decided = await tx.$queryRaw<{ id: string; dueAt: Date; leased: boolean; leasedUntil: Date | null }[]>(
      decideSql(
        clientId,
        candidates.map((c) => c.id),
        policy.cap,
        options.leaseMs,
      ),
    );
    const leased = decided
      .filter((d) => d.leased)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : 1));
    const result: ClaimResult = {
      ids: leased.map((d) => d.id),
      leasedUntil: leased[0]?.leasedUntil ?? null,
      links: new Map(),
      skipped: decided.length - leased.length,
      expired,
    };
    if (leased.length === 0) return result;
    const open = await tx.$queryRaw<{ orderItemId: string }[]>`
      SELECT x.order_item_id AS "orderItemId" FROM review_invitation_items x
      WHERE x.invitation_id = ANY(${result.ids}::uuid[]) AND x.link_used_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_item_id = x.order_item_id)`;
    // Whole seconds: what the token carries.
    const expiresAt = new Date(Math.floor((policy.now.getTime() + policy.expiry * DAY_MS) / 1000) * 1000);
    for (const { orderItemId } of open) {
      result.links.set(orderItemId, { token: issueReviewToken(policy.secret, orderItemId, expiresAt), expiresAt });
    }
    return result;
  });
}

/** The ids as given, with those that cannot be invitation ids replaced by one no row has. */
function asUuids(ids: string[]): string[] {
  return ids.map((id) => (UUID.test(id) ? id : '00000000-0000-0000-0000-000000000000'));
}

const markInput = z.object({
  ids: z.array(z.string()).min(1, 'send at least one id').max(MAX_CLAIM, `at most ${MAX_CLAIM} ids per call`),
});

/**
 * Records that the mails of these invitations went out: each becomes SENT (final, sentAt now).
 * Only invitations handed out by a claim can be marked (whatever happened to them since: the mail
 * went out); marking a SENT one again changes nothing. An unknown id (or another client's) is a
 * NotFoundError, one never claimed a ValidationError; either way nothing is marked.
 */
export async function markInvitationsSent(
  db: Db,
  clientId: string,
  raw: unknown,
): Promise<{ ids: string[]; newlySent: number }> {
  const { ids } = parseInput(markInput, raw);
  const uuids = asUuids(ids);
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; status: string; claimed: boolean }[]>`
      SELECT id, status::text AS status, claimed_at IS NOT NULL AS claimed FROM review_invitations
      WHERE client_id = ${clientId}::uuid AND id = ANY(${uuids}::uuid[])
      ORDER BY id FOR UPDATE`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = uuids.flatMap((id, i) => (byId.has(id) ? [] : [i]));
    if (missing.length) {
      throw new NotFoundError(
        `No review invitation with the id at ${missing.map((i) => `input.ids.${i}`).join(', ')}; nothing was marked.`,
      );
    }
    const unclaimed = uuids.flatMap((id, i) => (byId.get(id)!.claimed ? [] : [i]));
    if (unclaimed.length) {
      throw new ValidationError(
        unclaimed.map((i) => ({
          path: ['input', 'ids', String(i)],
          message: `was never claimed (it is ${byId.get(uuids[i])!.status}): only invitations handed out by claimDueReviewInvitations can be marked sent`,
        })),
      );
    }
    const newlySent = await tx.$executeRaw`
      UPDATE review_invitations SET status = 'SENT', skip_reason = NULL, settled = true, sent_at = now(),
             leased_until = NULL, updated_at = now()
      WHERE id = ANY(${uuids}::uuid[]) AND status <> 'SENT'`;
    return { ids: [...new Set(uuids)], newlySent };
  });
}

const skipInput = z.object({ id: z.string(), reason: z.enum(SKIP_REASONS) });

/**
 * Gives up one invitation that was not sent: SKIPPED with the reason, final (order writes no
 * longer change it). Skipping a settled SKIPPED one again changes nothing (its first reason
 * stays). SENT or EXPIRED: ValidationError; unknown id: NotFoundError.
 */
export async function skipInvitation(db: Db, clientId: string, raw: unknown): Promise<{ id: string }> {
  const input = parseInput(skipInput, raw);
  const [id] = asUuids([input.id]);
  return inTransaction(db, async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string; settled: boolean; expired: boolean }[]>`
      SELECT status::text AS status, settled, expires_at <= now() AS expired FROM review_invitations
      WHERE client_id = ${clientId}::uuid AND id = ${id}::uuid FOR UPDATE`;
    if (!row) throw new NotFoundError('No review invitation with this id.');
    const shown = row.status === 'SCHEDULED' && row.expired ? 'EXPIRED' : row.status;
    if (shown === 'SENT' || shown === 'EXPIRED') {
      throw new ValidationError([
        { path: ['input', 'id'], message: `is ${shown}: only an invitation not sent yet can be skipped` },
      ]);
    }
    if (row.settled) return { id };
    await tx.$executeRaw`
      UPDATE review_invitations SET status = 'SKIPPED', skip_reason = ${input.reason}::${REASON_TYPE}, settled = true,
             leased_until = NULL, updated_at = now()
      WHERE id = ${id}::uuid`;
    return { id };
  });
}
