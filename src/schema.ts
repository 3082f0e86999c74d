// Builds the GraphQL schema: importing each feature's schema.ts registers its types on the builder.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './platform/graphql/builder.ts';
import { ownCursors } from './platform/graphql/cursors.ts';
import './platform/graphql/errors.ts';
import './features/clients/schema.ts';
import './features/catalog/schema.ts';
import './features/orders/schema.ts';
import './features/content/schema.ts';
import './features/privacy/schema.ts';
import './features/invitations/schema.ts';

// ownCursors: every connection hands out and accepts only cursors of platform/graphql/cursors.ts.
export const schema: GraphQLSchema = ownCursors(builder.toSchema({ sortSchema: false }));

/** The SDL checked in as schema.graphql (sorted, so diffs stay small). */
export function printSchemaSDL(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
