// `npm start` as a new user meets it: an empty embedded database, a demo client with a small
// store whose printed admin key works over real HTTP (GraphiQL's default query answers with
// data), GraphiQL on GET /graphql, and a clean exit on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { GRAPHIQL_DEFAULT_QUERY } from '../src/platform/http/graphiql.ts';

const dir = mkdtempSync(join(tmpdir(), 'server-test-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the server; resolves with everything printed up to the line naming GraphiQL. */
function start(): Promise<{ output: string; proc: ChildProcess }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PGLITE_DIR: join(dir, 'pglite'),
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/GraphiQL/.test(output) && output.endsWith('\n')) resolve({ output, proc });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.on('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

describe('server start', () => {
  it('prints a working demo admin key and the GraphiQL URL, serves GraphiQL, and exits 0 on SIGTERM', async () => {
    const { output, proc } = await start();
    const keys = Object.fromEntries(
      [...output.matchAll(/^\s+(ADMIN|SUPPORT|STOREFRONT)\s+(\S+)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(keys.ADMIN).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
    expect(keys.SUPPORT).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);
    expect(keys.STOREFRONT).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
    const url = output.match(/(http:\/\/127\.0\.0\.1:(\d+)\/graphql)/);
    expect(url, output).not.toBeNull();
    expect(Number(url![2])).toBeGreaterThan(0);
    const endpoint = url![1];

    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.ADMIN}` },
      body: JSON.stringify({ query: '{ viewer { role client { slug name } } }' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data).toEqual({
      viewer: { role: 'ADMIN', client: { slug: 'demo', name: 'Demo store' } },
    });

    expect(output).toMatch(
      /Created the "demo" client with a small store \(20 products, 20 orders, \d+ reviews, \d+ questions, \d+ seller reviews\) in \d+\.\d s\./,
    );
    const tab = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.ADMIN}` },
      body: JSON.stringify({ query: GRAPHIQL_DEFAULT_QUERY }),
    });
    const first = (await tab.json()) as any;
    expect(first.errors).toBeUndefined();
    expect(first.data.orders.totalCount).toBe(20);
    expect(first.data.orders.nodes).toHaveLength(5);
    expect(first.data.orders.nodes[0].items.length).toBeGreaterThan(0);

    const anonymous = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(anonymous.status).toBe(401);

    const page = await fetch(endpoint, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>Merchant data API</title>');
    expect(html).toContain('graphiql');

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('DEMO_DATA: on for embedded PGlite, off for PostgreSQL unless asked, off when false', () => {
    const pg = 'postgres://postgres@127.0.0.1:5432/test';
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'false' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: pg }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: pg, DEMO_DATA: 'true' }).demoData).toBe(true);
    expect(() => loadConfig({ DEMO_DATA: 'maybe' })).toThrow(/DEMO_DATA/);
  });
});
