// Environment → typed configuration, validated once at start-up. Every limit has an explicit
// default here (and in README's configuration table); createApp takes the same settings so
// tests can tighten them.
import { z } from 'zod';
import { type ErasureSettings, erasureEnvironment, erasureSettingsOf } from './features/privacy/erasure-settings.ts';
import {
  type InvitationSettings,
  invitationEnvironment,
  invitationSettingsOf,
} from './features/invitations/invitation-settings.ts';
import type { Role } from './generated/prisma/enums.ts';
import { SHARED_CACHE_MAX_SECONDS, type SharedCacheSettings } from './platform/http/cache-control.ts';
import { originProblem } from './platform/http/cross-site.ts';
import type { TrustedDocumentsSettings } from './platform/http/trusted-documents.ts';
import {
  type ObservabilitySettings,
  observabilityEnvironment,
  observabilitySettingsOf,
} from './platform/observability/settings.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const ms = int(1, 3_600_000);

/** Limits checked before a query runs (graphql-armor plus our connection-aware cost). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Highest cost one operation may have (see src/platform/http/cost.ts). */
  maxCost: number;
  /** Most fields one operation may select with its fragments expanded (see src/platform/http/query-limits.ts). */
  maxFields: number;
}

/** A token bucket: `capacity` points, refilled at `restoreRate` points per second. */
export interface Bucket {
  capacity: number;
  restoreRate: number;
}

/**
 * The kinds of token bucket: one per API key of each role; `VISITOR`, one per STOREFRONT
 * visitor (key + client address); `UNAUTHENTICATED`, one per client address, charged 1 by
 * each request without a valid key.
 */
export type BucketName = Role | 'VISITOR' | 'UNAUTHENTICATED';

export interface RateLimitSettings {
  enabled: boolean;
  /** Shared store for several instances; in-process memory when unset. */
  redisUrl: string | undefined;
  /** Prefix of the Redis keys (several deployments can share one Redis). */
  redisPrefix: string;
  buckets: Record<BucketName, Bucket>;
  /** Points an answer served from the response cache takes, whatever the query's cost. */
  cachedCost: number;
}

/** What createApp needs besides the database. */
export interface HttpSettings {
  graphiql: boolean;
  introspection: boolean;
  limits: QueryLimits;
  rateLimit: RateLimitSettings;
  /** Largest request body accepted; larger gets HTTP 413. */
  maxBodyBytes: number;
  /** Execution time limit per request; past it the request gets TIMEOUT (HTTP 503). */
  requestTimeoutMs: number;
  /** Operations per batched request; 0 turns batching off. */
  batchLimit: number;
  /** Origins allowed by CORS; empty means no CORS headers (browsers on other sites are refused). */
  corsOrigins: string[];
  /** Test-only: honour an `x-test-delay-ms` header (never in production). */
  testDelayHeader: boolean;
  /** Persisted operations / trusted documents (src/platform/http/trusted-documents.ts). */
  trustedDocuments: TrustedDocumentsSettings;
  /** How long a CDN may keep a storefront GET answer (src/platform/http/cache-control.ts). */
  sharedCache: SharedCacheSettings;
  /** Proxies in front of the server whose `X-Forwarded-For` entry is trusted (client-address.ts). */
  trustedProxyHops: number;
}

export interface DatabaseTimeouts {
  /** Time to open a PostgreSQL connection (pg `connectionTimeoutMillis`). */
  connectTimeoutMs: number;
  /** Longest statement (server `statement_timeout`; the client gives up 1 s later). */
  queryTimeoutMs: number;
  /** Distinct SQL texts kept as prepared statements per connection; 0 = none. */
  preparedStatements: number;
  /** Heartbeat of the LISTEN connections: a silent one is found within twice this. */
  listenHeartbeatMs: number;
}

