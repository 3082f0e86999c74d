// createApp(deps) → the yoga instance. Tests call app.fetch; server.ts mounts it on node:http.
// The protections live in src/platform/http/ (limits, cost and rate limit, errors, logging, health).
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { KeyCache } from './platform/auth/key-cache.ts';
import { keyFromHeader } from './platform/auth/keys.ts';
import {
  DEFAULT_ERASURE_SETTINGS,
  DEFAULT_WEBHOOK_SETTINGS,
  DEFAULT_HTTP_SETTINGS,
  type HttpSettings,
  type QueryLimits,
  type RateLimitSettings,
} from './config.ts';
import type { Context, ResolverSettings } from './platform/graphql/context.ts';
import type { Db } from './platform/db/client.ts';
import { authenticate } from './platform/auth/authenticate.ts';
import type { Viewer } from './platform/auth/viewer.ts';
import { useQueryLimits } from './platform/http/armor.ts';
import { useBodyLimit } from './platform/http/body-limit.ts';
import { useCacheControl } from './platform/http/cache-control.ts';
import { maskError, publicError, useErrorCodes, useErrorMapping } from './platform/http/errors.ts';
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
import { createLogger, safeError, type Logger } from './platform/logger.ts';
import { schema } from './schema.ts';

/**
 * `keyCache`: verified keys kept in memory while the process listens to key changes;
 * `responseCache`: STOREFRONT answers kept while it listens to content changes. server.ts wires
 * both to the database; without them every request reads its key and executes.
 * `erasureGraceDays`: the default grace period of requestErasure (config.erasure.graceDays).
 * `webhookAllowedHttpHosts`: hosts webhook endpoints may reach over http (config.webhooks.allowedHttpHosts).
 */
export type AppOptions = {
  db: Db;
  logger?: Logger;
  limiter?: CostLimiter;
  keyCache?: KeyCache;
  responseCache?: ResponseCache;
  erasureGraceDays?: number;
  webhookAllowedHttpHosts?: string[];
} & Partial<
  Omit<HttpSettings, 'limits' | 'rateLimit'> & { limits: Partial<QueryLimits>; rateLimit: Partial<RateLimitSettings> }
>;

/** `app.dispose()` releases what the app holds (the rate limiter's Redis connection). */
export type App = YogaServerInstance<Record<string, unknown>, Context>;

function unauthenticated(message: string) {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="graphql"' } },
    },
  });
}

/** Settings = defaults (the environment's defaults) overridden by what the caller passes. */
export function resolveSettings(
  options: Omit<
    AppOptions,
    'db' | 'logger' | 'limiter' | 'keyCache' | 'responseCache' | 'erasureGraceDays' | 'webhookAllowedHttpHosts'
  >,
): HttpSettings {
  const d = DEFAULT_HTTP_SETTINGS;
  return {
    ...d,
    ...options,
    limits: { ...d.limits, ...options.limits },
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
  return redisLimiter(settings.redisUrl, settings.redisPrefix, settings.buckets, (error) =>
    logger.warn({ err: safeError(error) }, 'rate limit store unavailable; limiting in process memory'),
  );
}

export function createApp(options: AppOptions): App {
  const {
    db,
    logger = createLogger('silent'),
    limiter: givenLimiter,
    keyCache,
    responseCache,
    erasureGraceDays = DEFAULT_ERASURE_SETTINGS.graceDays,
    webhookAllowedHttpHosts = DEFAULT_WEBHOOK_SETTINGS.allowedHttpHosts,
    ...rest
  } = options;
  const s = resolveSettings(rest);
  const settings: ResolverSettings = { erasureGraceDays, webhookAllowedHttpHosts };
  const limiter = givenLimiter ?? createLimiter(s.rateLimit, logger);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    graphiql: s.graphiql ? graphiqlOptions() : false,
    renderGraphiQL,
    // Our own limit (platform/http/body-limit.ts): yoga's pipes every body through a stream, at a cost.
    maxRequestBodySize: false,
    batching: s.batchLimit > 0 ? { limit: s.batchLimit } : false,
    cors: s.corsOrigins.length
      ? {
          origin: s.corsOrigins,
          methods: ['GET', 'POST'],
          allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
          exposedHeaders: ['x-request-id', 'retry-after'],
          credentials: false,
          maxAge: 600,
        }
      : false,
    maskedErrors: { maskError: maskError(logger) },
    plugins: [
      { onDispose: () => limiter?.close() },
      useRequestLog(logger),
      useBodyLimit(s.maxBodyBytes),
      useHealth(db, logger),
      ...useTrustedDocuments(s.trustedDocuments),
      useCacheControl('/graphql'),
      useFieldMergeLimit(),
      ...useQueryLimits(s.limits, s.introspection),
      ...(s.testDelayHeader ? [useTestDelay(logger)] : []),
      useQueryCost({ maxCost: s.limits.maxCost, maxFields: s.limits.maxFields, limiter, buckets: s.rateLimit.buckets }),
      useResponseCache(responseCache),
      useRequestTimeout(s.requestTimeoutMs),
      useErrorMapping(logger),
      useErrorCodes(),
      useExplainedUnsupportedMediaType(),
    ],
    context: async (initial): Promise<Context> => {
      const key = keyFromHeader(initial.request.headers.get('authorization'));
      if (!key) throw unauthenticated('Missing API key. Send "Authorization: Bearer <key>".');
      let viewer: Viewer | null;
      try {
        viewer = await authenticate(db, key, keyCache);
      } catch (error) {
        throw publicError(error, { requestId: requestStateOf(initial)?.requestId, logger, wholeRequest: true });
      }
      if (!viewer) throw unauthenticated('The API key is not valid: unknown, malformed or revoked.');
      return { db, viewer, loaders: createLoaders(db, viewer.clientId), settings };
    },
  });
}
