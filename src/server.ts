// Process entry: configuration, database, migrations, first-run demo client, HTTP, shutdown.
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { createClient } from './domain/clients.ts';
import { createLogger } from './logger.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);

if (!config.databaseUrl) mkdirSync(config.pgliteDir, { recursive: true });
const database = openDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir, poolSize: config.dbPoolSize });
const applied = await database.migrate();
log.info({ applied, database: database.kind }, 'migrations applied');

const endpoint = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/graphql`;

// First start on an empty embedded database: make a demo client so GraphiQL works at once.
if (database.kind === 'pglite' && (await database.prisma.client.count()) === 0) {
  const demo = await createClient(database.prisma, { slug: 'demo', name: 'Demo store' });
  console.log(
    [
      '',
      'Created the "demo" client. Its API keys (shown once, keep them):',
      `  ADMIN       ${demo.keys.admin}`,
      `  SUPPORT     ${demo.keys.support}`,
      `  STOREFRONT  ${demo.keys.storefront}`,
      '',
      `In GraphiQL (${endpoint}) open Headers and paste:`,
      `  { "Authorization": "Bearer ${demo.keys.admin}" }`,
      '',
    ].join('\n'),
  );
}

const app = createApp({ db: database.prisma, graphiql: config.graphiql });
const server = createServer(app);
server.listen(config.port, config.host, () => {
  log.info({ endpoint }, 'listening');
  console.log(`GraphiQL: ${endpoint}`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  server.close();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, 10_000);
    server.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
