// Review links: the token in the link an invitation e-mail carries for each item. It names one
// order item of one client, carries its expiry, and verifies itself:
//
//   token = base64url( version (1 byte) | order item id (16) | expiry, Unix seconds (4) | MAC (16) )
//   MAC   = HMAC-SHA256 under a key derived (HKDF, "review-link-v1") from the client's secret,
//           truncated to 128 bits
//
// Why an HMAC and not a random token stored hashed: issuing links costs no write (a claim that
// runs out and is claimed again simply issues new links, and a mailer may ask for many); a
// mistyped, forged or foreign token is refused before the database is read, so the public key
// cannot use submissions to probe which order items exist; the expiry travels in the token. What
// must be stored is that a link was used: the invitation item's use-marker (link_used_at, and
// the review it made), checked and set under a row lock in the submitting transaction, so a link
// makes one review. An erasure deletes the invitation items, so the person's links stop working;
// changing the client's secret would void every outstanding link. The key is per client: another
// client's token does not verify.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const ID_BYTES = 16;
const PAYLOAD_BYTES = 1 + ID_BYTES + 4;
const MAC_BYTES = 16;
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
/** Base64url length of a token: anything else is not one. */
const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);

function linkKey(secretHex: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secretHex, 'hex'), Buffer.alloc(0), 'review-link-v1', 32));
}

function mac(secretHex: string, payload: Buffer): Buffer {
  return createHmac('sha256', linkKey(secretHex)).update(payload).digest().subarray(0, MAC_BYTES);
}

/** The token of a review link for one order item, valid until `expiresAt` (second precision). */
export function issueReviewToken(secretHex: string, orderItemId: string, expiresAt: Date): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  Buffer.from(orderItemId.replace(/-/g, ''), 'hex').copy(payload, 1);
  payload.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 1 + ID_BYTES);
  return Buffer.concat([payload, mac(secretHex, payload)]).toString('base64url');
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The order item a token names, when the token was issued under this client's secret and has
 * not expired at `now`; null for anything else (malformed, altered, another client's, expired),
 * without saying which.
 */
export function readReviewToken(secretHex: string, token: string, now: Date): { orderItemId: string } | null {
  if (token.length !== TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== TOKEN_BYTES) return null;
  const payload = raw.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(mac(secretHex, payload), raw.subarray(PAYLOAD_BYTES))) return null;
  if (payload.readUInt8(0) !== VERSION) return null;
  if (payload.readUInt32BE(1 + ID_BYTES) * 1000 <= now.getTime()) return null;
  return { orderItemId: uuidOf(payload.subarray(1, 1 + ID_BYTES)) };
}
