// GET /metrics (Prometheus text format) behind `Authorization: Bearer <METRICS_TOKEN>`, and the
// per-request series. Without a token /metrics is 404 like any unknown path; a wrong or missing
// bearer gets 401. Registered right after useRequestLog: it reads the request state that plugin
// fills (operation name, role, cost, error codes) once the response is out.
import { timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { TrustedDocumentsSettings } from '../http/trusted-documents.ts';
import { requestStateOf } from '../http/request-state.ts';
import type { Metrics } from './metrics.ts';
import { manifestOperationNames, OperationNames } from './operation-names.ts';

const CODE = /^[A-Z][A-Z0-9_]{0,59}$/;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorized(header: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return !!match && sameSecret(match[1]!, token);
}

export function useMetrics(metrics: Metrics | undefined, trustedDocuments: TrustedDocumentsSettings): Plugin {
  if (!metrics) return {};
  const names = new OperationNames(manifestOperationNames(trustedDocuments.manifestPath), metrics.maxOperationNames);
  const { token } = metrics;
  return {
    // Synchronous for every other path: an async hook would cost each request a promise.
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname !== '/metrics' || !token) return;
      if (request.method !== 'GET') {
        return endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET' } }));
      }
      if (!authorized(request.headers.get('authorization'), token)) {
        return endResponse(
          new fetchAPI.Response('Send "Authorization: Bearer <METRICS_TOKEN>".\n', {
            status: 401,
            headers: { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
      }
      return metrics
        .scrape()
        .then(({ contentType, body }) =>
          endResponse(
            new fetchAPI.Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } }),
          ),
        );
    },
    onResponse({ request, response, serverContext }) {
      if (!/^[a-z]+:\/\/[^/]+\/graphql(?=[/?]|$)/.test(request.url)) return;
      const state = requestStateOf(serverContext);
      if (!state) return;
      const role = state.role ?? 'none';
      const operation = names.label(state.operationName, state.role);
      metrics.requests.inc({ operation, role, status: String(response.status) });
      metrics.duration.observe({ operation, role }, (performance.now() - state.startedAt) / 1000);
      if (state.cost !== undefined) metrics.cost.observe({ role }, state.cost);
      for (const code of state.errorCodes) {
        metrics.errors.inc({ code: CODE.test(code) ? code : 'OTHER' });
        if (code === 'RATE_LIMITED') metrics.rateLimited.inc({ role });
      }
    },
  };
}
