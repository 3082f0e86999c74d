// The one Pothos builder: plugins, scalars, auth scopes, paging rules and the Error interface.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateResolver, DateTimeResolver, EmailAddressResolver, JSONObjectResolver, URLResolver } from 'graphql-scalars';
import type { Context } from './context.ts';
import type PrismaTypes from '../../generated/prisma/pothos-types.ts';
import { getDatamodel } from '../../generated/prisma/pothos-types.ts';
import { SURROGATE_MESSAGE, wellFormed } from '../rules/input-rules.ts';

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
    authScopes: (ctx) => ({
      admin: ctx.viewer.role === 'ADMIN',
      staff: ctx.viewer.role === 'ADMIN' || ctx.viewer.role === 'SUPPORT',
      storefront: true,
    }),
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
      description: 'Fetches any object by its global id; null when it does not exist or belongs to another client.',
      args: { id: { description: 'A global id, as returned in an `id` field.' } },
    },
    nodesQueryOptions: {
      description:
        'Fetches objects by their global ids, in order; null for each one that does not exist or belongs to another client.',
      args: { ids: { description: 'Global ids, as returned in `id` fields.' } },
    },
    // A global id that is malformed or names no loadable type is simply not found (null), like
    // another client's id, instead of an internal error: it decodes to an id no row has.
    decodeGlobalID: (globalID) => {
      try {
        const decoded = decodeGlobalID(globalID);
        if (isLoadableNodeType(decoded.typename)) return decoded;
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
    cursorFieldOptions: { description: 'Opaque position of this item; pass it as `after` or `before`.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    firstArgOptions: { description: 'Page size counting from the start (or from `after`): default 100, at most 1000.' },
    afterArgOptions: { description: 'Return items after this cursor (an `endCursor` or edge `cursor`).' },
    lastArgOptions: { description: 'Page size counting from the end (or from `before`), at most 1000.' },
    beforeArgOptions: { description: 'Return items before this cursor (a `startCursor` or edge `cursor`).' },
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
