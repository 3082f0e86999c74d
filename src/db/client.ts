// Chooses the driver adapter: PostgreSQL (node-postgres pool) when a URL is given, embedded
// PGlite otherwise. The same adapter serves the Prisma client and the migration engine.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { applyMigrations } from './engine.ts';
import { MIGRATIONS_DIR } from './paths.ts';

export type Db = ReturnType<typeof newClient>;

/** A transaction client or the root client: what domain functions take. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface DatabaseOptions {
  /** postgres://… ; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory; `memory://` (or undefined with no url) keeps it in memory. */
  pgliteDir?: string;
  poolSize?: number;
}

export interface Database {
  prisma: Db;
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations; returns the names applied now. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

function newClient(adapter: SqlMigrationAwareDriverAdapterFactory) {
  // Query events are always on: tests count statements, and the cost without a listener is nil.
  return new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
}

export function openDatabase(options: DatabaseOptions): Database {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
    });
    const prisma = newClient(new PrismaPg(pool));
    return {
      prisma,
      kind: 'postgres',
      migrate: () => applyMigrations(new PrismaPg(pool), MIGRATIONS_DIR),
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const lite = new PGlite(options.pgliteDir ?? 'memory://');
  const prisma = newClient(new PrismaPGlite(lite));
  return {
    prisma,
    kind: 'pglite',
    migrate: () => applyMigrations(new PrismaPGlite(lite), MIGRATIONS_DIR),
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}
