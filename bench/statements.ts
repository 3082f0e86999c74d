// SQL statements per request of the API, measured on the app itself in this process
// (createApp over the bench database, requests through app.fetch): every statement the pg
// driver sends is counted (pg.Client#query, so BEGIN/COMMIT of transactions count too), and
// Prisma's query events give the SQL text for EXPLAIN. The ceiling counts its own statements
// (GET /stats on the baseline server) during the real runs.
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { KEY_CHANGES_CHANNEL, KeyCache } from '../src/platform/auth/key-cache.ts';
import { openDatabase } from '../src/platform/db/client.ts';
import { body } from './documents.ts';

const VIEWER = 'query Viewer { viewer { role } }';

export interface StatementCount {
  /** Mean statements per request over the requests sent. */
  mean: number;
  min: number;
  max: number;
  requests: number;
}

export interface CapturedQuery {
  query: string;
  params: unknown[];
}

export interface Instrumented {
  count(key: string, makeBody: () => string, requests: number): Promise<StatementCount>;
  /** Sends one request and returns the statements Prisma reported for it, with parameters. */
  capture(key: string, body: string): Promise<CapturedQuery[]>;
  close(): Promise<void>;
}

export async function instrumentedApp(url: string): Promise<Instrumented> {
  const database = openDatabase({ url });
  // As server.ts does: verified keys in memory while key changes are heard. Each count starts
  // with one request that is not counted, so the key is known as in a running server.
  const keyCache = new KeyCache({ ttlMs: 60_000 });
  const keyChanges = database.listen(KEY_CHANGES_CHANNEL, keyCache);
  for (let waited = 0; !keyCache.active; waited += 10) {
    if (waited > 10_000) throw new Error('the key-change listener did not start');
    await new Promise((r) => setTimeout(r, 10));
  }
  const app = createApp({ db: database.prisma, rateLimit: { enabled: false }, keyCache });
  let sent = 0;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    sent++;
    return original.apply(this, args);
  };
  let captured: CapturedQuery[] = [];
  database.prisma.$on('query', (e) => captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));

  async function send(key: string, body: string) {
    const res = await app.fetch('http://bench.local/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors":'))
      throw new Error(`instrumented request failed: ${res.status} ${text.slice(0, 500)}`);
  }

  return {
    async count(key, makeBody, requests) {
      await send(key, body(VIEWER, 'Viewer', {}));
      const counts: number[] = [];
      for (let i = 0; i < requests; i++) {
        const body = makeBody();
        const before = sent;
        await send(key, body);
        counts.push(sent - before);
      }
      return {
        mean: counts.reduce((a, b) => a + b, 0) / counts.length,
        min: Math.min(...counts),
        max: Math.max(...counts),
        requests,
      };
    },
    async capture(key, body) {
      captured = [];
      await send(key, body);
      return captured;
    },
    async close() {
      proto.query = original;
      await app.dispose();
      await keyChanges.close();
      await database.close();
    },
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) of each captured statement, run with its own parameters. */
export async function explainAll(url: string, queries: CapturedQuery[]): Promise<{ query: string; plan: string }[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: { query: string; plan: string }[] = [];
    for (const q of queries) {
      try {
        const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.query}`, q.params);
        out.push({ query: q.query, plan: rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n') });
      } catch (error) {
        out.push({ query: q.query, plan: `(EXPLAIN failed: ${(error as Error).message})` });
      }
    }
    return out;
  } finally {
    await c.end();
  }
}
