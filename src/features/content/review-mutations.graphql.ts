// submitReview, askQuestion, submitSellerReview (STOREFRONT and ADMIN keys), moderateReview,
// moderateQuestion, moderateSellerReview and answerQuestion (ADMIN keys). SUPPORT keys write
// nothing. Each is `name(input: NameInput!): NameResult!`; the rules live in domain/.
import type { FieldMap, InputFieldMap, InputObjectRef } from '@pothos/core';
import type { Context } from '../../platform/graphql/context.ts';
import type { Db } from '../../platform/db/client.ts';
import { MAX_CONTENT, MAX_NICK, MAX_TITLE, moderate } from './content.ts';
import { answerQuestion, askQuestion } from './questions.ts';
import { submitReview } from './reviews.ts';
import { submitSellerReview } from './seller-reviews.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { localId, ModerationActionEnum } from './content.graphql.ts';
import { writeResult } from '../../platform/graphql/errors.ts';

type Types = typeof builder.$inferSchemaTypes;
type Written = { id: string };

/** What submissions tell a STOREFRONT key (the `verified` field rule: content.graphql.ts shownVerified). */
const SAME_ANSWER =
  'What a STOREFRONT key gets back is the same whether or not the order verifies the author (PENDING, `verified` false, no customer): it cannot learn who bought what. `verified` shows on the storefront once the merchant publishes the item; ADMIN keys see it at once.';

/** Who may submit shopper content: STOREFRONT and ADMIN keys, not SUPPORT. */
const submitters = (_root: unknown, _args: unknown, ctx: Context) => ctx.viewer.role !== 'SUPPORT';

/** Registers `name(input): NameResult!` with `NameSuccess { <payload> }` and the write errors. */
function contentMutation(
  name: string,
  options: {
    description: string;
    success: string;
    input: InputObjectRef<Types, any>;
    adminOnly: boolean;
    payload: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Written>) => FieldMap;
    run: (db: Db, clientId: string, input: any) => Promise<Written>;
  },
) {
  const Name = name[0].toUpperCase() + name.slice(1);
  const Success = builder.objectRef<Written>(`${Name}Success`).implement({
    description: options.success,
    fields: options.payload,
  });
  builder.mutationField(name, (t) =>
    t.field({
      type: Success,
      description: options.description,
      authScopes: options.adminOnly ? { admin: true } : submitters,
      errors: writeResult(Name),
      args: { input: t.arg({ type: options.input, required: true, description: 'What to write.' }) },
      resolve: (_root, { input }, ctx) => options.run(ctx.db, ctx.viewer.clientId, input),
    }),
  );
}

// ---- Payloads: the written item, read back with the caller's selection ----------------------

const reviewPayload = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Written>) => ({
  review: t.prismaField({
    type: 'Review',
    description: 'The review as stored now.',
    resolve: (query, r, _args, ctx) => ctx.db.review.findUniqueOrThrow({ ...query, where: { id: r.id } }),
  }),
});

const questionPayload = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Written>) => ({
  question: t.prismaField({
    type: 'Question',
    description: 'The question as stored now.',
    resolve: (query, r, _args, ctx) => ctx.db.question.findUniqueOrThrow({ ...query, where: { id: r.id } }),
  }),
});

const sellerReviewPayload = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Written>) => ({
  sellerReview: t.prismaField({
    type: 'SellerReview',
    description: 'The seller review as stored now.',
    resolve: (query, r, _args, ctx) => ctx.db.sellerReview.findUniqueOrThrow({ ...query, where: { id: r.id } }),
  }),
});

// ---- Submissions ------------------------------------------------------------------------

/** Input fields every submission has. */
function authoredFields(t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>): InputFieldMap {
  return {
    title: t.string({ required: true, description: `Headline, 1–${MAX_TITLE} characters (trimmed).` }),
    content: t.string({ required: true, description: `Body text, 1–${MAX_CONTENT} characters (trimmed).` }),
    authorNick: t.string({ required: true, description: `Public name shown with it, 1–${MAX_NICK} characters.` }),
    authorEmail: t.string({
      required: true,
      description:
        'Author e-mail; stored trimmed and lower-cased, never shown to STOREFRONT keys. An invalid address is a ValidationError.',
    }),
    orderExternalId: t.string({
      description:
        "The order the author bought with. Verifies the author when that order of this client exists and its customer has the author's e-mail; an unknown order is not an error, the item is just stored unverified. The answer to a STOREFRONT key is the same either way.",
    }),
  };
}

const ratingField = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) =>
  t.int({ required: true, description: 'Stars, a whole number from 1 to 5.' });
const skuField = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) =>
  t.string({ required: true, description: 'Sku of a product in the feed; an unknown sku is a NotFoundError.' });

