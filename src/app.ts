// createApp(deps) → the yoga instance. Tests call app.fetch; server.ts mounts it on node:http.
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { keyFromHeader } from './auth/keys.ts';
import type { Context } from './context.ts';
import type { Db } from './db/client.ts';
import { authenticate } from './domain/clients.ts';
import { createLoaders } from './loaders.ts';
import { schema } from './schema/index.ts';

export interface AppOptions {
  db: Db;
  graphiql?: boolean;
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

const DEFAULT_QUERY = `# Welcome! Put your API key in the Headers tab below:
#   { "Authorization": "Bearer sk_..." }
# npm start prints the demo client's keys. Then run this query (▶).

query RecentOrders {
  viewer { role client { slug name } }
  orders(first: 5) {
    totalCount
    nodes {
      externalId
      createdAt
      customer { externalId email status }
      items { sku name reviewable reviewInvitationEligible }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Duck-typed: graphql may be loaded twice (ESM and CJS), so instanceof is not reliable. */
function isGraphQLError(e: unknown): e is GraphQLError {
  return e instanceof Error && e.name === 'GraphQLError';
}

function unauthenticated(message: string) {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="graphql"' } },
    },
  });
}

export function createApp(options: AppOptions): App {
  const { db } = options;
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    plugins: [
      {
        // A body yoga cannot read (e.g. text/plain) gets an explanation, not an empty 415.
        onRequestParse({ requestParser, endResponse, fetchAPI }) {
          if (requestParser) return;
          const message = 'Unsupported Content-Type: send the GraphQL request as application/json.';
          const errors = [{ message, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }];
          endResponse(fetchAPI.Response.json({ errors }, { status: 415 }));
        },
      },
    ],
    graphiql: options.graphiql === false ? false : { title: 'Merchant data API', defaultQuery: DEFAULT_QUERY },
    maskedErrors: {
      // Errors we raise on purpose (GraphQLError) pass; anything else becomes a bare
      // INTERNAL_SERVER_ERROR: no message, stack, SQL or Prisma detail reaches the caller.
      maskError(error, message) {
        const gql = isGraphQLError(error) ? error : undefined;
        if (gql && (!gql.originalError || isGraphQLError(gql.originalError))) return error as Error;
        return new GraphQLError(message, {
          nodes: gql?.nodes,
          path: gql?.path,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      },
    },
    context: async ({ request }): Promise<Context> => {
      const key = keyFromHeader(request.headers.get('authorization'));
      if (!key) throw unauthenticated('Missing API key. Send "Authorization: Bearer <key>".');
      const viewer = await authenticate(db, key);
      if (!viewer) throw unauthenticated('The API key is not valid: unknown, malformed or revoked.');
      return { db, viewer, loaders: createLoaders(db, viewer.clientId) };
    },
  });
}
