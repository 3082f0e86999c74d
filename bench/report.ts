// Writes bench/RESULTS.md from one run's measurements.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './config.ts';
import { productionNodeArgs } from './servers.ts';
import type { BenchConfig } from './config.ts';
import type { SeedResult } from './seed.ts';
import type { Erasure, ServerRun, WorkloadResult } from './workloads.ts';

export interface Machine {
  cpus: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  commit: string;
  loadBefore: number[];
  loadAfter: number[];
}

export interface Report {
  started: Date;
  totalSeconds: number;
  config: BenchConfig;
  machine: Machine;
  seed: SeedResult;
  buildMs: number;
  equivalence: { compared: number; identical: number; firstDifference?: string };
  workloads: WorkloadResult[];
  erasures: Erasure[];
  explain: { query: string; plan: string }[];
}

const n0 = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US');
const n1 = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(1));
const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
const mark = (met: boolean) => (met ? '**met**' : '**MISSED**');

function row(w: WorkloadResult, server: 'API' | 'ceiling', run: ServerRun, ceiling?: ServerRun): string {
  const r = run.max;
  const cells = [
    server === 'API' ? w.name : '',
    server,
    n0(r.rps),
    String(r.p50),
    String(r.p99),
    run.half ? `${run.half.p99} (at ${n0(run.half.rps)} rps)` : '–',
    n1(run.statements),
    n0(run.peakRssMiB),
    ceiling ? pct(r.rps / ceiling.max.rps) : '',
    ceiling ? (r.p99 / Math.max(1, ceiling.max.p99)).toFixed(2) : '',
    ceiling?.half && run.half ? (run.half.p99 / Math.max(1, ceiling.half.p99)).toFixed(2) : '',
  ];
  return `| ${cells.join(' | ')} |`;
}

