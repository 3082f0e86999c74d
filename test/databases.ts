// Migrated test databases, made once per run (test/global-setup.ts) and copied for each test
// file, so no file replays the migrations:
// - PGlite: a migrated data directory as a gzipped tarball (`dumpDataDir`), cached under
//   node_modules/.cache/test-pglite/ keyed by a hash of prisma/migrations and the PGlite
//   version (a rerun with the same migrations skips migrating); each file starts its in-memory
//   PGlite from it (`loadDataDir`), which also skips initdb.
// - PostgreSQL: one migrated template database per run; each file gets
//   `CREATE DATABASE … TEMPLATE …`.
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { openDatabase } from '../src/platform/db/client.ts';
import { applyMigrations } from '../src/platform/db/engine.ts';
import { MIGRATIONS_DIR, ROOT } from '../src/platform/db/paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite data directory tarball (runs without TEST_DATABASE_URL). */
    pgliteSnapshot?: string;
    /** Name of the migrated template database (runs with TEST_DATABASE_URL). */
    postgresTemplate?: string;
  }
}

const SNAPSHOT_DIR = path.join(ROOT, 'node_modules', '.cache', 'test-pglite');

/** Hash of every file under prisma/migrations (path and content) and of the PGlite version. */
async function migrationsKey(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'));
  hash.update(`pglite ${pglite.version}\0`);
  const files = (await readdir(MIGRATIONS_DIR, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(MIGRATIONS_DIR, path.join(entry.parentPath, entry.name)))
    .sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(MIGRATIONS_DIR, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The migrated PGlite snapshot's path: from the cache, or migrated now and cached. */
export async function pgliteSnapshot(): Promise<string> {
  const file = path.join(SNAPSHOT_DIR, `${await migrationsKey()}.tar.gz`);
  if (
    await access(file).then(
      () => true,
      () => false,
    )
  )
    return file;
  const lite = new PGlite('memory://');
  try {
    await applyMigrations(new PrismaPGlite(lite), MIGRATIONS_DIR);
    const tarball = await lite.dumpDataDir('gzip');
    // Write then rename, so a reader never sees half a file; then older migration sets' go.
    await mkdir(SNAPSHOT_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()));
    await rename(partial, file);
    for (const old of await readdir(SNAPSHOT_DIR)) {
      if (old.endsWith('.tar.gz') && old !== path.basename(file))
        await rm(path.join(SNAPSHOT_DIR, old), { force: true });
    }
  } finally {
    await lite.close();
  }
  return file;
}

/** Reads a snapshot for `openDatabase({ pgliteSnapshot })`. */
export async function loadPgliteSnapshot(file: string): Promise<Blob> {
  // The type tells PGlite to gunzip it.
  return new Blob([await readFile(file)], { type: 'application/gzip' });
}

function databaseUrl(adminUrl: string, name: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs the statements one by one on one connection to the admin database; returns the last result. */
async function adminQuery(adminUrl: string, ...statements: string[]) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    let result: pg.QueryResult | undefined;
    for (const sql of statements) result = await admin.query(sql);
    return result!;
  } finally {
    await admin.end();
  }
}

/** FORCE ends any session still connected. */
const dropDatabase = (adminUrl: string, name: string) =>
  adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

/** A template database cannot be dropped before it is made an ordinary one again. */
async function dropTemplate(adminUrl: string, name: string) {
  await adminQuery(adminUrl, `ALTER DATABASE ${name} IS_TEMPLATE false`, `DROP DATABASE ${name} WITH (FORCE)`);
}

const TEMPLATE_PREFIX = 'test_template_';
/** Templates older than this are left over from runs that were killed before their teardown. */
const TEMPLATE_MAX_AGE_MS = 6 * 3600_000;

/**
 * Creates and migrates this run's template database. Nobody may connect to it afterwards:
 * `CREATE DATABASE … TEMPLATE` refuses while any session is connected to the template.
 */
export async function createPostgresTemplate(adminUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const stale = await adminQuery(adminUrl, `SELECT datname FROM pg_database WHERE datname LIKE '${TEMPLATE_PREFIX}%'`);
  for (const { datname } of stale.rows as { datname: string }[]) {
    const createdAt = Number(datname.slice(TEMPLATE_PREFIX.length).split('_')[0]) * 1000;
    if (Date.now() - createdAt > TEMPLATE_MAX_AGE_MS) await dropTemplate(adminUrl, datname).catch(() => {});
  }
  const name = `${TEMPLATE_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  try {
    const database = openDatabase({ url: databaseUrl(adminUrl, name), poolSize: 1 });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    await adminQuery(adminUrl, `ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
  } catch (error) {
    await dropDatabase(adminUrl, name).catch(() => {});
    throw error;
  }
  return { name, drop: () => dropTemplate(adminUrl, name) };
}

/**
 * A throwaway PostgreSQL database: a copy of `template` (migrated), or empty without one.
 * Copies from the same template may run at once; PostgreSQL refuses one (SQLSTATE 55006) only
 * while a session is connected to the template (e.g. the migration's, just closing), so retry.
 */
export async function createPostgresDatabase(adminUrl: string, template?: string) {
  const name = `test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(adminUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt === 30) throw error;
      await sleep(20 * attempt);
    }
  }
  return { url: databaseUrl(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}
