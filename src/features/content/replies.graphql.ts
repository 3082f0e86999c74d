// The merchant's reply: Review.merchantReply and SellerReview.merchantReply, and the ADMIN
// mutations replyToReview, deleteReviewReply, replyToSellerReview, deleteSellerReviewReply.
import type { Db } from '../../platform/db/client.ts';
import { builder } from '../../platform/graphql/builder.ts';
import { MAX_CONTENT } from './content.ts';
import { deleteReply, reply, type RepliedKind } from './replies.ts';
import { localId } from './content.graphql.ts';
import { contentMutation, reviewPayload, sellerReviewPayload } from './review-mutations.graphql.ts';
import { ReviewNode } from './review.graphql.ts';
import { SellerReviewNode } from './seller-review.graphql.ts';

interface Replied {
  replyContent: string | null;
  replyCreatedAt: Date | null;
  replyUpdatedAt: Date | null;
}
interface MerchantReply {
  content: string;
  createdAt: Date;
  updatedAt: Date;
}

const MerchantReplyRef = builder.objectRef<MerchantReply>('MerchantReply').implement({
  description: "The merchant's public reply to a review. Visible wherever the review is.",
  fields: (t) => ({
    content: t.exposeString('content', { description: `The reply, 1–${MAX_CONTENT} characters.` }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the merchant first replied.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the reply last changed.' }),
  }),
});

function merchantReply(r: Replied): MerchantReply | null {
  if (r.replyContent == null || !r.replyCreatedAt || !r.replyUpdatedAt) return null;
  return { content: r.replyContent, createdAt: r.replyCreatedAt, updatedAt: r.replyUpdatedAt };
}

const replyField = (t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, Replied>) =>
  t.field({
    type: MerchantReplyRef,
    nullable: true,
    description:
      "The merchant's public reply, or null. Read from the review's own row: no extra SQL statement per page.",
    resolve: merchantReply,
  });

builder.prismaObjectFields(ReviewNode, (t) => ({ merchantReply: replyField(t as any) }));
builder.prismaObjectFields(SellerReviewNode, (t) => ({ merchantReply: replyField(t as any) }));

const TARGETS = [
  ['Review', 'review', 'reviewId', 'review', reviewPayload],
  ['SellerReview', 'sellerReview', 'sellerReviewId', 'seller review', sellerReviewPayload],
] as const;

for (const [typename, kind, idField, what, payload] of TARGETS) {
  const target = (t: PothosSchemaTypes.InputFieldBuilder<typeof builder.$inferSchemaTypes, 'InputObject'>) =>
    t.id({ required: true, description: `Global id of the ${what}; another client's id is a NotFoundError.` });
  const run =
    (action: (db: Db, clientId: string, kind: RepliedKind, raw: unknown) => Promise<{ id: string }>) =>
    (db: Db, clientId: string, input: Record<string, string>) =>
      action(db, clientId, kind, { ...input, id: localId(input[idField], typename) });

  contentMutation(`replyTo${typename}`, {
    description: `Sets or replaces the merchant's public reply to a ${what} (one per ${what}; a replacement keeps createdAt). STOREFRONT keys see it once the ${what} is PUBLISHED. ADMIN keys only.`,
    success: `The ${what} has its reply.`,
    input: builder.inputType(`ReplyTo${typename}Input`, {
      description: `The merchant's reply to a ${what}.`,
      fields: (t) => ({
        [idField]: target(t),
        content: t.string({
          required: true,
          description: `The reply, 1–${MAX_CONTENT} characters (trimmed); blank is a ValidationError.`,
        }),
      }),
    }),
    adminOnly: true,
    payload,
    run: run(reply),
  });

  contentMutation(`delete${typename}Reply`, {
    description: `Removes the merchant's reply to a ${what}; a ${what} without a reply is left as it is. ADMIN keys only.`,
    success: `The ${what} has no reply.`,
    input: builder.inputType(`Delete${typename}ReplyInput`, {
      description: `Which ${what} loses its reply.`,
      fields: (t) => ({ [idField]: target(t) }),
    }),
    adminOnly: true,
    payload,
    run: run(deleteReply),
  });
}
