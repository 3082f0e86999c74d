// Fair budgets under a public storefront key, measured (not part of `npm run bench`):
// `npx tsx bench/fairness.ts` (needs the local PostgreSQL and Redis; about a minute).
//
// Two instances of the production build share one Redis and one database, behind a "proxy"
// (TRUSTED_PROXY_HOPS=1: each simulated visitor is an X-Forwarded-For address). Product pages
// of one shop over 200 skus, answered mostly from the response cache:
//   1. a busy shop: three readers at full speed, each request from one of 1,000 visitors,
//      with the rate limits this build ships and with the old ones (per key 20,000 / 2,000 per
//      second, cached answers charged their full cost, no visitor bucket worth mentioning);
//   2. one visitor flooding the key from one address at full speed with pages nobody else
//      asks for (never from the cache: each costs its full ~23 points) while 20 shoppers load
//      about one page a second each.
// Each run follows a warm-up of the same load (not counted); the flooder floods through the
// shoppers' warm-up too. Prints 200s and 429s per reader.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createClient } from '../src/features/clients/clients.ts';
import { openDatabase } from '../src/platform/db/client.ts';
import { ROOT_DIR } from './config.ts';
import { body, PRODUCT_PAGE } from './documents.ts';
import { runLoad, warmAndRun, type LoadResult } from './load.ts';
import { startApi, type RunningServer } from './servers.ts';

const ADMIN_URL = process.env.BENCH_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'fairness';
const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
const SECONDS = 10;
// A fresh instance answers slowly for several seconds (first executions, connections, JIT).
const WARMUP_SECONDS = 10;
const SKUS = Array.from({ length: 200 }, (_, i) => `FAIR-${i}`);
const OLD_LIMITS = {
  RATE_LIMIT_STOREFRONT_CAPACITY: '20000',
  RATE_LIMIT_STOREFRONT_RESTORE_RATE: '2000',
  RATE_LIMIT_VISITOR_CAPACITY: '100000000',
  RATE_LIMIT_VISITOR_RESTORE_RATE: '10000000',
  RATE_LIMIT_CACHED_COST: '10000',
};

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
const visitor = (i: number) => `198.51.${Math.floor(i / 250)}.${i % 250}`;
const page = () => body(PRODUCT_PAGE, 'ProductPage', { sku: pick(SKUS) });
const uncachedPage = () => body(PRODUCT_PAGE, 'ProductPage', { sku: `FLOOD-${randomBytes(6).toString('hex')}` });

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function seedShop(databaseUrl: string) {
  const database = openDatabase({ url: databaseUrl });
  await database.migrate();
  const shop = await createClient(database.prisma, { slug: 'fair-shop' });
  await database.close();
  return shop.keys;
}

async function instances(databaseUrl: string, env: Record<string, string>): Promise<RunningServer[]> {
  const shared = {
    RATE_LIMIT_ENABLED: 'true',
    REDIS_URL,
    RATE_LIMIT_REDIS_PREFIX: `fair-${randomBytes(4).toString('hex')}`,
    TRUSTED_PROXY_HOPS: '1',
    ...env,
  };
  return Promise.all([1, 2].map((n) => startApi(databaseUrl, { name: `api-${n}`, env: shared })));
}

const line = (name: string, r: LoadResult) =>
  `  ${name.padEnd(24)} ${String(r.ok).padStart(7)} × 200  ${String(r.non2xx).padStart(7)} × non-2xx` +
  `  p50 ${r.p50} ms, p99 ${r.p99} ms` +
  (r.non2xx ? `  (first: ${r.sample?.slice(0, 60)})` : '');

async function busyShop(servers: RunningServer[], key: string, label: string) {
  const readers = [0, 1, 2].map((i) =>
    warmAndRun(
      {
        url: servers[i % 2]!.url,
        key,
        makeBody: page,
        makeHeaders: () => ({ 'x-forwarded-for': visitor(Math.floor(Math.random() * 1_000)) }),
        connections: 4,
        durationSeconds: SECONDS,
      },
      WARMUP_SECONDS,
    ),
  );
  const results = await Promise.all(readers);
  console.log(`busy shop, ${label}: three readers, 1,000 visitors, ${SECONDS} s`);
  for (const [i, r] of results.entries()) console.log(line(`reader ${i + 1}`, r));
}

async function flooderAndShoppers(servers: RunningServer[], key: string) {
  const [flooder, shoppers] = await Promise.all([
    runLoad({
      url: servers[0]!.url,
      key,
      makeBody: uncachedPage,
      makeHeaders: () => ({ 'x-forwarded-for': '203.0.113.66' }),
      connections: 8,
      durationSeconds: WARMUP_SECONDS + SECONDS,
    }),
    warmAndRun(
      {
        url: servers[1]!.url,
        key,
        makeBody: page,
        makeHeaders: () => ({ 'x-forwarded-for': visitor(Math.floor(Math.random() * 20)) }),
        connections: 4,
        overallRate: 20,
        durationSeconds: SECONDS,
      },
      WARMUP_SECONDS,
    ),
  ]);
  console.log(
    `one visitor flooding with uncached pages (${WARMUP_SECONDS + SECONDS} s) vs 20 shoppers (~1 page/s each, ${SECONDS} s after a warm-up)`,
  );
  console.log(line('flooder (one address)', flooder));
  console.log(line('shoppers', shoppers));
}

const npm = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT_DIR, stdio: 'inherit' });
if (npm.status !== 0) throw new Error('npm run build failed');
const databaseUrl = await freshDatabase();
const keys = await seedShop(databaseUrl);
const adminServers = await instances(databaseUrl, {});
const feed = await fetch(adminServers[0]!.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
  body: JSON.stringify({
    query: 'mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) { __typename } }',
    variables: { input: { products: SKUS.map((sku) => ({ sku, name: `Product ${sku}` })) } },
  }),
});
if (!(await feed.text()).includes('UpsertProductsSuccess')) throw new Error('seeding the feed failed');
for (const s of adminServers) await s.stop();
const analyze = new pg.Client({ connectionString: databaseUrl });
await analyze.connect();
await analyze.query('VACUUM ANALYZE');
await analyze.end();

for (const [label, env] of [
  ['this build', {}],
  ['old limits', OLD_LIMITS],
] as const) {
  const servers = await instances(databaseUrl, env);
  await busyShop(servers, keys.storefront, label);
  if (label === 'this build') await flooderAndShoppers(servers, keys.storefront);
  for (const s of servers) await s.stop();
}
