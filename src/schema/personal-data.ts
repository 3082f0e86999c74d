// personalData(subject): everything the client holds about one person. ADMIN and SUPPORT keys.
// The matching rules are in domain/personal-data.ts; this file only exposes them.
import { GraphQLError } from 'graphql';
import { ValidationError } from '../domain/errors.ts';
import {
  contentWhere,
  keysOf,
  matchSubject,
  parseSubject,
  type Subject,
  type SubjectMatch,
} from '../domain/personal-data.ts';
import { builder } from './builder.ts';

export const PersonalDataSubject = builder.inputType('PersonalDataSubject', {
  isOneOf: true,
  description:
    'Names one person, by exactly one of its fields (a @oneOf input: giving none or both is rejected before anything runs).',
  fields: (t) => ({
    customerExternalId: t.string({
      description:
        "The merchant's customer id. Also covers the customers sharing that customer's e-mail, and content written under it.",
    }),
    email: t.field({
      type: 'EmailAddress',
      description:
        'An e-mail address; case and surrounding spaces are ignored. Covers every customer with it and all content written under it.',
    }),
  }),
});

/** The subject of a query argument; a value the rules reject is a BAD_USER_INPUT error. */
export function subjectArgument(raw: unknown, path: string[]): Subject {
  try {
    return parseSubject(raw, path);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', fieldErrors: error.fieldErrors } });
  }
}

interface PersonalDataShape {
  clientId: string;
  match: SubjectMatch;
}

/** Content lists, oldest first. */
const contentList = (p: PersonalDataShape) => ({
  where: contentWhere(p.clientId, p.match),
  orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }],
  relationLoadStrategy: 'join' as const,
});

const PersonalData = builder.objectRef<PersonalDataShape>('PersonalData').implement({
  description:
    'Everything the client holds about one person: the matching customers (with their orders) and every review, question and seller review linked to them or written under their e-mail. Every list is complete (not paged).',
  fields: (t) => ({
    customers: t.prismaField({
      type: ['Customer'],
      description: 'Customers with the externalId or the e-mail, oldest first. Their orders are on `Customer.orders`.',
      resolve: (query, p, _args, ctx) =>
        ctx.db.customer.findMany({
          ...query,
          where: { clientId: p.clientId, id: { in: p.match.customerIds } },
          orderBy: { id: 'asc' },
          relationLoadStrategy: 'join',
        }),
    }),
    reviews: t.prismaField({
      type: ['Review'],
      description: 'Product reviews of the person (verified and not, every status), oldest first.',
      resolve: (query, p, _args, ctx) => ctx.db.review.findMany({ ...query, ...contentList(p) }),
    }),
    questions: t.prismaField({
      type: ['Question'],
      description: 'Product questions of the person (every status), oldest first.',
      resolve: (query, p, _args, ctx) => ctx.db.question.findMany({ ...query, ...contentList(p) }),
    }),
    sellerReviews: t.prismaField({
      type: ['SellerReview'],
      description: 'Seller reviews of the person (verified and not, every status), oldest first.',
      resolve: (query, p, _args, ctx) => ctx.db.sellerReview.findMany({ ...query, ...contentList(p) }),
    }),
  }),
});

builder.queryField('personalData', (t) =>
  t.field({
    type: PersonalData,
    authScopes: { staff: true },
    description:
      'All personal data of one person, found through the customer link and through the author e-mail (case and spaces ignored). Empty lists when nothing is held. ADMIN and SUPPORT keys only.',
    args: {
      subject: t.arg({
        type: PersonalDataSubject,
        required: true,
        description: 'The person: by customerExternalId or by email.',
      }),
    },
    resolve: async (_root, { subject }, ctx) => {
      const parsed = subjectArgument(subject, ['subject']);
      return { clientId: ctx.viewer.clientId, match: await matchSubject(ctx.db, ctx.viewer.clientId, keysOf(parsed)) };
    },
  }),
);
