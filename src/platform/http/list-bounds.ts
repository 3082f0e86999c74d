// Lists without paging (a plain `[T]` field) and how many elements each may hold: the cost model
// prices such a list by its bound, not by one element. A field declares its bound where it is
// defined, as `extensions: { listBound: { max, argument } }`; `argument` names an optional Int
// argument that asks for fewer (`items(first: 20)` costs 20). A list of objects without a
// declared bound costs as one element: only lists whose length the caller cannot grow may omit it.
import type { GraphQLField } from 'graphql';

export interface ListBound {
  /** The most elements the list can hold. */
  max: number;
  /** An optional Int argument that limits the list (e.g. `first`). */
  argument?: string;
}

export function listBoundOf(field: GraphQLField<unknown, unknown>): ListBound | undefined {
  return (field.extensions as { listBound?: ListBound } | undefined)?.listBound;
}

/** Elements the list is priced at, given the value of its limiting argument (if any). */
export function listSize(bound: ListBound | undefined, argumentValue: unknown): number {
  if (!bound) return 1;
  if (typeof argumentValue === 'number' && Number.isFinite(argumentValue)) {
    return Math.min(Math.max(Math.trunc(argumentValue), 0), bound.max);
  }
  return bound.max;
}
