// Personal data of one person (customer name and e-mail; text and nickname of their reviews,
// questions and seller reviews; the review invitations of their orders): naming the subject, the pseudonym the audit
// trail keeps instead of it, and finding every row that belongs to it. No GraphQL here.
//
// A subject names a person by one key (a customer externalId or an e-mail); the person is every
// customer, e-mail and externalId the client's data links to that key (person.ts). Lookup, dry
// run, erasure (immediate and scheduled) and the proof of completion all use that one closure.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { parseInput, ValidationError } from '../../platform/rules/errors.ts';
import { email, identifier } from '../../platform/rules/input-rules.ts';
import { findPerson, findPersonInOneRound, type Person, type PersonKeys } from './person.ts';

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

// ---- The person ----------------------------------------------------------------------------

/** The identifiers of one person: customer externalIds and normalized e-mails. */
export type SubjectKeys = PersonKeys;

export function keysOf(subject: Subject): SubjectKeys {
  return subject.type === 'EMAIL'
    ? { externalIds: [], emails: [subject.value] }
    : { externalIds: [subject.value], emails: [] };
}

/**
 * The person behind a subject (person.ts: every customer, e-mail and externalId linked to it),
 * computed on one snapshot: one statement when one round reaches the fixed point (most people),
 * else all rounds again in one REPEATABLE READ transaction, so every round sees the same data.
 * What personalData shows; the erasure computes it inside its own transaction instead.
 */
export async function lookUpPerson(db: Db, clientId: string, subject: Subject): Promise<Person> {
  const keys = keysOf(subject);
  return (
    (await findPersonInOneRound(db, clientId, keys)) ??
    db.$transaction((tx) => findPerson(tx, clientId, keys), {
      isolationLevel: 'RepeatableRead',
      maxWait: 30_000,
      timeout: 30_000,
    })
  );
}

/** Prisma where for reviews, questions or seller reviews of a person. */
export function contentWhere(clientId: string, person: Person) {
  return {
    clientId,
    OR: [{ customerId: { in: person.customerIds } }, { authorEmail: { in: person.emails } }],
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
  /** Review invitations of the person's orders (with their items and review links). */
  reviewInvitations: number;
}

export const COUNT_KINDS = [
  'customers',
  'orders',
  'orderItems',
  'reviews',
  'questions',
  'sellerReviews',
  'reviewInvitations',
] as const;

/** Counts of nothing. */
export function noCounts(): ErasureCounts {
  return Object.fromEntries(COUNT_KINDS.map((kind) => [kind, 0])) as unknown as ErasureCounts;
}

export function totalOf(counts: ErasureCounts): number {
  return COUNT_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
}

/** The three tables of shopper content, by count kind. */
export const CONTENT_TABLES = { reviews: 'reviews', questions: 'questions', sellerReviews: 'seller_reviews' } as const;

/**
 * How many rows of each kind a person holds now, in one statement: its customers, their orders,
 * order items and review invitations, and every review, question and seller review linked to one of its customers
 * or written under one of its e-mails (content the person reaches through an order or order item
 * is written under one of them: its author e-mail is part of the person). The id and e-mail sets
 * are arrays, so both sides of each OR use an index.
 */
export async function countPerson(db: Tx, clientId: string, person: Person): Promise<ErasureCounts> {
  const ids = Prisma.sql`${person.customerIds}::uuid[]`;
  const content = (table: string) => Prisma.sql`(SELECT count(*) FROM ${Prisma.raw(table)} x
      WHERE x.client_id = ${clientId}::uuid AND (x.customer_id = ANY(${ids}) OR x.author_email = ANY(${person.emails}::text[])))::int`;
  const [row] = await db.$queryRaw<ErasureCounts[]>`
    WITH o AS (SELECT id FROM orders WHERE client_id = ${clientId}::uuid AND customer_id = ANY(${ids}))
    SELECT (SELECT count(*) FROM customers WHERE client_id = ${clientId}::uuid AND id = ANY(${ids}))::int AS customers,
           (SELECT count(*) FROM o)::int AS orders,
           (SELECT count(*) FROM order_items WHERE order_id IN (SELECT id FROM o))::int AS "orderItems",
           ${content(CONTENT_TABLES.reviews)} AS reviews,
           ${content(CONTENT_TABLES.questions)} AS questions,
           ${content(CONTENT_TABLES.sellerReviews)} AS "sellerReviews",
           (SELECT count(*) FROM review_invitations WHERE client_id = ${clientId}::uuid
              AND order_id IN (SELECT id FROM o))::int AS "reviewInvitations"`;
  return row;
}
