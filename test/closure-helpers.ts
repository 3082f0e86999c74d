// People whose identifiers changed over time, made through the API like a merchant and a shop
// would (orders by the ADMIN key, reviews and questions by the STOREFRONT key), and the checks
// that nothing of a person is left anywhere in the database.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { TestContext } from './helpers.ts';
import { upsertOrderOk } from './order-helpers.ts';
import {
  mutate,
  rowOf,
  questionInput,
  reviewInput,
  sellerReviewInput,
  SUBMIT_REVIEW,
  SUBMIT_SELLER_REVIEW,
  ASK_QUESTION,
  type Keys,
} from './review-fixtures.ts';

export interface Customer {
  externalId: string;
  email: string;
  name: string;
}

/** upsertOrder of one delivered, reviewable SHOE-red for the customer (its e-mail and name are upserted too). */
export async function buy(t: TestContext, keys: Keys, orderExternalId: string, customer: Customer) {
  await upsertOrderOk(t, keys.admin, {
    externalId: orderExternalId,
    customer,
    items: [{ sku: 'SHOE-red', deliveryDate: '2026-10-01' }],
  });
}

type Kind = 'review' | 'question' | 'sellerReview';

const DOCUMENTS = {
  review: { document: SUBMIT_REVIEW, input: reviewInput, field: 'review' },
  question: { document: ASK_QUESTION, input: questionInput, field: 'question' },
  sellerReview: { document: SUBMIT_SELLER_REVIEW, input: sellerReviewInput, field: 'sellerReview' },
} as const;

/**
 * Writes a review, question or seller review with the STOREFRONT key, under `email`, naming
 * `orderExternalId` (verified and linked to the order's customer when the order is that e-mail's).
 * `verified` is read from the stored row: the STOREFRONT answer does not tell it.
 */
export async function write(
  t: TestContext,
  keys: Keys,
  kind: Kind,
  email: string,
  nick: string,
  orderExternalId?: string,
) {
  const { document, input, field } = DOCUMENTS[kind];
  const result = await mutate(
    t,
    keys.storefront,
    document,
    input({ authorEmail: email, authorNick: nick, orderExternalId }),
  );
  expect(result.__typename, JSON.stringify(result)).toMatch(/Success$/);
  const { id } = result[field] as { id: string };
  const row = (await rowOf(t, kind as 'review', id)) as { verified?: boolean };
  return { id, verified: row.verified };
}

/** Every row of every table as JSON text (all columns, every client). */
export async function allRowsText(t: TestContext): Promise<string> {
  const tables = await t.db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`;
  expect(tables.map((x) => x.name)).toEqual(
    expect.arrayContaining(['customers', 'orders', 'order_items', 'reviews', 'erasure_requests']),
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await t.db.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(x)::text AS row FROM "${name}" x`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/** `pg_dump --data-only` of this test file's PostgreSQL database; undefined on PGlite. */
export async function dataDump(t: TestContext): Promise<string | undefined> {
  if (!t.databaseUrl) return undefined;
  const { stdout } = await promisify(execFile)('pg_dump', ['--data-only', '--no-owner', t.databaseUrl], {
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(stdout).toContain('COPY public.customers');
  return stdout;
}

/**
 * Fails when any of the strings (compared lower-case) is still in the database: in any column of
 * any table, and on PostgreSQL in a data-only dump as well. `present` must be found (so the scan
 * would see the others if they were there).
 */
export async function expectNowhere(t: TestContext, gone: string[], present: string[]) {
  const sources = [await allRowsText(t), await dataDump(t)].filter((s): s is string => s !== undefined);
  for (const text of sources.map((s) => s.toLowerCase())) {
    for (const value of present) expect(text).toContain(value.toLowerCase());
    for (const value of gone) expect(text, `"${value}" is still stored`).not.toContain(value.toLowerCase());
  }
}
