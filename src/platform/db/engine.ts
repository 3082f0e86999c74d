// Prisma's WASM schema engine driven over a driver adapter: migrations without the native
// engine binary (which cannot be downloaded here) and without network access.
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

/**
 * The engine's glue arms timers (a 10 s one per run) it never clears: after the work is done and
 * the database closed they would keep a process (the CLI) alive until they fire. Unref'd, they
 * still fire while the process runs, but no longer hold it open.
 */
function withUnrefTimers<T extends object>(runtime: T): T {
  const wrapped: Record<string, unknown> = { ...(runtime as Record<string, unknown>) };
  for (const [name, fn] of Object.entries(runtime)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof fn !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      const timer = fn(...args) as { unref?: () => void } | undefined;
      timer?.unref?.();
      return timer;
    };
  }
  return wrapped as T;
}

async function loadEngine(factory: SqlMigrationAwareDriverAdapterFactory) {
  const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  // The .wasm file is not in the package's exports map: find it beside the JS glue.
  const wasmPath = path.join(
    path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
    'schema_engine_bg.wasm',
  );
  const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
    './schema_engine_bg.js': withUnrefTimers(runtime),
  });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
  return runtime.SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
}

async function migrationsList(baseDir: string) {
  const names = (await readdir(baseDir, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const lock = await readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: {
            tag: 'ok' as const,
            value: await readFile(path.join(baseDir, name, 'migration.sql'), 'utf8'),
          },
        },
      })),
    ),
  };
}

const filters = { externalTables: [], externalEnums: [] };

/** Applies pending migrations (idempotent); returns the names applied now. */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  baseDir: string,
): Promise<string[]> {
  const engine = await loadEngine(factory);
  try {
    const out = await engine.applyMigrations({ migrationsList: await migrationsList(baseDir), filters });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * Writes `<baseDir>/<timestamp>_<name>/migration.sql` for the difference between the migration
 * history and the schema. `scratch` must be an empty throwaway database: the history is
 * replayed on it, then diffed against the schema. Returns null when there is nothing to do.
 */
export async function createMigration(
  scratch: SqlMigrationAwareDriverAdapterFactory,
  baseDir: string,
  schemaPath: string,
  name: string,
): Promise<string | null> {
  const engine = await loadEngine(scratch);
  try {
    await engine.applyMigrations({ migrationsList: await migrationsList(baseDir), filters });
    const files = [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
    const out = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters,
    });
    if (out.exitCode !== 2 || !out.stdout) return null; // 0: nothing to migrate
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(baseDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), out.stdout);
    await writeFile(path.join(baseDir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    return path.basename(dir);
  } finally {
    engine.free();
  }
}
