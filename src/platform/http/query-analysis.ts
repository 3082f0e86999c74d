// One pass over an operation that yields what the limits need: its cost (see cost.ts for the
// model) and how many fields it selects with every fragment spread expanded. It takes time in
// proportion to the document, whatever its fragment graph: each fragment is summed once (its
// sums do not depend on where it is spread: fields are looked up on its type condition), in an
// order where the fragments it spreads come first, and a spread then adds that summary. So
// `fragment F0 { ...F1 ...F1 }`, `fragment F1 { ...F2 ...F2 }`, … costs one step per fragment,
// while its sums (2^n fields) say what expanding it would mean. Nothing recurses through
// fragments; within one definition the walk follows the document's nesting and stops with a
// limit error past MAX_NESTING.
import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/paging.ts';
import { introspectionSize } from './introspection-cost.ts';
import { listBoundOf, listSize } from './list-bounds.ts';

export const COST = { object: 1, scalar: 0, mutation: 10 } as const;

/** Selection sets nested deeper than this in one definition (fields and inline fragments) are refused. */
export const MAX_NESTING = 64;

/** What a selection set adds up to. `paged`: its `edges` and `nodes`, multiplied by a connection's page size. */
interface Sums {
  base: number;
  paged: number;
  /** Fields selected, fragments expanded (nested fields included). */
  fields: number;
}

export interface Analysis {
  cost: number;
  fields: number;
  /** Selections the walk visited: at most twice the selections written in the document. */
  visits: number;
}

export class NestingLimitError extends Error {
  constructor(readonly max: number) {
    super(`Selections are nested deeper than ${max} levels (fields and inline fragments).`);
  }
}

/** Batch mutations and the list in their `input` that holds the batch. */
const BATCH_INPUTS: Record<string, string> = { upsertOrders: 'orders', upsertProducts: 'products' };

const ZERO: Sums = { base: 0, paged: 0, fields: 0 };

class Walk {
  private readonly done = new Map<string, Sums>();
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  visits = 0;