const schema = z
  .object({
    PORT: int(0, 65535).default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    NODE_ENV: z.string().optional(),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().min(1).default('.data/pglite'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    INTROSPECTION: bool.default(true),
    GRAPHIQL: bool.optional(),
    DEMO_DATA: bool.optional(),
    DB_POOL_SIZE: int(1, 200).default(10),
    DB_CONNECT_TIMEOUT_MS: ms.default(5_000),
    DB_QUERY_TIMEOUT_MS: ms.default(10_000),
    DB_PREPARED_STATEMENTS: int(0, 100_000).default(500),
    // A silent listener is found within 2 × this: at most 15 s keeps that within 30 s.
    DB_LISTEN_HEARTBEAT_MS: int(100, 15_000).default(10_000),
    API_KEY_CACHE_TTL_MS: int(0, 3_600_000).default(60_000),
    API_KEY_NEGATIVE_CACHE_TTL_MS: int(0, 3_600_000).default(30_000),
    API_KEY_NEGATIVE_CACHE_MAX_ENTRIES: int(1, 1_000_000).default(10_000),
    RESPONSE_CACHE_TTL_MS: int(0, 3_600_000).default(60_000),
    RESPONSE_CACHE_MAX_ENTRIES: int(1, 1_000_000).default(10_000),
    SHUTDOWN_TIMEOUT_MS: ms.default(10_000),
    QUERY_MAX_DEPTH: int(1, 100).default(12),
    QUERY_MAX_ALIASES: int(0, 1000).default(15),
    QUERY_MAX_DIRECTIVES: int(0, 1000).default(50),
    QUERY_MAX_TOKENS: int(10, 100_000).default(2_000),
    QUERY_MAX_COST: int(1, 10_000_000).default(10_000),
    QUERY_MAX_FIELDS: int(1, 10_000_000).default(5_000),
    RATE_LIMIT_ENABLED: bool.default(true),
    REDIS_URL: z.string().url().optional(),
    RATE_LIMIT_REDIS_PREFIX: z.string().min(1).max(100).default('rl'),
    RATE_LIMIT_ADMIN_CAPACITY: int(1, 100_000_000).default(20_000),
    RATE_LIMIT_ADMIN_RESTORE_RATE: int(1, 10_000_000).default(1_000),
    RATE_LIMIT_SUPPORT_CAPACITY: int(1, 100_000_000).default(10_000),
    RATE_LIMIT_SUPPORT_RESTORE_RATE: int(1, 10_000_000).default(250),
    RATE_LIMIT_STOREFRONT_CAPACITY: int(1, 100_000_000).default(100_000),
    RATE_LIMIT_STOREFRONT_RESTORE_RATE: int(1, 10_000_000).default(50_000),
    RATE_LIMIT_VISITOR_CAPACITY: int(1, 100_000_000).default(10_000),
    RATE_LIMIT_VISITOR_RESTORE_RATE: int(1, 10_000_000).default(200),
    RATE_LIMIT_UNAUTHENTICATED_CAPACITY: int(1, 100_000_000).default(1_000),
    RATE_LIMIT_UNAUTHENTICATED_RESTORE_RATE: int(1, 10_000_000).default(100),
    RATE_LIMIT_CACHED_COST: int(1, 10_000).default(1),
    TRUSTED_PROXY_HOPS: int(0, 10).default(0),
    MAX_BODY_BYTES: int(1_024, 100 * 1024 * 1024).default(2 * 1024 * 1024),
    REQUEST_TIMEOUT_MS: ms.default(30_000),
    GRAPHQL_BATCH_LIMIT: int(0, 100).default(0),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const origins = v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean);
        for (const o of origins) {
          const problem = originProblem(o);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }
        return origins;
      }),
    STOREFRONT_CACHE_MAX_AGE: int(0, SHARED_CACHE_MAX_SECONDS).default(45),
    STOREFRONT_CACHE_STALE: int(0, SHARED_CACHE_MAX_SECONDS).default(15),
    TEST_DELAY_HEADER: bool.default(false),
    TRUSTED_DOCUMENTS: z.enum(['off', 'storefront']).default('off'),
    TRUSTED_DOCUMENTS_MANIFEST: z.string().min(1).optional(),
    PERSISTED_QUERIES_PER_CLIENT: int(1, 1_000_000).default(1_000),
    ...erasureEnvironment,
    ...invitationEnvironment,
    ...observabilityEnvironment,
  })
  .superRefine((e, ctx) => {
    for (const role of ['ADMIN', 'SUPPORT', 'STOREFRONT', 'VISITOR', 'UNAUTHENTICATED'] as const) {
      const capacity = e[`RATE_LIMIT_${role}_CAPACITY`];
      // A request without a valid key takes 1 point, never a query's cost.
      if (role !== 'UNAUTHENTICATED' && capacity < e.QUERY_MAX_COST) {
        ctx.addIssue({
          code: 'custom',
          path: [`RATE_LIMIT_${role}_CAPACITY`],
          message: `must be at least QUERY_MAX_COST (${e.QUERY_MAX_COST}), or the costliest allowed query could never run`,
        });
      }
      if (capacity < e[`RATE_LIMIT_${role}_RESTORE_RATE`]) {
        ctx.addIssue({
          code: 'custom',
          path: [`RATE_LIMIT_${role}_RESTORE_RATE`],
          message: 'must not exceed the capacity',
        });
      }
    }
    if (e.STOREFRONT_CACHE_MAX_AGE + e.STOREFRONT_CACHE_STALE > SHARED_CACHE_MAX_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['STOREFRONT_CACHE_STALE'],
        message: `STOREFRONT_CACHE_MAX_AGE + STOREFRONT_CACHE_STALE must be at most ${SHARED_CACHE_MAX_SECONDS} s (erased content must leave shared caches within a minute)`,
      });
    }
    if (e.TRUSTED_DOCUMENTS === 'storefront' && !e.TRUSTED_DOCUMENTS_MANIFEST) {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUSTED_DOCUMENTS_MANIFEST'],
        message: 'is required with TRUSTED_DOCUMENTS=storefront (codegen writes examples/gql/persisted-documents.json)',
      });
    }
    if (e.TEST_DELAY_HEADER && e.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['TEST_DELAY_HEADER'],
        message: 'is for tests only and refused when NODE_ENV=production',
      });
    }
  });

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  /**
   * On a first start (no client yet): make the "demo" client and fill a small store. Default: on
   * embedded PGlite, off on PostgreSQL; false never, true also on an empty PostgreSQL.
   */
  demoData: boolean;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  dbPoolSize: number;
  db: DatabaseTimeouts;
  shutdownTimeoutMs: number;
  /** How long a verified API key is kept in memory (while key changes are heard); 0 = never. */
  apiKeyCacheTtlMs: number;
  /** Unknown keys remembered as unknown (while key changes are heard); ttlMs 0 = never. */
  apiKeyNegativeCache: { ttlMs: number; maxEntries: number };
  /** STOREFRONT answers kept in memory (while content changes are heard); ttlMs 0 = never. */
  responseCache: { ttlMs: number; maxEntries: number };
  http: HttpSettings;
  erasure: ErasureSettings;
  invitations: InvitationSettings;
  observability: ObservabilitySettings;
};

