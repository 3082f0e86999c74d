// Customer rules that do not need GraphQL.

export type CustomerStatus = 'PROSPECT' | 'ACQUIRED' | 'REPEAT';

/** PROSPECT: no order yet; ACQUIRED: exactly one order; REPEAT: two or more. */
export function customerStatus(orderCount: number): CustomerStatus {
  if (orderCount <= 0) return 'PROSPECT';
  return orderCount === 1 ? 'ACQUIRED' : 'REPEAT';
}

/** An item may be used to invite its buyer to review it. */
export function reviewInvitationEligible(item: {
  reviewable: boolean;
  cancelledAt: Date | null;
  deliveryDate: Date | null;
  customerOptOut: boolean;
}): boolean {
  return item.reviewable && item.cancelledAt === null && item.deliveryDate !== null && !item.customerOptOut;
}
