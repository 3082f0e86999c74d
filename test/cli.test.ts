// The admin CLI as an operator runs it: a separate process on the same database.
// PGlite: a temp PGLITE_DIR (opened here only between CLI runs; PGlite is single-process).
// PostgreSQL (TEST_DATABASE_URL): the CLI gets this file's throwaway database as DATABASE_URL.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDatabase } from '../src/platform/db/client.ts';
import { printSchemaSDL } from '../src/schema.ts';
import { useTestApp } from './helpers.ts';

const run = promisify(execFile);
const t = useTestApp();
const dir = mkdtempSync(join(tmpdir(), 'cli-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `tsx src/cli.ts …`; resolves with exit code, stdout and stderr. */
async function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (t.databaseUrl) env.DATABASE_URL = t.databaseUrl;
  else env.PGLITE_DIR = join(dir, 'pglite');
  try {
    const { stdout, stderr } = await run('node_modules/.bin/tsx', ['src/cli.ts', ...args], { env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** How the API answers `viewer` for each key, through an app on the database the CLI wrote. */
async function viewersOf(...keys: string[]) {
  const read = async (fetchApp: (req: Request) => Promise<Response> | Response) => {
    const answers = [];
    for (const key of keys) {
      const res = await fetchApp(
        new Request('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: '{ viewer { role keyPrefix client { slug name } } }' }),
        }),
      );
      answers.push({ status: res.status, body: (await res.json()) as any });
    }
    return answers;
  };
  if (t.databaseUrl) return read((req) => t.app.fetch(req));
  const database = openDatabase({ pgliteDir: join(dir, 'pglite') });
  const app = createApp({ db: database.prisma });
  try {
    return await read((req) => app.fetch(req));
  } finally {
    await app.dispose();
    await database.close();
  }
}

describe('cli', () => {
  let keys: { admin: string; support: string; storefront: string };

  it('client create --json prints exactly one JSON object with the client and a key per role', async () => {
    const { code, stdout } = await cli('client', 'create', 'acme', '--name', 'Acme Outdoor', '--json');
    expect(code).toBe(0);
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual(['client', 'keys']);
    expect(out.client).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), slug: 'acme', name: 'Acme Outdoor' });
    expect(Object.keys(out.keys).sort()).toEqual(['admin', 'storefront', 'support']);
    expect(out.keys.admin).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
    expect(out.keys.support).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);
    expect(out.keys.storefront).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
    keys = out.keys;
    const [admin] = await viewersOf(keys.admin);
    expect(admin.status).toBe(200);
    expect(admin.body.data.viewer).toEqual({
      role: 'ADMIN',
      keyPrefix: keys.admin.slice(0, 11),
      client: { slug: 'acme', name: 'Acme Outdoor' },
    });
  }, 180_000);

  it('client create refuses a taken or invalid slug with a one-line error', async () => {
    const taken = await cli('client', 'create', 'acme', '--json');
    expect(taken.code).toBe(2);
    expect(taken.stdout).toBe('');
    expect(taken.stderr.trim()).toBe('error: Invalid input at slug: a client with slug "acme" already exists');
    const invalid = await cli('client', 'create', 'Not A Slug');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr.trim()).toBe('error: Invalid input at slug: lower-case letters, digits and -, at most 63');
  }, 180_000);

  it('key create makes a working key of the role; key revoke makes it fail with 401', async () => {
    const created = await cli('key', 'create', 'acme', '--role', 'support', '--name', 'helpdesk', '--json');
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toEqual({
      id: expect.any(String),
      role: 'SUPPORT',
      name: 'helpdesk',
      prefix: key.key.slice(0, 11),
      key: expect.stringMatching(/^rk_[A-Za-z0-9_-]{32}$/),
    });
    const [before] = await viewersOf(key.key);
    expect(before.body.data.viewer).toMatchObject({ role: 'SUPPORT', client: { slug: 'acme' } });

    const revoked = await cli('key', 'revoke', key.prefix);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${key.prefix}\n` });
    const [after, otherKey] = await viewersOf(key.key, keys.support);
    expect(after.status).toBe(401);
    expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // The client's other keys are untouched.
    expect(otherKey.status).toBe(200);
  }, 180_000);

  it('key commands explain unknown clients, prefixes and roles', async () => {
    const noClient = await cli('key', 'create', 'nobody', '--role', 'admin');
    expect(noClient).toMatchObject({ code: 2, stderr: 'error: No client with slug "nobody".\n' });
    const noKey = await cli('key', 'revoke', 'sk_AAAAAAAA');
    expect(noKey).toMatchObject({ code: 2, stderr: 'error: No key with prefix "sk_AAAAAAAA".\n' });
    const badRole = await cli('key', 'create', 'acme', '--role', 'root');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('usage:');
  }, 180_000);

  it('print-schema --out writes the SDL of the running schema', async () => {
    const out = join(dir, 'schema.graphql');
    const { code, stdout } = await cli('print-schema', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(printSchemaSDL());
  }, 180_000);
});
