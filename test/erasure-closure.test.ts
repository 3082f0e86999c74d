// Erasure follows every link: the person behind a subject is every customer, e-mail and externalId
// the client's data links to it (src/features/privacy/person.ts). A customer whose e-mail changed, one with
// three e-mails over time, content linked to a customer under another e-mail, an order moved to
// another customer. personalData, dry run, erasure (immediate and by the worker) and the proof
// use the one closure; afterwards nothing of the person is in any table (nor, on PostgreSQL, in
// pg_dump --data-only), and personalData by every identifier of the person is empty.
import { describe, expect, it } from 'vitest';
import { runDueErasures } from '../src/features/privacy/erasure-worker.ts';
import { buy, expectNowhere, write } from './closure-helpers.ts';
import { useTestApp } from './helpers.ts';
import { mutate } from './order-helpers.ts';
import {
  ensureProduct,
  eraseOk,
  personalData,
  personalDataSizes,
  REQUEST_ERASURE,
  REQUEST_FIELDS,
  uniq,
  type Subject,
} from './privacy-helpers.ts';
import { newStore } from './review-fixtures.ts';

const t = useTestApp();
const EMPTY = { customers: 0, reviews: 0, questions: 0, sellerReviews: 0 };

/** Statements since the last reset, BEGIN/COMMIT and the like left out. */
const statements = () =>
  t.statements.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SET TRANSACTION)\b|Implicit "(BEGIN|COMMIT)"/i.test(s));
/** Rounds of the closure since the last reset (one statement each). */
const rounds = () => t.statements.filter((s) => /^\s*WITH c0 AS/.test(s)).length;

/** A-C1 bought as old@, wrote a verified review, then was upserted with new@, bought again and asked a question. */
async function changedEmail() {
  const s = uniq();
  const store = await newStore(t);
  const p = {
    externalId: `A-C1-${s}`,
    name: `Ann Changed ${s}`,
    old: `old.${s}@example.org`,
    fresh: `new.${s}@example.org`,
    nick: `ann-${s}`,
  };
  await buy(t, store.keys, `o1-${s}`, { externalId: p.externalId, name: p.name, email: p.old });
  expect((await write(t, store.keys, 'review', p.old, p.nick, `o1-${s}`)).verified).toBe(true);
  await buy(t, store.keys, `o2-${s}`, { externalId: p.externalId, name: p.name, email: p.fresh });
  await write(t, store.keys, 'question', p.fresh, p.nick, `o2-${s}`);
  return { ...p, keys: store.keys, identifiers: [p.old, p.fresh, p.externalId, p.name, p.nick] };
}

const CHANGED = { customers: 1, orders: 2, orderItems: 2, reviews: 1, questions: 1, sellerReviews: 0 };

const GET_REQUEST = `query($id: ID!) { erasureRequest(id: $id) { ${REQUEST_FIELDS} } }`;

