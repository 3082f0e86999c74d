// `npm run bench`: seeds the bench database, builds and starts the API (production build) and
// the ceiling, counts SQL statements, proves both answer the same JSON, runs the workloads
// with autocannon and writes bench/RESULTS.md. Environment: see bench/config.ts
// (BENCH_DATABASE_URL, BENCH_SCALE, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_ONLY, BENCH_OUT …).
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { firstDifference } from './compare.ts';
import { loadBenchConfig, ROOT_DIR, type BenchConfig } from './config.ts';
import {
  eraseBody,
  ingestBatchBodies,
  ingestBodies,
  ORDER_SYNC,
  orderSyncBody,
  personalDataBody,
  PRODUCT_PAGE,
  body,
  productPageBody,
} from './documents.ts';
import { renderReport, resultsTable, targets, type Machine } from './report.ts';
import { seedBenchDatabase, type Samples } from './seed.ts';
import { buildServers, startApi, startBaseline, type RunningServer } from './servers.ts';
import { explainAll, instrumentedApp, type StatementCount } from './statements.ts';
import * as workloads from './workloads.ts';

const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForQuietMachine(config: BenchConfig) {
  const deadline = Date.now() + config.waitMinutes * 60_000;
  while (loadavg()[0] >= config.maxLoad && Date.now() < deadline) {
    log(
      `load average ${loadavg()[0].toFixed(2)} ≥ ${config.maxLoad}: waiting (until ${new Date(deadline).toISOString()})`,
    );
    await sleep(60_000);
  }
}

async function machine(url: string): Promise<Omit<Machine, 'loadAfter'>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const version = (await c.query<{ v: string }>('SELECT version() AS v')).rows[0].v.split(' on ')[0];
  await c.end();
  const git = (cmd: string) => execSync(cmd, { cwd: ROOT_DIR, encoding: 'utf8' }).trim();
  const dirty = git('git status --porcelain --untracked-files=no') !== '';
  return {
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    postgres: version,
    commit: `${git('git rev-parse --short HEAD')} (${git('git log -1 --format=%s')})${dirty ? ', with uncommitted changes in the work tree' : ''}`,
    loadBefore: loadavg(),
  };
}

/** Statements per request of each workload, and EXPLAIN of the personalData statements. */
async function countStatements(url: string, keys: workloads.Keys, samples: Samples, eraseEmails: string[]) {
  const app = await instrumentedApp(url);
  try {
    const counts: Record<string, StatementCount> = {
      storefront: await app.count(keys.storefront, () => productPageBody(samples), 10),
      'order sync': await app.count(keys.admin, () => orderSyncBody(samples), 10),
      'storefront (no response cache)': await app.count(keys.storefront, () => productPageBody(samples), 10),
      ingest: await app.count(keys.admin, ingestBatchBodies(samples, `countb${Date.now().toString(36)}`), 5),
      'ingest (one order per call)': await app.count(
        keys.admin,
        ingestBodies(samples, `count${Date.now().toString(36)}`),
        10,
      ),
      'privacy lookup': await app.count(keys.support, () => personalDataBody(samples), 10),
    };
    let i = 0;
    counts['privacy erasure'] = await app.count(
      keys.admin,
      () => eraseBody(eraseEmails[i++ % eraseEmails.length]),
      eraseEmails.length,
    );
    const captured = await app.capture(keys.support, personalDataBody(samples));
    const explain = await explainAll(
      url,
      captured.filter((q) => !q.query.includes('"api_keys"')),
    );
    return { counts, explain };
  } finally {
    await app.close();
  }
}

