// The bench database: dropped and created anew, migrated with the app's own migrations,
// clients and API keys made by the domain code (so keys hash as in production), then the
// tables filled with set-based SQL (seed-sql.ts). Returns the samples the workloads draw from.
import pg from 'pg';
import { openDatabase } from '../src/platform/db/client.ts';
import { createClient, type CreatedClient } from '../src/features/clients/clients.ts';
import { heavyEmail, heavyOrderCount, seedStatements, sizesFor, UUID7_FUNCTION, type Sizes } from './seed-sql.ts';

export interface OrderSample {
  externalId: string;
  customerExternalId: string;
  skus: string[];
}

export interface Samples {
  skus: string[];
  /** `after` cursors of order pages (null = the first page), in the API's cursor format. */
  orderCursors: (string | null)[];
  emails: string[];
  orders: OrderSample[];
  heavyEmails: string[];
}

export interface SeedResult {
  large: CreatedClient;
  sizes: Sizes;
  smallClients: number;
  smallSizes: Sizes;
  /** Rows per table after seeding (all clients). */
  counts: Record<string, number>;
  timings: { label: string; ms: number }[];
  seedMs: number;
  vacuumMs: number;
  samples: Samples;
}

const TABLES = [
  'clients',
  'api_keys',
  'products',
  'customers',
  'orders',
  'order_items',
  'reviews',
  'questions',
  'seller_reviews',
];
const SMALL_CLIENTS = 3;

/** DROP and CREATE the database of `url` through the server's `postgres` database. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL: unexpected database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

async function timed<T>(timings: { label: string; ms: number }[], label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  timings.push({ label, ms: performance.now() - started });
  return result;
}

/** The API's cursor of an order id (plugin-prisma: base64 of "GPC:S:<id>"). */
export const orderCursor = (id: string) => Buffer.from(`GPC:S:${id}`).toString('base64');

export async function drawSamples(c: pg.Client, clientId: string, sizes: Sizes): Promise<Samples> {
  const rows = async <T>(sql: string, params: unknown[] = [clientId]) => (await c.query(sql, params)).rows as T[];
  const skus = await rows<{ sku: string }>(
    `SELECT sku FROM products WHERE client_id = $1 ORDER BY random() LIMIT 2000`,
  );
  const ids = await rows<{ id: string }>(
    `SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM orders WHERE client_id = $1) x
     WHERE rn % 100 = 0 ORDER BY id`,
  );
  const emails = await rows<{ email: string }>(
    `SELECT email FROM (SELECT DISTINCT email FROM customers WHERE client_id = $1 AND email LIKE 'shopper%') e
     ORDER BY random() LIMIT 2000`,
  );
  const orders = await rows<OrderSample>(
    `SELECT o.external_id AS "externalId", c.external_id AS "customerExternalId", array_agg(i.sku ORDER BY i.id) AS skus
     FROM (SELECT id, external_id, customer_id FROM orders WHERE client_id = $1 AND external_id > $2
           ORDER BY random() LIMIT 2000) o
     JOIN customers c ON c.id = o.customer_id
     JOIN order_items i ON i.order_id = o.id
     GROUP BY o.external_id, c.external_id`,
    [clientId, `ORD-${String(heavyOrderCount(sizes)).padStart(7, '0')}`],
  );
  return {
    skus: skus.map((r) => r.sku),
    orderCursors: [null, ...ids.map((r) => orderCursor(r.id))],
    emails: emails.map((r) => r.email),
    orders,
    heavyEmails: Array.from({ length: sizes.heavySubjects }, (_, h) => heavyEmail(h)),
  };
}

/** Recreates, migrates and fills the bench database. */
export async function seedBenchDatabase(url: string, scale: number, log: (line: string) => void): Promise<SeedResult> {
  const started = performance.now();
  const timings: { label: string; ms: number }[] = [];
  await timed(timings, 'create database', () => recreateDatabase(url));
  const database = openDatabase({ url });
  const clients = await timed(timings, 'migrate + clients and keys', async () => {
    await database.migrate();
    const large = await createClient(database.prisma, { slug: 'bench-large', name: 'Bench large client' });
    const small: CreatedClient[] = [];
    for (let i = 1; i <= SMALL_CLIENTS; i++)
      small.push(await createClient(database.prisma, { slug: `bench-small-${i}` }));
    return { large, small };
  });
  await database.close();

  const sizes = sizesFor(scale);
  const smallSizes = sizesFor(0.01 * scale, false);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(UUID7_FUNCTION);
    await c.query('SELECT setseed(0.42)');
    const plan = [
      { client: clients.large.client, sizes },
      ...clients.small.map((s) => ({ client: s.client, sizes: smallSizes })),
    ];
    for (const { client, sizes: s } of plan) {
      for (const step of seedStatements(s)) {
        await timed(timings, `${client.slug}: ${step.label}`, () => c.query(step.sql, [client.id]));
      }
      log(`  seeded ${client.slug}`);
    }
    const seedMs = performance.now() - started;
    const vacuumStarted = performance.now();
    await c.query(`VACUUM (ANALYZE) ${TABLES.join(', ')}`);
    const vacuumMs = performance.now() - vacuumStarted;
    const counts: Record<string, number> = {};
    for (const table of TABLES) counts[table] = Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const samples = await drawSamples(c, clients.large.client.id, sizes);
    return {
      large: clients.large,
      sizes,
      smallClients: SMALL_CLIENTS,
      smallSizes,
      counts,
      timings,
      seedMs,
      vacuumMs,
      samples,
    };
  } finally {
    await c.end();
  }
}
