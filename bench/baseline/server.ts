// The ceiling: the least a server must do to answer the storefront product page and the
// order-sync page with the same JSON as the GraphQL API — node:http, one pooled `pg` statement
// per request that also checks the API key (sql.ts), prepared once per connection, no GraphQL. The product page's JSON is
// built by PostgreSQL; the order page's in node from flat rows (order-sync.ts), which measured
// 2–3× cheaper than json_agg over 100 orders and their items. It takes the same POST body as the API (operationName and
// variables; the query text is ignored) and the same API keys.
//
//   DATABASE_URL=postgres://… PORT=0 node dist/bench/baseline.js   → prints "Listening on <url>"
//   GET /stats → { "requests": n, "statements": n } (so far: SQL statements per request)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { hashKey } from '../../src/platform/auth/keys.ts';
import { orderSyncJson } from './order-sync.ts';
import { KEY_CHECK_SQL, ORDER_SYNC_ROWS_SQL, PRODUCT_PAGE_SQL } from './sql.ts';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
let statements = 0;
let requests = 0;

interface Operation {
  sql: string;
  params: (v: Record<string, unknown>) => unknown[];
  /** Rows in array mode → the `data` JSON; no rows: null (then the key decides: 401 or an empty answer). */
  render: (rows: unknown[][]) => string | null;
  empty: string;
  /** Roles whose keys may ask. */
  roles: string[];
}

/** The statement returns the finished JSON text (built by PostgreSQL). */
const jsonBody = (rows: unknown[][]) => (rows.length ? (rows[0][0] as string) : null);
// The API's cursor is base64("GPC:S:<order id>").
const afterId = (v: Record<string, unknown>) => [typeof v.after === 'string' ? Buffer.from(v.after, 'base64').toString('utf8').slice(6) : null];

const OPERATIONS: Record<string, Operation> = {
  ProductPage: { sql: PRODUCT_PAGE_SQL, params: (v) => [v.sku], render: jsonBody, empty: '{"product":null}', roles: ['ADMIN', 'SUPPORT', 'STOREFRONT'] },
  OrderSync: {
    sql: ORDER_SYNC_ROWS_SQL,
    params: afterId,
    render: (rows) => (rows.length ? orderSyncJson(rows) : null),
    empty: orderSyncJson([]),
    roles: ['ADMIN', 'SUPPORT'],
  },
};

function send(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const error = (message: string) => JSON.stringify({ errors: [{ message }] });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'GET' && req.url === '/stats') return send(res, 200, JSON.stringify({ requests, statements }));
  requests++;
  if (req.method !== 'POST') return send(res, 405, error('POST only'));
  const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!key) return send(res, 401, error('Missing API key.'));
  const { operationName, variables } = JSON.parse(await readBody(req)) as { operationName?: string; variables?: Record<string, unknown> };
  const operation = OPERATIONS[operationName ?? ''];
  if (!operation) return send(res, 400, error(`Unknown operation ${operationName}`));
  const hash = hashKey(key);
  statements++;
  // Named: prepared once per connection, so PostgreSQL plans it once (planning was ~90 % of its CPU).
  const { rows } = await pool.query({ name: operationName, text: operation.sql, values: [hash, ...operation.params(variables ?? {})], rowMode: 'array' });
  let data = operation.render(rows);
  if (data === null) {
    // No rows: an unknown key, or nothing to show (a page past the end). One more statement.
    statements++;
    const valid = (await pool.query({ name: 'KeyCheck', text: KEY_CHECK_SQL, values: [hash, operation.roles] })).rows.length > 0;
    if (!valid) return send(res, 401, error('The API key is not valid.'));
    data = operation.empty;
  }
  send(res, 200, `{"data":${data}}`);
}

const server = createServer((req, res) => {
  handle(req, res).catch((e: unknown) => send(res, 500, error(e instanceof Error ? e.message : String(e))));
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`Listening on http://${address}:${port}/graphql`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