const SubmitReviewInput = builder.inputType('SubmitReviewInput', {
  description:
    'A new product review. It starts PENDING. Either with `reviewToken` (from a review invitation link; leave out productSku, authorEmail and orderExternalId), or with `productSku` and `authorEmail` (and optionally `orderExternalId`).',
  fields: (t) => {
    const { productSku, authorEmail, orderExternalId, ...authored } = authoredFields(t);
    return {
      reviewToken: t.string({
        description:
          "The token of a review link (`ReviewInvitationItem.reviewToken`, handed to the mailer by claimDueReviewInvitations). The review is then verified and linked to the order item and customer the link names; its author e-mail is the customer's. A link makes one review and expires (the client's invitation expiry, counted from when it was issued). A mistyped, altered, expired, used or another client's token, or one whose item was cancelled or erased, is one and the same ValidationError at input.reviewToken that does not say which.",
      }),
      productSku: t.string({
        description: 'Sku of a product in the feed; required without a reviewToken. An unknown sku is a NotFoundError.',
      }),
      rating: ratingField(t),
      ...authored,
      authorEmail: t.string({
        description:
          'Author e-mail; required without a reviewToken. Stored trimmed and lower-cased, never shown to STOREFRONT keys. An invalid address is a ValidationError.',
      }),
      orderExternalId,
    };
  },
});

const AskQuestionInput = builder.inputType('AskQuestionInput', {
  description: 'A new product question. It starts PENDING.',
  fields: (t) => ({ productSku: skuField(t), ...authoredFields(t) }),
});

const SubmitSellerReviewInput = builder.inputType('SubmitSellerReviewInput', {
  description: 'A new review of the shop. It starts PENDING.',
  fields: (t) => ({ rating: ratingField(t), ...authoredFields(t) }),
});

contentMutation('submitReview', {
  description: `Submits a product review (PENDING until moderated). \`verified\` when it comes with a valid \`reviewToken\`, or when \`orderExternalId\` is an order of the author's e-mail with a reviewable item of this sku. STOREFRONT and ADMIN keys. ${SAME_ANSWER}`,
  success: 'The review was stored.',
  input: SubmitReviewInput,
  adminOnly: false,
  payload: reviewPayload,
  run: submitReview,
});

contentMutation('askQuestion', {
  description:
    "Asks a question about a product (PENDING until moderated). With an order of the author's e-mail the question is linked to that customer, which only ADMIN and SUPPORT keys can see: the answer to a STOREFRONT key is the same either way. STOREFRONT and ADMIN keys.",
  success: 'The question was stored.',
  input: AskQuestionInput,
  adminOnly: false,
  payload: questionPayload,
  run: askQuestion,
});

contentMutation('submitSellerReview', {
  description: `Submits a review of the shop (PENDING until moderated). \`verified\` when \`orderExternalId\` is an order of the author's e-mail. STOREFRONT and ADMIN keys. ${SAME_ANSWER}`,
  success: 'The seller review was stored.',
  input: SubmitSellerReviewInput,
  adminOnly: false,
  payload: sellerReviewPayload,
  run: submitSellerReview,
});

// ---- Moderation and answers (ADMIN) -------------------------------------------------------------

function moderationInput(typename: string, what: string) {
  return builder.inputType(`Moderate${typename}Input`, {
    description: `Publishes or rejects one ${what}.`,
    fields: (t) => ({
      id: t.id({ required: true, description: `Global id of the ${what}; another client's id is a NotFoundError.` }),
      action: t.field({ type: ModerationActionEnum, required: true, description: 'PUBLISH or REJECT.' }),
    }),
  });
}

/** Domain call with the global id of `typename` in `input.id` turned into the database id. */
function withLocalId(typename: string, run: (db: Db, clientId: string, input: unknown) => Promise<Written>) {
  return (db: Db, clientId: string, input: { id: string }) =>
    run(db, clientId, { ...input, id: localId(input.id, typename) });
}

const MODERATED = [
  ['Review', 'review', 'review', reviewPayload, ' and count in rating summaries'],
  ['Question', 'question', 'question', questionPayload, ''],
  ['SellerReview', 'sellerReview', 'seller review', sellerReviewPayload, ' and count in sellerRatingSummary'],
] as const;

for (const [typename, kind, what, payload, counted] of MODERATED) {
  contentMutation(`moderate${typename}`, {
    description: `Publishes or rejects a ${what}: PUBLISHED ones are visible on the storefront${counted}. ADMIN keys only.`,
    success: `The ${what} has its new status.`,
    input: moderationInput(typename, what),
    adminOnly: true,
    payload,
    run: withLocalId(typename, (db, clientId, input) => moderate(db, clientId, kind, input)),
  });
}

const AnswerQuestionInput = builder.inputType('AnswerQuestionInput', {
  description: "The merchant's answer to a question.",
  fields: (t) => ({
    id: t.id({ required: true, description: "Global id of the question; another client's id is a NotFoundError." }),
    answer: t.string({
      required: true,
      description: `The answer, 1–${MAX_CONTENT} characters; replaces an earlier one. The status is not changed.`,
    }),
  }),
});

contentMutation('answerQuestion', {
  description: 'Sets or replaces the answer to a question (answeredAt is set to now). ADMIN keys only.',
  success: 'The question has its answer.',
  input: AnswerQuestionInput,
  adminOnly: true,
  payload: questionPayload,
  run: withLocalId('Question', answerQuestion),
});
