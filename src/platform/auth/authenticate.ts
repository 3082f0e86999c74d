// Who is calling: an API key → its Viewer (client, role and key), or null. app.ts calls
// authenticate() once per request, before any resolver runs.
import type { Role } from '../../generated/prisma/enums.ts';
import type { Db } from '../db/client.ts';
import type { KeyCache } from './key-cache.ts';
import { hashKey, roleOfKey } from './keys.ts';
import type { Viewer } from './viewer.ts';

/**
 * The key's owner and role, or null for an unknown, malformed or revoked key. One statement, or
 * none when `cache` (a KeyCache the process keeps while it hears every key change) knows it
 * (as a viewer or as unknown). `beforeLookup` runs just before the statement, and may refuse it
 * by throwing (a rate limit on lookups); what it throws is thrown.
 */
export async function authenticate(
  db: Db,
  key: string,
  cache?: KeyCache,
  beforeLookup?: () => Promise<void>,
): Promise<Viewer | null> {
  const role = roleOfKey(key);
  if (!role) return null;
  const secretHash = hashKey(key);
  const lookup = async () => {
    await beforeLookup?.();
    return lookupKey(db, secretHash, role);
  };
  return cache ? cache.viewer(secretHash, lookup) : lookup();
}

async function lookupKey(db: Db, secretHash: string, role: Role): Promise<Viewer | null> {
  const row = await db.apiKey.findUnique({
    where: { secretHash },
    select: {
      id: true,
      name: true,
      prefix: true,
      role: true,
      revokedAt: true,
      client: { select: { id: true, slug: true, name: true } },
    },
    relationLoadStrategy: 'join',
  });
  if (!row || row.revokedAt || row.role !== role) return null;
  return {
    clientId: row.client.id,
    client: row.client,
    role: row.role,
    key: { id: row.id, name: row.name, prefix: row.prefix },
  };
}
