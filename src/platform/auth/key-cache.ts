// Verified API keys kept in memory, so most requests skip the key lookup (one statement and
// about a third of a trivial request's CPU, bench/NOTES.md). Revocation stays immediate: the
// cache is a NotifiedCache on channel "api_keys_changed", which a trigger notifies on each
// change to api_keys or clients (migration api_key_notify); any notification forgets every key.
//
// Unknown keys (well-formed, but no such key, or revoked) are remembered too, briefly and apart
// (`negative`, its own TTL and size, so a flood of made-up keys cannot evict the real ones): a
// caller repeating a made-up key does not reach the database again. The same notification
// forgets them, so a key created meanwhile works at once; while the process is not listening
// neither kind is used.
import type { Viewer } from './viewer.ts';
import { NotifiedCache, type NotifiedCacheOptions } from '../db/notified-cache.ts';

export const KEY_CHANGES_CHANNEL = 'api_keys_changed';

export interface KeyCacheOptions extends NotifiedCacheOptions {
  /** Unknown keys: how long and how many are remembered (ttlMs 0: never). */
  negative?: { ttlMs: number; maxEntries: number };
}

export class KeyCache extends NotifiedCache<Viewer> {
  private readonly negative: NotifiedCache<true> | undefined;

  constructor(options: KeyCacheOptions) {
    super(options);
    const { negative } = options;
    this.negative =
      negative && negative.ttlMs > 0
        ? new NotifiedCache<true>({ ttlMs: negative.ttlMs, maxEntries: negative.maxEntries, now: options.now })
        : undefined;
  }

  /** Unknown keys remembered now. */
  get unknownSize() {
    return this.negative?.size ?? 0;
  }

  /** The viewer of a key hash, or null when unknown; loads (and maybe keeps) it when not known. */
  async viewer(hash: string, load: () => Promise<Viewer | null>): Promise<Viewer | null> {
    const known = this.get(hash);
    if (known) return known;
    if (this.negative?.get(hash)) return null;
    const ticket = this.ticket();
    const negativeTicket = this.negative?.ticket() ?? 0;
    const viewer = await load();
    if (viewer) this.set(hash, viewer, ticket);
    else this.negative?.set(hash, true, negativeTicket);
    return viewer;
  }

  override onNotify(): void {
    this.clear();
    this.negative?.clear();
  }

  override onState(listening: boolean): void {
    super.onState(listening);
    this.negative?.onState(listening);
  }
}
