// A short-lived in-memory cache that is only trusted while the process hears every change to
// what it caches (LISTEN, src/platform/db/notifications.ts): each notification forgets the entries of its
// scope (the payload, e.g. a client id) or everything (empty payload), and while not listening
// (starting, connection lost) nothing is served from memory and nothing is stored. The TTL is a
// backstop, not the mechanism.
//
// An answer computed before a change must not be stored after the change was notified: `ticket()`
// is taken before computing, `set` stores only if no clear happened since.
import type { Subscriber } from './notifications.ts';

export interface NotifiedCacheOptions {
  /** Longest time an entry is trusted. */
  ttlMs: number;
  /** Most entries kept (least recently used go first). */
  maxEntries?: number;
  now?: () => number;
}

export class NotifiedCache<V> implements Subscriber {
  private entries = new Map<string, { value: V; scope: string; expires: number }>();
  private generation = 0;
  private listening = false;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Lookups answered from memory, and lookups that were not while the cache was on (metrics). */
  hits = 0;
  misses = 0;

  constructor(private readonly options: NotifiedCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether the cache is in use (changes are being heard). */
  get active() {
    return this.listening;
  }

  get size() {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    if (!this.listening) return undefined;
    const hit = this.entries.get(key);
    if (!hit) return void this.misses++;
    this.entries.delete(key);
    if (hit.expires <= this.now()) return void this.misses++;
    this.entries.set(key, hit); // Map order is the LRU order.
    this.hits++;
    return hit.value;
  }

  /** Take before computing a value that `set` may store. */
  ticket(): number {
    return this.generation;
  }

  set(key: string, value: V, ticket: number, scope = ''): void {
    if (!this.listening || ticket !== this.generation) return;
    this.entries.delete(key);
    this.entries.set(key, { value, scope, expires: this.now() + this.options.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets one scope's entries, or all; either way no computation in flight may store. */
  clear(scope?: string): void {
    this.generation++;
    if (scope === undefined) return void this.entries.clear();
    for (const [key, entry] of this.entries) if (entry.scope === scope) this.entries.delete(key);
  }

  onNotify(payload: string): void {
    this.clear(payload === '' ? undefined : payload);
  }

  onState(listening: boolean): void {
    this.listening = listening;
    this.clear();
  }
}
