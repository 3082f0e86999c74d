// What each role gets from each root field: the one table test/access-matrix.test.ts enforces by
// calling every field through app.fetch with every role. A root field of Query, Mutation or
// Viewer that is missing here fails that test, so no field is open to a role by accident.
//   data             the field answers (for a mutation: its result union, success or typed error)
//   FORBIDDEN        a FORBIDDEN error for the field, and null
//   null             null and no error, as if the object did not exist (node of a type the role
//                    may not read)
//   UNAUTHENTICATED  HTTP 401 before any field runs (no key)

export type Outcome = 'data' | 'FORBIDDEN' | 'null' | 'UNAUTHENTICATED';
export const ROLES = ['none', 'STOREFRONT', 'SUPPORT', 'ADMIN'] as const;
export type RoleColumn = (typeof ROLES)[number];

type Row = readonly [none: Outcome, storefront: Outcome, support: Outcome, admin: Outcome];
const U = 'UNAUTHENTICATED';

// biome-ignore format: a matrix reads best aligned
export const ACCESS: Record<string, Row> = {
  //                               no key   STOREFRONT    SUPPORT      ADMIN
  'Query.viewer':                  [U,      'data',       'data',      'data'],
  'Query.product':                 [U,      'data',       'data',      'data'],
  'Query.products':                [U,      'data',       'data',      'data'],
  'Query.reviews':                 [U,      'data',       'data',      'data'],
  'Query.questions':               [U,      'data',       'data',      'data'],
  'Query.sellerReviews':           [U,      'data',       'data',      'data'],
  'Query.sellerRatingSummary':     [U,      'data',       'data',      'data'],
  'Query.node':                    [U,      'null',       'data',      'data'], // a Customer's id
  'Query.nodes':                   [U,      'null',       'data',      'data'], // a Customer's id
  'Query.order':                   [U,      'FORBIDDEN',  'data',      'data'],
  'Query.orders':                  [U,      'FORBIDDEN',  'data',      'data'],
  'Query.customer':                [U,      'FORBIDDEN',  'data',      'data'],
  'Query.customers':               [U,      'FORBIDDEN',  'data',      'data'],
  'Query.personalData':            [U,      'FORBIDDEN',  'data',      'data'],
  'Query.erasureRequest':          [U,      'FORBIDDEN',  'data',      'data'],
  'Query.erasureRequests':         [U,      'FORBIDDEN',  'data',      'data'],
  'Query.reviewInvitations':       [U,      'FORBIDDEN',  'data',      'data'],
  'Viewer.client':                 [U,      'data',       'data',      'data'],
  'Viewer.keyPrefix':              [U,      'data',       'data',      'data'],
  'Viewer.role':                   [U,      'data',       'data',      'data'],
  'Mutation.submitReview':         [U,      'data',       'FORBIDDEN', 'data'],
  'Mutation.askQuestion':          [U,      'data',       'FORBIDDEN', 'data'],
  'Mutation.submitSellerReview':   [U,      'data',       'FORBIDDEN', 'data'],
  'Mutation.moderateReview':       [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.moderateQuestion':     [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.moderateSellerReview': [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.answerQuestion':       [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.upsertProducts':       [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.upsertOrder':          [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.upsertOrders':         [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.cancelOrderItem':      [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.erasePersonalData':    [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.requestErasure':       [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.cancelErasure':        [U,      'FORBIDDEN',  'FORBIDDEN', 'data'],
  'Mutation.claimDueReviewInvitations':      [U, 'FORBIDDEN', 'FORBIDDEN', 'data'],
  'Mutation.markReviewInvitationsSent':      [U, 'FORBIDDEN', 'FORBIDDEN', 'data'],
  'Mutation.skipReviewInvitation':           [U, 'FORBIDDEN', 'FORBIDDEN', 'data'],
  'Mutation.updateReviewInvitationSettings': [U, 'FORBIDDEN', 'FORBIDDEN', 'data'],
};
