// Reading invitations (staff lists, Order.reviewInvitation): the status a reader sees and the
// list filter. No GraphQL here.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { ReviewInvitationStatus } from '../../generated/prisma/enums.ts';

/**
 * The status as readers see it: a SCHEDULED invitation past its expiry is EXPIRED (the next
 * claim records it so), so lists and filters never show one that can no longer be sent as due.
 */
export function shownStatus(
  row: { status: ReviewInvitationStatus; expiresAt: Date },
  now: Date = new Date(),
): ReviewInvitationStatus {
  return row.status === 'SCHEDULED' && row.expiresAt <= now ? 'EXPIRED' : row.status;
}

export interface InvitationFilter {
  status?: ReviewInvitationStatus | null;
  dueBefore?: Date | null;
  dueAfter?: Date | null;
  customerExternalId?: string | null;
}

function statusWhere(status: ReviewInvitationStatus, now: Date): Prisma.ReviewInvitationWhereInput {
  if (status === 'SCHEDULED') return { status, expiresAt: { gt: now } };
  if (status === 'EXPIRED') return { OR: [{ status }, { status: 'SCHEDULED', expiresAt: { lte: now } }] };
  return { status };
}

/** Where of a list: the client, and the filter's conditions (AND), statuses as shownStatus says. */
export function invitationWhere(
  clientId: string,
  filter: InvitationFilter | null | undefined,
  now: Date = new Date(),
): Prisma.ReviewInvitationWhereInput {
  const f = filter ?? {};
  const dueAt: Prisma.DateTimeFilter = {};
  if (f.dueBefore != null) dueAt.lt = f.dueBefore;
  if (f.dueAfter != null) dueAt.gt = f.dueAfter;
  return {
    clientId,
    ...(Object.keys(dueAt).length ? { dueAt } : {}),
    ...(f.customerExternalId != null ? { order: { customer: { externalId: f.customerExternalId } } } : {}),
    ...(f.status != null ? { AND: [statusWhere(f.status, now)] } : {}),
  };
}
