// createApp(deps) → the yoga instance. Tests call app.fetch; server.ts mounts it on node:http.
// The protections live in src/platform/http/ (limits, cost and rate limit, errors, logging, health).
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { KeyCache } from './platform/auth/key-cache.ts';
import {
  DEFAULT_ERASURE_SETTINGS,
  DEFAULT_HTTP_SETTINGS,
  DEFAULT_INVITATION_SETTINGS,
  type HttpSettings,
  type QueryLimits,
  type RateLimitSettings,
} from './config.ts';
import type { Context, ResolverSettings } from './platform/graphql/context.ts';
import type { Db } from './platform/db/client.ts';
import { MISSING_KEY, unauthenticated, useAuthentication } from './platform/http/authentication.ts';
import { useQueryLimits } from './platform/http/armor.ts';
import { useBodyLimit } from './platform/http/body-limit.ts';
import { useCursorGuard } from './platform/http/cursor-guard.ts';
import { corsFor, useCrossSiteRequestCheck, useVaryOrigin } from './platform/http/cross-site.ts';
import { useCacheControl } from './platform/http/cache-control.ts';
import { maskError, useErrorCodes, useErrorMapping } from './platform/http/errors.ts';
import { useFieldMergeLimit } from './platform/http/field-merge-limit.ts';
import { graphiqlOptions, renderGraphiQL } from './platform/http/graphiql.ts';
import { useHealth } from './platform/http/health.ts';
import { useRequestTimeout } from './platform/http/request-timeout.ts';
import { useTestDelay } from './platform/http/test-delay.ts';
import { useExplainedUnsupportedMediaType } from './platform/http/unsupported-media-type.ts';
import { useQueryCost } from './platform/http/query-cost.ts';
import { useRequestLog } from './platform/http/request-log.ts';
import { useResponseCache, type ResponseCache } from './platform/http/response-cache.ts';
import { requestStateOf } from './platform/http/request-state.ts';
import { memoryLimiter, redisLimiter, type CostLimiter } from './platform/http/token-bucket.ts';
import { useTrustedDocuments } from './platform/http/trusted-documents.ts';
import { createLoaders } from './platform/graphql/loaders.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import type { Metrics } from './platform/observability/metrics.ts';
import { useMetrics } from './platform/observability/metrics-plugin.ts';
import { useTracing } from './platform/observability/tracing.ts';
import { outageLog } from './platform/outage-log.ts';
import { schema } from './schema.ts';

/**
 * `keyCache`: verified keys kept in memory while the process listens to key changes;
 * `responseCache`: STOREFRONT answers kept while it listens to content changes. server.ts wires
 * both to the database; without them every request reads its key and executes.
 * `erasureGraceDays`: the default grace period of requestErasure (config.erasure.graceDays).
 * `reviewInvitationLeaseMs`: how long a review invitation claim holds (config.invitations.leaseMs).
 */
export type AppOptions = {
  db: Db;
  logger?: Logger;
  limiter?: CostLimiter;
  keyCache?: KeyCache;
  responseCache?: ResponseCache;
  erasureGraceDays?: number;
  /** Prometheus metrics and GET /metrics (src/platform/observability/). */
  metrics?: Metrics;
  /** Spans for each request (startTracing must have registered a tracer provider). */
  tracing?: boolean;
  /** More yoga plugins, after ours (tests use one to make a hook fail). */
  plugins?: Plugin[];
  reviewInvitationLeaseMs?: number;
} & Partial<
  Omit<HttpSettings, 'limits' | 'rateLimit' | 'trustedDocuments'> & {
    limits: Partial<QueryLimits>;
    trustedDocuments: Partial<HttpSettings['trustedDocuments']>;
    rateLimit: Partial<Omit<RateLimitSettings, 'buckets'>> & { buckets?: Partial<RateLimitSettings['buckets']> };
  }
>;

/** `app.dispose()` releases what the app holds (the rate limiter's Redis connection). */
export type App = YogaServerInstance<Record<string, unknown>, Context>;

