// Verified API keys kept in memory, so most requests skip the key lookup (one statement and
// about a third of a trivial request's CPU, bench/NOTES.md). Revocation stays immediate: the
// cache is a NotifiedCache on channel "api_keys_changed", which a trigger notifies on each
// change to api_keys or clients (migration api_key_notify); any notification forgets every key.
// Unknown and revoked keys are never cached.
import type { Viewer } from '../graphql/context.ts';
import { NotifiedCache } from '../db/notified-cache.ts';

export const KEY_CHANGES_CHANNEL = 'api_keys_changed';

export class KeyCache extends NotifiedCache<Viewer> {
  /** The viewer of a key hash; loads (and maybe keeps) it when not known. */
  async viewer(hash: string, load: () => Promise<Viewer | null>): Promise<Viewer | null> {
    const known = this.get(hash);
    if (known) return known;
    const ticket = this.ticket();
    const viewer = await load();
    if (viewer) this.set(hash, viewer, ticket);
    return viewer;
  }

  override onNotify(): void {
    this.clear();
  }
}