  constructor(
    readonly schema: GraphQLSchema,
    document: DocumentNode,
    readonly variables: Record<string, unknown>,
  ) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  /** Sums of every fragment `set` depends on, dependencies first, with an explicit stack. */
  prepare(set: SelectionSetNode): void {
    const state = new Map<string, 'open' | 'closed'>();
    const stack: { name: string; deps: string[] }[] = [];
    const open = (name: string) => {
      const fragment = this.fragments.get(name);
      if (!fragment || state.has(name) || this.done.has(name)) return;
      state.set(name, 'open');
      stack.push({ name, deps: this.spreadNames(fragment.selectionSet) });
    };
    for (const name of this.spreadNames(set)) {
      open(name);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const next = top.deps.pop();
        if (next !== undefined) {
          open(next); // a fragment still open is a cycle: validation reports it, here it adds nothing
          continue;
        }
        stack.pop();
        state.set(top.name, 'closed');
        const fragment = this.fragments.get(top.name)!;
        const type = this.schema.getType(fragment.typeCondition.name.value);
        this.done.set(top.name, type && isCompositeType(type) ? this.sums(fragment.selectionSet, type, 0) : ZERO);
      }
    }
  }

  sums(set: SelectionSetNode, parent: GraphQLCompositeType, nesting: number): Sums {
    if (nesting > MAX_NESTING) throw new NestingLimitError(MAX_NESTING);
    const total = { base: 0, paged: 0, fields: 0 };
    const isMutationRoot = parent === this.schema.getMutationType();
    this.visits += set.selections.length;
    for (const sel of set.selections) {
      let part: Sums;
      if (sel.kind === Kind.FIELD) {
        part = this.field(sel, parent, nesting, isMutationRoot);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? this.schema.getType(sel.typeCondition.name.value) : parent;
        part = type && isCompositeType(type) ? this.sums(sel.selectionSet, type, nesting + 1) : ZERO;
      } else {
        part = this.done.get(sel.name.value) ?? ZERO;
      }
      total.base += part.base;
      total.paged += part.paged;
      total.fields += part.fields;
    }
    return total;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, nesting: number, isMutationRoot: boolean): Sums {
    const name = node.name.value;
    const field = this.fieldDef(parent, name);
    const type = field ? getNamedType(field.type) : undefined;
    if (!field || !type || !node.selectionSet || !isCompositeType(type)) {
      // A leaf (scalar, enum, __typename), or a field validation reports: its own fields are still counted.
      const inner =
        node.selectionSet && type && isCompositeType(type) ? this.sums(node.selectionSet, type, nesting + 1) : ZERO;
      return { base: COST.scalar, paged: 0, fields: 1 + inner.fields };
    }
    const inner = this.sums(node.selectionSet, type, nesting + 1);
    let cost: number;
    if (isConnection(field, type)) {
      cost = COST.object + inner.base + this.pageSize(node) * inner.paged;
    } else {
      const count = isListType(getNullableType(field.type))
        ? this.listSize(node, parent, field)
        : (introspectionSize(this.schema, parent.name, field.name) ?? 1);
      cost = count * (COST.object + inner.base + inner.paged);
    }
    if (isMutationRoot && !name.startsWith('__')) {
      // A batch (upsertOrders, upsertProducts) writes and answers once per element: its answer's
      // cost is counted per element, plus one per element written.
      const n = this.batchSize(node);
      cost = n * cost + COST.mutation + (n > 1 ? n : 0);
    }
    const paged = name === 'edges' || name === 'nodes';
    return { base: paged ? 0 : cost, paged: paged ? cost : 0, fields: 1 + inner.fields };
  }

  /** Names of the fragments spread in a selection set (inline fragments included, named ones not entered). */
  private spreadNames(set: SelectionSetNode): string[] {
    const names: string[] = [];
    const stack = [set];
    for (let s = stack.pop(); s; s = stack.pop()) {
      this.visits += s.selections.length;
      for (const sel of s.selections) {
        if (sel.kind === Kind.FRAGMENT_SPREAD) names.push(sel.name.value);
        else if (sel.selectionSet) stack.push(sel.selectionSet);
      }
    }
    return names;
  }

  private fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return 'getFields' in parent ? parent.getFields()[name] : undefined;
  }

  /** A list's elements: once per id when fetched by `ids`, else its bound (list-bounds.ts, introspection-cost.ts). */
  private listSize(node: FieldNode, parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): number {
    const ids = this.arg(node, 'ids');
    if (Array.isArray(ids)) return Math.max(ids.length, 1);
    const bound = listBoundOf(field);
    return (
      introspectionSize(this.schema, parent.name, field.name) ??
      listSize(bound, bound?.argument ? this.arg(node, bound.argument) : undefined)
    );
  }

  /** `first` or `last`, clamped to the page-size cap (over the cap the resolver refuses it). */
  private pageSize(node: FieldNode): number {
    for (const name of ['first', 'last']) {
      const v = this.arg(node, name);
      if (typeof v === 'number' && Number.isFinite(v)) return Math.min(Math.max(Math.trunc(v), 0), MAX_PAGE_SIZE);
    }
    return DEFAULT_PAGE_SIZE;
  }

  /** Elements of a batch mutation's batch; 1 for other mutations. */
  private batchSize(node: FieldNode): number {
    const list = BATCH_INPUTS[node.name.value];
    const input = list && this.arg(node, 'input');
    const batch = input && typeof input === 'object' ? (input as Record<string, unknown>)[list] : undefined;
    return Array.isArray(batch) ? Math.max(1, batch.length) : 1;
  }

  private arg(node: FieldNode, name: string): unknown {
    const arg = node.arguments?.find((a) => a.name.value === name);
    return arg ? this.literal(arg.value, 0) : undefined;
  }

  private literal(value: ValueNode, nesting: number): unknown {
    if (nesting > MAX_NESTING) throw new NestingLimitError(MAX_NESTING);
    switch (value.kind) {
      case Kind.VARIABLE:
        return this.variables[value.name.value];
      case Kind.INT:
        return Number(value.value);
      case Kind.LIST:
        return value.values.map((v) => this.literal(v, nesting + 1));
      case Kind.OBJECT:
        return Object.fromEntries(value.fields.map((f) => [f.name.value, this.literal(f.value, nesting + 1)]));
      default:
        return undefined;
    }
  }
}

function isConnection(field: GraphQLField<unknown, unknown>, type: GraphQLNamedType): boolean {
  if (!field.args.some((a) => a.name === 'first' || a.name === 'last') || !('getFields' in type)) return false;
  const fields = type.getFields();
  return 'edges' in fields || 'nodes' in fields;
}

/** Largest number reported; sums past it (2^60 fields …) are reported as this. */
const CAP = Number.MAX_SAFE_INTEGER;

/** Cost and expanded field count of `operation`. Throws NestingLimitError past MAX_NESTING. */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown> | null,
): Analysis {
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 1, fields: 0, visits: 0 };
  const walk = new Walk(schema, document, variables ?? {});
  walk.prepare(operation.selectionSet);
  const sums = walk.sums(operation.selectionSet, root, 0);
  return {
    cost: Math.min(CAP, Math.max(1, Math.ceil(sums.base + sums.paged))),
    fields: Math.min(CAP, sums.fields),
    visits: walk.visits,
  };
}

/** Names of the fields at the root of an operation, through fragments, each fragment entered once. */
export function rootFieldNames(document: DocumentNode, operation: OperationDefinitionNode): Set<string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const names = new Set<string>();
  const entered = new Set<string>();
  const stack: SelectionSetNode[] = [operation.selectionSet];
  for (let set = stack.pop(); set; set = stack.pop()) {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) stack.push(sel.selectionSet);
      else if (!entered.has(sel.name.value)) {
        entered.add(sel.name.value);
        const fragment = fragments.get(sel.name.value);
        if (fragment) stack.push(fragment.selectionSet);
      }
    }
  }
  return names;
}
