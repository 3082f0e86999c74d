// The erasure worker: runs SCHEDULED erasure requests whose grace period is over. Requests are
// claimed with FOR UPDATE SKIP LOCKED, so several server instances never run one twice; a claim
// is a lease (claimed_at + claim_token), and a request whose worker died while PROCESSING is
// claimed again once the lease has expired. The token fences the result: a worker whose lease
// was taken over cannot overwrite the new owner's outcome (its transaction rolls back).
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../platform/db/client.ts';
import { safeError, type Logger } from '../../platform/logger.ts';
import { outageLog } from '../../platform/outage-log.ts';
import {
  describeCounts,
  eraseSubject,
  failureDescription,
  IncompleteErasureError,
  keyHashes,
  type ErasureHooks,
} from './erasure.ts';
import { erasureSecret, unsealSubject, type Subject } from './personal-data.ts';
import { PersonTooBroadError } from './person.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';

export interface WorkerOptions {
  /** Requests claimed per run (default 10). */
  limit?: number;
  /** How long a claim holds before another worker may take the request over (default 5 min). */
  leaseMs?: number;
  /** Runs of one request before it is given up as FAILED (default 3). */
  maxAttempts?: number;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Checked between requests: once true, claimed requests not yet started are released. */
  stopping?: () => boolean;
  hooks?: ErasureHooks;
  /** Told after each run of startErasureWorker: its summary, or undefined when the run failed (metrics). */
  onRun?: (summary: RunSummary | undefined) => void;
}

export interface RunSummary {
  claimed: number;
  succeeded: number;
  failed: number;
  /** Released for a later run: a transient fault, or the worker is stopping. */
  released: number;
  /** Taken over by another worker after this one's lease expired; its result was discarded. */
  lost: number;
}

interface Claim {
  id: string;
  clientId: string;
  pendingSubject: string | null;
  attempts: number;
  claimToken: string;
}

class LostClaimError extends Error {}

/** Claims due requests (SCHEDULED past executeAfter, or PROCESSING with an expired lease). */
export async function claimDueErasures(db: Db, limit: number, leaseMs: number): Promise<Claim[]> {
  return db.$queryRaw<Claim[]>`
    UPDATE erasure_requests r
    SET status = 'PROCESSING', claimed_at = now(), claim_token = ${uuidv7()}::uuid, attempts = r.attempts + 1,
        updated_at = now(), status_description = 'Running.'
    WHERE r.id IN (
      SELECT id FROM erasure_requests
      WHERE (status = 'SCHEDULED' AND execute_after <= now())
         OR (status = 'PROCESSING' AND claimed_at < now() - ${leaseMs}::int * interval '1 millisecond')
      ORDER BY execute_after, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING r.id, r.client_id AS "clientId", r.pending_subject AS "pendingSubject", r.attempts,
              r.claim_token AS "claimToken"`;
}

/** Ends a claimed request as FAILED (only while this worker still holds the claim). */
async function fail(db: Db, claim: Claim, description: string, remaining: number | null = null) {
  await db.erasureRequest.updateMany({
    where: { id: claim.id, status: 'PROCESSING', claimToken: claim.claimToken },
    data: {
      status: 'FAILED',
      statusDescription: description,
      remaining,
      pendingSubject: null,
      claimToken: null,
      completedAt: new Date(),
    },
  });
}

/** Hands a claimed request back for a later run; `refund` when it was never started. */
async function release(db: Db, claim: Claim, description: string, refund: boolean) {
  await db.erasureRequest.updateMany({
    where: { id: claim.id, status: 'PROCESSING', claimToken: claim.claimToken },
    data: {
      status: 'SCHEDULED',
      statusDescription: description,
      claimToken: null,
      claimedAt: null,
      ...(refund ? { attempts: { decrement: 1 } } : {}),
    },
  });
}

