// Answers to STOREFRONT queries kept in memory: a shop's product pages are read by every
// visitor with the same key, and a cached answer costs a fraction of executing it (bench/).
// It is a NotifiedCache on channel "content_changed" (migration content_notify): any change
// to a client's products, reviews, questions or seller reviews — a review published, a product
// updated, personal data erased — forgets that client's answers in every process at once, and
// while the process is not listening nothing is served from memory. So the cache never shows
// what the database no longer says, beyond the moment a notification takes to arrive.
//
// Only queries of STOREFRONT keys (published content only, no personal data of customers) are
// cached, keyed by client, document and variables; never mutations, other roles, or answers
// with errors. Rate limiting still charges every request (useQueryCost runs before).
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { NotifiedCache } from '../db/notified-cache.ts';

export const CONTENT_CHANGES_CHANNEL = 'content_changed';

type Result = Record<string, unknown>;

export class ResponseCache extends NotifiedCache<Result> {
  hits = 0;
  misses = 0;
}

function isCacheable(result: unknown): result is Result {
  return !!result && typeof result === 'object' && !(Symbol.asyncIterator in result) && !('errors' in result && (result as { errors?: unknown[] }).errors?.length);
}

export function useResponseCache(cache: ResponseCache | undefined): Plugin {
  if (!cache) return {};
  // Yoga reuses the parsed document of a query text it has seen, so documents get short ids.
  const documentIds = new WeakMap<DocumentNode, string>();
  let nextId = 0;
  const documentId = (document: DocumentNode) => {
    let id = documentIds.get(document);
    if (id === undefined) documentIds.set(document, (id = String(nextId++)));
    return id;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Partial<Context>;
      if (ctx.viewer?.role !== 'STOREFRONT' || !cache.active) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      const scope = ctx.viewer.clientId;
      const key = `${scope}\u0000${documentId(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
      const hit = cache.get(key);
      if (hit) {
        cache.hits++;
        // A copy: plugins add this request's extensions (cost) to the result they get.
        return void setResultAndStopExecution({ ...hit });
      }
      cache.misses++;
      const ticket = cache.ticket();
      return {
        onExecuteDone({ result }) {
          // Only the data: extensions (cost, …) belong to the request that ran it.
          if (isCacheable(result)) cache.set(key, { data: result.data }, ticket, scope);
        },
      };
    },
  };
}
