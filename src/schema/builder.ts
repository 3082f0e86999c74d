// The one Pothos builder: plugins, scalars, auth scopes, paging rules and the Error interface.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import {
  DateResolver,
  DateTimeResolver,
  EmailAddressResolver,
  JSONObjectResolver,
  URLResolver,
} from 'graphql-scalars';
import type { Context } from '../context.ts';
import type PrismaTypes from '../generated/prisma/pothos-types.ts';
import { getDatamodel } from '../generated/prisma/pothos-types.ts';

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
      new GraphQLError(
        `A ${ctx.viewer.role} key may not use ${info.parentType.name}.${info.fieldName}.`,
        { extensions: { code: 'FORBIDDEN' } },
      ),
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
    nodesOnConnection: true,
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    nodeQueryOptions: {
      description: 'Fetches any object by its global id; null when it does not exist or belongs to another client.',
    },
    nodesQueryOptions: {
      description: 'Fetches objects by their global ids, in order; null for each one that does not exist or belongs to another client.',
    },
  },
  errors: { defaultTypes: [] },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', DateResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('URL', URLResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);

builder.queryType({ description: 'Everything a key can read. All results belong to the key\'s client.' });
builder.mutationType({ description: 'Everything a key can change. Each mutation returns a union of its success type and the errors it can meet.' });
