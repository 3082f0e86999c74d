// What the Review, Question and SellerReview types share: the AuthoredContent interface,
// moderation enums, sort orders, and global-id decoding for mutation targets.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { visibleById } from './content.ts';
import type { ReviewStatus } from '../../generated/prisma/enums.ts';
import type { Context } from '../../platform/graphql/context.ts';
import { builder } from '../../platform/graphql/builder.ts';

export const ModerationStatusEnum = builder.enumType('ModerationStatus', {
  description: 'Moderation state. New items start PENDING; STOREFRONT keys only ever see PUBLISHED items.',
  values: {
    PENDING: { description: 'Submitted, waiting for the merchant.' },
    PUBLISHED: { description: 'Approved: visible on the storefront and counted in rating summaries.' },
    REJECTED: { description: 'Refused by the merchant: never shown on the storefront.' },
  } as const,
});

export const ModerationActionEnum = builder.enumType('ModerationAction', {
  description: 'What a moderate… mutation does with an item.',
  values: {
    PUBLISH: { description: 'Set the status to PUBLISHED.' },
    REJECT: { description: 'Set the status to REJECTED.' },
  } as const,
});

const TIME_ORDERS = {
  NEWEST: { description: 'Most recent first.' },
  OLDEST: { description: 'Oldest first.' },
} as const;

const ReviewOrderEnum = builder.enumType('ReviewOrder', {
  description: 'Sort order of a review list. A cursor is valid only with the order it was made with.',
  values: {
    ...TIME_ORDERS,
    HIGHEST_RATING: { description: 'Highest rating first; newest first among equal ratings.' },
    LOWEST_RATING: { description: 'Lowest rating first; newest first among equal ratings.' },
  } as const,
});

const QuestionOrderEnum = builder.enumType('QuestionOrder', {
  description: 'Sort order of a question list. A cursor is valid only with the order it was made with.',
  values: TIME_ORDERS,
});

function orderArgs(type: typeof ReviewOrderEnum | typeof QuestionOrderEnum) {
  return builder.args((t) => ({
    orderBy: t.field({
      type: type as typeof ReviewOrderEnum,
      defaultValue: 'NEWEST',
      required: true,
      description: 'Sort order; NEWEST by default.',
    }),
  }));
}

/**
 * The `orderBy` argument, per kind of list. What each order sorts by is in the connection table of
 * platform/graphql/cursors.ts (CONNECTIONS), which the lists and their cursors share.
 */
export const SORTS = {
  /** Reviews and seller reviews: by time or by rating. */
  rating: { args: orderArgs(ReviewOrderEnum) },
  /** Questions: by time. */
  time: { args: orderArgs(QuestionOrderEnum) },
};
export type Sort = (typeof SORTS)[keyof typeof SORTS];

interface Authored {
  title: string;
  content: string;
  authorNick: string;
  authorEmail: string;
  status: ReviewStatus;
  createdAt: Date;
  updatedAt: Date;
}

export const AuthoredContent = builder.interfaceRef<Authored>('AuthoredContent').implement({
  description: 'Something a shopper wrote and the merchant moderates: a Review, a Question or a SellerReview.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Headline, 1–150 characters.' }),
    content: t.exposeString('content', { description: 'Body text, 1–5000 characters.' }),
    authorNick: t.exposeString('authorNick', { description: 'Public name the author chose.' }),
    authorEmail: t.expose('authorEmail', {
      type: 'EmailAddress',
      nullable: true,
      authScopes: { staff: true },
      description:
        "The author's e-mail (trimmed, lower-cased). Personal data: ADMIN and SUPPORT keys only; a STOREFRONT key that asks gets a FORBIDDEN error and null.",
    }),
    status: t.expose('status', { type: ModerationStatusEnum, description: 'Moderation state.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was submitted.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed (moderation, answer).' }),
  }),
});

/**
 * Options shared by the Review, Question and SellerReview node types: global id, the
 * AuthoredContent interface, and node(id) scoped to the client and to what the role may see.
 */
export function contentNode(description: string) {
  return {
    description,
    id: { field: 'id' as const },
    nullable: true as const,
    interfaces: [AuthoredContent],
    findUnique: (id: string, ctx: Context) => visibleById(id, ctx.viewer.clientId, ctx.viewer.role),
  };
}

/**
 * `verified` as the caller may see it: STOREFRONT keys get the stored value on PUBLISHED items
 * only, false before, so a submission's answer is the same whether or not its order verified the
 * author (no purchase oracle); ADMIN and SUPPORT keys always get the stored value.
 */
export function shownVerified(item: { verified: boolean; status: ReviewStatus }, _args: unknown, ctx: Context) {
  return ctx.viewer.role === 'STOREFRONT' && item.status !== 'PUBLISHED' ? false : item.verified;
}

/** What the `verified` fields say about who sees them. */
export const VERIFIED_SHOWN =
  'STOREFRONT keys see it only once the item is PUBLISHED (false before, whatever was verified), so submitting with an e-mail and an order number tells nobody whether that person bought anything; ADMIN and SUPPORT keys always see it.';

/** The linked customer: staff only (a STOREFRONT key gets FORBIDDEN and null). */
export function staffCustomer(t: { relation: (name: 'customer', options: any) => any }, description: string) {
  return t.relation('customer', {
    nullable: true,
    authScopes: { staff: true },
    description: `${description} ADMIN and SUPPORT keys only.`,
  });
}

/**
 * The database id behind a global id of `typename`. A malformed id, or one of another type,
 * becomes an id that matches nothing, so the mutation answers NotFoundError.
 */
export function localId(globalId: string, typename: string): string {
  try {
    const decoded = decodeGlobalID(globalId);
    return decoded.typename === typename ? decoded.id : '';
  } catch {
    return '';
  }
}
