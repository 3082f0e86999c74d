// The bound of a person (PERSON_LIMITS in src/features/privacy/person.ts) and what strangers can do with the
// closure: past the bound every lookup, dry run and erasure answers PERSON_TOO_BROAD / a FAILED
// request and nothing is erased (never a partial erasure); another tenant's customer with the same
// e-mail and externalId is untouched; a STOREFRONT key cannot pull other e-mails into a person.
import { describe, expect, it } from 'vitest';
import { runDueErasures } from '../src/features/privacy/erasure-worker.ts';
import { PERSON_LIMITS } from '../src/features/privacy/person.ts';
import { buy, write } from './closure-helpers.ts';
import { useTestApp } from './helpers.ts';
import { mutate } from './order-helpers.ts';
import {
  ERASE,
  ensureProduct,
  eraseOk,
  PERSONAL_DATA,
  personalData,
  personalDataSizes,
  REQUEST_ERASURE,
  type Subject,
  tableCounts,
  uniq,
} from './privacy-helpers.ts';
import { newStore } from './review-fixtures.ts';

const t = useTestApp();
const rounds = () => t.statements.filter((s) => /^\s*WITH c0 AS/.test(s)).length;

/** Asks personalData, a dry run and an erasure of a person past the bound: all refuse, nothing changes. */
async function expectTooBroad(keys: { admin: string; support: string }, subject: Subject, reason: string) {
  const message = `The person behind the subject is past the bound (${reason}); nothing was read or erased.`;
  const before = await tableCounts(t);
  const lookup = await t.gql(keys.support, PERSONAL_DATA, { subject });
  expect(lookup.body.data).toBeNull();
  expect(lookup.body.errors?.map((e) => [e.extensions?.code, e.message.slice(0, message.length)])).toEqual([
    ['PERSON_TOO_BROAD', message],
  ]);
  for (const dryRun of [true, false]) {
    const result = await mutate(t, keys.admin, ERASE, { subject, dryRun });
    expect(result).toMatchObject({ __typename: 'ErasureFailedError', code: 'ERASURE_FAILED' });
    expect(result.message.startsWith(message)).toBe(true);
    expect(result.erasureRequest).toMatchObject({ status: 'FAILED', dryRun, counts: null, remaining: null });
  }
  expect(await tableCounts(t)).toEqual(before);
}

describe('the bound', () => {
  it(`more than ${PERSON_LIMITS.customers} customers on one (placeholder) e-mail: refused everywhere, nothing erased`, async () => {
    const s = uniq();
    const { keys } = await newStore(t);
    const placeholder = `no-email.${s}@shop.example`;
    for (let n = 1; n <= PERSON_LIMITS.customers + 1; n++) {
      await buy(t, keys, `ph-${s}-${n}`, { externalId: `ph-${s}-${n}`, name: `Shopper ${n}`, email: placeholder });
    }
    const reason = `more than ${PERSON_LIMITS.customers} customer records`;
    await expectTooBroad(keys, { email: placeholder }, reason);
    await expectTooBroad(keys, { customerExternalId: `ph-${s}-7` }, reason);

    // Scheduled: the worker fails the request at once (retrying cannot help) and erases nothing.
    const scheduled = await mutate(t, keys.admin, REQUEST_ERASURE, {
      subject: { email: placeholder },
      executeAfter: '2020-01-01T00:00:00Z',
    });
    const before = await tableCounts(t);
    expect(await runDueErasures(t.db)).toMatchObject({ claimed: 1, failed: 1 });
    const row = await t.db.erasureRequest.findUniqueOrThrow({
      where: { id: Buffer.from(scheduled.erasureRequest.id, 'base64').toString().split(':')[1] },
    });
    expect([
      row.status,
      row.attempts,
      row.pendingSubject,
      row.statusDescription?.startsWith(`The person behind the subject is past the bound (${reason})`),
    ]).toEqual(['FAILED', 1, null, true]);
    expect(await tableCounts(t)).toEqual(before);
  }, 60_000);

  it(`more than ${PERSON_LIMITS.emails} e-mails linked to one customer: refused everywhere`, async () => {
    const s = uniq();
    const { clientId, keys } = await newStore(t);
    await ensureProduct(t, clientId);
    const customer = await t.db.customer.create({
      data: { clientId, externalId: `many-${s}`, email: `many.${s}@example.org` },
    });
    await t.db.$executeRawUnsafe(
      `INSERT INTO reviews (id, client_id, product_sku, rating, title, content, author_nick, author_email, customer_id, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'p1', 4, 'Alias', 'Alias', 'm', 'alias.' || g || '.${s}@example.org', $2::uuid, now()
       FROM generate_series(1, ${PERSON_LIMITS.emails}) g`,
      clientId,
      customer.id,
    );
    await expectTooBroad(
      keys,
      { customerExternalId: `many-${s}` },
      `more than ${PERSON_LIMITS.emails} e-mail addresses`,
    );
  });

  /** Customers K1..Kn; the review linking Ki to Ki+1 is written under Ki+1's e-mail and linked to Ki. */
  async function chain(n: number) {
    const s = uniq();
    const { clientId, keys } = await newStore(t);
    await ensureProduct(t, clientId);
    await t.db.$executeRawUnsafe(
      `INSERT INTO customers (id, client_id, external_id, email, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'k-${s}-' || g, 'k.${s}.' || g || '@example.org', now() FROM generate_series(1, ${n}) g`,
      clientId,
    );
    await t.db.$executeRawUnsafe(
      `INSERT INTO reviews (id, client_id, product_sku, rating, title, content, author_nick, author_email, customer_id, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'p1', 4, 'Link', 'Link', 'k', 'k.${s}.' || (g + 1) || '@example.org', c.id, now()
       FROM generate_series(1, ${n - 1}) g JOIN customers c ON c.client_id = $1::uuid AND c.external_id = 'k-${s}-' || g`,
      clientId,
    );
    return { keys, first: { email: `k.${s}.1@example.org` } };
  }

  it(`a chain of links reaching its end in ${PERSON_LIMITS.rounds} rounds is one person, one statement per round`, async () => {
    const { keys, first } = await chain(PERSON_LIMITS.rounds);
    t.resetStatements();
    expect(await personalDataSizes(t, keys.support, first)).toMatchObject({
      customers: PERSON_LIMITS.rounds,
      reviews: PERSON_LIMITS.rounds - 1,
    });
    expect(rounds()).toBe(1 + PERSON_LIMITS.rounds); // the first round alone, then all of them in one snapshot
    const request = await eraseOk(t, keys.admin, first);
    expect(request).toMatchObject({
      remaining: 0,
      counts: { customers: PERSON_LIMITS.rounds, reviews: PERSON_LIMITS.rounds - 1 },
    });
  });

  it(`a chain needing more than ${PERSON_LIMITS.rounds} rounds is refused everywhere`, async () => {
    const { keys, first } = await chain(PERSON_LIMITS.rounds + 1);
    await expectTooBroad(keys, first, `links more than ${PERSON_LIMITS.rounds} rounds deep`);
  });
});

