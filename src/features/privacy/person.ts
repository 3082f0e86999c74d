// The person behind a subject: every customer record, e-mail address and customer externalId that
// the client's data links to the subject, directly or through other links. No GraphQL here.
//
// Links followed, both ways (all within one client):
//   - a customer ↔ its externalId and its e-mail (so customers sharing an e-mail are one person);
//   - a review, question or seller review ↔ the e-mail it was written under (author_email);
//   - a review, question or seller review ↔ the customer it is linked to (customer_id);
//   - a review ↔ the order item that verified it ↔ that order's customer;
//   - a seller review ↔ the order that verified it ↔ that order's customer.
// The person is the fixed point: start from the subject's keys, add what they link to, and repeat
// until nothing new is found. So a customer whose e-mail changed (old@ → new@) is found from
// old@ through the review written under old@, and content written under another e-mail but
// linked to the customer is found from the customer.
//
// Cost and bound: one SQL statement per round (a round follows the links of everything found in
// the round before: customers, then their orders, items and content), whatever the number of
// rows. A person may hold at most PERSON_LIMITS.customers customer records and
// PERSON_LIMITS.emails e-mail addresses, and the fixed point must be reached within
// PERSON_LIMITS.rounds rounds. Past any of them PersonTooBroadError is thrown and nothing is
// read, counted or erased: links that wide almost always join different people (a shared or
// placeholder e-mail), and a partial answer would be a silent partial erasure.
import type { Tx } from '../../platform/db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { DomainError } from '../../platform/rules/errors.ts';

/** The bound of a person (see the file comment). */
export const PERSON_LIMITS = { customers: 50, emails: 50, rounds: 10 } as const;

/** Identifiers of a person: customer externalIds and normalized (trimmed, lower-case) e-mails. */
export interface PersonKeys {
  externalIds: string[];
  emails: string[];
}

/** The closure of a subject: its customers and every externalId and e-mail of the person. */
export interface Person extends PersonKeys {
  customerIds: string[];
  /** Statements (rounds) it took. */
  rounds: number;
}

export class PersonTooBroadError extends DomainError {
  readonly code = 'PERSON_TOO_BROAD';
  constructor(readonly reason: string) {
    super(
      `The person behind the subject is past the bound (${reason}); nothing was read or erased. Links that wide usually join different people ` +
        "(for example a shared or placeholder e-mail address): correct the customers' e-mails, then ask again.",
    );
    this.name = 'PersonTooBroadError';
  }
}

interface Frontier {
  emails: string[];
  externalIds: string[];
  customerIds: string[];
}

interface Row {
  kind: 'customer' | 'email' | 'customerId';
  id: string | null;
  externalId: string | null;
  email: string | null;
}

/** Rows one round may return before the bound is certainly exceeded (all rows are distinct identifiers). */
const ROW_LIMIT = 2 * PERSON_LIMITS.customers + PERSON_LIMITS.emails + 1;

/**
 * One round: the customers the frontier names (by externalId, e-mail or id) and every customer
 * sharing their e-mails (c); then their orders (o) and every review, question and seller review
 * linked to c, to their orders or items, or written under one of the e-mails (content). Returns c
 * and the e-mails and customer ids the content points to.
 */
function roundSql(clientId: string, frontier: Frontier, lock: boolean): Prisma.Sql {
  const client = Prisma.sql`${clientId}::uuid`;
  const emails = Prisma.sql`${frontier.emails}::text[]`;
  return Prisma.sql`
    WITH c0 AS (
      SELECT id, email FROM customers WHERE client_id = ${client}
        AND (external_id = ANY(${frontier.externalIds}::text[]) OR email = ANY(${emails}) OR id = ANY(${frontier.customerIds}::uuid[]))
    ), c AS (
      SELECT id, external_id, email FROM customers WHERE client_id = ${client}
        AND (id = ANY(ARRAY(SELECT id FROM c0)) OR email = ANY(ARRAY(SELECT email FROM c0 WHERE email IS NOT NULL)))
      ORDER BY id ${lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}
    ), m AS (
      SELECT email FROM c WHERE email IS NOT NULL UNION SELECT unnest(${emails})
    ), o AS (
      SELECT id FROM orders WHERE client_id = ${client} AND customer_id = ANY(ARRAY(SELECT id FROM c))
    ), content AS (
      SELECT r.author_email, r.customer_id, io.customer_id AS order_customer_id
      FROM reviews r
        LEFT JOIN order_items i ON i.id = r.order_item_id
        LEFT JOIN orders io ON io.id = i.order_id AND io.client_id = ${client}
      WHERE r.client_id = ${client} AND (r.customer_id = ANY(ARRAY(SELECT id FROM c)) OR r.author_email = ANY(ARRAY(SELECT email FROM m))
        OR r.order_item_id = ANY(ARRAY(SELECT oi.id FROM order_items oi WHERE oi.order_id = ANY(ARRAY(SELECT id FROM o)))))
      UNION
      SELECT q.author_email, q.customer_id, NULL FROM questions q
      WHERE q.client_id = ${client} AND (q.customer_id = ANY(ARRAY(SELECT id FROM c)) OR q.author_email = ANY(ARRAY(SELECT email FROM m)))
      UNION
      SELECT s.author_email, s.customer_id, so.customer_id
      FROM seller_reviews s LEFT JOIN orders so ON so.id = s.order_id AND so.client_id = ${client}
      WHERE s.client_id = ${client} AND (s.customer_id = ANY(ARRAY(SELECT id FROM c)) OR s.author_email = ANY(ARRAY(SELECT email FROM m))
        OR s.order_id = ANY(ARRAY(SELECT id FROM o)))
    )
    (SELECT 'customer' AS kind, id::text AS id, external_id AS "externalId", email FROM c
     UNION ALL
     SELECT DISTINCT 'email', NULL, NULL, author_email FROM content
     UNION ALL
     SELECT DISTINCT 'customerId', x.id::text, NULL, NULL
     FROM content CROSS JOIN LATERAL (VALUES (customer_id), (order_customer_id)) AS x(id) WHERE x.id IS NOT NULL)
    LIMIT ${ROW_LIMIT}`;
}

