// Per-request facts for the log line, error reports and later plugins, kept on yoga's server
// context (the object the GraphQL context is built from, so resolvers' plugins can reach it too).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Viewer } from '../auth/viewer.ts';

export interface RequestState {
  requestId: string;
  startedAt: number;
  operationName?: string;
  keyPrefix?: string;
  clientSlug?: string;
  role?: string;
  cost?: number;
  /** Error codes in the response, in order (e.g. RATE_LIMITED, INTERNAL_SERVER_ERROR). */
  errorCodes: string[];
  /** The caller's address bucket (client-address.ts), once authentication has looked. */
  clientAddress?: string;
  /** Who is calling, once authentication (authentication.ts) has verified the key. */
  viewer?: Viewer;
}

const STATE = Symbol.for('merchant-api.request-state');
/** The request being handled, for code that is given no context (yoga's maskError). */
const current = new AsyncLocalStorage<RequestState>();
const INCOMING_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** A caller's `x-request-id` is kept when it looks like an id; otherwise a fresh UUID. */
export function attachRequestState(serverContext: object, headers: Headers): RequestState {
  const incoming = headers.get('x-request-id');
  const state: RequestState = {
    requestId: incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID(),
    startedAt: performance.now(),
    errorCodes: [],
  };
  (serverContext as Record<symbol, RequestState>)[STATE] = state;
  // Everything this request runs from here on (every hook, resolver and error mask) sees it.
  current.enterWith(state);
  return state;
}

/** The state of the request whose work is running, if any. */
export function currentRequestState(): RequestState | undefined {
  return current.getStore();
}

export function requestStateOf(context: unknown): RequestState | undefined {
  return context && typeof context === 'object'
    ? (context as Record<symbol, RequestState | undefined>)[STATE]
    : undefined;
}
