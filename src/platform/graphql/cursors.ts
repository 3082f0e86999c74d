// Cursors that belong to the caller. A cursor names its connection, its ordering and a row:
// base64 of `GPC:S:c1|<Type.field>|<ORDERING>|<row id>` (the `GPC:S:` head lets Pothos read it as
// an opaque string; this module reads the rest). Before execution, cursor-guard.ts checks every
// `after`/`before` of the document: of this connection and ordering, and its row found within the
// caller's client and what the role may see (one statement per model). Resolvers position pages
// only by rows it found (keysetPage, relatedPage); anything else is BAD_USER_INPUT "Invalid cursor.".
// CONNECTIONS lists every connection of the schema with its orderings; ownCursors (schema.ts)
// fails at start when a connection is missing, and writes this module's cursors on every edge.
import { decodeBase64, encodeBase64 } from '@pothos/core';
import {
  defaultFieldResolver,
  GraphQLError,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { Role } from '../../generated/prisma/enums.ts';

type Direction = 'asc' | 'desc';
/** A sort key: a column of the model and its direction. The last key of an ordering is `id`. */
export type SortKey = readonly [field: 'id' | 'createdAt' | 'rating', direction: Direction];

const NEWEST: SortKey[] = [
  ['createdAt', 'desc'],
  ['id', 'desc'],
];
const BY_TIME = {
  NEWEST,
  OLDEST: [
    ['createdAt', 'asc'],
    ['id', 'asc'],
  ] as SortKey[],
};
/** Rating orders put the newest first among equal ratings. */
const BY_RATING = {
  ...BY_TIME,
  HIGHEST_RATING: [['rating', 'desc'], ...NEWEST] as SortKey[],
  LOWEST_RATING: [['rating', 'asc'], ...NEWEST] as SortKey[],
};
const OLDEST_FIRST = { ID_ASC: [['id', 'asc']] as SortKey[] };
const NEWEST_FIRST = { ID_DESC: [['id', 'desc']] as SortKey[] };

/**
 * Which rows of the model a cursor may name: `all` of the client's rows for every role;
 * `published`: STOREFRONT keys only PUBLISHED ones (the content visibility rule); `staff`: none
 * for STOREFRONT keys (types only ADMIN and SUPPORT may read).
 */
export type CursorScope = 'all' | 'published' | 'staff';

export interface ConnectionSpec {
  /** Prisma delegate of the rows. */
  model:
    | 'product'
    | 'order'
    | 'customer'
    | 'erasureRequest'
    | 'review'
    | 'question'
    | 'sellerReview'
    | 'reviewInvitation';
  scope: CursorScope;
  /** Ordering name → sort keys. One ordering: the connection has no `orderBy` argument. */
  orderings: Record<string, SortKey[]>;
}

/** Every connection of the schema × every ordering it offers. */
export const CONNECTIONS: Record<string, ConnectionSpec> = {
  'Query.products': { model: 'product', scope: 'all', orderings: OLDEST_FIRST },
  'Query.orders': { model: 'order', scope: 'staff', orderings: OLDEST_FIRST },
  'Query.customers': { model: 'customer', scope: 'staff', orderings: OLDEST_FIRST },
  'Query.erasureRequests': { model: 'erasureRequest', scope: 'staff', orderings: NEWEST_FIRST },
  'Query.reviewInvitations': { model: 'reviewInvitation', scope: 'staff', orderings: OLDEST_FIRST },
  'Query.reviews': { model: 'review', scope: 'published', orderings: BY_RATING },
  'Query.questions': { model: 'question', scope: 'published', orderings: BY_TIME },
  'Query.sellerReviews': { model: 'sellerReview', scope: 'published', orderings: BY_RATING },
  'Product.reviews': { model: 'review', scope: 'published', orderings: BY_RATING },
  'Product.questions': { model: 'question', scope: 'published', orderings: BY_TIME },
  'Customer.orders': { model: 'order', scope: 'staff', orderings: OLDEST_FIRST },
  'Customer.reviews': { model: 'review', scope: 'staff', orderings: BY_RATING },
  'Customer.questions': { model: 'question', scope: 'staff', orderings: BY_TIME },
  'Customer.sellerReviews': { model: 'sellerReview', scope: 'staff', orderings: BY_RATING },
};

/** The where clause of the rows a cursor of `scope` may name for this caller; null: none. */
export function cursorRowsWhere(scope: CursorScope, clientId: string, role: Role): object | null {
  if (role !== 'STOREFRONT' || scope === 'all') return { clientId };
  return scope === 'published' ? { clientId, status: 'PUBLISHED' } : null;
}

// ---- The cursor text ------------------------------------------------------------------------

const HEAD = 'GPC:S:c1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface DecodedCursor {
  connection: string;
  ordering: string;
  id: string;
}

export function encodeCursor(connection: string, ordering: string, id: string): string {
  return encodeBase64(`${HEAD}|${connection}|${ordering}|${id}`);
}

/** The cursor's parts, or null unless it is exactly what encodeCursor makes for a known connection. */
export function decodeCursor(text: string): DecodedCursor | null {
  let plain: string;
  try {
    plain = decodeBase64(text);
  } catch {
    return null;
  }
  const [head, connection, ordering, id, ...rest] = plain.split('|');
  if (head !== HEAD || rest.length || !UUID.test(id ?? '')) return null;
  if (!Object.hasOwn(CONNECTIONS, connection) || !Object.hasOwn(CONNECTIONS[connection].orderings, ordering))
    return null;
  return encodeCursor(connection, ordering, id) === text ? { connection, ordering, id } : null;
}

