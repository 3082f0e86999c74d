// personalData(subject): everything the client holds about one person. ADMIN and SUPPORT keys.
// The matching rules are in personal-data.ts; this file only exposes them.
import { GraphQLError } from 'graphql';
import { ValidationError } from '../../platform/rules/errors.ts';
import { contentWhere, lookUpPerson, parseSubject, type Subject } from './personal-data.ts';
import { type Person, PERSON_LIMITS, PersonTooBroadError } from './person.ts';
import { builder } from '../../platform/graphql/builder.ts';

export const PersonalDataSubject = builder.inputType('PersonalDataSubject', {
  isOneOf: true,
  description: `Names one person by exactly one identifier (a @oneOf input: giving none or both is rejected before anything runs). The person is everything the client's data links to that identifier, followed until nothing new turns up: the customers with it and every customer sharing one of their e-mails; every review, question and seller review linked to one of those customers (directly, or through one of their orders or order items) or written under one of their e-mails; then the customers and e-mails that content points to, and so on. So a customer whose e-mail changed is found by the old e-mail too, through what was written under it. Bound: at most ${PERSON_LIMITS.customers} customer records and ${PERSON_LIMITS.emails} e-mail addresses, reached within ${PERSON_LIMITS.rounds} rounds of links; past it nothing is read or erased (PERSON_TOO_BROAD, or ErasureFailedError).`,
  fields: (t) => ({
    customerExternalId: t.string({
      description:
        "The merchant's customer id: the person is everything linked to that customer (its e-mails, the customers sharing them, their content, and what that content links to).",
    }),
    email: t.field({
      type: 'EmailAddress',
      description:
        'An e-mail address; case and surrounding spaces are ignored. The person is everything linked to it: the customers with it, all content written under it, and what those link to (also a customer who has since changed to another e-mail).',
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
  person: Person;
}

/** Content lists, oldest first. */
const contentList = (p: PersonalDataShape) => ({
  where: contentWhere(p.clientId, p.person),
  orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }],
  relationLoadStrategy: 'join' as const,
});

const PersonalData = builder.objectRef<PersonalDataShape>('PersonalData').implement({
  description:
    'Everything the client holds about one person (who that is: see PersonalDataSubject): its customers (with their orders) and every review, question and seller review linked to them or written under one of its e-mails. Every list is complete (not paged).',
  fields: (t) => ({
    customers: t.prismaField({
      type: ['Customer'],
      description: `The person's customer records, whatever e-mail they hold now, oldest first (at most ${PERSON_LIMITS.customers}, so the query cost prices this list at ${PERSON_LIMITS.customers}). Their orders are on \`Customer.orders\`.`,
      extensions: { listBound: { max: PERSON_LIMITS.customers } },
      resolve: (query, p, _args, ctx) =>
        ctx.db.customer.findMany({
          ...query,
          where: { clientId: p.clientId, id: { in: p.person.customerIds } },
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
    description: `All personal data of one person: everything linked to the subject through customers, e-mails, orders and content, followed until nothing new turns up (see PersonalDataSubject), read in one snapshot. Empty lists when nothing is held. A person past the bound (more than ${PERSON_LIMITS.customers} customer records or ${PERSON_LIMITS.emails} e-mail addresses, or links more than ${PERSON_LIMITS.rounds} rounds deep) is a PERSON_TOO_BROAD error. ADMIN and SUPPORT keys only.`,
    args: {
      subject: t.arg({
        type: PersonalDataSubject,
        required: true,
        description: 'The person: by customerExternalId or by email.',
      }),
    },
    resolve: async (_root, { subject }, ctx) => {
      const parsed = subjectArgument(subject, ['subject']);
      try {
        return { clientId: ctx.viewer.clientId, person: await lookUpPerson(ctx.db, ctx.viewer.clientId, parsed) };
      } catch (error) {
        if (!(error instanceof PersonTooBroadError)) throw error;
        throw new GraphQLError(error.message, { extensions: { code: error.code } });
      }
    },
  }),
);
