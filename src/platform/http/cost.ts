// Query cost, computed from the document before anything runs, the way GitHub and Shopify do
// it: an object costs 1, a scalar 0, and a connection costs 1 plus its page size (`first` or
// `last`, default 100) times the cost of one of its nodes. Lists fetched by ids cost once per
// id; introspection costs the objects it returns (introspection-cost.ts); a mutation field costs
// 10 more, and a batch mutation (upsertOrders, upsertProducts) counts its answer once per
// element of the batch, plus 1 per element. Fragments (named or inline) are counted where they
// are spread, as if all of them applied, so nesting cannot be hidden in them. The walk itself
// is query-analysis.ts: linear in the document, whatever its fragments.
import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { analyzeOperation, type Analysis } from './query-analysis.ts';

export { COST } from './query-analysis.ts';

/** The operation a request runs: the named one, or the only one. */
export function selectOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

/** Cost (at least 1, so that every request spends something) and expanded field count of the operation. */
export function analyzeRequest(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): Analysis {
  const operation = selectOperation(document, operationName);
  return operation ? analyzeOperation(schema, document, operation, variables) : { cost: 1, fields: 0, visits: 0 };
}

/** Estimated cost of the operation; at least 1. */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): number {
  return analyzeRequest(schema, document, operationName, variables).cost;
}
