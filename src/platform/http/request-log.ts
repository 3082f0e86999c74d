// One pino line per request: request id, operation name, duration, key prefix, client slug,
// role, cost, status and error codes. Never the query text, variables, headers or any value
// a caller sent: those may hold keys and personal data. The id is echoed as `x-request-id`.
import type { Plugin } from 'graphql-yoga';
import { keyFromHeader, ROLE_PREFIX } from '../auth/keys.ts';
import type { Context } from '../graphql/context.ts';
import type { Logger } from '../logger.ts';
import { selectOperation } from './cost.ts';
import { attachRequestState, requestStateOf, type RequestState } from './request-state.ts';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const KEY_PREFIX = new RegExp(`^(${Object.values(ROLE_PREFIX).join('|')})[A-Za-z0-9_-]{8}`);

/** The shown part of a presented key (role prefix + 8), even when the key is invalid. */
function presentedKeyPrefix(header: string | null): string | undefined {
  const key = keyFromHeader(header);
  return key ? KEY_PREFIX.exec(key)?.[0] : undefined;
}

function errorCodes(result: unknown): string[] {
  const results = Array.isArray(result) ? result : [result];
  return results.flatMap((r) =>
    r && typeof r === 'object' && 'errors' in r && Array.isArray(r.errors)
      ? r.errors.map((e: { extensions?: { code?: unknown } }) => String(e.extensions?.code ?? 'GRAPHQL_ERROR'))
      : [],
  );
}

export function useRequestLog(logger: Logger): Plugin {
  const states = new WeakMap<object, RequestState>();
  return {
    onRequest({ request, serverContext }) {
      const state = attachRequestState(serverContext, request.headers);
      state.keyPrefix = presentedKeyPrefix(request.headers.get('authorization'));
      states.set(serverContext, state);
    },
    onExecute({ args }) {
      const state = requestStateOf(args.contextValue);
      const viewer = (args.contextValue as Partial<Context>).viewer;
      if (!state) return;
      state.operationName = selectOperation(args.document, args.operationName)?.name?.value ?? state.operationName;
      if (viewer) {
        state.keyPrefix = viewer.key.prefix;
        state.clientSlug = viewer.client.slug;
        state.role = viewer.role;
      }
    },
    onResultProcess({ result, serverContext }) {
      const state = states.get(serverContext);
      if (state) state.errorCodes.push(...errorCodes(result));
    },
    onResponse({ request, response, serverContext }) {
      // yoga's health check (/healthz) answers before any onRequest of ours: it gets its id here.
      const state = states.get(serverContext) ?? attachRequestState(serverContext, request.headers);
      response.headers.set('x-request-id', state.requestId);
      const path = new URL(request.url, 'http://localhost').pathname;
      const line = {
        requestId: state.requestId,
        method: request.method,
        path,
        operationName: state.operationName,
        durationMs: Math.round((performance.now() - state.startedAt) * 10) / 10,
        keyPrefix: state.keyPrefix,
        client: state.clientSlug,
        role: state.role,
        cost: state.cost,
        status: response.status,
        errors: state.errorCodes.length ? state.errorCodes : undefined,
      };
      if (PROBES.has(path)) logger.debug(line, 'probe');
      else logger.info(line, 'request');
    },
  };
}
