// API keys: `sk_` ADMIN, `rk_` SUPPORT, `pk_` STOREFRONT, followed by 32 url-safe random
// characters. Only the SHA-256 of a key is stored; the key is shown once, at creation.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../generated/prisma/enums.ts';

export const ROLE_PREFIX = { ADMIN: 'sk_', SUPPORT: 'rk_', STOREFRONT: 'pk_' } as const satisfies Record<Role, string>;

const KEY_PATTERN = /^(sk|rk|pk)_[A-Za-z0-9_-]{32}$/;
/** Characters of a key kept in clear (role prefix + 8) to recognise it in lists and logs. */
const SHOWN = 11;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateKey(role: Role) {
  const key = ROLE_PREFIX[role] + randomBytes(24).toString('base64url');
  return { key, prefix: key.slice(0, SHOWN), secretHash: hashKey(key) };
}

export function roleOfKey(key: string): Role | null {
  if (!KEY_PATTERN.test(key)) return null;
  const prefix = key.slice(0, 3);
  return (Object.keys(ROLE_PREFIX) as Role[]).find((r) => ROLE_PREFIX[r] === prefix) ?? null;
}

/**
 * Reads the key from `Authorization: Bearer <key>` or from HTTP Basic with the key as the user
 * name and an empty password (`curl -u "sk_…:"`). Returns null when absent or malformed: the
 * header must be exactly a scheme and one credential, so trailing text or a second token after
 * the key makes it malformed (401), never ignored.
 */
export function keyFromHeader(header: string | null): string | null {
  if (!header) return null;
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2) return null;
  const [scheme, value] = parts;
  if (!scheme || !value) return null;
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    const password = colon === -1 ? '' : decoded.slice(colon + 1);
    return password === '' && user ? user : null;
  }
  return null;
}
