// Lists without paging arguments, and how many elements each may hold: the cost model prices such
// a list by its bound, not by one element. A list of objects missing here costs as one element.
export const LIST_BOUNDS: Record<string, number> = {};

export function listBound(typeName: string, fieldName: string): number {
  return LIST_BOUNDS[`${typeName}.${fieldName}`] ?? 1;
}
