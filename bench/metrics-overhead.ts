// CPU cost of the metrics plugin per storefront product page, in one process: the same
// PGlite database and response cache, two apps (without and with metrics), alternating batches
// of requests through app.fetch; process CPU time per request (process.cpuUsage), which other
// load on the machine disturbs far less than req/s. Not part of CI.
//   npx tsx bench/metrics-overhead.ts [rounds=6] [requestsPerBatch=2000]
import { createApp, type App } from '../src/app.ts';
import { createClient } from '../src/features/clients/clients.ts';
import { seedDemo } from '../src/features/seed/seed.ts';
import { KeyCache } from '../src/platform/auth/key-cache.ts';
import { openDatabase } from '../src/platform/db/client.ts';
import { ResponseCache } from '../src/platform/http/response-cache.ts';
import { Metrics } from '../src/platform/observability/metrics.ts';
import { PRODUCT_PAGE } from './documents.ts';

const rounds = Number(process.argv[2] ?? 6);
const batch = Number(process.argv[3] ?? 2000);
const database = openDatabase({});
await database.migrate();
const demo = await createClient(database.prisma, { slug: 'demo' });
await seedDemo(database.prisma, demo.client.id, 20);
const sku = (await database.prisma.product.findFirstOrThrow({ orderBy: { sku: 'asc' } })).sku;
// Both caches on, as in production (no listener here: nothing changes during the run).
const caches = () => {
  const keyCache = new KeyCache({ ttlMs: 3_600_000 });
  const responseCache = new ResponseCache({ ttlMs: 3_600_000 });
  keyCache.onState(true);
  responseCache.onState(true);
  return { keyCache, responseCache };
};
const rateLimit = { enabled: false };
const off = createApp({ db: database.prisma, ...caches(), rateLimit });
const metrics = new Metrics({ token: 'bench-token-0123456789' });
const on = createApp({ db: database.prisma, ...caches(), rateLimit, metrics });
const body = JSON.stringify({ query: PRODUCT_PAGE, variables: { sku } });
const headers = { authorization: `Bearer ${demo.keys.storefront}`, 'content-type': 'application/json' };

async function run(app: App, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    await res.text();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n; // µs per request
}

await run(off, batch);
await run(on, batch); // warm-up
const results = { off: [] as number[], on: [] as number[] };
for (let r = 1; r <= rounds; r++) {
  results.off.push(await run(off, batch));
  results.on.push(await run(on, batch));
  console.log(
    `round ${r}: off ${results.off.at(-1)!.toFixed(0)} µs, on ${results.on.at(-1)!.toFixed(0)} µs CPU per request`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [a, b] = [median(results.off), median(results.on)];
console.log(`median: off ${a.toFixed(0)} µs, on ${b.toFixed(0)} µs, +${(((b - a) / a) * 100).toFixed(1)} %`);
await off.dispose();
await on.dispose();
await database.close();
process.exit(0);
