// Test harness: a fresh database per test file (in-memory PGlite, or a throwaway PostgreSQL
// database when TEST_DATABASE_URL is set), the app on top of it, and a GraphQL client that
// speaks HTTP through app.fetch like a real caller.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type App, type AppOptions } from '../src/app.ts';
import { openDatabase, type Database } from '../src/platform/db/client.ts';
import { createClient, type CreatedClient } from '../src/features/clients/clients.ts';

export interface GqlResponse<T = any> {
  status: number;
  headers: Headers;
  body: {
    data?: T;
    errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
    extensions?: any;
  };
}

export async function createPostgresDatabase(adminUrl: string) {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** App settings a test may override (limits, rate limit, logger, ...); the db is always the test's. */
export type TestAppOptions = Omit<AppOptions, 'db'>;

export interface TestContext {
  database: Database;
  /** PostgreSQL URL of this file's database; undefined on PGlite. */
  databaseUrl: string | undefined;
  db: Database['prisma'];
  app: App;
  /** SQL statements seen since the last reset. */
  statements: string[];
  resetStatements(): void;
  gql<T = any>(
    key: string | null,
    query: string,
    variables?: Record<string, unknown>,
    init?: RequestInit & { operationName?: string },
  ): Promise<GqlResponse<T>>;
  newClient(slug?: string): Promise<CreatedClient>;
}

/** Creates the database, migrates it and builds the app. `close` drops everything. */
export async function createTestContext(
  appOptions: TestAppOptions = {},
): Promise<TestContext & { close(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const pgdb = adminUrl ? await createPostgresDatabase(adminUrl) : undefined;
  const database = openDatabase({ url: pgdb?.url, poolSize: 25 });
  await database.migrate();
  const statements: string[] = [];
  database.prisma.$on('query', (e) => statements.push(e.query));
  const app = createApp({ ...appOptions, db: database.prisma });
  return {
    database,
    databaseUrl: pgdb?.url,
    db: database.prisma,
    app,
    statements,
    resetStatements: () => void statements.splice(0),
    async gql(key, query, variables, init = {}) {
      const { operationName, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      if (!headers.has('accept')) headers.set('accept', 'application/graphql-response+json, application/json');
      if (key && !headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
      const res = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        body: JSON.stringify({ query, variables, operationName }),
        ...rest,
        headers,
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
    },
    newClient: (slug = `c-${randomBytes(4).toString('hex')}`) => createClient(database.prisma, { slug }),
    async close() {
      await app.dispose();
      await database.close();
      await pgdb?.drop();
    },
  };
}

/**
 * Call at the top level of a test file: one database and app for the whole file. The returned
 * object is filled in by a beforeAll hook, so use it inside tests and hooks only.
 */
export function useTestApp(appOptions: TestAppOptions = {}): TestContext {
  const holder = {} as TestContext & { close?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(holder, await createTestContext(appOptions));
  }, 120_000);
  afterAll(async () => {
    await holder.close?.();
  });
  return holder;
}
