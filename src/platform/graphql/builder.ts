// The one Pothos builder: plugins, scalars, auth scopes, paging rules and the Error interface.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateResolver, DateTimeResolver, EmailAddressResolver, JSONObjectResolver, URLResolver } from 'graphql-scalars';
import type { Context } from './context.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import type PrismaTypes from '../../generated/prisma/pothos-types.ts';
import { getDatamodel } from '../../generated/prisma/pothos-types.ts';
import { SURROGATE_MESSAGE, wellFormed } from '../rules/input-rules.ts';

type Scopes = { admin: boolean; staff: boolean; storefront: boolean };

/** The auth scopes a role has: `admin` ADMIN; `staff` ADMIN and SUPPORT; `storefront` every key. */
function scopesOf(role: Role): Scopes {
  return { admin: role === 'ADMIN', staff: role === 'ADMIN' || role === 'SUPPORT', storefront: true };
}

const NODE_NULL =
  "it does not exist, belongs to another client, is not visible to the key (content not PUBLISHED, for STOREFRONT keys), or is of a type the key's role may not read (Customer, Order and ErasureRequest for STOREFRONT keys): the answer never tells which";

/** What every `after`/`before` argument says about cursors (platform/graphql/cursors.ts). */
const CURSOR_RULE =
  'Only a cursor this list handed out, in the same order, to a key of the same client, while its item exists and the key may see it; any other cursor (another list, order or client, a removed item, a malformed text) is a BAD_USER_INPUT "Invalid cursor." error (HTTP 400) and nothing runs. Restart paging without a cursor then.';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  AuthScopes: { admin: boolean; staff: boolean; storefront: boolean };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
    URL: { Input: URL | string; Output: URL | string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => scopesOf(ctx.viewer.role),
    unauthorizedError: (_parent, ctx, info) =>
      new GraphQLError(`A ${ctx.viewer.role} key may not use ${info.parentType.name}.${info.fieldName}.`, {
        extensions: { code: 'FORBIDDEN' },
      }),
  },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: {
      description: `Fetches any object by its global id; null when ${NODE_NULL}.`,
      args: { id: { description: 'A global id, as returned in an `id` field.' } },
    },
    nodesQueryOptions: {
      description: `Fetches objects by their global ids, in order; null for each one when ${NODE_NULL}.`,
      args: { ids: { description: 'Global ids, as returned in `id` fields.' } },
    },
    // A global id that is malformed, names no loadable type, or a type the key's role may not
    // read is simply not found (null), like another client's id, instead of an internal error or
    // FORBIDDEN (which would tell that the object exists): it decodes to an id no row has.
    decodeGlobalID: (globalID, ctx) => {
      try {
        const decoded = decodeGlobalID(globalID);
        if (isLoadableNodeType(decoded.typename) && roleMayRead(decoded.typename, ctx.viewer.role)) return decoded;
      } catch {
        // fall through
      }
      return { typename: 'Client', id: NO_ROW_ID };
    },
    // Descriptions for the types and fields the relay plugin generates (GraphiQL's docs pane).
    nodeTypeOptions: { description: 'An object with a global id, fetchable with `node(id)`.' },
    idFieldOptions: { description: 'Global id: opaque, stable, unique across types. Use it with `node(id)`.' },
    pageInfoTypeOptions: { description: 'Where a page sits in the whole list, for cursor pagination.' },
    hasNextPageFieldOptions: { description: 'True when more items follow this page (pass `endCursor` as `after`).' },
    hasPreviousPageFieldOptions: { description: 'True when items precede this page (pass `startCursor` as `before`).' },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page; null when the page is empty.' },
    pageInfoFieldOptions: { description: 'Cursors and whether more pages exist.' },
    edgesFieldOptions: {
      nullable: { list: false, items: false },
      description: 'The items of the page with their cursors.',
    },
    nodesOnConnection: { description: 'The items of the page (shortcut for `edges { node }`).' },
    cursorFieldOptions: {
      description:
        'Opaque position of this item; pass it as `after` or `before` to this same list, in the same order, with a key of the same client. It stops being valid when the item is removed or no longer visible to the key.',
    },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    firstArgOptions: {
      description: 'Page size counting from the start (or from `after`): default 100, 0 to 1000. Not with `before`.',
    },
    afterArgOptions: {
      description: `Return items after this cursor (an \`endCursor\` or edge \`cursor\`). ${CURSOR_RULE}`,
    },
    lastArgOptions: { description: 'Page size counting from the end (or from `before`), 0 to 1000. Not with `after`.' },
    beforeArgOptions: {
      description: `Return items before this cursor (a \`startCursor\` or edge \`cursor\`). ${CURSOR_RULE}`,
    },
  },
  errors: { defaultTypes: [] },
});

