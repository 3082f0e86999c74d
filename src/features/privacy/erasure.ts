// Erasure of a person's data, complete across both keys (externalId and e-mail), in one
// transaction, idempotent: immediate (erasePersonalData), scheduled with a
// grace period (requestErasure / cancelErasure; run by erasure-worker.ts), and the PII-free
// audit record every request leaves. No GraphQL here.
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { ErasureStatus, Role } from '../../generated/prisma/enums.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { safeError, type Logger } from '../../platform/logger.ts';
import { DomainError, NotFoundError, parseInput, ValidationError } from '../../platform/rules/errors.ts';
import {
  CONTENT_TABLES,
  countPerson,
  erasureSecret,
  keysOf,
  parseSubject,
  sealSubject,
  subjectHash,
  totalOf,
  type ErasureCounts,
  type Subject,
  type SubjectKeys,
} from './personal-data.ts';
import { findPerson, PersonTooBroadError, type Person } from './person.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';
import { erasureEvent } from './erasure-events.ts';

/** Days a controller has to answer an erasure request (GDPR art. 12(3)): `dueAt` = created + 30 days. */
export const DEADLINE_DAYS = 30;
/** Delete passes before an erasure that keeps finding new rows of the subject gives up. */
export const MAX_PASSES = 3;
const DAY_MS = 86_400_000;

/** The API key that asked for an erasure. Never a person's e-mail. */
export interface Initiator {
  keyId: string;
  keyName: string;
  keyPrefix: string;
  role: Role;
}

export class ErasureFailedError extends DomainError {
  readonly code = 'ERASURE_FAILED';
  constructor(
    readonly requestId: string,
    message: string,
  ) {
    super(message);
    this.name = 'ErasureFailedError';
  }
}

export class ErasureNotCancellableError extends DomainError {
  readonly code = 'NOT_CANCELLABLE';
  constructor(
    readonly requestId: string,
    readonly status: ErasureStatus,
  ) {
    super(`The erasure request is ${status}; only a SCHEDULED request can be cancelled.`);
    this.name = 'ErasureNotCancellableError';
  }
}

/** Rows of the subject were still found after deleting: the transaction must roll back. */
export class IncompleteErasureError extends Error {
  constructor(readonly left: ErasureCounts) {
    const remaining = totalOf(left);
    super(
      `${remaining} row(s) of the subject were still found after deleting; the erasure was rolled back and nothing was erased.`,
    );
    this.name = 'IncompleteErasureError';
  }

  get remaining(): number {
    return totalOf(this.left);
  }
}

/** Test seam: runs inside the erasure transaction after each delete pass. */
export interface ErasureHooks {
  afterDelete?(tx: Tx, pass: number): Promise<void>;
}

export function dueAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + DEADLINE_DAYS * DAY_MS);
}

// ---- Deleting ---------------------------------------------------------------------------

async function deleted(tx: Tx, statement: Prisma.Sql): Promise<number> {
  const [row] = await tx.$queryRaw<
    { n: number }[]
  >`WITH d AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM d`;
  return row.n;
}

/**
 * Deletes the person's rows, children first, one set-based statement per table: the number of
 * statements does not depend on the number of rows. Content reached through an order or order
 * item is written under one of the person's e-mails, so the e-mail condition takes it.
 */
async function deletePerson(tx: Tx, clientId: string, match: Person): Promise<ErasureCounts> {
  const client = Prisma.sql`${clientId}::uuid`;
  const ids = Prisma.sql`${match.customerIds}::uuid[]`;
  // Each content delete also deletes the webhook events that mention its rows, in the same statement.
  const content = async (table: string) => {
    const [row] = await tx.$queryRaw<{ n: number }[]>`
      WITH d AS (DELETE FROM ${Prisma.raw(table)} WHERE client_id = ${client}
        AND (customer_id = ANY(${ids}) OR author_email = ANY(${match.emails}::text[])) RETURNING id),
      f AS (DELETE FROM webhook_events WHERE client_id = ${client} AND subjects && ARRAY(SELECT id::text FROM d))
      SELECT count(*)::int AS n FROM d`;
    return row.n;
  };
  const reviews = await content(CONTENT_TABLES.reviews);
  const questions = await content(CONTENT_TABLES.questions);
  const sellerReviews = await content(CONTENT_TABLES.sellerReviews);
  if (match.customerIds.length === 0)
    return { customers: 0, orders: 0, orderItems: 0, reviews, questions, sellerReviews };
  const orderItems = await deleted(
    tx,
    Prisma.sql`DELETE FROM order_items
    WHERE order_id IN (SELECT id FROM orders WHERE client_id = ${client} AND customer_id = ANY(${ids}))`,
  );
  const orders = await deleted(
    tx,
    Prisma.sql`DELETE FROM orders WHERE client_id = ${client} AND customer_id = ANY(${ids})`,
  );
  const customers = await deleted(
    tx,
    Prisma.sql`DELETE FROM customers WHERE client_id = ${client} AND id = ANY(${ids})`,
  );
  return { customers, orders, orderItems, reviews, questions, sellerReviews };
}

