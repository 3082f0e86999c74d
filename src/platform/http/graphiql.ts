// GraphiQL at GET /graphql (GRAPHIQL=false turns it off): served from this process, with no CDN
// (@graphql-yoga/render-graphiql inlines the editor), so it works offline and no third-party
// script runs on the page where people paste their API keys. The first tab teaches: a real
// query, the Authorization header explained, and the header editor prefilled with its shape.
import type { GraphiQLOptions } from 'graphql-yoga';

const pages = new Map<string, Promise<string>>();

/**
 * The GraphiQL page (about 9 MB of inlined editor code), rendered once per set of options. The module is loaded on
 * the first visit, not at start-up: API-only processes and tests never pay for it.
 */
export function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  let page = pages.get(key);
  if (!page) {
    page = import('@graphql-yoga/render-graphiql').then((m) => m.renderGraphiQL(options));
    pages.set(key, page);
  }
  return page;
}

export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to the merchant data API.
#
# 1. Every request needs your API key in the
#    Authorization header. Open "Headers" below
#    and replace YOUR_API_KEY with it:
#      { "Authorization": "Bearer sk_..." }
#    The prefix tells the role:
#      sk_  ADMIN: everything of your client
#      rk_  SUPPORT: read everything, no writes
#      pk_  STOREFRONT: published reviews,
#           questions, products, ratings
#    \`npm start\` prints the demo client's keys
#    once; \`npm run cli -- client create <slug>\`
#    makes new ones. No valid key: HTTP 401.
# 2. Run this query: ▶ or Ctrl+Enter.
# 3. Docs (book icon, top left) describe every
#    type and field: once your key is in, load
#    them with "Re-fetch schema" (⟳, bottom left).

query RecentOrders {
  viewer {
    role
    client { slug name }
  }
  orders(first: 5) {
    totalCount
    nodes {
      externalId
      createdAt
      customer { externalId email status }
      itemCount
      items(first: 10) { sku name reviewable reviewInvitationEligible }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** The placeholder in the headers editor: a request with it gets a clear 401. */
export const GRAPHIQL_HEADERS_PLACEHOLDER = { Authorization: 'Bearer YOUR_API_KEY' };

export function graphiqlOptions(): GraphiQLOptions {
  return {
    title: 'Merchant data API',
    defaultQuery: GRAPHIQL_DEFAULT_QUERY,
    headers: JSON.stringify(GRAPHIQL_HEADERS_PLACEHOLDER, null, 2),
    // Open the headers editor so the key field is in sight on the first visit.
    defaultEditorToolsVisibility: 'headers',
    // Keys stay in the tab: never written to the browser's storage.
    shouldPersistHeaders: false,
  };
}
