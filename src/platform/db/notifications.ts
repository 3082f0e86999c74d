// LISTEN on a PostgreSQL channel, for what a process keeps in memory and must forget when the
// database changes (src/platform/auth/key-cache.ts). The subscriber is told when it may trust its
// memory (`onState(true)`: listening; every later change will be notified) and when not
// (`onState(false)`: the connection is gone and notifications may be missed), so it can stop
// using — and forget — what it holds until the listener is back.
//
// A connection can also die silently (a half-open TCP connection after a network partition or a
// failover: no FIN, no RST, just nothing). The listening connection uses TCP keepalive, and
// every `heartbeatMs` it must answer a `SELECT 1` within `heartbeatMs`; if not, it is dropped
// (caches step aside) and reconnected. So a silent listener is found within 2 × heartbeatMs.
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

/** Default heartbeat of a listening connection (DB_LISTEN_HEARTBEAT_MS). */
export const LISTEN_HEARTBEAT_MS = 10_000;

/** Closes a client even when its socket is frozen (end() alone would wait for the server forever). */
async function forceClose(c: pg.Client): Promise<void> {
  (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  await Promise.race([c.end().catch(() => {}), sleep(1_000)]);
}

/** Runs `SELECT 1` every `ms`; calls `dead` once when one gets no answer within `ms`. */
function heartbeat(c: pg.Client, ms: number, dead: (error: Error) => void): () => void {
  let busy = false;
  const beat = setInterval(async () => {
    if (busy) return;
    busy = true;
    const ac = new AbortController();
    const silent = sleep(ms, 'silent', { signal: ac.signal, ref: false }).catch(() => 'stopped');
    const answer = c.query('SELECT 1').then(
      () => 'ok',
      () => 'failed',
    );
    const outcome = await Promise.race([answer, silent]);
    ac.abort();
    busy = false;
    if (outcome === 'silent')
      dead(
        Object.assign(new Error(`listening connection gave no heartbeat answer within ${ms} ms`), {
          code: 'LISTENER_SILENT',
        }),
      );
  }, ms);
  beat.unref();
  return () => clearInterval(beat);
}

/** A dedicated PostgreSQL connection that LISTENs, and reconnects with backoff when it drops. */
export function listenPostgres(
  url: string,
  channel: string,
  subscriber: Subscriber,
  options: { connectTimeoutMs?: number; heartbeatMs?: number; onError?: (error: Error) => void } = {},
): Subscription {
  let closed = false;
  let client: pg.Client | undefined;
  let wake: (() => void) | undefined;

  const heartbeatMs = options.heartbeatMs ?? LISTEN_HEARTBEAT_MS;

  async function connectOnce(): Promise<void> {
    const c = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: heartbeatMs,
    });
    let gone: (error?: Error) => void = () => {};
    const ended = new Promise<void>((resolve) => {
      gone = (error) => {
        if (error) options.onError?.(error);
        resolve();
      };
      c.once('end', () => gone());
      c.on('error', (error) => gone(error));
    });
    c.on('notification', (n) => n.channel === channel && subscriber.onNotify(n.payload ?? ''));
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      await forceClose(c);
      throw error;
    }
    if (closed) return void (await forceClose(c));
    client = c;
    subscriber.onState(true);
    const stopBeat = heartbeat(c, heartbeatMs, gone);
    await ended;
    stopBeat();
    if (client === c) client = undefined;
    subscriber.onState(false);
    await forceClose(c);
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
      if (c) await forceClose(c);
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
