// `npm run db:diff -- <name>`: writes the next migration for what schema.prisma adds to the
// migration history. Replays the history on a throwaway in-memory PGlite, so it needs no server.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createMigration } from './engine.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:diff -- <name>   (lower-case letters, digits and _)');
  process.exit(2);
}
const pg = new PGlite();
try {
  const created = await createMigration(new PrismaPGlite(pg), MIGRATIONS_DIR, SCHEMA_PATH, name);
  console.log(
    created
      ? `created prisma/migrations/${created}/migration.sql`
      : 'schema.prisma matches the migrations: nothing to do',
  );
} finally {
  await pg.close();
}