async function runClaim(db: Db, claim: Claim, options: Required<Pick<WorkerOptions, 'maxAttempts'>> & WorkerOptions) {
  const log = options.log;
  if (claim.attempts > options.maxAttempts) {
    await fail(
      db,
      claim,
      `Gave up after ${options.maxAttempts} attempts; nothing was erased. Create a new request to retry.`,
    );
    return 'failed' as const;
  }
  let subject: Subject;
  let secret: string;
  try {
    secret = await erasureSecret(db, claim.clientId);
    subject = unsealSubject(secret, claim.pendingSubject ?? '');
  } catch {
    await fail(
      db,
      claim,
      "The scheduled subject could not be read (was the client's erasure secret changed?); nothing was erased. Create a new request.",
    );
    return 'failed' as const;
  }
  try {
    const counts = await inTransaction(db, async (tx) => {
      const result = await eraseSubject(tx, claim.clientId, subject, options.hooks);
      const done = await tx.erasureRequest.updateMany({
        where: { id: claim.id, status: 'PROCESSING', claimToken: claim.claimToken },
        data: {
          ...result.counts,
          remaining: result.remaining,
          keyHashes: keyHashes(secret, result.keys),
          status: 'SUCCEEDED',
          statusDescription: `Erased ${describeCounts(result.counts)}. Nothing of the subject remains.`,
          pendingSubject: null,
          claimToken: null,
          completedAt: new Date(),
        },
      });
      if (done.count !== 1) throw new LostClaimError();
      return result.counts;
    });
    log?.info({ erasureRequestId: claim.id, clientId: claim.clientId, counts }, 'scheduled erasure succeeded');
    return 'succeeded' as const;
  } catch (error) {
    if (error instanceof LostClaimError) {
      log?.warn({ erasureRequestId: claim.id }, 'scheduled erasure lease lost to another worker; result discarded');
      return 'lost' as const;
    }
    log?.error(
      { erasureRequestId: claim.id, clientId: claim.clientId, attempt: claim.attempts, err: safeError(error) },
      'scheduled erasure failed',
    );
    // Rows that keep coming back, or a person past its bound: running it again would not help.
    const permanent = error instanceof IncompleteErasureError || error instanceof PersonTooBroadError;
    if (permanent || claim.attempts >= options.maxAttempts) {
      const remaining = error instanceof IncompleteErasureError ? error.remaining : null;
      await fail(db, claim, failureDescription(error), remaining);
      return 'failed' as const;
    }
    await release(db, claim, `Attempt ${claim.attempts} stopped on an internal error; will retry.`, false);
    return 'released' as const;
  }
}

/** Claims up to `limit` due requests and runs them one after another. */
export async function runDueErasures(db: Db, options: WorkerOptions = {}): Promise<RunSummary> {
  const settings = { limit: 10, leaseMs: 5 * 60_000, maxAttempts: 3, ...options };
  const claims = await claimDueErasures(db, settings.limit, settings.leaseMs);
  const summary: RunSummary = { claimed: claims.length, succeeded: 0, failed: 0, released: 0, lost: 0 };
  for (const claim of claims) {
    if (settings.stopping?.()) {
      await release(db, claim, 'The worker stopped before running it; will run later.', true);
      summary.released++;
      continue;
    }
    summary[await runClaim(db, claim, settings)]++;
  }
  return summary;
}

export interface ErasureWorker {
  /** Stops polling; resolves once the request being run (if any) has finished. */
  stop(): Promise<void>;
}

/** Polls every `intervalMs` (at once again when a run claimed a full batch). */
export function startErasureWorker(options: WorkerOptions & { db: Db; intervalMs: number }): ErasureWorker {
  const { db, intervalMs, ...rest } = options;
  const limit = rest.limit ?? 10;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  // A worker that cannot run (database down) says so once, and once again when it runs again.
  const runs =
    rest.log &&
    outageLog(
      rest.log,
      'error',
      {},
      { off: 'erasure worker run failed; retrying every interval', on: 'erasure worker runs again' },
    );
  const tick = () => {
    timer = undefined;
    running = runDueErasures(db, { ...rest, limit, stopping: () => stopped })
      .then(
        (summary) => {
          rest.onRun?.(summary);
          runs?.recovered();
          if (summary.claimed > 0) rest.log?.info({ ...summary }, 'erasure worker run');
          return summary.claimed >= limit;
        },
        (error) => {
          rest.onRun?.(undefined);
          runs?.failed(error);
          return false;
        },
      )
      .then((more) => {
        running = undefined;
        if (!stopped) schedule(more ? 0 : intervalMs);
      });
  };
  const schedule = (ms: number) => {
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
