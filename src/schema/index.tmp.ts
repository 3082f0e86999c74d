// Builds the GraphQL schema: importing each type family registers it on the builder.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './errors.ts';
import './viewer.ts';
import './product.ts';
import './customer.ts';
import './order.ts';
import './order-mutations.ts';
import './rating-summary.ts';
import './review.ts';
import './question.ts';
import './seller-review.ts';
import './review-mutations.ts';
import './personal-data.ts';
import './erasure.ts';
import './erasure-mutations.ts';

export const schema: GraphQLSchema = builder.toSchema({ sortSchema: false });

/** The SDL checked in as schema.graphql (sorted, so diffs stay small). */
export function printSchemaSDL(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
