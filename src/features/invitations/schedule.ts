// Keeping invitations up to date with the orders, in the transaction of the order write
// (upsertOrder, upsertOrders, cancelOrderItem), in one set-based statement whatever the batch size.
//
// An order gets its invitation when it first has an eligible item: reviewable, not cancelled and
// delivered (has a delivery date). While the invitation is not settled (not sent, expired or
// skipped for good):
//   - its items are the order's eligible items (a new one joins, a cancelled one leaves);
//   - dueAt = latest delivery date of those items + the policy's delay, expiresAt = dueAt + the
//     policy's expiry (a later delivery date moves both);
//   - its status is derived (derived-status.ts): SKIPPED when the customer opted out, no eligible
//     item is left, the customer has no e-mail or the policy is off; else SCHEDULED, or EXPIRED
//     once past expiresAt (an order sent long after its delivery is never invited).
// Opting out (or giving an e-mail) applies to every open invitation of the customer, not only to
// the orders of the request. A settled invitation is left as it is.
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../platform/db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { dueSql, policySql, skipReasonSql, statusSql } from './derived-status.ts';

export interface ScheduleScope {
  /** Orders written by the request: their invitations are created or brought up to date. */
  orderIds: string[];
  /** Customers whose opt-out or e-mail the request sent: their other open invitations follow. */
  customerIds: string[];
}

function syncSql(clientId: string, scope: ScheduleScope): Prisma.Sql {
  const client = Prisma.sql`${clientId}::uuid`;
  const orders = Prisma.sql`${scope.orderIds}::uuid[]`;
  const newIds = scope.orderIds.map(() => uuidv7());
  const batchReason = skipReasonSql({
    optOut: Prisma.sql`cu.opt_out`,
    hasItems: Prisma.sql`w.last_delivery IS NOT NULL`,
    email: Prisma.sql`cu.email`,
    enabled: Prisma.sql`p.enabled`,
  });
  const otherReason = skipReasonSql({
    optOut: Prisma.sql`cu.opt_out`,
    hasItems: Prisma.sql`EXISTS (SELECT 1 FROM review_invitation_items x WHERE x.invitation_id = ri2.id)`,
    email: Prisma.sql`cu.email`,
    enabled: Prisma.sql`p.enabled`,
  });
  return Prisma.sql`
    WITH p AS (${policySql(clientId)}),
    batch AS (SELECT b.order_id, b.new_id FROM unnest(${orders}, ${newIds}::uuid[]) AS b(order_id, new_id)),
    cand AS (
      SELECT i.order_id, i.id AS item_id, i.delivery_date FROM order_items i
      WHERE i.order_id = ANY(${orders}) AND i.reviewable AND i.cancelled_at IS NULL AND i.delivery_date IS NOT NULL
    ), wanted AS (
      SELECT b.order_id, b.new_id, o.customer_id,
             (SELECT max(c.delivery_date) FROM cand c WHERE c.order_id = b.order_id) AS last_delivery
      FROM batch b JOIN orders o ON o.id = b.order_id
    ), state AS (
      SELECT w.order_id, w.new_id, d.due, d.due + make_interval(days => p.expiry) AS expires, r.reason
      FROM wanted w
        JOIN customers cu ON cu.id = w.customer_id
        CROSS JOIN p
        LEFT JOIN review_invitations cur ON cur.order_id = w.order_id
        CROSS JOIN LATERAL (SELECT COALESCE(${dueSql(Prisma.sql`w.last_delivery`, Prisma.sql`p.delay`)}, cur.due_at) AS due) d
        CROSS JOIN LATERAL (SELECT ${batchReason} AS reason) r
      WHERE w.last_delivery IS NOT NULL OR NOT cur.settled
    ), upserted AS (
      INSERT INTO review_invitations AS ri (id, client_id, order_id, status, skip_reason, settled, due_at, expires_at,
                                            created_at, updated_at)
      SELECT s.new_id, ${client}, s.order_id, st.status, s.reason, st.status = 'EXPIRED', s.due, s.expires, now(), now()
      FROM state s CROSS JOIN LATERAL (SELECT ${statusSql(Prisma.sql`s.reason`, Prisma.sql`s.expires`)} AS status) st
      ORDER BY s.order_id
      ON CONFLICT (order_id) DO UPDATE SET
        status = EXCLUDED.status, skip_reason = EXCLUDED.skip_reason, settled = EXCLUDED.settled,
        due_at = EXCLUDED.due_at, expires_at = EXCLUDED.expires_at, updated_at = now()
      WHERE NOT ri.settled AND (ri.status, ri.skip_reason, ri.due_at, ri.expires_at)
        IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.skip_reason, EXCLUDED.due_at, EXCLUDED.expires_at)
      RETURNING ri.id, ri.order_id
    ), targets AS (
      SELECT id, order_id FROM upserted
      UNION
      SELECT id, order_id FROM review_invitations WHERE order_id = ANY(${orders}) AND NOT settled
    ), dropped AS (
      DELETE FROM review_invitation_items x USING targets t
      WHERE x.invitation_id = t.id AND NOT EXISTS (SELECT 1 FROM cand c WHERE c.item_id = x.order_item_id)
    ), added AS (
      INSERT INTO review_invitation_items (invitation_id, order_item_id, created_at)
      SELECT t.id, c.item_id, now() FROM targets t JOIN cand c ON c.order_id = t.order_id
      ORDER BY 1, 2
      ON CONFLICT DO NOTHING
    ), others AS (
      UPDATE review_invitations ri SET status = x.status, skip_reason = x.reason, settled = x.status = 'EXPIRED',
                                       updated_at = now()
      FROM (
        SELECT ri2.id, r.reason, ${statusSql(Prisma.sql`r.reason`, Prisma.sql`ri2.expires_at`)} AS status
        FROM review_invitations ri2
          JOIN orders o ON o.id = ri2.order_id
          JOIN customers cu ON cu.id = o.customer_id
          CROSS JOIN p
          CROSS JOIN LATERAL (SELECT ${otherReason} AS reason) r
        WHERE o.client_id = ${client} AND o.customer_id = ANY(${scope.customerIds}::uuid[])
          AND o.id <> ALL(${orders}) AND NOT ri2.settled AND ri2.expires_at > now()
      ) x
      WHERE ri.id = x.id AND (ri.status, ri.skip_reason) IS DISTINCT FROM (x.status, x.reason)
    )
    SELECT count(*)::int AS n FROM upserted`;
}

/**
 * Brings the invitations of the scope's orders (and the open invitations of its customers) up to
 * date with what the transaction wrote: one statement. Call it after the orders and items are
 * written, inside their transaction, so a failed write leaves the invitations as they were.
 */
export async function scheduleInvitations(tx: Tx, clientId: string, scope: ScheduleScope): Promise<void> {
  if (scope.orderIds.length === 0 && scope.customerIds.length === 0) return;
  await tx.$queryRaw(syncSql(clientId, scope));
}
