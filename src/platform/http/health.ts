// GET /healthz: the process answers (no database access; for liveness probes). yoga's own health
// check answers it (createApp sets its endpoint), before any other plugin.
// GET /readyz: the database answers within READY_TIMEOUT_MS and every migration shipped with
// this build is applied; otherwise 503 (for readiness probes and load balancers).
import { readdirSync } from 'node:fs';
import type { Plugin } from 'graphql-yoga';
import type { Db } from '../db/client.ts';
import { MIGRATIONS_DIR } from '../db/paths.ts';
import { safeError, type Logger } from '../logger.ts';

const READY_TIMEOUT_MS = 3_000;

export function shippedMigrations(dir = MIGRATIONS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  pendingMigrations: string[];
}

export async function checkReadiness(db: Db, expected: string[]): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
  });
  try {
    const rows = await Promise.race([
      db.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      timeout,
    ]);
    const applied = new Set(rows.map((r) => r.migration_name));
    const pendingMigrations = expected.filter((m) => !applied.has(m));
    return { ready: pendingMigrations.length === 0, database: 'ok', pendingMigrations };
  } finally {
    clearTimeout(timer);
  }
}

function json(fetchAPI: { Response: typeof Response }, status: number, body: unknown) {
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export function useHealth(db: Db, logger: Logger, migrations: string[] = shippedMigrations()): Plugin {
  return {
    async onRequest({ url, request, fetchAPI, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/readyz') {
        try {
          const r = await checkReadiness(db, migrations);
          endResponse(json(fetchAPI, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', ...r }));
        } catch (error) {
          logger.warn({ err: safeError(error) }, 'readiness check failed');
          endResponse(
            json(fetchAPI, 503, { status: 'not ready', ready: false, database: 'unreachable', pendingMigrations: [] }),
          );
        }
      }
    },
  };
}
