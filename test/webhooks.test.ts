// Outbound webhooks: endpoints (ADMIN only), the transactional outbox (events written with their
// change, none for a rolled-back one), signed delivery to a real receiver on 127.0.0.1 verified
// with the standardwebhooks package, retries on a fake clock, giving up, disabling, redelivery,
// two workers at once, SSRF refusals, secret rotation, and erasure events without PII.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDueDeliveries, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../src/features/webhooks/webhook-worker.ts';
import { purgeEvents, recordEvent } from '../src/features/webhooks/outbox.ts';
import { isForbiddenAddress } from '../src/features/webhooks/address-guard.ts';
import { inTransaction } from '../src/platform/rules/transaction.ts';
import { runDueErasures } from '../src/features/privacy/erasure-worker.ts';
import { useTestApp } from './helpers.ts';
import { moderate, mutate, newStore, reviewInput, SUBMIT_REVIEW, type Keys } from './review-fixtures.ts';
import { downUrl, startReceiver, type Receiver } from './webhook-receiver.ts';

const ALLOWED = ['127.0.0.1'];
const t = useTestApp({ webhookAllowedHttpHosts: ALLOWED });
let keys: Keys;
let clientId: string;
let receiver: Receiver;
let clock: Date;

/** One worker run at the fake clock's time (jitter fixed at its middle: delays are exact). */
const deliver = (timeoutMs = 10_000) =>
  runDueDeliveries(t.db, {
    batchSize: 50,
    timeoutMs,
    allowedHttpHosts: ALLOWED,
    retentionDays: 30,
    now: () => clock,
    random: () => 0.5,
  });
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  __typename ... on Error { code message } ... on ValidationError { fieldErrors { path message } }
  ... on CreateWebhookEndpointSuccess { secret endpoint { id url events enabled } } } }`;

async function createEndpoint(url: string, events = ['REVIEW_SUBMITTED', 'REVIEW_PUBLISHED']) {
  const r = await mutate(t, keys.admin, CREATE, { url, events });
  expect(r.__typename).toBe('CreateWebhookEndpointSuccess');
  return { id: r.endpoint.id as string, secret: r.secret as string };
}

const DELIVERIES = `query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled disabledReason
  deliveries(first: 20) { totalCount nodes { id eventType status attempts lastStatusCode lastError nextAttemptAt } } } } }`;

async function deliveriesOf(endpointId: string) {
  const r = await t.gql(keys.admin, DELIVERIES, { id: endpointId });
  expect(r.body.errors).toBeUndefined();
  return r.body.data.node;
}

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];

beforeAll(async () => {
  ({ keys, clientId } = await newStore(t));
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});
beforeEach(async () => {
  // Each test starts with no endpoints and an empty outbox, the receiver answering 200.
  await t.db.webhookEndpoint.deleteMany({});
  await t.db.webhookEvent.deleteMany({});
  receiver.received.length = 0;
  receiver.answer = 200;
  // The fake clock starts a minute ahead, so events written during the test are due at once.
  clock = new Date(Date.now() + 60_000);
});

describe('endpoints', () => {
  it('are ADMIN only: a storefront or support key can neither create, list nor read one', async () => {
    const { id } = await createEndpoint(receiver.url);
    for (const key of [keys.storefront, keys.support]) {
      const create = await t.gql(key, CREATE, { input: { url: receiver.url, events: ['REVIEW_SUBMITTED'] } });
      expect(create.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const list = await t.gql(key, '{ webhookEndpoints { totalCount } }');
      expect(list.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const node = await t.gql(key, 'query($id: ID!) { node(id: $id) { id } }', { id });
      expect(node.body.data?.node ?? null).toBeNull();
      for (const m of ['sendTestWebhook', 'deleteWebhookEndpoint', 'rotateWebhookSecret']) {
        const r = await t.gql(key, `mutation($id: ID!) { ${m}(input: { id: $id }) { __typename } }`, { id });
        expect(r.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect(await t.db.webhookEndpoint.count()).toBe(1);
    expect(await t.db.webhookEvent.count()).toBe(0);
  });

  it("are the client's own: another client's admin key does not see or touch them", async () => {
    const { id } = await createEndpoint(receiver.url);
    const other = await t.newClient();
    const list = await t.gql(other.keys.admin, '{ webhookEndpoints { totalCount } }');
    expect(list.body.data.webhookEndpoints.totalCount).toBe(0);
    const del = await t.gql(
      other.keys.admin,
      'mutation($id: ID!) { deleteWebhookEndpoint(input: { id: $id }) { __typename } }',
      { id },
    );
    expect(del.body.data.deleteWebhookEndpoint.__typename).toBe('NotFoundError');
    expect(await t.db.webhookEndpoint.count()).toBe(1);
  });

  it.each([
    ['https://10.0.0.7/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'metadata'],
    ['https://[::1]/hook', 'loopback v6'],
    ['https://localhost/hook', 'a name that resolves to loopback'],
    ['https://192.168.1.1/hook', 'private'],
    ['http://example.com/hook', 'plain http to a host not allowed'],
    ['ftp://example.com/hook', 'not http'],
  ])('refuses %s (%s) and stores nothing', async (url) => {
    const r = await t.gql(keys.admin, CREATE, { input: { url, events: ['REVIEW_SUBMITTED'] } });
    const result = r.body.data?.createWebhookEndpoint;
    expect(result?.__typename ?? r.body.errors?.[0].extensions?.code).toMatch(/ValidationError|BAD_USER_INPUT/);
    expect(await t.db.webhookEndpoint.count()).toBe(0);
  });

  it('refuses an empty event list', async () => {
    const r = await t.gql(keys.admin, CREATE, { input: { url: receiver.url, events: [] } });
    expect(r.body.data.createWebhookEndpoint.fieldErrors[0]).toEqual({
      path: ['input', 'events'],
      message: 'must name at least one event type',
    });
  });

  it('knows the forbidden address ranges', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
    ])
      expect([a, isForbiddenAddress(a)]).toEqual([a, true]);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111'])
      expect([a, isForbiddenAddress(a)]).toEqual([a, false]);
  });
});

describe('the outbox', () => {
  it('writes review.submitted and review.published with their change; the receiver verifies the signatures', async () => {
    const { id, secret } = await createEndpoint(receiver.url);
    const r = await mutate(t, keys.storefront, SUBMIT_REVIEW, reviewInput());
    await moderate(t, keys.admin, 'Review', r.review.id, 'PUBLISH');
    expect(await deliver()).toMatchObject({ claimed: 2, succeeded: 2 });
    const verifier = new Webhook(secret);
    const bodies = receiver.received.map((m) => verifier.verify(m.body, m.headers as Record<string, string>) as any);
    expect(bodies.map((b) => b.type).sort()).toEqual(['review.published', 'review.submitted']);
    for (const b of bodies) {
      expect(b).toMatchObject({ clientId, data: { review: { id: r.review.id, authorNick: 'ada', rating: 5 } } });
      expect(receiver.received[0].headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // The body names no e-mail (the author's is private).
    expect(receiver.received.map((m) => m.body).join()).not.toMatch(/example\.com/i);
    // A tampered body fails verification.
    const m = receiver.received[0];
    expect(() => verifier.verify(`${m.body} `, m.headers as Record<string, string>)).toThrow();
    const view = await deliveriesOf(id);
    expect(view.deliveries.nodes.map((d: any) => [d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['SUCCEEDED', 1, 200],
      ['SUCCEEDED', 1, 200],
    ]);
  });

  it('has no event for a rolled-back change, and two statements for a committed one', async () => {
    await createEndpoint(receiver.url);
    await expect(
      inTransaction(t.db, async (tx) => {
        await recordEvent(tx, clientId, 'review.submitted', { review: { id: 'x' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.db.webhookEvent.count()).toBe(0);
    expect(await t.db.webhookDelivery.count()).toBe(0);
    // An invalid submission writes no review and no event.
    const bad = await t.gql(keys.storefront, SUBMIT_REVIEW, { input: reviewInput({ productSku: 'NOPE' }) });
    expect(bad.body.data.submitReview.__typename).toBe('NotFoundError');
    expect(await t.db.webhookEvent.count()).toBe(0);
    t.resetStatements();
    await inTransaction(t.db, (tx) => recordEvent(tx, clientId, 'review.submitted', { review: { id: 'x' } }));
    expect(t.statements.filter((s) => /webhook_/.test(s))).toHaveLength(2);
    expect(await t.db.webhookDelivery.count()).toBe(1);
  });

  it('sends only subscribed events; sendTestWebhook reaches the endpoint whatever it subscribes to', async () => {
    const { id } = await createEndpoint(receiver.url, ['ERASURE_COMPLETED']);
    await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    const test = await t.gql(
      keys.admin,
      'mutation($id: ID!) { sendTestWebhook(input: { id: $id }) { __typename ... on SendTestWebhookSuccess { eventId } } }',
      { id },
    );
    expect(test.body.data.sendTestWebhook.__typename).toBe('SendTestWebhookSuccess');
    await deliver();
    expect(receiver.received.map((m) => JSON.parse(m.body).type)).toEqual(['webhook.test']);
  });

  it('purges events past the retention period', async () => {
    await inTransaction(t.db, (tx) => recordEvent(tx, clientId, 'webhook.test', {}));
    expect(await purgeEvents(t.db, new Date(Date.now() - 86_400_000))).toBe(0);
    expect(await purgeEvents(t.db, new Date(Date.now() + 1_000))).toBe(1);
    expect(await t.db.webhookEvent.count()).toBe(0);
  });
});

describe('delivery', () => {
  it('retries a 500 on schedule (5 s, then 30 s), then succeeds; the deliveries show each step', async () => {
    const { id } = await createEndpoint(receiver.url);
    await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    receiver.answer = 500;
    expect(await deliver()).toMatchObject({ claimed: 1, retried: 1 });
    let [d] = (await deliveriesOf(id)).deliveries.nodes;
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500 });
    expect(d.lastError).toBe('The endpoint answered HTTP 500.');
    expect(new Date(d.nextAttemptAt).getTime() - clock.getTime()).toBe(RETRY_DELAYS_MS[0]);
    advance(RETRY_DELAYS_MS[0] - 1);
    expect((await deliver()).claimed).toBe(0);
    advance(1);
    expect(await deliver()).toMatchObject({ claimed: 1, retried: 1 });
    [d] = (await deliveriesOf(id)).deliveries.nodes;
    expect(new Date(d.nextAttemptAt).getTime() - clock.getTime()).toBe(RETRY_DELAYS_MS[1]);
    receiver.answer = 200;
    advance(RETRY_DELAYS_MS[1]);
    expect(await deliver()).toMatchObject({ claimed: 1, succeeded: 1 });
    [d] = (await deliveriesOf(id)).deliveries.nodes;
    expect(d).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    // Every attempt carried the same webhook-id.
    expect(new Set(receiver.received.map((m) => m.headers['webhook-id'])).size).toBe(1);
  });

  it('counts a hung receiver as a timeout and a closed port as a connection failure', async () => {
    const hung = await createEndpoint(receiver.url);
    const down = await createEndpoint(await downUrl());
    await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    receiver.answer = 'hang';
    expect(await deliver(300)).toMatchObject({ claimed: 2, retried: 2 });
    const [h] = (await deliveriesOf(hung.id)).deliveries.nodes;
    expect(h).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'No answer within 300 ms.',
    });
    const [c] = (await deliveriesOf(down.id)).deliveries.nodes;
    expect(c.lastError).toBe('Could not connect (ECONNREFUSED).');
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts; redeliverWebhookEvent starts again`, async () => {
    const { id } = await createEndpoint(receiver.url);
    await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    receiver.answer = 503;
    // Each retry exactly on schedule: the whole series takes about 40 hours.
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      expect((await deliver()).claimed).toBe(1);
      advance(RETRY_DELAYS_MS[i] ?? 0);
    }
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
    let [d] = (await deliveriesOf(id)).deliveries.nodes;
    expect(d).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    expect((await deliver()).claimed).toBe(0);
    const re = await t.gql(
      keys.admin,
      'mutation($id: ID!) { redeliverWebhookEvent(input: { deliveryId: $id }) { __typename } }',
      { id: d.id },
    );
    expect(re.body.data.redeliverWebhookEvent.__typename).toBe('RedeliverWebhookEventSuccess');
    [d] = (await deliveriesOf(id)).deliveries.nodes;
    expect(d).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('disables an endpoint whose deliveries all failed for 3 days, and says why', async () => {
    const { id } = await createEndpoint(receiver.url);
    receiver.answer = 500;
    await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    await deliver();
    expect((await deliveriesOf(id)).enabled).toBe(true);
    for (let day = 1; day <= 4; day++) {
      advance(86_400_000);
      await deliver();
    }
    const view = await deliveriesOf(id);
    expect(view.enabled).toBe(false);
    expect(view.disabledReason).toMatch(
      /every delivery failed for 3 days\. Last error: The endpoint answered HTTP 500\./,
    );
    // A disabled endpoint gets nothing more.
    advance(7 * 86_400_000);
    expect((await deliver()).claimed).toBe(0);
  });

  it('two workers at once never deliver one event twice', async () => {
    await createEndpoint(receiver.url);
    for (let i = 0; i < 6; i++) await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput({ title: `t${i}` }));
    const runs = await Promise.all([deliver(), deliver(), deliver()]);
    expect(runs.reduce((n, r) => n + r.succeeded, 0)).toBe(6);
    const ids = receiver.received.map((m) => m.headers['webhook-id']);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('checks the address again at delivery: a host no longer allowed is refused without a request', async () => {
    const { id } = await createEndpoint(receiver.url);
    await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    await runDueDeliveries(t.db, {
      batchSize: 5,
      timeoutMs: 1_000,
      allowedHttpHosts: [],
      retentionDays: 30,
      now: () => clock,
    });
    expect(receiver.received).toHaveLength(0);
    const [d] = (await deliveriesOf(id)).deliveries.nodes;
    expect(d.lastError).toMatch(/must be an https URL/);
  });

  it('signs with both secrets for 24 hours after a rotation', async () => {
    const { id, secret: old } = await createEndpoint(receiver.url);
    const rotated = await t.gql(
      keys.admin,
      'mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { ... on RotateWebhookSecretSuccess { secret } } }',
      { id },
    );
    const fresh = rotated.body.data.rotateWebhookSecret.secret as string;
    expect(fresh).not.toBe(old);
    await mutate(t, keys.admin, SUBMIT_REVIEW, reviewInput());
    await deliver();
    const [m] = receiver.received;
    expect(String(m.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const s of [old, fresh])
      expect(() => new Webhook(s).verify(m.body, m.headers as Record<string, string>)).not.toThrow();
  });
});