/** Parses (the set variables of) an environment with a zod schema; throws one error naming every bad variable. */
function parseEnvironment<S extends z.ZodType>(envSchema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Parses the environment; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnvironment(schema, env);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    demoData: e.DEMO_DATA ?? !e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    dbPoolSize: e.DB_POOL_SIZE,
    db: {
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      queryTimeoutMs: e.DB_QUERY_TIMEOUT_MS,
      preparedStatements: e.DB_PREPARED_STATEMENTS,
      listenHeartbeatMs: e.DB_LISTEN_HEARTBEAT_MS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    apiKeyCacheTtlMs: e.API_KEY_CACHE_TTL_MS,
    apiKeyNegativeCache: { ttlMs: e.API_KEY_NEGATIVE_CACHE_TTL_MS, maxEntries: e.API_KEY_NEGATIVE_CACHE_MAX_ENTRIES },
    responseCache: { ttlMs: e.RESPONSE_CACHE_TTL_MS, maxEntries: e.RESPONSE_CACHE_MAX_ENTRIES },
    http: {
      introspection: e.INTROSPECTION,
      // GraphiQL needs introspection, so it follows INTROSPECTION unless set explicitly.
      graphiql: e.GRAPHIQL ?? e.INTROSPECTION,
      limits: {
        maxDepth: e.QUERY_MAX_DEPTH,
        maxAliases: e.QUERY_MAX_ALIASES,
        maxDirectives: e.QUERY_MAX_DIRECTIVES,
        maxTokens: e.QUERY_MAX_TOKENS,
        maxCost: e.QUERY_MAX_COST,
        maxFields: e.QUERY_MAX_FIELDS,
      },
      rateLimit: {
        enabled: e.RATE_LIMIT_ENABLED,
        redisUrl: e.REDIS_URL,
        redisPrefix: e.RATE_LIMIT_REDIS_PREFIX,
        buckets: {
          ADMIN: { capacity: e.RATE_LIMIT_ADMIN_CAPACITY, restoreRate: e.RATE_LIMIT_ADMIN_RESTORE_RATE },
          SUPPORT: { capacity: e.RATE_LIMIT_SUPPORT_CAPACITY, restoreRate: e.RATE_LIMIT_SUPPORT_RESTORE_RATE },
          STOREFRONT: { capacity: e.RATE_LIMIT_STOREFRONT_CAPACITY, restoreRate: e.RATE_LIMIT_STOREFRONT_RESTORE_RATE },
          VISITOR: { capacity: e.RATE_LIMIT_VISITOR_CAPACITY, restoreRate: e.RATE_LIMIT_VISITOR_RESTORE_RATE },
          UNAUTHENTICATED: {
            capacity: e.RATE_LIMIT_UNAUTHENTICATED_CAPACITY,
            restoreRate: e.RATE_LIMIT_UNAUTHENTICATED_RESTORE_RATE,
          },
        },
        cachedCost: e.RATE_LIMIT_CACHED_COST,
      },
      maxBodyBytes: e.MAX_BODY_BYTES,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      batchLimit: e.GRAPHQL_BATCH_LIMIT,
      corsOrigins: e.CORS_ORIGINS,
      testDelayHeader: e.TEST_DELAY_HEADER,
      trustedDocuments: {
        mode: e.TRUSTED_DOCUMENTS,
        manifestPath: e.TRUSTED_DOCUMENTS_MANIFEST,
        registeredPerClient: e.PERSISTED_QUERIES_PER_CLIENT,
      },
      sharedCache: { maxAge: e.STOREFRONT_CACHE_MAX_AGE, stale: e.STOREFRONT_CACHE_STALE },
      trustedProxyHops: e.TRUSTED_PROXY_HOPS,
    },
    erasure: erasureSettingsOf(e),
    invitations: invitationSettingsOf(e),
    observability: observabilitySettingsOf(e),
  };
}

/** The settings with every default, as an empty environment gives them. */
const DEFAULTS = loadConfig({});
export const DEFAULT_HTTP_SETTINGS: HttpSettings = DEFAULTS.http;
export const DEFAULT_ERASURE_SETTINGS: ErasureSettings = DEFAULTS.erasure;
export const DEFAULT_INVITATION_SETTINGS: InvitationSettings = DEFAULTS.invitations;
