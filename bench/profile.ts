// `npm run bench:profile -- <workload> [seconds]`: CPU profile of the API's production build
// under one workload, over the bench database a previous `npm run bench` left behind (no
// reseeding). Writes the .cpuprofile under dist/profiles/ (open it in Chrome DevTools) and
// prints where the time went: self time by package and the heaviest functions.
// Workloads: storefront, order-sync, ingest, ingest-batch, privacy-lookup, viewer (a trivial
// query). BENCH_API_ENV sets API settings, BENCH_NODE_ARGS adds node flags.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/platform/db/client.ts';
import { createKey } from '../src/features/clients/clients.ts';
import { loadBenchConfig, ROOT_DIR } from './config.ts';
import {
  body,
  ingestBatchBodies,
  ingestBodies,
  orderSyncBody,
  personalDataBody,
  productPageBody,
} from './documents.ts';
import { runLoad } from './load.ts';
import { drawSamples } from './seed.ts';
import { sizesFor } from './seed-sql.ts';
import { buildServers, startApi } from './servers.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.includes('/dist/server/')) return '(our code)';
  return url.split('/').slice(-2).join('/');
}

function summarize(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const pkg = f.functionName === '(idle)' ? '(idle)' : packageOf(f.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
  return { totalMs: total / 1000, packages: top(byPackage, 25), functions: top(byFunction, 40) };
}

async function main() {
  const [workload = 'storefront', secondsArg = '10'] = process.argv.slice(2);
  const config = loadBenchConfig();
  const database = openDatabase({ url: config.databaseUrl });
  const keys = {
    admin: (await createKey(database.prisma, 'bench-large', 'ADMIN', 'profile')).key,
    support: (await createKey(database.prisma, 'bench-large', 'SUPPORT', 'profile')).key,
    storefront: (await createKey(database.prisma, 'bench-large', 'STOREFRONT', 'profile')).key,
  };
  await database.close();
  const c = new pg.Client({ connectionString: config.databaseUrl });
  await c.connect();
  const clientId = (await c.query(`SELECT id FROM clients WHERE slug = 'bench-large'`)).rows[0].id as string;
  const samples = await drawSamples(c, clientId, sizesFor(config.scale));
  await c.end();

  const loads: Record<string, { key: string; makeBody: () => string }> = {
    storefront: { key: keys.storefront, makeBody: () => productPageBody(samples) },
    'order-sync': { key: keys.admin, makeBody: () => orderSyncBody(samples) },
    ingest: { key: keys.admin, makeBody: ingestBodies(samples, `prof${Date.now().toString(36)}`) },
    'ingest-batch': { key: keys.admin, makeBody: ingestBatchBodies(samples, `prof${Date.now().toString(36)}`) },
    'privacy-lookup': { key: keys.support, makeBody: () => personalDataBody(samples) },
    viewer: { key: keys.storefront, makeBody: () => body('query V { viewer { role } }', 'V', {}) },
  };
  const load = loads[workload];
  if (!load) throw new Error(`unknown workload "${workload}"; one of ${Object.keys(loads).join(', ')}`);

  await buildServers();
  const dir = join(ROOT_DIR, 'dist/profiles', `${workload}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // e.g. BENCH_API_ENV="RESPONSE_CACHE_TTL_MS=0 API_KEY_CACHE_TTL_MS=0" to profile without the caches.
  const settings = Object.fromEntries(
    (process.env.BENCH_API_ENV ?? '')
      .split(' ')
      .filter(Boolean)
      .map((kv) => kv.split('=', 2) as [string, string]),
  );
  const api = await startApi(config.databaseUrl, {
    nodeArgs: [...extra, '--cpu-prof', `--cpu-prof-dir=${dir}`],
    env: settings,
  });
  try {
    await runLoad({ url: api.url, ...load, connections: config.connections, durationSeconds: 3 });
    const r = await runLoad({
      url: api.url,
      ...load,
      connections: config.connections,
      durationSeconds: Number(secondsArg),
    });
    console.log(
      `${workload}: ${r.rps.toFixed(0)} rps, p50 ${r.p50} ms, p99 ${r.p99} ms, failed ${r.failed + r.non2xx}${r.sample ? ` — ${r.sample}` : ''}`,
    );
  } finally {
    await api.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const s = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile);
  console.log(
    `\nprofile ${join(dir, file)} (${(s.totalMs / 1000).toFixed(1)} s sampled)\n\nself time by package:\n${s.packages.join('\n')}\n\nheaviest functions (self):\n${s.functions.join('\n')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
