// Clients (tenants) and their API keys. Used by the CLI, the first start and tests.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { generateKey, hashKey, roleOfKey } from '../../platform/auth/keys.ts';
import type { KeyCache } from '../../platform/auth/key-cache.ts';
import type { Viewer } from '../../platform/graphql/context.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import { NotFoundError, parseInput, ValidationError } from '../../platform/rules/errors.ts';

const ROLES: Role[] = ['ADMIN', 'SUPPORT', 'STOREFRONT'];
const ROLE_KEY = { ADMIN: 'admin', SUPPORT: 'support', STOREFRONT: 'storefront' } as const;

export const clientInput = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -, at most 63'),
  name: z.string().trim().min(1).max(200).optional(),
});

export interface CreatedClient {
  client: { id: string; slug: string; name: string };
  keys: { admin: string; support: string; storefront: string };
}

function slugTaken(slug: string) {
  return new ValidationError([{ path: ['slug'], message: `a client with slug "${slug}" already exists` }]);
}

/** Creates a client with one key of each role. The keys are returned once and never stored. */
export async function createClient(db: Db, raw: { slug: string; name?: string }): Promise<CreatedClient> {
  const input = parseInput(clientInput, raw, []);
  const generated = ROLES.map((role) => ({ role, ...generateKey(role) }));
  const client = await db.client
    .create({
      data: {
        slug: input.slug,
        name: input.name ?? input.slug,
        erasureSecret: randomBytes(32).toString('hex'),
        apiKeys: {
          create: generated.map((k) => ({
            role: k.role,
            name: `default ${ROLE_KEY[k.role]} key`,
            prefix: k.prefix,
            secretHash: k.secretHash,
          })),
        },
      },
      select: { id: true, slug: true, name: true },
    })
    .catch((error: unknown) => {
      // The unique slug (a key prefix or hash collision is out of reach: 192 random bits).
      if ((error as { code?: string }).code === 'P2002') throw slugTaken(input.slug);
      throw error;
    });
  const keys = Object.fromEntries(generated.map((k) => [ROLE_KEY[k.role], k.key])) as CreatedClient['keys'];
  return { client, keys };
}

export async function createKey(db: Db, slug: string, role: Role, name?: string) {
  const client = await db.client.findUnique({ where: { slug }, select: { id: true } });
  if (!client) throw new NotFoundError(`No client with slug "${slug}".`);
  const k = generateKey(role);
  const row = await db.apiKey.create({
    data: {
      clientId: client.id,
      role,
      name: name ?? `${ROLE_KEY[role]} key`,
      prefix: k.prefix,
      secretHash: k.secretHash,
    },
    select: { id: true, prefix: true, role: true, name: true },
  });
  return { ...row, key: k.key };
}

/** Revokes by the shown prefix (e.g. `sk_AbCdEfGh`). Idempotent. */
export async function revokeKey(db: Db, prefix: string) {
  const key = await db.apiKey.findUnique({ where: { prefix }, select: { id: true, revokedAt: true } });
  if (!key) throw new NotFoundError(`No key with prefix "${prefix}".`);
  if (!key.revokedAt) await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
  return { prefix, revoked: true };
}

/**
 * The key's owner and role, or null for an unknown, malformed or revoked key. One statement, or
 * none when `cache` (a KeyCache the process keeps while it hears every key change) knows it.
 */
export async function authenticate(db: Db, key: string, cache?: KeyCache): Promise<Viewer | null> {
  const role = roleOfKey(key);
  if (!role) return null;
  const secretHash = hashKey(key);
  const lookup = () => lookupKey(db, secretHash, role);
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
