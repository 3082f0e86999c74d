// Builds the GraphQL schema: importing each feature's schema.ts registers its types on the builder.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './platform/graphql/builder.ts';
import './platform/graphql/errors.ts';
import './features/clients/schema.ts';
import './features/catalog/schema.ts';
import './features/orders/schema.ts';
import './features/content/schema.ts';
import './features/privacy/schema.ts';
import './features/webhooks/schema.ts';

export const schema: GraphQLSchema = builder.toSchema({ sortSchema: false });

/** The SDL checked in as schema.graphql (sorted, so diffs stay small). */
export function printSchemaSDL(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