export function resultsTable(workloads: WorkloadResult[]): string {
  const lines = [
    '| workload | server | req/s | p50 ms | p99 ms | p99 ms at ½ max rate | SQL statements / request | peak RSS MiB | req/s ÷ ceiling | p99 ÷ ceiling | p99 at ½ rate ÷ ceiling |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const shown = new Set<ServerRun>();
  for (const w of workloads) {
    lines.push(row(w, 'API', w.ours, w.ceiling));
    // A ceiling run shared by two workloads is shown once.
    if (w.ceiling && !shown.has(w.ceiling)) lines.push(row(w, 'ceiling', w.ceiling));
    if (w.ceiling) shown.add(w.ceiling);
  }
  return lines.join('\n');
}

export function targets(workloads: WorkloadResult[]): { text: string; met: boolean }[] {
  const get = (name: string) => workloads.find((w) => w.name === name);
  const out: { text: string; met: boolean }[] = [];
  for (const name of ['storefront', 'storefront (no response cache)', 'order sync']) {
    const w = get(name);
    if (!w?.ceiling) continue;
    const ratio = w.ours.max.rps / w.ceiling.max.rps;
    out.push({ text: `${name}: ≥ 60 % of the ceiling's req/s — ${pct(ratio)}`, met: ratio >= 0.6 });
    const p99 = w.ours.half?.p99 ?? NaN;
    out.push({ text: `${name}: p99 < 50 ms at half the measured maximum rate — ${p99} ms`, met: p99 < 50 });
  }
  for (const w of workloads.filter((x) => x.ordersPerSecond !== undefined)) {
    out.push({ text: `${w.name}: ≥ 1,000 orders/s — ${n0(w.ordersPerSecond)}`, met: w.ordersPerSecond! >= 1000 });
  }
  const lookup = get('privacy lookup');
  if (lookup)
    out.push({
      text: `personalData by e-mail: p50 < 10 ms — ${lookup.ours.max.p50} ms`,
      met: lookup.ours.max.p50 < 10,
    });
  return out;
}

function dataSet(seed: SeedResult): string {
  const s = seed.sizes;
  const counts = Object.entries(seed.counts)
    .map(([table, count]) => `${table} ${count.toLocaleString('en-US')}`)
    .join(', ');
  const slow = [...seed.timings].sort((a, b) => b.ms - a.ms).slice(0, 4);
  return [
    `One large client: ${s.orders.toLocaleString('en-US')} orders (1–5 items, 3 on average) of ${s.customers.toLocaleString('en-US')} customers (15 % share an e-mail with another customer, 2 % have none), ${s.products.toLocaleString('en-US')} products (families of 4 variants, 10 % without family), ${s.reviews.toLocaleString('en-US')} reviews (80 % published, popular products have more), ${s.questions.toLocaleString('en-US')} questions (60 % answered), ${s.sellerReviews.toLocaleString('en-US')} seller reviews; ${s.heavySubjects} people with large histories (2 customers × ${s.heavyOrdersPerCustomer} orders, ${s.heavyReviews} reviews, ${s.heavyQuestions} questions, ${s.heavySellerReviews} seller reviews each). Plus ${seed.smallClients} small clients of ${seed.smallSizes.orders.toLocaleString('en-US')} orders each.`,
    '',
    `Rows (all clients): ${counts}.`,
    '',
    `Seeding: **${(seed.seedMs / 1000).toFixed(1)} s** (create database, migrate, clients and keys through src/features/clients/clients.ts, set-based INSERT … SELECT generate_series), then VACUUM ANALYZE ${(seed.vacuumMs / 1000).toFixed(1)} s. Slowest steps: ${slow.map((t) => `${t.label} ${(t.ms / 1000).toFixed(1)} s`).join(', ')}.`,
  ].join('\n');
}

export function renderReport(r: Report): string {
  const m = r.machine;
  const c = r.config;
  const notesFile = join(BENCH_DIR, 'NOTES.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8').trim() : '';
  const t = targets(r.workloads);
  const eq = r.equivalence;
  return `# Benchmark results

Written by \`npm run bench\` (bench/run.ts) — do not edit by hand; hand-written notes live in bench/NOTES.md and are copied below.

- Date: ${r.started.toISOString()} — whole run ${r.totalSeconds.toFixed(0)} s (build ${(r.buildMs / 1000).toFixed(1)} s)
- Commit: ${m.commit}
- Machine: ${m.cpus}, ${m.memoryGiB.toFixed(0)} GiB memory; Node ${m.node}; ${m.postgres}
- Load average (1, 5, 15 min) before: ${m.loadBefore.map((v) => v.toFixed(2)).join(', ')}; after: ${m.loadAfter.map((v) => v.toFixed(2)).join(', ')}. Per workload at its start: ${r.workloads.map((w) => `${w.name} ${w.loadBefore.toFixed(2)}`).join(', ')}.
- Settings: BENCH_SCALE=${c.scale}, ${c.warmupSeconds} s warm-up + ${c.durationSeconds} s per run, ${c.halfRateSeconds} s at half rate, ${c.connections} connections (autocannon 9.0.0 in the bench process; each server is its own \`node\` process on 127.0.0.1).
- API: production build (\`npm run build\`: esbuild bundle of src/server.ts, dependencies external) run as \`npm run start:prod\` does (\`node ${productionNodeArgs().join(' ')}\`), NODE_ENV=production, LOG_LEVEL=warn, rate limits off, DB_POOL_SIZE 10, otherwise the defaults: prepared statements, API-key cache and STOREFRONT response cache on (the second storefront row runs another process with RESPONSE_CACHE_TTL_MS=0). Ceiling: bench/baseline/server.ts (node:http + pg pool of 10; one named, prepared statement per request that also checks the API key; the product page's JSON built by PostgreSQL, the order page's in node from flat rows).

## Results

${resultsTable(r.workloads)}

Latencies are autocannon's (1 ms resolution; at a fixed rate corrected for coordinated omission). Failed requests (GraphQL errors, non-2xx, timeouts) are not counted in req/s; there were ${r.workloads.reduce((n, w) => n + [w.ours, w.ceiling].reduce((k, s) => k + (s ? s.max.failed + s.max.non2xx + s.max.errors + s.max.timeouts : 0), 0), 0)} in the full-speed runs.
SQL statements per request: the API's are counted by running each workload's requests (10 each) through the app in the bench process (createApp over the same database) and counting every statement the pg driver sends, transaction BEGIN/COMMIT included, with the API-key cache of a running server (the key is verified by the first, uncounted request; the ceiling checks the key in its one statement every time); the ceiling counts its own statements during the runs. Peak RSS: VmHWM of the server process, reset before each workload.

${r.workloads.map((w) => `- **${w.name}**: ${w.what}.${w.notes.length ? ` ${w.notes.join('; ')}.` : ''}`).join('\n')}

Same JSON: ${eq.identical} of ${eq.compared} requests answered by both servers had identical \`data\`${eq.firstDifference ? ` (first difference: ${eq.firstDifference})` : ''}.

## Targets

${t.map((x) => `- ${mark(x.met)} ${x.text}`).join('\n')}

## Data set

${dataSet(r.seed)}

## Erasures of people with large histories

| # | ms | customers | orders | order items | reviews | questions | seller reviews |
|--:|--:|--:|--:|--:|--:|--:|--:|
${r.erasures.map((e, i) => `| ${i + 1} | ${n0(e.ms)} | ${e.counts.customers} | ${e.counts.orders} | ${e.counts.orderItems} | ${e.counts.reviews} | ${e.counts.questions} | ${e.counts.sellerReviews} |`).join('\n')}

## EXPLAIN (ANALYZE, BUFFERS) of personalData by e-mail

The statements the API sent for one \`personalData(subject: { email })\` request (after the API-key lookup), captured from Prisma's query events and explained with their own parameters.

${r.explain.map((e, i) => `### Statement ${i + 1}\n\n\`\`\`sql\n${e.query}\n\`\`\`\n\n\`\`\`\n${e.plan}\n\`\`\``).join('\n\n')}
${notes ? `\n## Notes\n\n${notes}\n` : ''}`;
}