/**
 * Erases everything of the subject's person (person.ts) inside `tx` and proves it: after
 * deleting, the person is computed afresh from every externalId and e-mail found, and must hold
 * nothing. Every customer found is locked first, so concurrent order upserts for them wait. Rows
 * another transaction committed meanwhile are taken by another pass; if rows still remain after
 * MAX_PASSES, IncompleteErasureError is thrown and the caller's transaction rolls back. A person
 * past PERSON_LIMITS throws PersonTooBroadError before anything is deleted.
 */
export async function eraseSubject(tx: Tx, clientId: string, subject: Subject, hooks?: ErasureHooks) {
  const counts: ErasureCounts = { customers: 0, orders: 0, orderItems: 0, reviews: 0, questions: 0, sellerReviews: 0 };
  let keys = keysOf(subject);
  for (let pass = 1; ; pass++) {
    const person = await findPerson(tx, clientId, keys, { lock: true });
    const gone = await deletePerson(tx, clientId, person);
    for (const kind of Object.keys(counts) as (keyof ErasureCounts)[]) counts[kind] += gone[kind];
    await hooks?.afterDelete?.(tx, pass);
    keys = { externalIds: person.externalIds, emails: person.emails };
    const again = await findPerson(tx, clientId, keys);
    const left = await countPerson(tx, clientId, again);
    if (totalOf(left) === 0) return { counts, remaining: 0, keys };
    if (pass >= MAX_PASSES) throw new IncompleteErasureError(left);
    keys = { externalIds: again.externalIds, emails: again.emails };
  }
}

/** What an erasure would remove now, counted over the same person (no locks, nothing deleted). */
export async function countSubject(tx: Tx, clientId: string, subject: Subject) {
  const person = await findPerson(tx, clientId, keysOf(subject));
  return { counts: await countPerson(tx, clientId, person), remaining: null, keys: keysOf(subject) };
}

export function describeCounts(counts: ErasureCounts): string {
  return `${counts.customers} customer(s), ${counts.orders} order(s), ${counts.orderItems} order item(s), ${counts.reviews} review(s), ${counts.questions} question(s), ${counts.sellerReviews} seller review(s)`;
}

/** Why an erasure failed, in words safe to store and show (no subject data, no SQL). */
export function failureDescription(error: unknown): string {
  if (error instanceof IncompleteErasureError || error instanceof PersonTooBroadError) return error.message;
  return 'The erasure stopped on an internal error and was rolled back; nothing was erased. Create a new request to retry.';
}

// ---- Audit records ----------------------------------------------------------------------

/** HMACs of every key an erasure covered, so the request is found by either key later. */
export function keyHashes(secret: string, keys: SubjectKeys): string[] {
  return [
    ...keys.externalIds.map((value) => subjectHash(secret, { type: 'CUSTOMER_EXTERNAL_ID', value })),
    ...keys.emails.map((value) => subjectHash(secret, { type: 'EMAIL', value })),
  ];
}

/** The columns every erasure request starts with: who asked, and the subject's pseudonym only. */
function auditBase(clientId: string, secret: string, subject: Subject, initiator: Initiator, dryRun: boolean) {
  return {
    clientId,
    subjectType: subject.type,
    subjectHash: subjectHash(secret, subject),
    initiatorKeyId: initiator.keyId,
    initiatorKeyName: initiator.keyName,
    initiatorKeyPrefix: initiator.keyPrefix,
    initiatorRole: initiator.role,
    dryRun,
  };
}

const eraseInput = z.object({ subject: z.unknown(), dryRun: z.boolean().nullish() });

export interface ErasureOptions {
  log?: Pick<Logger, 'info' | 'error'>;
  hooks?: ErasureHooks;
}

/**
 * Erases the subject now, in one transaction, and returns the id of its SUCCEEDED erasure
 * request (the audit record, written in the same transaction). With `dryRun` it only counts.
 * Idempotent: erasing what is not there succeeds with zero counts. When the erasure cannot
 * complete, nothing is erased, a FAILED request records why, and ErasureFailedError is thrown.
 */
