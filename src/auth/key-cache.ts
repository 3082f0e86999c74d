// Verified API keys kept in memory for a short time, so most requests skip the key lookup (one
// statement and about a third of a trivial request's CPU, bench/NOTES.md). Revocation stays
// immediate: the cache is only used while this process LISTENs to "api_keys_changed", which a
// trigger notifies on every change to api_keys or clients (migration api_key_notify), and each
// notification empties it. While not listening (starting, connection lost) every request reads
// the database, as without a cache. Unknown and revoked keys are never cached.
//
// A lookup that started before a change must not store its (stale) answer after the change was
// notified: every clear starts a new generation, and an answer is stored only if no clear
// happened since its lookup began.
import type { Viewer } from '../context.ts';
import type { Subscriber } from '../db/notifications.ts';

export interface KeyCacheOptions {
  /** Longest time a verified key is trusted without reading it again. */
  ttlMs: number;
  /** Most keys kept (least recently used go first). */
  maxEntries?: number;
  now?: () => number;
}

export class KeyCache implements Subscriber {
  private entries = new Map<string, { viewer: Viewer; expires: number }>();
  private generation = 0;
  private listening = false;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: KeyCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The viewer of a key hash; loads (and maybe stores) it when not known. */
  async viewer(hash: string, load: () => Promise<Viewer | null>): Promise<Viewer | null> {
    if (!this.listening) return load();
    const hit = this.entries.get(hash);
    if (hit && hit.expires > this.now()) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(hash);
      this.entries.set(hash, hit);
      return hit.viewer;
    }
    this.entries.delete(hash);
    const started = this.generation;
    const viewer = await load();
    if (viewer && this.listening && this.generation === started) {
      this.entries.set(hash, { viewer, expires: this.now() + this.options.ttlMs });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return viewer;
  }

  /** Whether the cache is in use (key changes are being heard). */
  get active() {
    return this.listening;
  }

  get size() {
    return this.entries.size;
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }

  onNotify() {
    this.clear();
  }

  onState(listening: boolean) {
    this.listening = listening;
    this.clear();
  }
}

export const KEY_CHANGES_CHANNEL = 'api_keys_changed';
