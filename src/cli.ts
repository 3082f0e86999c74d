// Admin CLI: `npm run cli -- <command>`. Uses the same database settings as the server.
import { writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { openDatabase, type Database } from './platform/db/client.ts';
import { ROOT } from './platform/db/paths.ts';
import { createClient, createKey, revokeKey } from './features/clients/clients.ts';
import { DomainError } from './platform/rules/errors.ts';
import { seedDemo } from './features/seed/seed.ts';
import type { Role } from './generated/prisma/enums.ts';

const USAGE = `usage: npm run cli -- <command>
  client create <slug> [--name NAME] [--json]   new client with one key of each role
  key create <slug> --role admin|support|storefront [--name NAME] [--json]
  key revoke <prefix>                          e.g. key revoke sk_AbCdEfGh
  seed [--client SLUG] [--orders N]            demo data (default client "demo", 50 orders)
  migrate                                      apply pending migrations
  print-schema [--out FILE]                    write schema.graphql (default: the repo's)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    name: { type: 'string' },
    role: { type: 'string' },
    client: { type: 'string', default: 'demo' },
    orders: { type: 'string', default: '50' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (!config.databaseUrl) mkdirSync(config.pgliteDir, { recursive: true });
  const db = openDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir, poolSize: 2 });
  try {
    await db.migrate();
    return await work(db);
  } finally {
    await db.close();
  }
}

const ROLES: Record<string, Role> = { admin: 'ADMIN', support: 'SUPPORT', storefront: 'STOREFRONT' };
const [cmd, sub, arg] = positionals;

try {
  if (values.help || !cmd) {
    console.log(USAGE);
  } else if (cmd === 'client' && sub === 'create') {
    if (!arg) fail(USAGE);
    const created = await withDatabase((db) => createClient(db.prisma, { slug: arg, name: values.name }));
    if (values.json) process.stdout.write(`${JSON.stringify(created)}\n`);
    else {
      console.log(`client ${created.client.slug} (${created.client.id})`);
      for (const [role, key] of Object.entries(created.keys)) console.log(`  ${role.padEnd(10)} ${key}`);
      console.log('Keys are shown once; store them now.');
    }
  } else if (cmd === 'key' && sub === 'create') {
    const role = ROLES[values.role ?? ''];
    if (!arg || !role) fail(USAGE);
    const key = await withDatabase((db) => createKey(db.prisma, arg, role, values.name));
    if (values.json) process.stdout.write(`${JSON.stringify(key)}\n`);
    else console.log(`${key.role} key for ${arg}: ${key.key}\n(shown once; store it now)`);
  } else if (cmd === 'key' && sub === 'revoke') {
    if (!arg) fail(USAGE);
    await withDatabase((db) => revokeKey(db.prisma, arg));
    console.log(`revoked ${arg}`);
  } else if (cmd === 'seed') {
    const orders = Number(values.orders);
    if (!Number.isInteger(orders) || orders < 0 || orders > 100_000) fail('--orders takes a whole number, 0 to 100000');
    const result = await withDatabase(async (db) => {
      const existing = await db.prisma.client.findUnique({ where: { slug: values.client } });
      const clientId = existing?.id ?? (await createClient(db.prisma, { slug: values.client! })).client.id;
      return seedDemo(db.prisma, clientId, orders);
    });
    console.log(`seeded ${values.client}: ${JSON.stringify(result)}`);
  } else if (cmd === 'migrate') {
    const config = loadConfig();
    if (!config.databaseUrl) mkdirSync(config.pgliteDir, { recursive: true });
    const db = openDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir, poolSize: 2 });
    const applied = await db.migrate().finally(() => db.close());
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } else if (cmd === 'print-schema') {
    const { printSchemaSDL } = await import('./schema.ts');
    const out = values.out ?? join(ROOT, 'schema.graphql');
    writeFileSync(out, printSchemaSDL());
    console.log(`wrote ${out}`);
  } else {
    fail(USAGE);
  }
} catch (error) {
  if (error instanceof DomainError) fail(`error: ${error.message}`);
  throw error;
}