/**
 * The scalar, but a variable value it rejects fails with `extensions.code: BAD_USER_INPUT`
 * (graphql-js copies the code onto its "Variable $input got invalid value … at input.x.y" error).
 * Literals in the document already fail validation with GRAPHQL_VALIDATION_FAILED.
 */
function withInputErrorCode(scalar: GraphQLScalarType): GraphQLScalarType {
  return new GraphQLScalarType({
    ...scalar.toConfig(),
    parseValue(value) {
      // A lone surrogate would be replaced (by URL parsing, or as UTF-8 in the database) unseen.
      if (typeof value === 'string' && !wellFormed(value))
        throw new GraphQLError(`${scalar.name}: ${SURROGATE_MESSAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
      try {
        return scalar.parseValue(value);
      } catch (error) {
        throw new GraphQLError(error instanceof Error ? error.message : String(error), {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
    },
  });
}

/**
 * EmailAddress that ignores surrounding spaces: e-mails are stored trimmed and lower-cased, and
 * matched the same way.
 */
function trimmingEmail(scalar: GraphQLScalarType): GraphQLScalarType {
  return new GraphQLScalarType({
    ...scalar.toConfig(),
    parseValue: (value) => scalar.parseValue(typeof value === 'string' ? value.trim() : value),
    parseLiteral: (ast, variables) =>
      scalar.parseLiteral(ast.kind === Kind.STRING ? { ...ast, value: ast.value.trim() } : ast, variables),
  });
}

/** A uuid no row has: lookups by it find nothing. */
export const NO_ROW_ID = '00000000-0000-0000-0000-000000000000';

/** False when the type's own authScopes (e.g. `{ staff: true }`) grant none of the role's scopes. */
function roleMayRead(typename: string, role: Role): boolean {
  const { authScopes } = builder.configStore.getTypeConfig(typename, 'Object').pothosOptions as {
    authScopes?: Partial<Scopes> | ((...args: unknown[]) => unknown);
  };
  if (!authScopes || typeof authScopes === 'function') return true;
  const granted = scopesOf(role);
  return (Object.keys(authScopes) as (keyof Scopes)[]).some((scope) => authScopes[scope] && granted[scope]);
}

/** True for object types `node(id)` can load (prismaNode and node types). */
function isLoadableNodeType(typename: string): boolean {
  try {
    const options = builder.configStore.getTypeConfig(typename, 'Object').pothosOptions as Record<string, unknown>;
    return ['loadOne', 'loadMany', 'loadWithoutCache', 'loadManyWithoutCache'].some(
      (k) => typeof options[k] === 'function',
    );
  } catch {
    return false;
  }
}

builder.addScalarType('DateTime', withInputErrorCode(DateTimeResolver));
builder.addScalarType('Date', withInputErrorCode(DateResolver));
builder.addScalarType('EmailAddress', withInputErrorCode(trimmingEmail(EmailAddressResolver)));
builder.addScalarType('URL', withInputErrorCode(URLResolver));
builder.addScalarType('JSONObject', withInputErrorCode(JSONObjectResolver));

builder.queryType({ description: "Everything a key can read. All results belong to the key's client." });
builder.mutationType({
  description:
    'Everything a key can change. Each mutation returns a union of its success type and the errors it can meet.',
});