/** Sends the same requests to both servers; their `data` must be identical. */
async function checkSameJson(api: RunningServer, ceiling: RunningServer, keys: workloads.Keys, samples: Samples) {
  const post = async (server: RunningServer, key: string, text: string) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' },
      body: text,
    });
    return ((await res.json()) as { data?: unknown }).data;
  };
  const cases = [
    ...samples.skus
      .slice(0, 20)
      .map((sku) => ({ key: keys.storefront, text: body(PRODUCT_PAGE, 'ProductPage', { sku }) })),
    ...samples.orderCursors
      .slice(-3)
      .concat(samples.orderCursors.slice(0, 7))
      .map((after) => ({ key: keys.admin, text: body(ORDER_SYNC, 'OrderSync', { after }) })),
  ];
  let identical = 0;
  let first: string | undefined;
  for (const c of cases) {
    const a = await post(api, c.key, c.text);
    const b = await post(ceiling, c.key, c.text);
    const d = a === undefined ? 'API answered without data' : firstDifference(a, b);
    if (d === null) identical++;
    else first ??= d;
  }
  return { compared: cases.length, identical, firstDifference: first };
}

async function main() {
  const started = new Date();
  const config = loadBenchConfig();
  const want = (name: string) => !config.only || config.only.includes(name);
  await waitForQuietMachine(config);
  const before = await machine(config.databaseUrl.replace(/\/[^/]*$/, '/postgres'));
  log(`seeding ${config.databaseUrl} at scale ${config.scale} …`);
  const seed = await seedBenchDatabase(config.databaseUrl, config.scale, log);
  log(
    `  ${(seed.seedMs / 1000).toFixed(1)} s (+ VACUUM ANALYZE ${(seed.vacuumMs / 1000).toFixed(1)} s): ${JSON.stringify(seed.counts)}`,
  );
  const { samples } = seed;
  const keys = seed.large.keys;
  // E-mails erased while counting the erasure's statements are kept out of the lookups.
  const eraseEmails = samples.emails.splice(-3);

  log('building …');
  const buildMs = await buildServers();
  log('counting SQL statements per request …');
  const { counts, explain } = await countStatements(config.databaseUrl, keys, samples, eraseEmails);
  for (const [name, c] of Object.entries(counts)) log(`  ${name}: ${c.mean} (${c.min}–${c.max})`);

  const api = await startApi(config.databaseUrl);
  const ceiling = await startBaseline(config.databaseUrl);
  log(`API ${api.url} (pid ${api.pid}), ceiling ${ceiling.url} (pid ${ceiling.pid})`);
  const results: workloads.WorkloadResult[] = [];
  let erasures: workloads.Erasure[] = [];
  try {
    const equivalence = await checkSameJson(api, ceiling, keys, samples);
    log(
      `same JSON: ${equivalence.identical}/${equivalence.compared}${equivalence.firstDifference ? ` — ${equivalence.firstDifference}` : ''}`,
    );
    const ctx: workloads.Context = {
      config,
      samples,
      keys,
      api,
      ceiling,
      ourStatements: counts,
      log,
      startApi: (env, name) => startApi(config.databaseUrl, { env, name }),
    };
    if (want('storefront')) results.push(await workloads.storefront(ctx));
    if (want('storefront (no response cache)')) {
      results.push(await workloads.storefrontUncached(ctx, results.find((r) => r.name === 'storefront')?.ceiling));
    }
    if (want('order sync')) results.push(await workloads.orderSync(ctx));
    if (want('ingest')) results.push(await workloads.ingestBatch(ctx));
    if (want('ingest (one order per call)')) results.push(await workloads.ingest(ctx));
    if (want('privacy lookup')) results.push(await workloads.privacyLookup(ctx));
    if (want('privacy erasure')) {
      const erased = await workloads.privacyErasure(ctx);
      results.push(erased.result);
      erasures = erased.erasures;
    }
    const report = renderReport({
      started,
      totalSeconds: (Date.now() - started.getTime()) / 1000,
      config,
      machine: { ...before, loadAfter: loadavg() },
      seed,
      buildMs,
      equivalence,
      workloads: results,
      erasures,
      explain,
    });
    writeFileSync(config.outFile, report);
    log(`\n${resultsTable(results)}\n`);
    for (const t of targets(results)) log(`${t.met ? 'met   ' : 'MISSED'} ${t.text}`);
    log(`\nwrote ${config.outFile} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
  } finally {
    await api.stop();
    await ceiling.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
