// Static query limits, checked while parsing and validating (before anything runs):
// graphql-armor for depth, aliases, directives and tokens, with every option pinned here
// (its packages' defaults differ and change between versions) and fragments flattened, so
// depth hidden in fragment spreads and inline fragments still counts. Cost is ours (cost.ts):
// armor's cost limit cannot weigh `first`/`last`. With introspection off, introspection fields
// are refused and "Did you mean …?" suggestions are removed from error messages.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from '../../config.ts';

type Limit = 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens';
const WHAT: Record<Limit, string> = {
  maxDepth: 'Query depth',
  maxAliases: 'Number of aliases',
  maxDirectives: 'Number of directives',
  maxTokens: 'Number of tokens',
};

/** Armor's own errors say "Syntax Error: …" without a code; ours name the limit. */
function limitCallbacks(limit: Limit, max: number) {
  return {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, error: GraphQLError) => {
        const found = /found (\d+)/.exec(error.message)?.[1];
        const limitError = new GraphQLError(
          `${WHAT[limit]} is over the limit of ${max}${found ? ` (found ${found})` : ''}. Split the query or use variables.`,
          {
            extensions: {
              code: 'QUERY_LIMIT_EXCEEDED',
              limit,
              max,
              ...(found ? { found: Number(found) } : {}),
              http: { status: 400 },
            },
          },
        );
        if (ctx) ctx.reportError(limitError);
        else throw limitError; // the token limit runs in the parser, which has no context
      },
    ],
  };
}

export function useQueryLimits(limits: QueryLimits, introspection: boolean): Plugin[] {
  const armor = EnvelopArmorPlugin({
    maxDepth: {
      enabled: true,
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...limitCallbacks('maxDepth', limits.maxDepth),
    },
    maxAliases: {
      enabled: true,
      n: limits.maxAliases,
      allowList: [],
      ...limitCallbacks('maxAliases', limits.maxAliases),
    },
    maxDirectives: { enabled: true, n: limits.maxDirectives, ...limitCallbacks('maxDirectives', limits.maxDirectives) },
    maxTokens: { enabled: true, n: limits.maxTokens, ...limitCallbacks('maxTokens', limits.maxTokens) },
    // Replaced by the connection-aware cost in cost.ts / rate-limit.ts.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection, mask: '' },
  }) as Plugin;
  if (introspection) return [armor];
  const noIntrospection: Plugin = {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
  return [armor, noIntrospection];
}