describe('erasure events', () => {
  it('erasure.completed carries no e-mail or name, and the erased content events are forgotten', async () => {
    await createEndpoint(receiver.url, ['ERASURE_COMPLETED', 'REVIEW_SUBMITTED']);
    const r = await mutate(
      t,
      keys.admin,
      SUBMIT_REVIEW,
      reviewInput({ authorEmail: 'grace@example.com', authorNick: 'grace' }),
    );
    expect(await t.db.webhookEvent.count({ where: { subjects: { has: localId(r.review.id) } } })).toBe(1);
    const erased = await t.gql(
      keys.admin,
      'mutation { erasePersonalData(input: { subject: { email: "grace@example.com" } }) { __typename } }',
    );
    expect(erased.body.data.erasePersonalData.__typename).toBe('ErasePersonalDataSuccess');
    expect(await t.db.webhookEvent.count({ where: { subjects: { has: localId(r.review.id) } } })).toBe(0);
    await deliver();
    expect(receiver.received).toHaveLength(1);
    const body = JSON.parse(receiver.received[0].body);
    expect(body.type).toBe('erasure.completed');
    expect(body.data.erasureRequest).toMatchObject({ status: 'SUCCEEDED', reviews: 1 });
    expect(receiver.received[0].body).not.toMatch(/grace|example\.com/i);
  });
});