/** The ordering a connection's arguments ask for (its only one when it has no `orderBy`). */
export function orderingOf(connection: string, args: { orderBy?: unknown }): string {
  const names = Object.keys(CONNECTIONS[connection].orderings);
  return typeof args.orderBy === 'string' ? args.orderBy : names[0];
}

export function invalidCursor(argument: 'after' | 'before'): GraphQLError {
  return new GraphQLError('Invalid cursor.', {
    extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } },
  });
}

// ---- Positions: the rows the guard found -----------------------------------------------------

/** A checked cursor's row: its id and the values of its ordering's sort keys. */
export interface Position {
  id: string;
  values: Record<string, unknown>;
}

/** Cursor text → its row, filled per request by cursor-guard.ts before execution. */
export type CursorPositions = Map<string, Position>;

export interface PagingArgs {
  after?: string | null;
  before?: string | null;
  orderBy?: unknown;
}

interface Placed {
  keys: SortKey[];
  orderBy: Record<string, Direction>[];
  position?: Position;
  backward: boolean;
}

/** The connection's ordering and the checked row of its cursor (BAD_USER_INPUT when unchecked). */
function place(positions: CursorPositions, connection: string, args: PagingArgs): Placed {
  const ordering = orderingOf(connection, args);
  const keys = CONNECTIONS[connection].orderings[ordering];
  const orderBy = keys.map(([field, direction]) => ({ [field]: direction }));
  const argument = args.before != null ? 'before' : 'after';
  const text = args[argument];
  if (text == null) return { keys, orderBy, backward: false };
  const decoded = decodeCursor(text);
  const position = positions.get(text);
  if (!position || decoded?.connection !== connection || decoded.ordering !== ordering) throw invalidCursor(argument);
  return { keys, orderBy, position, backward: argument === 'before' };
}

/** Rows strictly after (backward: before) the position in the ordering of `keys`. */
export function keysetWhere(keys: SortKey[], values: Record<string, unknown>, backward: boolean): object {
  const branches = keys.map(([field, direction], i) => {
    const equal = Object.fromEntries(keys.slice(0, i).map(([f]) => [f, values[f]]));
    return { ...equal, [field]: { [(direction === 'asc') !== backward ? 'gt' : 'lt']: values[field] } };
  });
  return branches.length === 1 ? branches[0] : { OR: branches };
}

/**
 * A root connection's findMany arguments: Pothos's query without its cursor, `where` AND the
 * keyset condition of the checked cursor, the ordering's orderBy. Prisma's own `cursor` is not
 * used: it looks the row up by id alone, and it makes Prisma drop relationLoadStrategy 'join'.
 */
export function keysetPage<Q extends { cursor?: unknown; skip?: number }, W extends object>(
  ctx: { cursors: CursorPositions },
  connection: string,
  args: PagingArgs,
  query: Q,
  where: W,
) {
  const { cursor: _cursor, skip: _skip, ...rest } = query;
  const { keys, orderBy, position, backward } = place(ctx.cursors, connection, args);
  const positioned = position ? { AND: [where, keysetWhere(keys, position.values, backward)] } : where;
  return { ...rest, where: positioned as W, orderBy: orderBy as any };
}

/**
 * A relatedConnection's query parts: the ordering's orderBy and, after a checked cursor, Prisma's
 * `cursor` on its row (found within the caller's client and visibility, so positioning by it tells
 * nothing new). Replaces the cursor Pothos parsed from the text.
 */
export function relatedPage(ctx: { cursors: CursorPositions }, connection: string, args: PagingArgs) {
  const { orderBy, position } = place(ctx.cursors, connection, args);
  return { orderBy: orderBy as any, ...(position ? { cursor: { id: position.id } } : {}) };
}

// ---- Every connection of the schema ------------------------------------------------------------

/** True for Relay connection types (edges and pageInfo). */
export function isConnectionType(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isObjectType(named) && 'edges' in named.getFields() && 'pageInfo' in named.getFields();
}

interface Edge {
  cursor: string;
  node: { id: string };
}
interface Connection {
  edges: (Edge | null)[];
  pageInfo: { startCursor: string | null; endCursor: string | null };
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

function recode(connection: string, ordering: string, result: Connection | null | undefined) {
  if (!result?.edges) return result;
  for (const edge of result.edges) if (edge) edge.cursor = encodeCursor(connection, ordering, edge.node.id);
  result.pageInfo.startCursor = result.edges[0]?.cursor ?? null;
  result.pageInfo.endCursor = result.edges.at(-1)?.cursor ?? null;
  return result;
}

/**
 * Makes every connection field of the schema hand out this module's cursors (edges and pageInfo).
 * Throws when a connection is missing from CONNECTIONS or an entry names no connection, so no
 * connection can be added without its cursor rules.
 */
export function ownCursors(schema: GraphQLSchema): GraphQLSchema {
  const seen = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if ((!isObjectType(type) && !isInterfaceType(type)) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isConnectionType(field.type)) continue;
      const connection = `${type.name}.${field.name}`;
      if (!CONNECTIONS[connection] || isInterfaceType(type))
        throw new Error(`${connection} is a connection without an entry in CONNECTIONS (cursors.ts)`);
      seen.add(connection);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx, info) => {
        const ordering = orderingOf(connection, args);
        const result = resolve(parent, args, ctx, info) as Connection | PromiseLike<Connection>;
        return isThenable(result)
          ? result.then((r) => recode(connection, ordering, r))
          : recode(connection, ordering, result);
      };
    }
  }
  const unknown = Object.keys(CONNECTIONS).filter((c) => !seen.has(c));
  if (unknown.length) throw new Error(`CONNECTIONS (cursors.ts) names no connection of the schema: ${unknown}`);
  return schema;
}
