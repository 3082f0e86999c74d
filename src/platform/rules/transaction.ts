// One transaction per mutation, retried when PostgreSQL aborts it for a deadlock or a
// serialization conflict, so concurrent writers never see those as errors.
import type { Db, Tx } from '../db/client.ts';

const RETRYABLE = /deadlock detected|could not serialize access|40P01|40001|P2034/;
const ATTEMPTS = 5;

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && RETRYABLE.test(code)) || RETRYABLE.test(error.message);
}

export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // maxWait is generous: embedded PGlite runs one transaction at a time.
      return await db.$transaction(work, { maxWait: 30_000, timeout: 30_000 });
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
