// The API key is checked before anything reads the document: a request without a valid key
// gets 401 UNAUTHENTICATED before persisted-query lookup, parsing and validation, so it learns
// nothing about the schema (no "Did you mean …"). The verified viewer is kept in the request
// state for the persisted-query store, the rate limits and the GraphQL context.
//
// Requests without a valid key (none, malformed, unknown, revoked) are rate limited per client
// address (client-address.ts): each takes 1 point from the address's UNAUTHENTICATED bucket,
// and one that finds it empty gets RATE_LIMITED (HTTP 429, Retry-After) instead of 401. A key
// the caches do not know is looked up in the database only while that bucket has a point left,
// so a flood of made-up keys from one address reaches the database a bounded number of times;
// a repeated made-up key does not reach it again while it is remembered as unknown (key-cache.ts).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Db } from '../db/client.ts';
import { authenticate } from '../auth/authenticate.ts';
import type { KeyCache } from '../auth/key-cache.ts';
import { keyFromHeader } from '../auth/keys.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { Logger } from '../logger.ts';
import { clientAddress } from './client-address.ts';
import { publicError } from './errors.ts';
import { requestStateOf, type RequestState } from './request-state.ts';
import { rateLimited, type CostLimiter } from './token-bucket.ts';

export const MISSING_KEY = 'Missing API key. Send "Authorization: Bearer <key>".';
export const INVALID_KEY = 'The API key is not valid: unknown, malformed or revoked.';

export function unauthenticated(message: string) {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="graphql"' } },
    },
  });
}

export interface AuthenticationOptions {
  db: Db;
  logger: Logger;
  keyCache?: KeyCache;
  /** Absent: requests without a valid key are refused (401) but not rate limited. */
  limiter?: CostLimiter;
  trustedProxyHops: number;
}

const addressLimit = (seconds: number) =>
  `Too many requests without a valid API key from this address; retry in ${seconds} s.`;

export function useAuthentication(options: AuthenticationOptions): Plugin {
  const { db, logger, keyCache, limiter, trustedProxyHops } = options;
  // Operations of one batched request share its state, and are authenticated once.
  const verdicts = new WeakMap<RequestState, Promise<Viewer>>();

  /** Throws RATE_LIMITED when the address's bucket cannot pay `cost` (0: has it a point left?). */
  async function chargeAddress(address: string, cost: number) {
    if (!limiter) return;
    const verdict = await limiter.consume('UNAUTHENTICATED', address, cost);
    if (!verdict.allowed || (cost === 0 && verdict.remaining < 1)) {
      throw rateLimited(verdict.retryAfterMs || 1000, addressLimit);
    }
  }

  async function verify(request: Request, state: RequestState): Promise<Viewer> {
    const address = state.clientAddress!;
    const header = request.headers.get('authorization');
    const key = keyFromHeader(header);
    let viewer: Viewer | null = null;
    if (key) {
      try {
        viewer = await authenticate(db, key, keyCache, () => chargeAddress(address, 0));
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
        throw publicError(error, { requestId: state.requestId, logger, wholeRequest: true });
      }
    }
    if (viewer) return viewer;
    await chargeAddress(address, 1);
    throw unauthenticated(header?.trim() ? INVALID_KEY : MISSING_KEY);
  }

  return {
    async onParams({ request, context }) {
      const state = requestStateOf(context);
      if (!state) throw new Error('useAuthentication needs useRequestLog before it');
      state.clientAddress ??= clientAddress(context, request.headers, trustedProxyHops);
      let verdict = verdicts.get(state);
      if (!verdict) {
        verdict = verify(request, state);
        verdicts.set(state, verdict);
      }
      state.viewer = await verdict;
    },
  };
}