describe('a customer whose e-mail changed', () => {
  it.each([
    ['the old e-mail', (p: { old: string }) => ({ email: p.old })],
    ['the new e-mail', (p: { fresh: string }) => ({ email: p.fresh })],
    ['the externalId', (p: { externalId: string }) => ({ customerExternalId: p.externalId })],
  ])(
    'by %s: personalData, dry run and erasure cover the whole person; nothing is left anywhere',
    async (_name, subjectOf) => {
      const p = await changedEmail();
      const subject: Subject = subjectOf(p as never);
      const every: Subject[] = [{ email: p.old }, { email: p.fresh }, { customerExternalId: p.externalId }];

      t.resetStatements();
      const before = await personalData(t, p.keys.support, subject);
      // Two rounds: the subject's own rows, then what they link to. One round alone does not reach
      // the end, so both run again in one snapshot: API key + 1 + 2 rounds + 4 lists.
      expect([rounds(), statements().length]).toEqual([3, 8]);
      expect(before.customers).toEqual([
        { externalId: p.externalId, name: p.name, email: p.fresh, optOut: false, orders: { totalCount: 2 } },
      ]);
      expect(before.reviews.map((r) => [r.authorEmail, r.verified])).toEqual([[p.old, true]]);
      expect(before.questions.map((q) => q.authorEmail)).toEqual([p.fresh]);
      for (const other of every) expect(await personalData(t, p.keys.support, other)).toEqual(before);

      expect((await eraseOk(t, p.keys.admin, subject, true)).counts).toEqual(CHANGED);
      t.resetStatements();
      const request = await eraseOk(t, p.keys.admin, subject);
      expect(request).toMatchObject({ status: 'SUCCEEDED', remaining: 0, counts: CHANGED });
      // API key, secret, 2 rounds (customers locked), 6 deletes, 1 round + count (the proof), insert,
      // the erasure.completed webhook event (read request, insert event, insert deliveries), answer.
      expect([rounds(), statements().length]).toEqual([3, 17]);

      for (const other of every) expect(await personalDataSizes(t, p.keys.support, other)).toEqual(EMPTY);
      expect(await personalDataSizes(t, p.keys.support, { email: 'ada@example.com' })).toEqual({
        ...EMPTY,
        customers: 1,
      });
      await expectNowhere(t, p.identifiers, ['ada@example.com']);
    },
  );

  it('a scheduled erasure by the old e-mail, run by the worker, erases the whole person', async () => {
    const p = await changedEmail();
    const scheduled = await mutate(t, p.keys.admin, REQUEST_ERASURE, {
      subject: { email: p.old },
      executeAfter: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(scheduled.__typename).toBe('RequestErasureSuccess');
    expect(await runDueErasures(t.db)).toMatchObject({ claimed: 1, succeeded: 1 });
    const res = await t.gql(p.keys.support, GET_REQUEST, { id: scheduled.erasureRequest.id });
    expect(res.body.data.erasureRequest).toMatchObject({ status: 'SUCCEEDED', remaining: 0, counts: CHANGED });
    for (const subject of [{ email: p.old }, { email: p.fresh }, { customerExternalId: p.externalId }]) {
      expect(await personalDataSizes(t, p.keys.support, subject)).toEqual(EMPTY);
    }
    await expectNowhere(t, p.identifiers, ['ada@example.com']);
  });
});

describe('more links', () => {
  it('a customer with three e-mails over time: any of them, or the externalId, finds and erases all', async () => {
    const s = uniq();
    const { keys } = await newStore(t);
    const [e1, e2, e3] = [1, 2, 3].map((n) => `three.${n}.${s}@example.org`);
    const customer = { externalId: `B-${s}`, name: `Bea Three ${s}` };
    const nick = `bea-${s}`;
    await buy(t, keys, `b1-${s}`, { ...customer, email: e1 });
    await write(t, keys, 'review', e1, nick, `b1-${s}`);
    await buy(t, keys, `b2-${s}`, { ...customer, email: e2 });
    expect((await write(t, keys, 'sellerReview', e2, nick, `b2-${s}`)).verified).toBe(true);
    await write(t, keys, 'review', e2, nick); // unverified, linked by nothing but its e-mail
    await buy(t, keys, `b3-${s}`, { ...customer, email: e3 });
    await write(t, keys, 'question', e3, nick, `b3-${s}`);

    t.resetStatements();
    const byFirst = await personalData(t, keys.support, { email: e1 });
    // e1 → its review → the customer → e3 and its linked content → e2 → the unverified review:
    // three rounds (after the first round alone, which does not reach the end).
    expect(rounds()).toBe(1 + 3);
    expect(byFirst.customers.map((c) => [c.externalId, c.email, c.orders.totalCount])).toEqual([
      [customer.externalId, e3, 3],
    ]);
    expect(byFirst.reviews.map((r) => r.authorEmail)).toEqual([e1, e2]);
    expect([byFirst.questions.length, byFirst.sellerReviews.length]).toEqual([1, 1]);
    for (const subject of [{ email: e2 }, { email: e3 }, { customerExternalId: customer.externalId }]) {
      expect(await personalData(t, keys.support, subject)).toEqual(byFirst);
    }

    const request = await eraseOk(t, keys.admin, { email: e2 });
    expect(request).toMatchObject({
      remaining: 0,
      counts: { customers: 1, orders: 3, orderItems: 3, reviews: 2, questions: 1, sellerReviews: 1 },
    });
    for (const subject of [{ email: e1 }, { email: e2 }, { email: e3 }, { customerExternalId: customer.externalId }]) {
      expect(await personalDataSizes(t, keys.support, subject)).toEqual(EMPTY);
    }
    await expectNowhere(t, [e1, e2, e3, customer.externalId, customer.name, nick], ['ada@example.com']);
  });

  it("content linked to a customer under another e-mail is the customer's, and so is what that e-mail wrote", async () => {
    const s = uniq();
    const store = await newStore(t);
    const customer = { externalId: `C-${s}`, name: `Cai ${s}`, email: `cai.${s}@example.org` };
    const other = `cai.work.${s}@example.org`;
    await buy(t, store.keys, `c1-${s}`, customer);
    const { id: customerId } = await t.db.customer.findFirstOrThrow({ where: { externalId: customer.externalId } });
    await ensureProduct(t, store.clientId);
    await t.db.review.create({
      data: {
        clientId: store.clientId,
        productSku: 'p1',
        rating: 3,
        title: 'Linked',
        content: 'Linked text',
        authorNick: `cai-${s}`,
        authorEmail: other,
        customerId,
      },
    });
    await write(t, store.keys, 'question', other, `cai-${s}`); // under the other e-mail, no link

    const expected = { customers: 1, reviews: 1, questions: 1, sellerReviews: 0 };
    expect(await personalDataSizes(t, store.keys.support, { customerExternalId: customer.externalId })).toEqual(
      expected,
    );
    expect(await personalDataSizes(t, store.keys.support, { email: other })).toEqual(expected);
    const request = await eraseOk(t, store.keys.admin, { email: customer.email });
    expect(request.counts).toEqual({
      customers: 1,
      orders: 1,
      orderItems: 1,
      reviews: 1,
      questions: 1,
      sellerReviews: 0,
    });
    expect(await personalDataSizes(t, store.keys.support, { email: other })).toEqual(EMPTY);
    await expectNowhere(
      t,
      [customer.email, other, customer.externalId, customer.name, `cai-${s}`],
      ['ada@example.com'],
    );
  });

  it('an order moved to another customer links that customer to the review of its item', async () => {
    const s = uniq();
    const { keys } = await newStore(t);
    const first = { externalId: `D1-${s}`, name: `Dee ${s}`, email: `dee.${s}@example.org` };
    const second = { externalId: `D2-${s}`, name: `Dan ${s}`, email: `dan.${s}@example.org` };
    await buy(t, keys, `d-${s}`, first);
    expect((await write(t, keys, 'review', first.email, `dee-${s}`, `d-${s}`)).verified).toBe(true);
    await buy(t, keys, `d-${s}`, second); // the merchant moved the order to another customer record

    const bySecond = await personalData(t, keys.support, { email: second.email });
    expect(bySecond.customers.map((c) => [c.externalId, c.orders.totalCount])).toEqual([
      [first.externalId, 0],
      [second.externalId, 1],
    ]);
    expect(bySecond.reviews.map((r) => r.authorEmail)).toEqual([first.email]);
    expect((await eraseOk(t, keys.admin, { customerExternalId: second.externalId })).counts).toMatchObject({
      customers: 2,
      orders: 1,
      reviews: 1,
    });
    await expectNowhere(
      t,
      [first.email, second.email, first.name, second.name, first.externalId, second.externalId],
      ['ada@example.com'],
    );
  });
});
