// Graceful shutdown of the real server process: on SIGTERM it stops accepting connections,
// lets the in-flight request finish (it still uses the database), runs the shutdown hooks,
// closes the database and exits 0 — bounded by SHUTDOWN_TIMEOUT_MS.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/platform/db/paths.ts';
import { createLifecycle } from '../src/platform/lifecycle.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

interface Server {
  child: ChildProcess;
  url: string;
  key: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  cleanup(): void;
}

/** Starts `src/server.ts` on a free port: PostgreSQL when the suite runs on it, else its own PGlite dir. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shutdown-'));
  let key: string | undefined;
  const dbEnv: Record<string, string> = t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : { PGLITE_DIR: dir };
  if (t.databaseUrl) key = (await t.newClient()).keys.admin;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TEST_DELAY_HEADER: 'true',
      ...dbEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 150_000);
    const check = () => {
      const m = /Listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => reject(new Error(`server exited:\n${out}`)));
  });
  key ??= /ADMIN\s+(sk_\S+)/.exec(out)?.[1];
  if (!key) throw new Error(`no admin key in:\n${out}`);
  return {
    child,
    url,
    key,
    output: () => out,
    exited,
    cleanup: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function slowRequest(s: Server, delayMs: number) {
  return fetch(s.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${s.key}`,
      'x-test-delay-ms': String(delayMs),
    },
    body: JSON.stringify({ query: '{ viewer { role } orders(first: 1) { totalCount } }' }),
  });
}

/** Resolves once the server logged that it holds the slow request. */
async function held(s: Server) {
  while (!s.output().includes('test delay: holding the request')) await new Promise((r) => setTimeout(r, 20));
}

const logLines = (s: Server) =>
  s
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

describe('graceful shutdown', () => {
  it('finishes the in-flight request, refuses new connections, then exits 0', async () => {
    const s = await startServer({ SHUTDOWN_TIMEOUT_MS: '10000' });
    try {
      const inFlight = slowRequest(s, 2_000);
      await held(s); // the request is now held inside execution, authenticated
      const sigtermAt = Date.now();
      s.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      await expect(fetch(s.url.replace('/graphql', '/healthz'))).rejects.toThrow();
      const res = await inFlight;
      const answeredAt = Date.now();
      expect(res.status).toBe(200);
      // Whatever the store holds (on PGlite the first start fills a demo store).
      expect(await res.json()).toMatchObject({
        data: { viewer: { role: 'ADMIN' }, orders: { totalCount: expect.any(Number) } },
      });
      const exit = await s.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      // It waited for the request (≈2 s left after SIGTERM) and no longer than it needed.
      expect(answeredAt - sigtermAt).toBeGreaterThanOrEqual(1_500);
      expect(exit.at - answeredAt).toBeLessThan(3_000);
      const steps = new Set(['shutting down: no new connections', 'request', 'HTTP server closed', 'stopped']);
      const msgs = logLines(s)
        .map((l) => l.msg)
        .filter((m) => steps.has(m));
      expect(msgs.slice(msgs.indexOf('shutting down: no new connections'))).toEqual([
        'shutting down: no new connections',
        'request',
        'HTTP server closed',
        'stopped',
      ]);
      const lines = logLines(s);
      expect(lines.find((l) => l.msg === 'shutting down: no new connections')).toMatchObject({
        signal: 'SIGTERM',
        inFlight: 1,
        timeoutMs: 10_000,
      });
      expect(lines.find((l) => l.msg === 'HTTP server closed')).toMatchObject({ drained: true, cutRequests: 0 });
      console.log(
        `shutdown: request answered ${answeredAt - sigtermAt} ms after SIGTERM, exit ${exit.at - sigtermAt} ms after`,
      );
    } finally {
      s.cleanup();
    }
  }, 300_000);

  it('cuts requests still running after SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    const s = await startServer({ SHUTDOWN_TIMEOUT_MS: '500' });
    try {
      const inFlight = slowRequest(s, 20_000).then(
        (r) => r.status,
        () => 'cut',
      );
      await held(s);
      const sigtermAt = Date.now();
      s.child.kill('SIGINT');
      const exit = await s.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - sigtermAt).toBeLessThan(5_000);
      expect(await inFlight).toBe('cut');
      expect(logLines(s).find((l) => l.msg === 'HTTP server closed')).toMatchObject({ drained: false, cutRequests: 1 });
    } finally {
      s.cleanup();
    }
  }, 300_000);
});

describe('shutdown hooks', () => {
  it('run once, newest first, each bounded, failures reported', async () => {
    const lc = createLifecycle();
    const ran: string[] = [];
    const failures: string[] = [];
    lc.onShutdown('first', () => void ran.push('first'));
    lc.onShutdown('stuck', () => new Promise(() => {}));
    lc.onShutdown('broken', () => {
      throw new Error('boom');
    });
    const off = lc.onShutdown('removed', () => void ran.push('removed'));
    lc.onShutdown('worker', async () => {
      await new Promise((r) => setTimeout(r, 20));
      ran.push('worker');
    });
    off();
    const started = Date.now();
    await Promise.all([
      lc.shutdown(200, (name, e) => failures.push(`${name}: ${(e as Error).message}`)),
      lc.shutdown(200),
    ]);
    expect(ran).toEqual(['worker', 'first']);
    expect(failures).toEqual(['broken: boom', 'stuck: shutdown hook "stuck" took over 200 ms']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
