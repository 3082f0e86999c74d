// Incremental order sync, as a merchant back end runs it on a schedule: every order received
// after the last run's watermark, page by page (cursor pagination) until hasNextPage is false.
//
//   npm run example:orders -- --key sk_... --since 2026-11-01T00:00:00Z [--page-size 100]
//
// Prints one line per order and, last, the watermark to pass as --since next time. A page asks
// for the first 20 items of each order (the query cost prices a list by what it may return); the
// rare order with more (`itemCount`) is read again alone, with every item.
import { cli, execute, run } from './client.ts';
import { graphql } from './gql/gql.ts';
import type { OrderSyncPageQuery } from './gql/graphql.ts';

const OrderSyncPage = graphql(`
  query OrderSyncPage($first: Int!, $after: String, $createdAfter: DateTime) {
    orders(first: $first, after: $after, filter: { createdAfter: $createdAfter }) {
      totalCount
      nodes {
        externalId
        createdAt
        customer {
          externalId
          email
        }
        itemCount
        items(first: 20) {
          ...SyncedItem
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

graphql(`
  fragment SyncedItem on OrderItem {
    sku
    name
    cancelled
    reviewInvitationEligible
  }
`);

const OrderItems = graphql(`
  query OrderItems($externalId: String!) {
    order(externalId: $externalId) {
      items {
        ...SyncedItem
      }
    }
  }
`);

const USAGE = `Incremental order sync (ADMIN or SUPPORT key).

  npm run example:orders -- --key sk_... [--since ISO-TIME] [--page-size N]

  --since ISO-TIME   only orders received strictly after this instant (default: all orders)
  --page-size N      orders per request, 1-400 (default 100)`;

run(async () => {
  const { connection, values } = cli(USAGE, { since: { type: 'string' }, 'page-size': { type: 'string' } });
  const since = values.since as string | undefined;
  const pageSize = Number(values['page-size'] ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 400) throw new Error('--page-size must be 1-400');

  let after: string | null = null;
  let pages = 0;
  let synced = 0;
  let watermark = since ?? null;
  let total = 0;
  for (;;) {
    const variables = { first: pageSize, after, createdAfter: since ?? null };
    const page: OrderSyncPageQuery['orders'] = (await execute(connection, OrderSyncPage, variables)).data.orders;
    pages++;
    total = page.totalCount;
    for (const order of page.nodes) {
      let lines = order.items;
      if (order.itemCount > lines.length) {
        const full = await execute(connection, OrderItems, { externalId: order.externalId });
        lines = full.data.order?.items ?? lines;
      }
      const items = lines.map(
        (i) => `${i.sku}${i.cancelled ? ' (cancelled)' : i.reviewInvitationEligible ? ' (invite)' : ''}`,
      );
      const email = order.customer.email ? ` <${order.customer.email}>` : '';
      console.log(`${order.externalId}\t${order.createdAt}\t${order.customer.externalId}${email}\t${items.join(', ')}`);
      watermark = order.createdAt;
      synced++;
    }
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor ?? null;
  }
  console.log(`Synced ${synced} of ${total} orders in ${pages} page${pages === 1 ? '' : 's'}.`);
  console.log(watermark ? `Next run: --since ${watermark}` : 'No orders yet: next run, the same command.');
});
