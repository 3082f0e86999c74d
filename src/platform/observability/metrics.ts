// The process's Prometheus metrics (prom-client): one registry per app, served by useMetrics
// (metrics-plugin.ts) at GET /metrics. Labels hold only bounded values: an operation name from
// OperationNames (operation-names.ts), a role, an error code, a cache name — never a key, a
// client, an id or anything a caller typed.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What a cache reports (NotifiedCache): lookups answered from memory, lookups that were not. */
export interface CacheStats {
  readonly active: boolean;
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
}

/** A PostgreSQL pool's counts (pg.Pool): connections open, idle, and callers waiting for one. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface MetricsOptions {
  /** Bearer token a scraper must send; without it /metrics is not served (404). */
  token: string | undefined;
  /** Operation names allowed as label values besides the trusted documents' (operation-names.ts). */
  maxOperationNames?: number;
  /** Process metrics (CPU, memory, event loop, GC); off in tests that build many apps. */
  processMetrics?: boolean;
}

const COST_BUCKETS = [1, 5, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Metrics {
  readonly registry = new Registry();
  readonly token: string | undefined;
  readonly maxOperationNames: number;
  readonly requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests answered, by operation name (trusted or bounded, else "anonymous"), role and HTTP status.',
    labelNames: ['operation', 'role', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to its response, by operation name and role.',
    labelNames: ['operation', 'role'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly cost = new Histogram({
    name: 'graphql_query_cost',
    help: 'Cost of each operation that reached the cost check (see QUERY_MAX_COST), by role.',
    labelNames: ['role'] as const,
    buckets: COST_BUCKETS,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'graphql_rate_limited_total',
    help: 'Operations refused by the per-key rate limit (RATE_LIMITED), by role.',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions) {
    this.token = options.token;
    this.maxOperationNames = options.maxOperationNames ?? 100;
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Hits, misses, entries and on/off of a cache, read at each scrape. */
  watchCaches(caches: Record<string, CacheStats | undefined>): void {
    const named = Object.entries(caches).filter((e): e is [string, CacheStats] => !!e[1]);
    const each = (read: (c: CacheStats) => number) => (set: (labels: { cache: string }, v: number) => void) => {
      for (const [cache, stats] of named) set({ cache }, read(stats));
    };
    const counter = (name: string, help: string, read: (c: CacheStats) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['cache'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          each(read)((labels, v) => this.inc(labels, v));
        },
      });
    const gauge = (name: string, help: string, read: (c: CacheStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['cache'] as const,
        registers: [this.registry],
        collect() {
          each(read)((labels, v) => this.set(labels, v));
        },
      });
    counter(
      'cache_hits_total',
      'Lookups answered from memory ("key": verified API keys, "response": STOREFRONT answers).',
      (c) => c.hits,
    );
    counter('cache_misses_total', 'Lookups not in memory while the cache was on.', (c) => c.misses);
    gauge('cache_entries', 'Entries held.', (c) => c.size);
    gauge('cache_active', '1 while the cache hears every change (LISTEN) and is used, 0 while it is off.', (c) =>
      c.active ? 1 : 0,
    );
  }

  /** Database connections in use and callers waiting for one: a PostgreSQL pool only (PGlite has none). */
  watchPool(stats: () => PoolStats | undefined): void {
    if (!stats()) return;
    const gauge = (name: string, help: string, read: (s: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const s = stats();
          if (s) this.set(read(s));
        },
      });
    gauge('db_pool_connections', 'Connections the PostgreSQL pool holds open.', (s) => s.totalCount);
    gauge(
      'db_pool_connections_in_use',
      'Pool connections running a statement or transaction.',
      (s) => s.totalCount - s.idleCount,
    );
    gauge(
      'db_pool_waiting',
      'Callers waiting for a pool connection (the pool is saturated when this stays above 0).',
      (s) => s.waitingCount,
    );
  }

  /** The text a scraper gets. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
