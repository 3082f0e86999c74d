// Personal data of one person (DESIGN section 6): naming the subject, the pseudonym the audit
// trail keeps instead of it, and finding every row that belongs to it. No GraphQL here.
//
// A person is found by keys: customer externalIds and e-mails. The match is closed over both
// keys in one step: the customers with one of the externalIds or e-mails, plus the customers
// sharing the e-mail of a customer found by externalId; then every review, question and seller
// review linked to one of those customers or written under one of those e-mails (or the
// customers' e-mails). Lookup, dry run, erasure and the proof of completion all use this match.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { parseInput, ValidationError } from './errors.ts';
import { email, identifier } from './fields.ts';

export type SubjectType = 'CUSTOMER_EXTERNAL_ID' | 'EMAIL';

/** Whom a lookup or erasure is about, normalized (e-mail trimmed and lower-cased). */
export interface Subject {
  type: SubjectType;
  value: string;
}

const subjectInput = z.object({ customerExternalId: identifier.nullish(), email: email.nullish() });

/** Parses `{ customerExternalId }` or `{ email }` (exactly one) or throws a ValidationError at `path`. */
export function parseSubject(raw: unknown, path: string[] = ['subject']): Subject {
  const input = parseInput(subjectInput, raw, path);
  const { customerExternalId, email: address } = input;
  if ((customerExternalId == null) === (address == null)) {
    throw new ValidationError([{ path, message: 'give exactly one of customerExternalId and email' }]);
  }
  return customerExternalId != null
    ? { type: 'CUSTOMER_EXTERNAL_ID', value: customerExternalId }
    : { type: 'EMAIL', value: address! };
}

// ---- Pseudonym and sealing ------------------------------------------------------------------

/**
 * HMAC-SHA256 (hex) of "<type>:<normalized value>" under the client's erasure secret: what an
 * erasure request keeps instead of the subject. Without the secret it cannot be reversed or
 * checked; with it, a subject can be matched against past requests.
 */
export function subjectHash(secretHex: string, subject: Subject): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex')).update(`${subject.type}:${subject.value}`).digest('hex');
}

function sealingKey(secretHex: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secretHex, 'hex'), Buffer.alloc(0), 'erasure-subject-v1', 32));
}

/**
 * The subject encrypted (AES-256-GCM, key derived from the client's erasure secret) for a
 * scheduled erasure, which must know whom to erase when it runs. Cleared when it finishes.
 */
export function sealSubject(secretHex: string, subject: Subject): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secretHex), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(subject), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Reverses sealSubject; throws when the secret does not fit or the text was altered. */
export function unsealSubject(secretHex: string, sealed: string): Subject {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secretHex), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as Subject;
}

/** The client's erasure secret (hex). */
export async function erasureSecret(db: Tx, clientId: string): Promise<string> {
  const client = await db.client.findUniqueOrThrow({ where: { id: clientId }, select: { erasureSecret: true } });
  return client.erasureSecret;
}

// ---- Matching -------------------------------------------------------------------------------

/** The identifiers of one person: customer externalIds and normalized e-mails. */
export interface SubjectKeys {
  externalIds: string[];
  emails: string[];
}

/** What the keys match now: the customers' ids, and the keys widened by those customers'. */
export interface SubjectMatch extends SubjectKeys {
  customerIds: string[];
}

export function keysOf(subject: Subject): SubjectKeys {
  return subject.type === 'EMAIL'
    ? { externalIds: [], emails: [subject.value] }
    : { externalIds: [subject.value], emails: [] };
}

/**
 * SQL condition on `customers`: the client's customers the keys match (see the file comment).
 * The e-mails of the customers found by externalId come as an array (ARRAY(sub-select), run
 * once), so each branch of the OR is an index condition; `email IN (sub-select)` made
 * PostgreSQL scan every customer of the client.
 */
