// The two servers under test, each a separate `node` process on 127.0.0.1 with a fresh port:
// the API's production build (`npm run build` → dist/server/server.js) and the ceiling
// (bench/baseline/server.ts bundled the same way). Also their peak memory from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BENCH_DIR, ROOT_DIR } from './config.ts';

export const API_BUNDLE = join(ROOT_DIR, 'dist/server/server.js');
export const BASELINE_BUNDLE = join(ROOT_DIR, 'dist/bench/baseline.js');

/** Builds both bundles; returns the milliseconds it took. */
export async function buildServers(): Promise<number> {
  const started = performance.now();
  const npm = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT_DIR, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error(`npm run build failed (exit ${npm.status})`);
  await build({
    entryPoints: [join(BENCH_DIR, 'baseline/server.ts')],
    outfile: BASELINE_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return performance.now() - started;
}

export interface RunningServer {
  name: string;
  url: string;
  pid: number;
  /** Resets the peak resident set size (VmHWM) so the next reading covers one workload. */
  resetPeakRss(): void;
  /** Peak resident set size in MiB since start or the last reset. */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

function statusKiB(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) : NaN;
}

/** Starts `node <file>` and waits for its "Listening on <url>" line. */
export function startServer(
  name: string,
  file: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, file], {
    cwd: ROOT_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('did not start within 60 s')), 60_000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name}: ${error.message}\n${output.slice(-4000)}`));
    }
    const early = (code: number | null) => fail(new Error(`exited with code ${code} before listening`));
    child.once('exit', early);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Listening on (http:\/\/\S+?\/graphql)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.off('exit', early);
      child.stdout!.off('data', onData);
      // Keep draining so a full pipe never blocks the server; show warnings and errors.
      child.stdout!.resume();
      child.stderr!.on('data', (c: Buffer) => process.stderr.write(`[${name}] ${c}`));
      const pid = child.pid!;
      resolve({
        name,
        url,
        pid,
        resetPeakRss: () => {
          try {
            writeFileSync(`/proc/${pid}/clear_refs`, '5');
          } catch {
            // Not permitted here: the reading then covers everything since start.
          }
        },
        peakRssMiB: () => statusKiB(pid, 'VmHWM') / 1024,
        stop: async () => {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  });
}

/** The node flags of `npm run start:prod` (package.json), so the bench runs what production runs. */
export function productionNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const script = pkg.scripts['start:prod'];
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/server\/server\.js/.exec(script);
  if (!flags) throw new Error(`start:prod does not run node dist/server/server.js: ${script}`);
  return flags[1].trim().split(/\s+/).filter(Boolean);
}

/**
 * The API in production mode: warnings only, rate limits off, no erasure worker; `env` adds or
 * overrides settings (e.g. RESPONSE_CACHE_TTL_MS=0), `nodeArgs` adds node flags.
 */
export function startApi(
  databaseUrl: string,
  {
    nodeArgs: extraNodeArgs = [],
    env = {},
    name = 'api',
  }: { nodeArgs?: string[]; env?: Record<string, string>; name?: string } = {},
): Promise<RunningServer> {
  const nodeArgs = [...productionNodeArgs(), ...extraNodeArgs];
  return startServer(
    name,
    API_BUNDLE,
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      RATE_LIMIT_ENABLED: 'false',
      ERASURE_WORKER_INTERVAL_MS: '0',
      INTROSPECTION: 'false',
      ...env,
    },
    nodeArgs,
  );
}

export function startBaseline(databaseUrl: string): Promise<RunningServer> {
  return startServer('ceiling', BASELINE_BUNDLE, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
  });
}
