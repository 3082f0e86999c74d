// Query cost, computed from the document before anything runs, the way GitHub and Shopify do
// it: an object costs 1, a scalar 0, and a connection costs 1 plus its page size (`first` or
// `last`, default 100) times the cost of one of its nodes. Lists fetched by ids cost once per
// id; a mutation field costs 10 more, and a batch mutation (upsertOrders, upsertProducts) counts
// its answer once per element of the batch, plus 1 per element. Fragments (named or inline) are
// counted where they are spread, as if all of them applied, so nesting cannot be hidden in them.
import {
  Kind,
  getNamedType,
  isCompositeType,
  isListType,
  getNullableType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/paging.ts';

export const COST = { object: 1, scalar: 0, mutation: 10 } as const;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** The operation a request runs: the named one, or the only one. */
export function selectOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

/** Estimated cost of the operation; at least 1 so that every request spends something. */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): number {
  const operation = selectOperation(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 1;
  const fragments = fragmentsOf(document);
  const walk: Walk = { schema, fragments, variables: variables ?? {} };
  let cost = selectionSetCost(walk, operation.selectionSet, root, new Set(), undefined);
  if (operation.operation === 'mutation') {
    for (const node of rootFields(fragments, operation.selectionSet, new Set())) {
      if (node.name.value.startsWith('__')) continue;
      const field = root.getFields()[node.name.value];
      const n = batchSize(walk, node);
      // A batch (upsertOrders, upsertProducts) writes and answers once per element: its answer's
      // cost is counted per element, plus one per element written.
      cost += COST.mutation + (field && n > 1 ? (n - 1) * fieldCost(walk, node, field, new Set()) + n : 0);
    }
  }
  return Math.max(1, cost);
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

/** The fields at the root of an operation, through fragments (`__typename` and such included). */
export function operationRootFields(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  return rootFields(fragmentsOf(document), operation.selectionSet, new Set());
}

function rootFields(
  fragments: Map<string, FragmentDefinitionNode>,
  set: SelectionSetNode,
  seen: Set<string>,
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...rootFields(fragments, sel.selectionSet, seen));
    else {
      const fragment = fragments.get(sel.name.value);
      if (fragment && !seen.has(sel.name.value))
        out.push(...rootFields(fragments, fragment.selectionSet, new Set([...seen, sel.name.value])));
    }
  }
  return out;
}

/** Batch mutations and the list in their `input` that holds the batch. */
const BATCH_INPUTS: Record<string, string> = { upsertOrders: 'orders', upsertProducts: 'products' };

/** Elements of a batch mutation's batch; 1 for other mutations. */
function batchSize(walk: Walk, node: FieldNode): number {
  const list = BATCH_INPUTS[node.name.value];
  const input = list && argValue(walk, node, 'input');
  const batch = input && typeof input === 'object' ? (input as Record<string, unknown>)[list] : undefined;
  return Array.isArray(batch) ? Math.max(1, batch.length) : 1;
}

/**
 * Sum over a selection set. `pageSize` is set on a connection's own selection set: its `edges`
 * and `nodes` are multiplied by it. `seen` holds the fragments being expanded (cycles are
 * reported by standard validation; here they just stop the walk).
 */
function selectionSetCost(
  walk: Walk,
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
  seen: Set<string>,
  pageSize: number | undefined,
): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue; // introspection and __typename are free
      const field = 'getFields' in parent ? parent.getFields()[sel.name.value] : undefined;
      if (!field) continue; // unknown field: validation reports it
      const cost = fieldCost(walk, sel, field, seen);
      const perPage = pageSize !== undefined && (sel.name.value === 'edges' || sel.name.value === 'nodes');
      total += perPage ? cost * pageSize : cost;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const type = sel.typeCondition ? walk.schema.getType(sel.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) total += selectionSetCost(walk, sel.selectionSet, type, seen, pageSize);
    } else {
      const name = sel.name.value;
      const fragment = walk.fragments.get(name);
      const type = fragment && walk.schema.getType(fragment.typeCondition.name.value);
      if (!fragment || seen.has(name) || !type || !isCompositeType(type)) continue;
      total += selectionSetCost(walk, fragment.selectionSet, type, new Set([...seen, name]), pageSize);
    }
  }
  return total;
}

function fieldCost(walk: Walk, node: FieldNode, field: GraphQLField<unknown, unknown>, seen: Set<string>): number {
  const type = getNamedType(field.type);
  if (!isCompositeType(type) || !node.selectionSet) return COST.scalar;
  const isConnection =
    field.args.some((a) => a.name === 'first' || a.name === 'last') &&
    'getFields' in type &&
    ('edges' in type.getFields() || 'nodes' in type.getFields());
  if (isConnection) {
    const size = pageSize(walk, node);
    return COST.object + selectionSetCost(walk, node.selectionSet, type, seen, size);
  }
  const children = selectionSetCost(walk, node.selectionSet, type, seen, undefined);
  const count = isListType(getNullableType(field.type)) ? idsCount(walk, node) : 1;
  return count * (COST.object + children);
}

function argValue(walk: Walk, node: FieldNode, name: string): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? literal(walk, arg.value) : undefined;
}

function literal(walk: Walk, value: ValueNode): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return walk.variables[value.name.value];
    case Kind.INT:
      return Number(value.value);
    case Kind.LIST:
      return value.values.map((v) => literal(walk, v));
    case Kind.OBJECT:
      return Object.fromEntries(value.fields.map((f) => [f.name.value, literal(walk, f.value)]));
    default:
      return undefined;
  }
}

/** `first` or `last`, clamped to the page-size cap (over the cap the resolver refuses it). */
function pageSize(walk: Walk, node: FieldNode): number {
  for (const name of ['first', 'last']) {
    const v = argValue(walk, node, name);
    if (typeof v === 'number' && Number.isFinite(v)) return Math.min(Math.max(Math.trunc(v), 0), MAX_PAGE_SIZE);
  }
  return DEFAULT_PAGE_SIZE;
}

/** A list fetched by `ids` costs once per id; other lists (an order's items) count once. */
function idsCount(walk: Walk, node: FieldNode): number {
  const ids = argValue(walk, node, 'ids');
  return Array.isArray(ids) ? Math.max(ids.length, 1) : 1;
}
