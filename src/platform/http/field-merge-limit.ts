// A bound on the work of graphql-js's OverlappingFieldsCanBeMerged rule, checked before
// validation. That rule compares every pair of fields that answer under the same name at the
// same place (inline fragments flattened, and recursively their sub-fields), and every pair of
// fragments spread there: `{ viewer { role } viewer { role } … }` 500 times is 125,000 pairs and
// a few hundred ms of CPU per ~2 KB request (graphql-js stops at its own budget, later). Here one
// linear pass merges the selections of each definition into a tree of response paths and sums,
// over its nodes, (fields at that path + fragments spread there)²: about the pairs the rule
// would compare. Real documents stay far below MAX_FIELD_MERGES (a field selected once adds 1;
// the example and bench documents sum to 12–44).
import { type DocumentNode, GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const MAX_FIELD_MERGES = 5_000;

interface PathNode {
  fields: number;
  spreads: Set<string> | undefined;
  children: Map<string, PathNode>;
}

const pathNode = (): PathNode => ({ fields: 0, spreads: undefined, children: new Map() });

/** Σ over the merged response paths of each definition of (fields + distinct spreads)². */
export function fieldMergeWork(document: DocumentNode): number {
  let work = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const root = pathNode();
    const nodes: PathNode[] = [root];
    const stack: [SelectionSetNode, PathNode][] = [[definition.selectionSet, root]];
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [set, at] = top;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const key = (sel.alias ?? sel.name).value;
          let child = at.children.get(key);
          if (!child) {
            child = pathNode();
            at.children.set(key, child);
            nodes.push(child);
          }
          child.fields++;
          if (sel.selectionSet) stack.push([sel.selectionSet, child]);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          stack.push([sel.selectionSet, at]);
        } else {
          at.spreads ??= new Set();
          at.spreads.add(sel.name.value);
        }
      }
    }
    for (const node of nodes) work += (node.fields + (node.spreads?.size ?? 0)) ** 2;
  }
  return work;
}

/** Refuses, before validation runs, a document over MAX_FIELD_MERGES (QUERY_LIMIT_EXCEEDED, HTTP 400). */
export function useFieldMergeLimit(): Plugin {
  return {
    onValidate({ params, setResult }) {
      const found = fieldMergeWork(params.documentAST);
      if (found <= MAX_FIELD_MERGES) return;
      setResult([
        new GraphQLError(
          `The query repeats fields (the same name or alias in the same place) or fragment spreads so often that checking they merge would take ${found} steps; the limit is ${MAX_FIELD_MERGES}. Select each field once.`,
          {
            extensions: {
              code: 'QUERY_LIMIT_EXCEEDED',
              limit: 'maxFieldMerges',
              max: MAX_FIELD_MERGES,
              found,
              http: { status: 400 },
            },
          },
        ),
      ]);
    },
  };
}