function customerCondition(clientId: string, keys: SubjectKeys): Prisma.Sql {
  const externalIds = Prisma.sql`${keys.externalIds}::text[]`;
  return Prisma.sql`client_id = ${clientId}::uuid AND (
      external_id = ANY(${externalIds})
      OR email = ANY(${keys.emails}::text[])
      OR email = ANY(ARRAY(SELECT s.email FROM customers s WHERE s.client_id = ${clientId}::uuid AND s.external_id = ANY(${externalIds}))))`;
}

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];

/**
 * Finds the customers the keys match. With `lock`, their rows are locked (FOR UPDATE, in id
 * order) so concurrent order upserts for them wait until the caller's transaction ends.
 */
export async function matchSubject(db: Tx, clientId: string, keys: SubjectKeys, lock = false): Promise<SubjectMatch> {
  const rows = await db.$queryRaw<{ id: string; externalId: string; email: string | null }[]>`
    SELECT id, external_id AS "externalId", email FROM customers
    WHERE ${customerCondition(clientId, keys)}
    ORDER BY id ${lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;
  return {
    customerIds: rows.map((r) => r.id),
    externalIds: distinct([...keys.externalIds, ...rows.map((r) => r.externalId)]),
    emails: distinct([...keys.emails, ...rows.map((r) => r.email)]),
  };
}

/** Prisma where for reviews, questions or seller reviews of a match. */
export function contentWhere(clientId: string, match: SubjectMatch) {
  return {
    clientId,
    OR: [{ customerId: { in: match.customerIds } }, { authorEmail: { in: match.emails } }],
  };
}

/** Rows per kind of a person's data. */
export interface ErasureCounts {
  customers: number;
  orders: number;
  orderItems: number;
  reviews: number;
  questions: number;
  sellerReviews: number;
}

export const COUNT_KINDS = ['customers', 'orders', 'orderItems', 'reviews', 'questions', 'sellerReviews'] as const;

export function totalOf(counts: ErasureCounts): number {
  return COUNT_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
}

/** The three tables of shopper content, by count kind. */
export const CONTENT_TABLES = { reviews: 'reviews', questions: 'questions', sellerReviews: 'seller_reviews' } as const;

/**
 * How many rows of each kind the keys match now, in one statement. It matches the subject
 * afresh (not through ids found earlier), so after an erasure it is the proof that nothing
 * under any of the keys is left. The id and e-mail sets are arrays (`= ANY(ARRAY(…))`) so both
 * sides of each OR use an index; `IN (SELECT …) OR IN (SELECT …)` scanned the whole table.
 */
export async function countSubject(db: Tx, clientId: string, keys: SubjectKeys): Promise<ErasureCounts> {
  const content = (table: string) => Prisma.sql`(SELECT count(*) FROM ${Prisma.raw(table)} x
      WHERE x.client_id = ${clientId}::uuid
        AND (x.customer_id = ANY(ARRAY(SELECT id FROM c)) OR x.author_email = ANY(ARRAY(SELECT email FROM m))))::int`;
  const [row] = await db.$queryRaw<ErasureCounts[]>`
    WITH c AS (SELECT id, email FROM customers WHERE ${customerCondition(clientId, keys)}),
         m AS (SELECT unnest(${keys.emails}::text[]) AS email UNION SELECT email FROM c WHERE email IS NOT NULL),
         o AS (SELECT id FROM orders WHERE client_id = ${clientId}::uuid AND customer_id IN (SELECT id FROM c))
    SELECT (SELECT count(*) FROM c)::int AS customers,
           (SELECT count(*) FROM o)::int AS orders,
           (SELECT count(*) FROM order_items WHERE order_id IN (SELECT id FROM o))::int AS "orderItems",
           ${content(CONTENT_TABLES.reviews)} AS reviews,
           ${content(CONTENT_TABLES.questions)} AS questions,
           ${content(CONTENT_TABLES.sellerReviews)} AS "sellerReviews"`;
  return row;
}
