// Scheduled erasure: requestErasure with a grace period, cancelErasure, and the worker that runs
// due requests (claims with SKIP LOCKED, leases, fencing, retries, graceful stop). Issue 7 item 4.
import { afterEach, describe, expect, it } from 'vitest';
import type { Tx } from '../src/platform/db/client.ts';
import { runDueErasures, startErasureWorker } from '../src/features/privacy/erasure-worker.ts';
import { loadErasureSettings } from '../src/features/privacy/erasure-settings.ts';
import { createLogger } from '../src/platform/logger.ts';
import { useTestApp } from './helpers.ts';
import { mutate } from './order-helpers.ts';
import {
  CANCEL_ERASURE,
  personalDataSizes,
  REQUEST_ERASURE,
  seedPerson,
  uniq,
  type Subject,
  useClientOf,
} from './privacy-helpers.ts';

const t = useTestApp();
const me = useClientOf(t);
const DAY = 86_400_000;

// The worker serves every client: leave no runnable request behind for the next test.
afterEach(async () => {
  await t.db.erasureRequest.updateMany({
    where: { status: { in: ['SCHEDULED', 'PROCESSING'] } },
    data: { status: 'CANCELLED', pendingSubject: null },
  });
});

async function requestOk(subject: Subject, executeAfter?: string) {
  const result = await mutate(t, me.keys.admin, REQUEST_ERASURE, { subject, executeAfter });
  expect(result.__typename, JSON.stringify(result)).toBe('RequestErasureSuccess');
  return result as { created: boolean; erasureRequest: any };
}

const dbId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const row = (globalId: string) => t.db.erasureRequest.findUniqueOrThrow({ where: { id: dbId(globalId) } });

/** A person with an order and a review, and a subject naming them. */
async function person() {
  const s = uniq();
  await seedPerson(t, me.clientId, {
    externalId: `p-${s}`,
    email: `p.${s}@example.org`,
    name: `Pat ${s}`,
    orders: 1,
    itemsPerOrder: 2,
    linked: { reviews: 1 },
  });
  return { externalId: `p-${s}`, email: `p.${s}@example.org`, name: `Pat ${s}` };
}

const PAST = () => new Date(Date.now() - 60_000).toISOString();

