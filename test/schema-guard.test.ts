// scripts/schema-guard.ts in a throwaway git repository: passes without a previous schema and
// on additive changes, fails on an unacknowledged breaking change (also when later commits leave
// the schema alone), and accepts the commit-message marker and the .schema-breaking-ok file.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve('scripts/schema-guard.ts');
// Run from the temporary repository: tsx must be found by path, not from the working directory.
const TSX = resolve('node_modules/.bin/tsx');
const repo = mkdtempSync(join(tmpdir(), 'schema-guard-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
git('init', '-q');
git('config', 'user.email', 'test@example.com');
git('config', 'user.name', 'test');

function commit(file: string, text: string, message: string) {
  writeFileSync(join(repo, file), text);
  git('add', file);
  git('commit', '-q', '-m', message);
}

async function guard(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [SCRIPT, ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

const V1 = 'type Query {\n  "A"\n  a: Int\n  "B"\n  b: String\n}\n';
const V2 = 'type Query {\n  "A"\n  a: Int\n  "B"\n  b: String\n  "C"\n  c: Boolean\n}\n';
const V3 = 'type Query {\n  "A"\n  a: Int\n  "C"\n  c: Boolean\n}\n';
const V4 = 'type Query {\n  "A"\n  a: Int\n}\n';

describe('schema guard', () => {
  it('passes when there is no previous schema', async () => {
    commit('schema.graphql', V1, 'first schema');
    const res = await guard();
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/no previous schema to compare with \(commit \w+ added schema\.graphql/);
  });

  it('passes an additive change and prints it', async () => {
    commit('schema.graphql', V2, 'add c');
    const res = await guard();
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("safe      Field 'c' was added to object type 'Query' [Query.c]");
    expect(res.stdout).toContain('schema guard: passed.');
  });

  it('fails on a breaking change, also after a later commit that does not touch the schema', async () => {
    commit('schema.graphql', V3, 'remove b');
    const res = await guard();
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      "BREAKING  Field 'b' was removed from object type 'Query' [Query.b] (NOT acknowledged)",
    );
    expect(res.stderr).toMatch(/^schema guard: 1 breaking change not acknowledged\./);
    commit('README.md', 'docs\n', 'docs only');
    expect((await guard()).code).toBe(1);
  });

  it('accepts "[breaking-change-ok]" in the message of the commit that changed the schema', async () => {
    commit('schema.graphql', V4, 'remove c [breaking-change-ok]: nobody used it');
    const res = await guard();
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(
      "BREAKING  Field 'c' was removed from object type 'Query' [Query.c] (acknowledged by [breaking-change-ok] in the commit message)",
    );
  });

  it('checks uncommitted edits against HEAD; .schema-breaking-ok lines acknowledge by path, stale lines are reported', async () => {
    writeFileSync(join(repo, 'schema.graphql'), 'type Query {\n  "A"\n  a: String\n}\n');
    const res = await guard();
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('against HEAD:schema.graphql (uncommitted changes): 1 change');
    expect(res.stdout).toContain(
      "BREAKING  Field 'Query.a' changed type from 'Int' to 'String' [Query.a] (NOT acknowledged)",
    );
    writeFileSync(join(repo, '.schema-breaking-ok'), '# acknowledged breaking changes\nQuery.a\nQuery.zzz\n');
    const ok = await guard();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('[Query.a] (acknowledged in .schema-breaking-ok)');
    expect(ok.stdout).toContain('note: .schema-breaking-ok line "Query.zzz" matches no breaking change; remove it');
    rmSync(join(repo, '.schema-breaking-ok'));
    git('checkout', '--', 'schema.graphql');
  });

  it('--base compares with any revision: the first commit shows every change since', async () => {
    const first = git('rev-list', '--max-parents=0', 'HEAD').trim();
    const res = await guard('--base', first);
    expect(res.stdout).toContain(`against ${first}:schema.graphql: 1 change`);
    expect(res.stdout).toContain(
      "BREAKING  Field 'b' was removed from object type 'Query' [Query.b] (acknowledged by [breaking-change-ok] in the commit message)",
    );
    expect(res.code).toBe(0);
  });
});
