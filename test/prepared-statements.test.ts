// Named (prepared) statements on PostgreSQL: src/platform/db/statement-names.ts gives each SQL text a
// stable name, bounded in number; the PrismaPg adapter then parses and plans each text once per
// connection. Unit rules here; on PostgreSQL, proof that the server really keeps them and that
// answers stay the same when they are reused.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../src/platform/db/client.ts';
import { statementNames } from '../src/platform/db/statement-names.ts';
import { createPostgresDatabase } from './helpers.ts';

describe('statementNames', () => {
  it('names the same text the same way and different texts differently', () => {
    const name = statementNames(10)!;
    const a = name({ sql: 'SELECT 1' });
    expect(a).toMatch(/^p_[A-Za-z0-9_-]{27}$/);
    expect(name({ sql: 'SELECT 1' })).toBe(a);
    expect(name({ sql: 'SELECT 2' })).not.toBe(a);
    // Stable across generators (processes): the name depends on the text only.
    expect(statementNames(10)!({ sql: 'SELECT 1' })).toBe(a);
  });

  it('stops naming new texts past the limit, and keeps naming the known ones', () => {
    const name = statementNames(2)!;
    const a = name({ sql: 'a' });
    name({ sql: 'b' });
    expect(name({ sql: 'c' })).toBeUndefined();
    expect(name({ sql: 'a' })).toBe(a);
  });

  it('is off with a limit of 0', () => {
    expect(statementNames(0)).toBeUndefined();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
  let pgdb: Awaited<ReturnType<typeof createPostgresDatabase>>;
  beforeAll(async () => {
    pgdb = await createPostgresDatabase(process.env.TEST_DATABASE_URL!, inject('postgresTemplate'));
  }, 120_000);
  afterAll(() => pgdb?.drop());

  async function withDatabase(preparedStatements: number | undefined, work: (db: Database) => Promise<void>) {
    // One connection, so the session that prepared is the one asked.
    const database = openDatabase({ url: pgdb.url, poolSize: 1, preparedStatements });
    try {
      await work(database);
    } finally {
      await database.close();
    }
  }
  const prepared = async (db: Database) =>
    (await db.prisma.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements`).map((r) => r.name);

  it('keeps a statement prepared on the connection and answers the same when reusing it', async () => {
    await withDatabase(undefined, async (db) => {
      const first = await db.prisma.client.findMany({ where: { slug: 'none' } });
      const again = await db.prisma.client.findMany({ where: { slug: 'none' } });
      expect(again).toEqual(first);
      const names = await prepared(db);
      expect(names.filter((n) => n.startsWith('p_')).length).toBeGreaterThanOrEqual(1);
      // Different parameters, same prepared text: the values are bound, not baked in.
      await db.prisma.client.create({ data: { slug: 'one', name: 'One', erasureSecret: 'x'.repeat(64) } });
      expect((await db.prisma.client.findMany({ where: { slug: 'one' } })).map((c) => c.slug)).toEqual(['one']);
      expect(await db.prisma.client.findMany({ where: { slug: 'none' } })).toEqual([]);
    });
  });

  it('prepares nothing with DB_PREPARED_STATEMENTS=0', async () => {
    await withDatabase(0, async (db) => {
      await db.prisma.client.findMany({ where: { slug: 'none' } });
      expect(await prepared(db)).toEqual([]);
    });
  });
});