/**
 * The person behind `keys` in the client's data: the fixed point described in the file comment,
 * one statement per round. Run it inside one transaction (a snapshot, or with `lock` the
 * erasure's transaction: every customer found is locked FOR UPDATE, in id order per round, so
 * concurrent order upserts for them wait). Throws PersonTooBroadError past PERSON_LIMITS.
 */
export async function findPerson(
  db: Tx,
  clientId: string,
  keys: PersonKeys,
  options: { lock?: boolean } = {},
): Promise<Person> {
  const person = await walk(db, clientId, keys, options.lock ?? false, PERSON_LIMITS.rounds);
  if (!person) throw new PersonTooBroadError(`links more than ${PERSON_LIMITS.rounds} rounds deep`);
  return person;
}

/**
 * The person when one round reaches the fixed point (most people: one statement, atomic on its
 * own, so no transaction is needed); null when it needs more rounds.
 */
export function findPersonInOneRound(db: Tx, clientId: string, keys: PersonKeys): Promise<Person | null> {
  return walk(db, clientId, keys, false, 1);
}

/** The closure, or null when `maxRounds` rounds do not reach the fixed point. */
async function walk(
  db: Tx,
  clientId: string,
  keys: PersonKeys,
  lock: boolean,
  maxRounds: number,
): Promise<Person | null> {
  const emails = new Set(keys.emails);
  const externalIds = new Set(keys.externalIds);
  const customers = new Set<string>();
  const named = new Set<string>(); // customer ids already put in a frontier
  let frontier: Frontier = { emails: [...emails], externalIds: [...externalIds], customerIds: [] };
  let rounds = 0;
  while (frontier.emails.length + frontier.externalIds.length + frontier.customerIds.length > 0) {
    if (rounds === maxRounds) return null;
    rounds++;
    const rows = await db.$queryRaw<Row[]>(roundSql(clientId, frontier, lock));
    if (rows.length >= ROW_LIMIT) {
      throw new PersonTooBroadError(
        `more than ${PERSON_LIMITS.customers} customer records or ${PERSON_LIMITS.emails} e-mail addresses in one round`,
      );
    }
    const next: Frontier = { emails: [], externalIds: [], customerIds: [] };
    // Customers first: their e-mails were followed in this round already.
    for (const row of rows) {
      if (row.kind !== 'customer') continue;
      customers.add(row.id!);
      externalIds.add(row.externalId!);
      if (row.email !== null) emails.add(row.email);
    }
    for (const row of rows) {
      if (row.kind === 'email' && !emails.has(row.email!)) {
        emails.add(row.email!);
        next.emails.push(row.email!);
      } else if (row.kind === 'customerId' && !customers.has(row.id!) && !named.has(row.id!)) {
        named.add(row.id!);
        next.customerIds.push(row.id!);
      }
    }
    if (customers.size > PERSON_LIMITS.customers)
      throw new PersonTooBroadError(`more than ${PERSON_LIMITS.customers} customer records`);
    if (emails.size > PERSON_LIMITS.emails)
      throw new PersonTooBroadError(`more than ${PERSON_LIMITS.emails} e-mail addresses`);
    frontier = next;
  }
  return { customerIds: [...customers].sort(), externalIds: [...externalIds], emails: [...emails], rounds };
}