/** Settings = defaults (the environment's defaults) overridden by what the caller passes. */
export function resolveSettings(
  options: Omit<
    AppOptions,
    | 'db'
    | 'logger'
    | 'limiter'
    | 'keyCache'
    | 'responseCache'
    | 'erasureGraceDays'
    | 'plugins'
    | 'reviewInvitationLeaseMs'
    | 'metrics'
    | 'tracing'
  >,
): HttpSettings {
  const d = DEFAULT_HTTP_SETTINGS;
  return {
    ...d,
    ...options,
    limits: { ...d.limits, ...options.limits },
    trustedDocuments: { ...d.trustedDocuments, ...options.trustedDocuments },
    rateLimit: {
      ...d.rateLimit,
      ...options.rateLimit,
      buckets: { ...d.rateLimit.buckets, ...options.rateLimit?.buckets },
    },
  };
}

function createLimiter(settings: RateLimitSettings, logger: Logger): CostLimiter | undefined {
  if (!settings.enabled) return undefined;
  if (!settings.redisUrl) return memoryLimiter(settings.buckets);
  // One warning when Redis goes away and one when it is back, not one per request.
  const health = outageLog(
    logger,
    'warn',
    { store: 'redis' },
    {
      off: 'rate limit store unavailable; limiting in process memory',
      on: 'rate limit store back; buckets are shared again',
    },
  );
  return redisLimiter(settings.redisUrl, settings.redisPrefix, settings.buckets, health);
}

export function createApp(options: AppOptions): App {
  const {
    db,
    logger = createLogger('silent'),
    limiter: givenLimiter,
    keyCache,
    responseCache,
    erasureGraceDays = DEFAULT_ERASURE_SETTINGS.graceDays,
    metrics,
    tracing,
    plugins = [],
    reviewInvitationLeaseMs = DEFAULT_INVITATION_SETTINGS.leaseMs,
    ...rest
  } = options;
  const s = resolveSettings(rest);
  const settings: ResolverSettings = { erasureGraceDays, reviewInvitationLeaseMs };
  const limiter = givenLimiter ?? createLimiter(s.rateLimit, logger);
  const cache = useResponseCache(responseCache);
  const cachedCost = s.rateLimit.cachedCost;
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // Liveness is yoga's own health check, at /healthz (its default /health is not answered);
    // readiness (/readyz) is ours (platform/http/health.ts). `id` is what it sends as x-yoga-id.
    healthCheckEndpoint: '/healthz',
    id: 'merchant-data-api',
    landingPage: false,
    logging: false,
    graphiql: s.graphiql ? graphiqlOptions() : false,
    renderGraphiQL,
    // Our own limit (platform/http/body-limit.ts): yoga's pipes every body through a stream, at a cost.
    maxRequestBodySize: false,
    batching: s.batchLimit > 0 ? { limit: s.batchLimit } : false,
    // Cross-site safety (platform/http/cross-site.ts): CORS for the configured origins only, no
    // multipart bodies (no uploads here), and yoga's CSRF prevention below.
    cors: corsFor(s.corsOrigins),
    multipart: false,
    maskedErrors: { maskError: maskError(logger) },
    plugins: [
      { onDispose: () => limiter?.close() },
      ...(tracing ? [useTracing()] : []),
      useRequestLog(logger),
      useMetrics(metrics, s.trustedDocuments),
      useVaryOrigin(),
      useBodyLimit(s.maxBodyBytes),
      useCrossSiteRequestCheck(),
      useHealth(db, logger),
      useAuthentication({ db, logger, keyCache, limiter, trustedProxyHops: s.trustedProxyHops }),
      ...useTrustedDocuments(s.trustedDocuments),
      useCacheControl('/graphql', s.sharedCache),
      useFieldMergeLimit(),
      ...useQueryLimits(s.limits, s.introspection),
      ...(s.testDelayHeader ? [useTestDelay(logger)] : []),
      cache.lookup,
      useQueryCost({
        maxCost: s.limits.maxCost,
        maxFields: s.limits.maxFields,
        limiter,
        buckets: s.rateLimit.buckets,
        price: (ctx, cost) => (cache.isHit(ctx) ? Math.min(cost, cachedCost) : cost),
      }),
      cache.serve,
      useCursorGuard(logger),
      useRequestTimeout(s.requestTimeoutMs),
      useErrorMapping(logger),
      useErrorCodes(),
      useExplainedUnsupportedMediaType(),
      ...plugins,
    ],
    context: (initial): Context => {
      // useAuthentication verified the key before the document was read.
      const viewer = requestStateOf(initial)?.viewer;
      if (!viewer) throw unauthenticated(MISSING_KEY);
      return { db, viewer, loaders: createLoaders(db, viewer.clientId), cursors: new Map(), settings };
    },
  });
}
