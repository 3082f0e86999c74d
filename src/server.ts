// Process entry: configuration, database, migrations, first-run demo client, HTTP, and a
// graceful shutdown on SIGTERM/SIGINT: stop accepting connections, let in-flight requests
// finish (at most SHUTDOWN_TIMEOUT_MS), run the shutdown hooks (src/platform/lifecycle.ts), close the
// database, exit 0.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { KEY_CHANGES_CHANNEL, KeyCache } from './platform/auth/key-cache.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db/client.ts';
import type { Subscriber } from './platform/db/notifications.ts';
import { loggedSubscriber } from './platform/db/listener-log.ts';
import { createClient } from './features/clients/clients.ts';
import { seedDemo } from './features/seed/seed.ts';
import { startErasureWorker } from './features/privacy/erasure-worker.ts';
import { CONTENT_CHANGES_CHANNEL, ResponseCache } from './platform/http/response-cache.ts';
import { lifecycle } from './platform/lifecycle.ts';
import { createLogger, safeError } from './platform/logger.ts';
import { watchErasures } from './features/privacy/erasure-metrics.ts';
import { Metrics } from './platform/observability/metrics.ts';
import { startTracing } from './platform/observability/tracing.ts';

const config = loadConfig();
/** Orders in the demo store made on a first start. */
const DEMO_ORDERS = 20;
const log = createLogger(config.logLevel);
const { observability: obs } = config;
// Traces only with a collector to send them to (before the database opens, so Prisma is traced).
const tracing = obs.otlpEndpoint
  ? startTracing({ endpoint: obs.otlpEndpoint, serviceName: obs.serviceName })
  : undefined;
if (tracing) lifecycle.onShutdown('traces', () => tracing.shutdown());

if (!config.databaseUrl) mkdirSync(config.pgliteDir, { recursive: true });
const database = openDatabase({
  url: config.databaseUrl,
  pgliteDir: config.pgliteDir,
  poolSize: config.dbPoolSize,
  connectTimeoutMs: config.db.connectTimeoutMs,
  queryTimeoutMs: config.db.queryTimeoutMs,
  preparedStatements: config.db.preparedStatements,
  listenHeartbeatMs: config.db.listenHeartbeatMs,
  onPoolError: (error) => log.warn({ err: safeError(error) }, 'idle database connection failed'),
});
const applied = await database.migrate();
log.info({ applied, database: database.kind }, 'migrations applied');

// First start (no client yet, DEMO_DATA): a demo client with a small store, so GraphiQL's
// default query answers with data at once.
async function printDemoKeys(endpoint: string) {
  if (!config.demoData || (await database.prisma.client.count()) > 0) return;
  const started = performance.now();
  const demo = await createClient(database.prisma, { slug: 'demo', name: 'Demo store' });
  const store = await seedDemo(database.prisma, demo.client.id, DEMO_ORDERS);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `Created the "demo" client with a small store (${store.products} products, ${store.orders} orders, ${store.reviews} reviews, ${store.questions} questions, ${store.sellerReviews} seller reviews) in ${seconds} s.`,
      'Its API keys (shown once, keep them):',
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

/** A cache's listener, with its state changes and connection failures in the log (listener-log.ts). */
function listenLogged(channel: string, cache: Subscriber) {
  const { subscriber, onError } = loggedSubscriber(log, channel, cache, () => stopping);
  return database.listen(channel, subscriber, onError);
}

// Verified keys, and unknown ones, stay in memory only while this process hears every key
// change (platform/auth/key-cache.ts).
const keyCache =
  config.apiKeyCacheTtlMs > 0 || config.apiKeyNegativeCache.ttlMs > 0
    ? new KeyCache({ ttlMs: config.apiKeyCacheTtlMs, negative: config.apiKeyNegativeCache })
    : undefined;
const keyChanges = keyCache && listenLogged(KEY_CHANGES_CHANNEL, keyCache);
// STOREFRONT answers stay in memory only while this process hears every content change.
const responseCache = config.responseCache.ttlMs > 0 ? new ResponseCache(config.responseCache) : undefined;
const contentChanges = responseCache && listenLogged(CONTENT_CHANGES_CHANNEL, responseCache);
// GET /metrics only with a METRICS_TOKEN (README, Metrics and traces).
const metrics = obs.metricsToken
  ? new Metrics({ token: obs.metricsToken, maxOperationNames: obs.maxOperationNames })
  : undefined;
metrics?.watchCaches({ key: keyCache, response: responseCache });
metrics?.watchPool(() => database.poolStats());
const onErasureRun = metrics && watchErasures(metrics.registry, database.prisma);
const app = createApp({
  metrics,
  tracing: !!tracing,
  db: database.prisma,
  logger: log,
  keyCache,
  responseCache,
  erasureGraceDays: config.erasure.graceDays,
  reviewInvitationLeaseMs: config.invitations.leaseMs,
  ...config.http,
});
const server = createServer(app);
// Node's own limits on receiving a request; execution has REQUEST_TIMEOUT_MS in the app.
server.requestTimeout = config.http.requestTimeoutMs + 5_000;
server.headersTimeout = Math.min(60_000, server.requestTimeout);

let inFlight = 0;
let stopping = false;
server.on('request', (_req, res) => {
  inFlight++;
  res.on('close', () => {
    inFlight--;
    // While stopping, a keep-alive connection is closed as soon as its last response is out.
    if (stopping) setImmediate(() => server.closeIdleConnections());
  });
});

server.listen(config.port, config.host, async () => {
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  await printDemoKeys(endpoint);
  log.info({ endpoint }, 'listening');
  // Runs scheduled erasures; stopped by the shutdown hooks, after its current request.
  if (config.erasure.workerIntervalMs > 0) {
    const worker = startErasureWorker({
      db: database.prisma,
      intervalMs: config.erasure.workerIntervalMs,
      leaseMs: config.erasure.leaseMs,
      limit: config.erasure.batchSize,
      log,
      onRun: onErasureRun,
    });
    lifecycle.onShutdown('erasure worker', () => worker.stop());
  }
  console.log(`Listening on ${endpoint}${config.http.graphiql ? ' (GraphiQL: open it in a browser)' : ''}`);
});

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  log.info({ signal, inFlight, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new connections');
  const drained = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve(false);
    }, config.shutdownTimeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve(true);
    });
    server.closeIdleConnections();
  });
  log.info({ drained, cutRequests: drained ? 0 : inFlight, ms: elapsed() }, 'HTTP server closed');
  await lifecycle.shutdown(config.shutdownTimeoutMs, (name, error) =>
    log.error({ hook: name, err: safeError(error, { stack: true }) }, 'shutdown hook failed'),
  );
  await app.dispose();
  await keyChanges?.close();
  await contentChanges?.close();
  await database.close();
  log.info({ ms: elapsed() }, 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
