// LISTEN on a PostgreSQL channel, for what a process keeps in memory and must forget when the
// database changes (src/platform/auth/key-cache.ts). The subscriber is told when it may trust its
// memory (`onState(true)`: listening; every later change will be notified) and when not
// (`onState(false)`: the connection is gone and notifications may be missed), so it can stop
// using — and forget — what it holds until the listener is back.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Subscriber {
  /** A notification arrived on the channel. */
  onNotify(payload: string): void;
  /** true: listening (from now on, no change goes unnoticed); false: not listening. */
  onState(listening: boolean): void;
}

export interface Subscription {
  close(): Promise<void>;
}

const RETRY_MS = [250, 1_000, 5_000, 15_000];

/** A dedicated PostgreSQL connection that LISTENs, and reconnects with backoff when it drops. */
export function listenPostgres(
  url: string,
  channel: string,
  subscriber: Subscriber,
  options: { connectTimeoutMs?: number; onError?: (error: Error) => void } = {},
): Subscription {
  let closed = false;
  let client: pg.Client | undefined;
  let wake: (() => void) | undefined;

  async function connectOnce(): Promise<void> {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
    const ended = new Promise<void>((resolve) => {
      c.once('end', resolve);
      c.on('error', (error) => {
        options.onError?.(error);
        resolve();
      });
    });
    c.on('notification', (n) => n.channel === channel && subscriber.onNotify(n.payload ?? ''));
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      await c.end().catch(() => {});
      throw error;
    }
    if (closed) return void (await c.end().catch(() => {}));
    client = c;
    subscriber.onState(true);
    await ended;
    client = undefined;
    subscriber.onState(false);
    await c.end().catch(() => {});
  }

  void (async () => {
    for (let attempt = 0; !closed; attempt++) {
      try {
        await connectOnce();
        attempt = 0;
      } catch (error) {
        options.onError?.(error as Error);
      }
      if (closed) break;
      const ac = new AbortController();
      wake = () => ac.abort();
      await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)], undefined, { signal: ac.signal }).catch(() => {});
    }
  })();

  return {
    async close() {
      closed = true;
      wake?.();
      const c = client;
      client = undefined;
      subscriber.onState(false);
      await c?.end().catch(() => {});
    },
  };
}

/** Embedded PGlite: notifications of the same process's statements, delivered after commit. */
export function listenPglite(lite: PGlite, channel: string, subscriber: Subscriber): Subscription {
  const unlisten = lite
    .listen(channel, (payload) => subscriber.onNotify(payload))
    .then((stop) => {
      subscriber.onState(true);
      return stop;
    });
  return {
    async close() {
      subscriber.onState(false);
      await (await unlisten)();
    },
  };
}
