// Test harness: a fresh migrated database per test file (in-memory PGlite, or a throwaway
// PostgreSQL database when TEST_DATABASE_URL is set), copied from the one test/global-setup.ts
// migrated for the run, the app on top of it, and a GraphQL client that speaks HTTP through
// app.fetch like a real caller.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp, type App, type AppOptions } from '../src/app.ts';
import { openDatabase, type Database } from '../src/platform/db/client.ts';
import { createClient, type CreatedClient } from '../src/features/clients/clients.ts';
import type { Subscriber, Subscription } from '../src/platform/db/notifications.ts';
import { createPostgresDatabase, loadPgliteSnapshot } from './databases.ts';
import type { TypedDocumentString } from './gql/graphql.ts';

export { createPostgresDatabase };

export interface GqlResponse<T = any> {
  status: number;
  headers: Headers;
  body: {
    data?: T;
    errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
    extensions?: any;
  };
}

/**
 * `clientAddress`: the socket address the request comes from, as node:http would give it in
 * yoga's server context (`req.socket.remoteAddress`); absent, the request has no socket.
 */
export type GqlInit = RequestInit & { operationName?: string; clientAddress?: string };

/** Yoga's server context of a request from `address`, as node:http makes it (app.fetch's third argument). */
export const fromAddress = (address: string | undefined): Record<string, unknown> =>
  address === undefined ? {} : { req: { socket: { remoteAddress: address } } };

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
  /** A document made with graphql() from ./gql/index.ts (`npm run codegen`): typed variables and data. */
  gql<R, V>(
    key: string | null,
    query: TypedDocumentString<R, V>,
    variables?: V,
    init?: GqlInit,
  ): Promise<GqlResponse<R>>;
  gql<T = any>(
    key: string | null,
    query: string,
    variables?: Record<string, unknown>,
    init?: GqlInit,
  ): Promise<GqlResponse<T>>;
  newClient(slug?: string): Promise<CreatedClient>;
}

/**
 * A migrated database of its own: on PostgreSQL a copy of the run's template, on PGlite an
 * in-memory copy of the run's snapshot. Migrates it only when neither was provided.
 */
export async function openTestDatabase(options: { poolSize?: number } = {}) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const template = inject('postgresTemplate');
  const snapshot = inject('pgliteSnapshot');
  const pgdb = adminUrl ? await createPostgresDatabase(adminUrl, template) : undefined;
  const database = openDatabase({
    url: pgdb?.url,
    poolSize: options.poolSize,
    pgliteSnapshot: !adminUrl && snapshot ? await loadPgliteSnapshot(snapshot) : undefined,
  });
  if (adminUrl ? !template : !snapshot) await database.migrate();
  // The client connects (and PGlite starts) on the first statement: here, not in the first test.
  await database.prisma.$executeRaw`SELECT 1`;
  return { database, pgdb };
}

/**
 * One GraphQL POST to `app` as a client sends it (what `t.gql` does for the test's app): JSON
 * body, the key as Bearer, from `init.clientAddress` when given.
 */
export async function callApp(
  app: App,
  key: string | null,
  query: string | TypedDocumentString<unknown, unknown>,
  variables?: unknown,
  init: GqlInit = {},
): Promise<GqlResponse> {
  const { operationName, clientAddress, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  if (!headers.has('accept')) headers.set('accept', 'application/graphql-response+json, application/json');
  if (key && !headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
  const res = await app.fetch(
    'http://localhost/graphql',
    {
      method: 'POST',
      body: JSON.stringify({ query: String(query), variables, operationName }),
      ...rest,
      headers,
    },
    fromAddress(clientAddress),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

/** Creates the migrated database and builds the app. `close` drops everything. */
export async function createTestContext(
  appOptions: TestAppOptions = {},
): Promise<TestContext & { close(): Promise<void> }> {
  const { database, pgdb } = await openTestDatabase({ poolSize: 25 });
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
    gql: ((key: string | null, query: string, variables?: Record<string, unknown>, init?: GqlInit) =>
      callApp(app, key, query, variables, init)) as TestContext['gql'],
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

/**
 * Call at the top level of a file or describe: feeds `cache` the notifications of `channel` on
 * the test database while its tests run, as server.ts does, and waits until it listens.
 * `settle()` waits until no notification has arrived for 100 ms (after writes that notify).
 */
export function useListening(t: TestContext, channel: string, cache: Subscriber & { readonly active: boolean }) {
  const listening = { heard: 0, settle };
  let subscription: Subscription | undefined;
  async function settle() {
    for (let last = -1; last !== listening.heard; ) {
      last = listening.heard;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  beforeAll(async () => {
    subscription = t.database.listen(channel, {
      onNotify: (payload) => {
        listening.heard++;
        cache.onNotify(payload);
      },
      onState: (on) => cache.onState(on),
    });
    for (let i = 0; !cache.active && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
    if (!cache.active) throw new Error(`not listening on ${channel}`);
  });
  afterAll(async () => {
    await subscription?.close();
  });
  return listening;
}
