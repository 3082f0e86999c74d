// Answers to STOREFRONT queries kept in memory: a shop's product pages are read by every
// visitor with the same key, and a cached answer costs a fraction of executing it (bench/).
// It is a NotifiedCache on channel "content_changed" (migration content_notify): any change
// to a client's products, reviews, questions or seller reviews — a review published, a product
// updated, personal data erased — forgets that client's answers in every process at once, and
// while the process is not listening nothing is served from memory. So the cache never shows
// what the database no longer says, beyond the moment a notification takes to arrive.
//
// Only queries of STOREFRONT keys (published content only, no personal data of customers) are
// cached, keyed by client, document and variables, and only when every root field reads
// content (CONTENT_ROOT_FIELDS: what the triggers watch; not `viewer`, whose client name lives
// elsewhere, nor `node`); never mutations, other roles, or answers with errors. Rate limiting
// still charges every request (useQueryCost runs between lookup and serve): an answer from
// memory takes RATE_LIMIT_CACHED_COST points, what it costs us, instead of its query's cost.
import { getOperationAST, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context.ts';
import { NotifiedCache } from '../db/notified-cache.ts';
import { rootFieldNames } from './query-analysis.ts';

export const CONTENT_CHANGES_CHANNEL = 'content_changed';

type Result = Record<string, unknown>;

/** A cached answer: its data, and that data already serialized. */
interface Cached {
  data: unknown;
  json: string;
}

/**
 * Yoga serializes a result with its own `stringify` when it has one. A hit's data is serialized
 * already: the rest (this request's extensions) is added, keys in the result's order, so the
 * text is exactly what JSON.stringify would make.
 */
function stringifyWith(cached: Cached) {
  return (result: Result): string => {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(result)) {
      if (value === undefined || key === 'stringify') continue;
      parts.push(
        `${JSON.stringify(key)}:${key === 'data' && value === cached.data ? cached.json : JSON.stringify(value)}`,
      );
    }
    return `{${parts.join(',')}}`;
  };
}

export class ResponseCache extends NotifiedCache<Cached> {}

/** Root fields whose answers come only from the tables the content_changed triggers watch. */
export const CONTENT_ROOT_FIELDS = new Set([
  'product',
  'products',
  'reviews',
  'questions',
  'sellerReviews',
  'sellerRatingSummary',
  '__typename',
]);

const readsOnlyContent = (document: DocumentNode, operation: OperationDefinitionNode) =>
  [...rootFieldNames(document, operation)].every((name) => CONTENT_ROOT_FIELDS.has(name));

function isCacheable(result: unknown): result is Result {
  return (
    !!result &&
    typeof result === 'object' &&
    !(Symbol.asyncIterator in result) &&
    !('errors' in result && (result as { errors?: unknown[] }).errors?.length)
  );
}

export interface ResponseCachePlugins {
  /** Before the cost plugin: finds this operation's answer, if memory has one. */
  lookup: Plugin;
  /** After the cost plugin: answers from memory what `lookup` found, or stores a fresh answer. */
  serve: Plugin;
  /** Whether `lookup` found this operation's answer (by its GraphQL context). */
  isHit(contextValue: unknown): boolean;
}

/**
 * Two plugins around the cost plugin, so an answer from memory is charged what it costs us
 * (RATE_LIMIT_CACHED_COST) instead of its query's cost, and still charged: `lookup` finds it,
 * the cost plugin charges (or refuses), `serve` answers with it.
 */
export function useResponseCache(cache: ResponseCache | undefined): ResponseCachePlugins {
  if (!cache) return { lookup: {}, serve: {}, isHit: () => false };
  // Yoga reuses the parsed document of a query text it has seen, so documents get short ids
  // (or null: not cacheable), worked out once per document and operation.
  const documentIds = new WeakMap<DocumentNode, Map<string, string | null>>();
  let nextId = 0;
  const documentId = (document: DocumentNode, operationName: string | null | undefined) => {
    let ops = documentIds.get(document);
    if (!ops) {
      ops = new Map();
      documentIds.set(document, ops);
    }
    let id = ops.get(operationName ?? '');
    if (id === undefined) {
      const operation = getOperationAST(document, operationName);
      id = operation?.operation === 'query' && readsOnlyContent(document, operation) ? String(nextId++) : null;
      ops.set(operationName ?? '', id);
    }
    return id;
  };
  /** Per operation (its GraphQL context): the cache key and, on a hit, the answer found. */
  const found = new WeakMap<object, { key: string; scope: string; hit: Cached | undefined; ticket: number }>();
  return {
    lookup: {
      onExecute({ args }) {
        const ctx = args.contextValue as Partial<Context>;
        if (ctx.viewer?.role !== 'STOREFRONT' || !cache.active) return;
        const id = documentId(args.document, args.operationName);
        if (id === null) return;
        const scope = ctx.viewer.clientId;
        const key = `${scope}\u0000${id}\u0000${JSON.stringify(args.variableValues ?? {})}`;
        found.set(args.contextValue, { key, scope, hit: cache.get(key), ticket: cache.ticket() });
      },
    },
    serve: {
      onExecute({ args, setResultAndStopExecution }) {
        const entry = found.get(args.contextValue);
        if (!entry) return;
        const { key, scope, hit } = entry;
        // A change heard since the lookup (while the rate limit was charged) may concern it.
        if (hit && entry.ticket === cache.ticket()) {
          // A new object: plugins add this request's extensions (cost) to the result they get.
          return void setResultAndStopExecution({ data: hit.data as Result, stringify: stringifyWith(hit) } as {
            data: Result;
          });
        }
        const ticket = cache.ticket();
        return {
          onExecuteDone({ result }) {
            // Only the data: extensions (cost, …) belong to the request that ran it.
            if (isCacheable(result))
              cache.set(key, { data: result.data, json: JSON.stringify(result.data) }, ticket, scope);
          },
        };
      },
    },
    isHit: (contextValue) =>
      !!contextValue && typeof contextValue === 'object' && found.get(contextValue)?.hit !== undefined,
  };
}
