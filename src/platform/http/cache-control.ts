// HTTP caching of GraphQL responses. A STOREFRONT key only ever reads published content, and
// the same key ships to every visitor of a shop, so its successful GET queries (persisted
// queries: short, stable URLs) may be cached by a CDN, for at most a minute in all (fresh plus
// stale), because an erased review must leave shared caches soon too (defaults):
//
//   Cache-Control: public, max-age=45, stale-while-revalidate=15
//
// Everything else on the GraphQL endpoint (POST, mutations, ADMIN/SUPPORT keys, personal data,
// any response with an error) is `private, no-store`. Every GraphQL response varies by
// Authorization (the key decides the client and role) and Accept (yoga answers
// application/graphql-response+json or application/json accordingly). `public` also lets a
// shared cache store a response to a request that carried Authorization (RFC 9111, 3.5).
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context.ts';

export const NO_STORE = 'private, no-store';

/** How long a shared cache may keep a storefront answer: `maxAge` fresh, then `stale` more while it refetches. */
export interface SharedCacheSettings {
  maxAge: number;
  stale: number;
}

/** The most a shared cache may keep a storefront answer in all (maxAge + stale), in seconds. */
export const SHARED_CACHE_MAX_SECONDS = 60;

/** The storefront header; `private, no-store` when maxAge is 0 (no shared caching). */
export function storefrontCacheControl({ maxAge, stale }: SharedCacheSettings): string {
  if (maxAge === 0) return NO_STORE;
  return stale > 0 ? `public, max-age=${maxAge}, stale-while-revalidate=${stale}` : `public, max-age=${maxAge}`;
}
const VARY = ['Authorization', 'Accept'];

function addVary(headers: Headers) {
  const present = (headers.get('vary') ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  for (const name of VARY) if (!present.includes(name.toLowerCase())) headers.append('vary', name);
}

function hasErrors(result: unknown): boolean {
  return (
    !!result &&
    typeof result === 'object' &&
    'errors' in result &&
    Array.isArray(result.errors) &&
    result.errors.length > 0
  );
}

export function useCacheControl(graphqlEndpoint: string, shared: SharedCacheSettings): Plugin {
  const storefront = storefrontCacheControl(shared);
  /** Requests whose execution was a storefront GET read without errors so far. */
  const cacheable = new WeakSet<Request>();
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as Partial<Context> & { request?: Request };
      const request = ctx.request;
      if (request?.method !== 'GET' || ctx.viewer?.role !== 'STOREFRONT') return;
      return {
        onExecuteDone({ result }) {
          if (!(Symbol.asyncIterator in result) && !hasErrors(result)) cacheable.add(request);
        },
      };
    },
    onResultProcess({ request, result }) {
      // Errors added after execution (e.g. by other plugins) also make a response private.
      if (Array.isArray(result) ? result.some(hasErrors) : hasErrors(result)) cacheable.delete(request);
    },
    onResponse({ request, response }) {
      if (new URL(request.url, 'http://localhost').pathname !== graphqlEndpoint) return;
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) return; // GraphiQL
      const ok = response.status === 200 && cacheable.has(request);
      response.headers.set('cache-control', ok ? storefront : NO_STORE);
      addVary(response.headers);
    },
  };
}