describe('attacks', () => {
  it("another tenant's customer with the same e-mails, externalId and name is untouched", async () => {
    const s = uniq();
    const [mine, theirs] = [await newStore(t), await newStore(t)];
    const customer = { externalId: `T-${s}`, name: `Tia ${s}` };
    const [old, fresh] = [`tia.old.${s}@example.org`, `tia.new.${s}@example.org`];
    for (const store of [mine, theirs]) {
      await buy(t, store.keys, `t1-${s}`, { ...customer, email: old });
      await write(t, store.keys, 'review', old, `tia-${s}`, `t1-${s}`);
      await buy(t, store.keys, `t2-${s}`, { ...customer, email: fresh });
    }
    const subjects: Subject[] = [{ email: old }, { email: fresh }, { customerExternalId: customer.externalId }];
    const theirsBefore = await Promise.all(subjects.map((subject) => personalData(t, theirs.keys.support, subject)));
    expect(theirsBefore[0]).toMatchObject({
      customers: [{ externalId: customer.externalId }],
      reviews: [{ authorEmail: old }],
    });

    // Erasing at my store by every identifier, then asking their store with my keys, changes nothing of theirs.
    expect((await eraseOk(t, mine.keys.admin, { email: old })).counts).toMatchObject({
      customers: 1,
      orders: 2,
      reviews: 1,
    });
    for (const subject of subjects) expect((await eraseOk(t, mine.keys.admin, subject)).counts.customers).toBe(0);
    expect(await Promise.all(subjects.map((subject) => personalData(t, theirs.keys.support, subject)))).toEqual(
      theirsBefore,
    );
    expect(await t.db.customer.count({ where: { clientId: theirs.clientId, externalId: customer.externalId } })).toBe(
      1,
    );
  });

  it('a STOREFRONT key cannot widen a person: content naming its order under other e-mails stays out', async () => {
    const s = uniq();
    const { keys } = await newStore(t);
    const victim = { externalId: `V-${s}`, name: `Vic ${s}`, email: `vic.${s}@example.org` };
    await buy(t, keys, `v-${s}`, victim);
    // More e-mails than a person may hold, each naming the victim's order: none is verified or linked.
    const strangers = Array.from({ length: PERSON_LIMITS.emails + 1 }, (_, n) => `stranger.${n}.${s}@example.org`);
    for (const email of strangers) expect((await write(t, keys, 'review', email, 'x', `v-${s}`)).verified).toBe(false);
    await write(t, keys, 'question', strangers[0], 'x', `v-${s}`);
    // Under the victim's own e-mail it joins the person (and goes with it).
    await write(t, keys, 'review', victim.email, 'x', `v-${s}`);

    expect(await personalDataSizes(t, keys.support, { customerExternalId: victim.externalId })).toEqual({
      customers: 1,
      reviews: 1,
      questions: 0,
      sellerReviews: 0,
    });
    expect((await eraseOk(t, keys.admin, { email: victim.email })).counts).toMatchObject({
      customers: 1,
      reviews: 1,
      questions: 0,
    });
    expect(await personalDataSizes(t, keys.support, { email: strangers[0] })).toEqual({
      customers: 0,
      reviews: 1,
      questions: 1,
      sellerReviews: 0,
    });
  }, 60_000);
});