export async function erasePersonalData(
  db: Db,
  clientId: string,
  initiator: Initiator,
  raw: unknown,
  options: ErasureOptions = {},
): Promise<{ requestId: string }> {
  const input = parseInput(eraseInput, raw);
  const subject = parseSubject(input.subject, ['input', 'subject']);
  const dryRun = input.dryRun ?? false;
  const secret = await erasureSecret(db, clientId);
  const base = auditBase(clientId, secret, subject, initiator, dryRun);
  try {
    const requestId = await inTransaction(db, async (tx) => {
      const result = dryRun
        ? await countSubject(tx, clientId, subject)
        : await eraseSubject(tx, clientId, subject, options.hooks);
      const now = new Date();
      const row = await tx.erasureRequest.create({
        data: {
          ...base,
          ...result.counts,
          remaining: result.remaining,
          keyHashes: keyHashes(secret, result.keys),
          status: 'SUCCEEDED',
          statusDescription: dryRun
            ? `Dry run, nothing deleted. An erasure now would remove ${describeCounts(result.counts)}.`
            : `Erased ${describeCounts(result.counts)}. Nothing of the subject remains.`,
          executeAfter: now,
          completedAt: now,
        },
        select: { id: true },
      });
      await erasureEvent(tx, clientId, row.id);
      return row.id;
    });
    options.log?.info({ erasureRequestId: requestId, clientId, dryRun }, 'personal data erased');
    return { requestId };
  } catch (error) {
    const description = failureDescription(error);
    const now = new Date();
    const row = await inTransaction(db, async (tx) => {
      const failed = await tx.erasureRequest.create({
        data: {
          ...base,
          status: 'FAILED',
          statusDescription: description,
          remaining: error instanceof IncompleteErasureError ? error.remaining : null,
          executeAfter: now,
          completedAt: now,
        },
        select: { id: true },
      });
      await erasureEvent(tx, clientId, failed.id);
      return failed;
    });
    options.log?.error({ erasureRequestId: row.id, clientId, err: safeError(error) }, 'personal data erasure failed');
    throw new ErasureFailedError(row.id, description);
  }
}

const requestInput = z.object({ subject: z.unknown(), executeAfter: z.date().nullish() });

/**
 * Schedules an erasure of the subject after a grace period (`graceDays` when `executeAfter` is
 * not given; a past `executeAfter` means as soon as possible). When the subject already has a
 * SCHEDULED request, that one is returned and nothing is created.
 */
export async function requestErasure(
  db: Db,
  clientId: string,
  initiator: Initiator,
  raw: unknown,
  options: { graceDays: number },
): Promise<{ requestId: string; created: boolean }> {
  const input = parseInput(requestInput, raw);
  const subject = parseSubject(input.subject, ['input', 'subject']);
  const now = Date.now();
  const wanted = input.executeAfter?.getTime() ?? now + options.graceDays * DAY_MS;
  const executeAfter = new Date(Math.max(wanted, now));
  if (executeAfter.getTime() > dueAt(new Date(now)).getTime()) {
    throw new ValidationError([
      {
        path: ['input', 'executeAfter'],
        message: `must be within ${DEADLINE_DAYS} days: an erasure request must be answered by then`,
      },
    ]);
  }
  const secret = await erasureSecret(db, clientId);
  const base = auditBase(clientId, secret, subject, initiator, false);
  return inTransaction(db, async (tx) => {
    // One SCHEDULED request per subject: concurrent requests for it queue on this lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`erasure:${clientId}:${base.subjectHash}`}, 0))`;
    const existing = await tx.erasureRequest.findFirst({
      where: { clientId, subjectHash: base.subjectHash, status: 'SCHEDULED' },
      select: { id: true },
    });
    if (existing) return { requestId: existing.id, created: false };
    const row = await tx.erasureRequest.create({
      data: {
        ...base,
        status: 'SCHEDULED',
        statusDescription: 'Waiting for the grace period to end; can be cancelled until then.',
        pendingSubject: sealSubject(secret, subject),
        executeAfter,
      },
      select: { id: true },
    });
    return { requestId: row.id, created: true };
  });
}

/** Cancels a SCHEDULED request. Unknown id → NotFoundError; any other status → ErasureNotCancellableError. */
export async function cancelErasure(db: Db, clientId: string, initiator: Initiator, id: string) {
  const { count } = await db.erasureRequest.updateMany({
    where: { id, clientId, status: 'SCHEDULED' },
    data: {
      status: 'CANCELLED',
      statusDescription: `Cancelled by key ${initiator.keyPrefix} (${initiator.role}); nothing was erased.`,
      pendingSubject: null,
      completedAt: new Date(),
    },
  });
  if (count === 1) return { requestId: id };
  const row = await db.erasureRequest.findFirst({ where: { id, clientId }, select: { status: true } });
  if (!row) throw new NotFoundError('No erasure request with this id.');
  throw new ErasureNotCancellableError(id, row.status);
}
