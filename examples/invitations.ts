// The merchant's review-invitation mailer, as a cron job runs it: claim the due invitations,
// write each customer a mail with one review link per item, confirm the mails as sent; repeat
// until nothing is due. Any number of these may run at once: each invitation is handed to one of
// them only, and one whose mail was never confirmed goes back to the pool when its lease ends.
//
//   npm run example:invitations -- --key sk_... [--limit 100] [--link https://shop.example/review?token=]
//
// Here "sending" is printing the mail. With --dry-run nothing is confirmed: the invitations come
// back after their lease (5 minutes by default).
import { cli, execute, run } from './client.ts';
import { graphql } from './gql/gql.ts';
import type { ClaimReviewInvitationsMutation } from './gql/graphql.ts';

const ClaimReviewInvitations = graphql(`
  mutation ClaimReviewInvitations($limit: Int!) {
    claimDueReviewInvitations(input: { limit: $limit }) {
      __typename
      ... on ClaimDueReviewInvitationsSuccess {
        leasedUntil
        skippedCount
        expiredCount
        invitations {
          id
          dueAt
          order {
            externalId
          }
          customer {
            name
            email
          }
          items {
            reviewToken
            orderItem {
              sku
              name
              url
              imageUrl
            }
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

const MarkReviewInvitationsSent = graphql(`
  mutation MarkReviewInvitationsSent($ids: [ID!]!) {
    markReviewInvitationsSent(input: { ids: $ids }) {
      __typename
      ... on MarkReviewInvitationsSentSuccess {
        sentCount
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

type Claimed = Extract<
  ClaimReviewInvitationsMutation['claimDueReviewInvitations'],
  { __typename: 'ClaimDueReviewInvitationsSuccess' }
>;

const USAGE = `Review invitation mailer (ADMIN key).

  npm run example:invitations -- --key sk_... [--limit N] [--link URL] [--dry-run]

  --limit N     invitations claimed per request, 1-500 (default 100)
  --link URL    start of the review links; the token is appended (default https://shop.example/review?token=)
  --dry-run     print the mails but do not confirm them (they come back when the lease ends)`;

/** The mail of one invitation, as text. */
function mail(invitation: Claimed['invitations'][number], link: string): string[] {
  const to = invitation.customer.name
    ? `${invitation.customer.name} <${invitation.customer.email}>`
    : invitation.customer.email;
  const lines = [`To: ${to} (order ${invitation.order.externalId}, due ${invitation.dueAt.slice(0, 10)})`];
  for (const { orderItem, reviewToken } of invitation.items) {
    if (!reviewToken) continue; // reviewed already
    lines.push(`  ${orderItem.name ?? orderItem.sku}${orderItem.url ? ` ${orderItem.url}` : ''}`);
    lines.push(`    review it: ${link}${reviewToken}`);
  }
  return lines;
}

run(async () => {
  const { connection, values } = cli(USAGE, {
    limit: { type: 'string' },
    link: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const limit = Number(values.limit ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error('--limit must be 1-500');
  const link = (values.link as string | undefined) ?? 'https://shop.example/review?token=';
  const dryRun = Boolean(values['dry-run']);

  let sent = 0;
  for (;;) {
    const result = (await execute(connection, ClaimReviewInvitations, { limit })).data.claimDueReviewInvitations;
    if (result.__typename !== 'ClaimDueReviewInvitationsSuccess') throw new Error(`${result.code}: ${result.message}`);
    if (result.skippedCount || result.expiredCount) {
      console.log(`(skipped ${result.skippedCount}, expired ${result.expiredCount})`);
    }
    if (result.invitations.length === 0) break;
    for (const invitation of result.invitations) console.log(mail(invitation, link).join('\n'));
    if (dryRun) {
      console.log(`Dry run: ${result.invitations.length} not confirmed; they come back after ${result.leasedUntil}.`);
      return;
    }
    const ids = result.invitations.map((i) => i.id);
    const marked = (await execute(connection, MarkReviewInvitationsSent, { ids })).data.markReviewInvitationsSent;
    if (marked.__typename !== 'MarkReviewInvitationsSentSuccess') throw new Error(`${marked.code}: ${marked.message}`);
    sent += marked.sentCount;
  }
  console.log(sent ? `Sent ${sent} invitation${sent === 1 ? '' : 's'}.` : 'No invitation is due.');
});