describe('question, seller review and scheduled erasure events', () => {
  it('question.asked, question.answered, seller_review.published and erasure.completed from the worker', async () => {
    await createEndpoint(receiver.url, [
      'QUESTION_ASKED',
      'QUESTION_ANSWERED',
      'SELLER_REVIEW_PUBLISHED',
      'ERASURE_COMPLETED',
    ]);
    const q = await t.gql(
      keys.storefront,
      'mutation($input: AskQuestionInput!) { askQuestion(input: $input) { ... on AskQuestionSuccess { question { id } } } }',
      {
        input: {
          productSku: 'SHOE-red',
          title: 'Size?',
          content: 'True to size?',
          authorNick: 'bo',
          authorEmail: 'bo@example.com',
        },
      },
    );
    const questionId = q.body.data.askQuestion.question.id;
    const a = await t.gql(
      keys.admin,
      'mutation($id: ID!) { answerQuestion(input: { id: $id, answer: "Yes." }) { __typename } }',
      { id: questionId },
    );
    expect(a.body.data.answerQuestion.__typename).toBe('AnswerQuestionSuccess');
    const s = await t.gql(
      keys.storefront,
      'mutation($input: SubmitSellerReviewInput!) { submitSellerReview(input: $input) { ... on SubmitSellerReviewSuccess { sellerReview { id } } } }',
      { input: { rating: 4, title: 'Fast', content: 'Two days.', authorNick: 'bo', authorEmail: 'bo@example.com' } },
    );
    await moderate(t, keys.admin, 'SellerReview', s.body.data.submitSellerReview.sellerReview.id, 'PUBLISH');
    const requested = await t.gql(
      keys.admin,
      'mutation { requestErasure(input: { subject: { email: "someone@example.com" }, executeAfter: "2020-01-01T00:00:00Z" }) { __typename } }',
    );
    expect(requested.body.data.requestErasure.__typename).toBe('RequestErasureSuccess');
    expect(await runDueErasures(t.db)).toMatchObject({ succeeded: 1 });
    await deliver();
    const types = receiver.received.map((m) => JSON.parse(m.body).type).sort();
    expect(types).toEqual(['erasure.completed', 'question.answered', 'question.asked', 'seller_review.published']);
    const answered = receiver.received.map((m) => JSON.parse(m.body)).find((b) => b.type === 'question.answered');
    expect(answered.data.question).toMatchObject({ id: questionId, answer: 'Yes.' });
    expect(receiver.received.map((m) => m.body).join()).not.toMatch(/example\.com/);
  });
});
