// Chooses the driver adapter: PostgreSQL (node-postgres pool) when a URL is given, embedded
// PGlite otherwise. The same adapter serves the Prisma client and the migration engine.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { applyMigrations } from './engine.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import { listenPglite, listenPostgres, type Subscriber, type Subscription } from './notifications.ts';
import { statementNames } from './statement-names.ts';

export type Db = ReturnType<typeof newClient>;

/** A transaction client or the root client: what domain functions take. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface DatabaseOptions {
  /** postgres://… ; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory; `memory://` (or undefined with no url) keeps it in memory. */
  pgliteDir?: string;
  /** A PGlite data directory tarball (`dumpDataDir`) to start from instead of an empty database. */
  pgliteSnapshot?: Blob;
  poolSize?: number;
  /** Time to open a PostgreSQL connection; default 5000 ms. */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout; the client gives up one second later. Default 10000 ms. */
  queryTimeoutMs?: number;
  /**
   * How many distinct SQL texts run as named (prepared) statements on PostgreSQL; 0 turns them
   * off (e.g. behind a pooler that cannot keep them). Default 500. See statement-names.ts.
   */
  preparedStatements?: number;
  /**
   * How often a LISTEN connection must answer a heartbeat (and the longest it may take): a
   * silent connection is found within twice this. Default 10000 ms (notifications.ts).
   */
  listenHeartbeatMs?: number;
  /** Errors of idle pooled connections (e.g. the server went away); logged, never fatal. */
  onPoolError?: (error: Error) => void;
}

export interface Database {
  prisma: Db;
  kind: 'postgres' | 'pglite';
  /**
   * LISTENs on a channel (src/platform/db/notifications.ts); `close()` before closing the database.
   * `onError`: failures of the listening connection (default: onPoolError).
   */
  listen(channel: string, subscriber: Subscriber, onError?: (error: Error) => void): Subscription;
  /** Applies pending migrations; returns the names applied now. */
  migrate(): Promise<string[]>;
  /** PostgreSQL: the pool's connections (open, idle) and callers waiting; PGlite: undefined (one in-process connection). */
  poolStats(): { totalCount: number; idleCount: number; waitingCount: number } | undefined;
  close(): Promise<void>;
}

function newClient(adapter: SqlMigrationAwareDriverAdapterFactory) {
  // Query events are always on: tests count statements, and the cost without a listener is nil.
  return new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
}

export function openDatabase(options: DatabaseOptions): Database {
  if (options.url) {
    const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    // Bounded waits everywhere, so an unreachable database fails requests fast instead of
    // piling them up: connecting, waiting for a pooled connection, and every statement.
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      statement_timeout: queryTimeoutMs,
      query_timeout: queryTimeoutMs + 1_000,
    });
    // Without a listener an idle connection's error (server restart, network cut) kills the process.
    pool.on('error', (error) => options.onPoolError?.(error));
    const names = statementNames(options.preparedStatements ?? 500);
    // The adapter passes the name to pg as is; undefined (past the limit) means an unnamed statement.
    const prisma = newClient(
      new PrismaPg(pool, names ? { statementNameGenerator: names as (q: { sql: string }) => string } : {}),
    );
    return {
      prisma,
      kind: 'postgres',
      listen: (channel, subscriber, onError = options.onPoolError) =>
        listenPostgres(options.url!, channel, subscriber, {
          connectTimeoutMs: options.connectTimeoutMs,
          heartbeatMs: options.listenHeartbeatMs,
          onError,
        }),
      // Migrations get their own short-lived connection without the statement timeout: an index
      // build on a large table may rightly take longer than any request.
      async migrate() {
        const migrationPool = new pg.Pool({ connectionString: options.url, max: 1 });
        try {
          return await applyMigrations(new PrismaPg(migrationPool), MIGRATIONS_DIR);
        } finally {
          await migrationPool.end();
        }
      },
      poolStats: () => ({ totalCount: pool.totalCount, idleCount: pool.idleCount, waitingCount: pool.waitingCount }),
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const lite = new PGlite(options.pgliteDir ?? 'memory://', { loadDataDir: options.pgliteSnapshot });
  const prisma = newClient(new PrismaPGlite(lite));
  return {
    prisma,
    kind: 'pglite',
    listen: (channel, subscriber) => listenPglite(lite, channel, subscriber),
    migrate: () => applyMigrations(new PrismaPGlite(lite), MIGRATIONS_DIR),
    poolStats: () => undefined,
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}