describe('requestErasure', () => {
  it('schedules after the default grace period of 7 days; stores the subject only sealed', async () => {
    const p = await person();
    const before = Date.now();
    const { created, erasureRequest: r } = await requestOk({ email: p.email });
    expect(created).toBe(true);
    expect(r).toMatchObject({
      status: 'SCHEDULED',
      dryRun: false,
      counts: null,
      remaining: null,
      completedAt: null,
      overdue: false,
    });
    expect(new Date(r.executeAfter).getTime() - before).toBeGreaterThanOrEqual(7 * DAY);
    expect(new Date(r.executeAfter).getTime() - Date.now()).toBeLessThanOrEqual(7 * DAY);
    expect(new Date(r.dueAt).getTime() - new Date(r.createdAt).getTime()).toBe(30 * DAY);
    const stored = JSON.stringify(await row(r.id));
    expect(stored).toMatch(/"pendingSubject":"[A-Za-z0-9+/=]{40,}"/);
    for (const secret of [p.email, p.externalId, p.name]) expect(stored).not.toContain(secret);
  });

  it('returns the SCHEDULED request of the subject instead of creating another', async () => {
    const p = await person();
    const first = await requestOk({ email: p.email });
    const again = await requestOk({ email: ` ${p.email.toUpperCase()}` }, PAST());
    expect(again).toEqual({ ...first, created: false });
    const racing = await Promise.all(Array.from({ length: 5 }, () => requestOk({ customerExternalId: p.externalId })));
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.erasureRequest.id)).size).toBe(1);
  });

  it('a past executeAfter means as soon as possible; more than 30 days ahead is refused', async () => {
    const p = await person();
    const { erasureRequest: r } = await requestOk({ email: p.email }, '2020-01-01T00:00:00Z');
    expect(Math.abs(new Date(r.executeAfter).getTime() - Date.now())).toBeLessThan(10_000);
    const late = await mutate(t, me.keys.admin, REQUEST_ERASURE, {
      subject: { email: `late.${uniq()}@example.org` },
      executeAfter: new Date(Date.now() + 31 * DAY).toISOString(),
    });
    expect(late).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [
        {
          path: ['input', 'executeAfter'],
          message: 'must be within 30 days: an erasure request must be answered by then',
        },
      ],
    });
  });

  it('is for ADMIN keys only', async () => {
    for (const key of [me.keys.support, me.keys.storefront]) {
      const res = await t.gql(key, REQUEST_ERASURE, { input: { subject: { email: 'x@example.org' } } });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('the grace period comes from ERASURE_GRACE_DAYS (0–30, default 7)', () => {
    expect(loadErasureSettings({})).toEqual({
      graceDays: 7,
      workerIntervalMs: 60_000,
      leaseMs: 300_000,
      batchSize: 10,
    });
    expect(loadErasureSettings({ ERASURE_GRACE_DAYS: '2' }).graceDays).toBe(2);
    expect(() => loadErasureSettings({ ERASURE_GRACE_DAYS: '31' })).toThrow(/ERASURE_GRACE_DAYS/);
  });
});

describe('cancelErasure', () => {
  it('cancels a SCHEDULED request; a finished one gives ErasureNotCancellableError; unknown gives NotFoundError', async () => {
    const p = await person();
    const { erasureRequest: r } = await requestOk({ email: p.email });
    const cancelled = await mutate(t, me.keys.admin, CANCEL_ERASURE, { id: r.id });
    expect(cancelled.__typename).toBe('CancelErasureSuccess');
    expect(cancelled.erasureRequest).toMatchObject({ id: r.id, status: 'CANCELLED', counts: null });
    expect(cancelled.erasureRequest.statusDescription).toMatch(
      /^Cancelled by key sk_[\w-]+ \(ADMIN\); nothing was erased\.$/,
    );
    expect((await row(r.id)).pendingSubject).toBeNull();

    expect(await mutate(t, me.keys.admin, CANCEL_ERASURE, { id: r.id })).toEqual({
      __typename: 'ErasureNotCancellableError',
      status: 'CANCELLED',
      code: 'NOT_CANCELLABLE',
      message: 'The erasure request is CANCELLED; only a SCHEDULED request can be cancelled.',
    });
    expect(await mutate(t, me.keys.admin, CANCEL_ERASURE, { id: 'RXJhc3VyZVJlcXVlc3Q6bm9wZQ==' })).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: 'No erasure request with this id.',
    });
    // Nothing was erased, and a new request can be made.
    expect(await personalDataSizes(t, me.keys.support, { email: p.email })).toMatchObject({ customers: 1, reviews: 1 });
    expect((await requestOk({ email: p.email })).created).toBe(true);
  });

  it('is for ADMIN keys only', async () => {
    const { erasureRequest: r } = await requestOk({ email: `c.${uniq()}@example.org` });
    const res = await t.gql(me.keys.support, CANCEL_ERASURE, { input: { id: r.id } });
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('the erasure worker', () => {
  it('runs due requests only: PROCESSING → SUCCEEDED with counts; the sealed subject is cleared', async () => {
    const due = await person();
    const later = await person();
    const { erasureRequest: r } = await requestOk({ customerExternalId: due.externalId }, PAST());
    const { erasureRequest: future } = await requestOk({ customerExternalId: later.externalId });
    const logLines: string[] = [];
    const log = createLogger('trace', { write: (l: string) => void logLines.push(l) });
    expect(await runDueErasures(t.db, { log })).toEqual({ claimed: 1, succeeded: 1, failed: 0, released: 0, lost: 0 });
    const done = await row(r.id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      customers: 1,
      orders: 1,
      orderItems: 2,
      reviews: 1,
      remaining: 0,
      attempts: 1,
      pendingSubject: null,
      claimToken: null,
    });
    expect(done.completedAt).not.toBeNull();
    expect(await personalDataSizes(t, me.keys.support, { email: due.email })).toEqual({
      customers: 0,
      reviews: 0,
      questions: 0,
      sellerReviews: 0,
    });
    expect((await row(future.id)).status).toBe('SCHEDULED');
    expect(logLines.join('')).toContain('scheduled erasure succeeded');
    for (const secret of [due.email, due.externalId, due.name]) expect(logLines.join('')).not.toContain(secret);
  });

  it('takes over a PROCESSING request whose lease expired (its worker died), not a live one', async () => {
    const dead = await person();
    const live = await person();
    const { erasureRequest: a } = await requestOk({ email: dead.email }, PAST());
    const { erasureRequest: b } = await requestOk({ email: live.email }, PAST());
    await t.db
      .$executeRaw`UPDATE erasure_requests SET status = 'PROCESSING', attempts = 1, claimed_at = now() - interval '10 minutes'
      WHERE id = ${dbId(a.id)}::uuid`;
    await t.db
      .$executeRaw`UPDATE erasure_requests SET status = 'PROCESSING', attempts = 1, claimed_at = now() WHERE id = ${dbId(b.id)}::uuid`;
    expect(await runDueErasures(t.db, { leaseMs: 5 * 60_000 })).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(await row(a.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(await row(b.id)).toMatchObject({ status: 'PROCESSING', attempts: 1 });
  });

  it('gives up as FAILED after maxAttempts', async () => {
    const { erasureRequest: r } = await requestOk({ email: `g.${uniq()}@example.org` }, PAST());
    await t.db
      .$executeRaw`UPDATE erasure_requests SET status = 'PROCESSING', attempts = 3, claimed_at = now() - interval '1 hour'
      WHERE id = ${dbId(r.id)}::uuid`;
    expect(await runDueErasures(t.db, { maxAttempts: 3 })).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(r.id)).toMatchObject({
      status: 'FAILED',
      statusDescription: 'Gave up after 3 attempts; nothing was erased. Create a new request to retry.',
      pendingSubject: null,
    });
  });

  it('releases a request after a transient fault and runs it on the next poll', async () => {
    const p = await person();
    const { erasureRequest: r } = await requestOk({ email: p.email }, PAST());
    const hooks = {
      afterDelete: async () => {
        throw new Error('connection reset');
      },
    };
    expect(await runDueErasures(t.db, { hooks })).toMatchObject({ claimed: 1, released: 1 });
    expect(await row(r.id)).toMatchObject({
      status: 'SCHEDULED',
      attempts: 1,
      statusDescription: 'Attempt 1 stopped on an internal error; will retry.',
    });
    expect(await personalDataSizes(t, me.keys.support, { email: p.email })).toMatchObject({ customers: 1, reviews: 1 });
    expect(await runDueErasures(t.db)).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(await row(r.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, customers: 1, reviews: 1 });
  });

  it('a worker that lost its lease cannot record a result: its erasure rolls back', async () => {
    const p = await person();
    const { erasureRequest: r } = await requestOk({ email: p.email }, PAST());
    // While this worker erases, another takes the request over (a new claim token).
    const hooks = {
      afterDelete: async (tx: Tx) => {
        await tx.$executeRaw`UPDATE erasure_requests SET claim_token = gen_random_uuid() WHERE id = ${dbId(r.id)}::uuid`;
      },
    };
    expect(await runDueErasures(t.db, { hooks })).toMatchObject({ claimed: 1, lost: 1, succeeded: 0 });
    expect((await row(r.id)).status).toBe('PROCESSING');
    expect(await personalDataSizes(t, me.keys.support, { email: p.email })).toMatchObject({ customers: 1, reviews: 1 });
  });

  it('fails a request whose sealed subject cannot be opened (the secret changed)', async () => {
    const { erasureRequest: r } = await requestOk({ email: `s.${uniq()}@example.org` }, PAST());
    await t.db.erasureRequest.update({ where: { id: dbId(r.id) }, data: { pendingSubject: `AAAA${'B'.repeat(60)}` } });
    expect(await runDueErasures(t.db)).toMatchObject({ claimed: 1, failed: 1 });
    expect((await row(r.id)).statusDescription).toBe(
      "The scheduled subject could not be read (was the client's erasure secret changed?); nothing was erased. Create a new request.",
    );
  });

  it('several workers at once never run one request twice (FOR UPDATE SKIP LOCKED)', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => person()));
    const ids: string[] = [];
    for (const p of people) ids.push((await requestOk({ email: p.email }, PAST())).erasureRequest.id);
    const runs = await Promise.all([
      runDueErasures(t.db, { limit: 4 }),
      runDueErasures(t.db, { limit: 4 }),
      runDueErasures(t.db, { limit: 4 }),
    ]);
    expect(runs.reduce((n, r) => n + r.claimed, 0)).toBe(6);
    expect(runs.reduce((n, r) => n + r.succeeded, 0)).toBe(6);
    for (const id of ids)
      expect(await row(id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1, customers: 1, reviews: 1 });
  });

  it('startErasureWorker polls; stop() lets the running request finish first', async () => {
    const p = await person();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const worker = startErasureWorker({
      db: t.db,
      intervalMs: 20,
      hooks: {
        afterDelete: async () => {
          started();
          await gate;
        },
      },
    });
    const { erasureRequest: r } = await requestOk({ email: p.email }, PAST());
    await running;
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false); // still waiting for the request in flight
    release();
    await stopping;
    expect(await row(r.id)).toMatchObject({ status: 'SUCCEEDED', customers: 1 });
    // Stopped: a new due request stays SCHEDULED.
    const { erasureRequest: next } = await requestOk({ email: `n.${uniq()}@example.org` }, PAST());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await row(next.id)).status).toBe('SCHEDULED');
  });
});
