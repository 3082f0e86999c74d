// erasePersonalData: dry run, completeness across both keys, idempotence, roles, proof of
// completion, and the PII-free audit record.
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/platform/logger.ts';
import { useTestApp } from './helpers.ts';
import { mutate } from './order-helpers.ts';
import {
  ERASE,
  eraseOk,
  PERSONAL_DATA,
  personalDataSizes,
  REQUEST_FIELDS,
  seedPerson,
  tableCounts,
  uniq,
  ZERO,
  type Counts,
} from './privacy-helpers.ts';

const logLines: string[] = [];
const t = useTestApp({ logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }) });
let keys: { admin: string; support: string; storefront: string };
let clientId: string;
let otherClientId: string;

const EMPTY = { customers: 0, reviews: 0, questions: 0, sellerReviews: 0 };

/** Zoe: two customer records under one e-mail, content linked and unlinked; plus Bob. */
async function seedZoe(suffix: string) {
  const email = `zoe.${suffix}@example.org`;
  await seedPerson(t, clientId, {
    externalId: `zoe-${suffix}`,
    email,
    name: `Zoe Zulu ${suffix}`,
    orders: 3,
    itemsPerOrder: 2,
    linked: { reviews: 2, questions: 1, sellerReviews: 1 },
    unlinked: { email: email.toUpperCase(), reviews: 1, questions: 2, sellerReviews: 1 },
  });
  await seedPerson(t, clientId, {
    externalId: `zoe-old-${suffix}`,
    email,
    name: `Zoe Z. ${suffix}`,
    orders: 1,
    itemsPerOrder: 1,
  });
  await seedPerson(t, clientId, {
    externalId: `bob-${suffix}`,
    email: `bob.${suffix}@example.org`,
    orders: 1,
    itemsPerOrder: 1,
    linked: { reviews: 1, questions: 1, sellerReviews: 1 },
  });
  await seedPerson(t, otherClientId, {
    externalId: `zoe-${suffix}`,
    email,
    orders: 1,
    itemsPerOrder: 1,
    linked: { reviews: 1 },
  });
  return { email, externalId: `zoe-${suffix}`, name: `Zoe Zulu ${suffix}` };
}

/** What erasing Zoe takes: both customers, 4 orders, 7 items, 3 reviews, 3 questions, 2 seller reviews. */
const ZOE: Counts = {
  customers: 2,
  orders: 4,
  orderItems: 7,
  reviews: 3,
  questions: 3,
  sellerReviews: 2,
  reviewInvitations: 0,
};

const minus = (a: Counts, b: Counts) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - b[k as keyof Counts]])) as unknown as Counts;

beforeAll(async () => {
  const c = await t.newClient();
  keys = c.keys;
  clientId = c.client.id;
  otherClientId = (await t.newClient()).client.id;
});

describe('erasePersonalData', () => {
  it('dry run: counts what would go, deletes nothing, and is recorded', async () => {
    const zoe = await seedZoe(uniq());
    const before = await tableCounts(t);
    const request = await eraseOk(t, keys.admin, { customerExternalId: zoe.externalId }, true);
    expect(request).toMatchObject({
      status: 'SUCCEEDED',
      dryRun: true,
      remaining: null,
      counts: ZOE,
      subjectType: 'CUSTOMER_EXTERNAL_ID',
    });
    expect(request.statusDescription).toBe(
      'Dry run, nothing deleted. An erasure now would remove 2 customer(s), 4 order(s), 7 order item(s), 3 review(s), 3 question(s), 2 seller review(s), 0 review invitation(s).',
    );
    expect(await tableCounts(t)).toEqual(before);
  });

  it('by externalId: erases across both keys; personalData by id and by e-mail are empty afterwards', async () => {
    const zoe = await seedZoe(uniq());
    const before = await tableCounts(t);
    const request = await eraseOk(t, keys.admin, { customerExternalId: zoe.externalId });
    expect(request).toMatchObject({ status: 'SUCCEEDED', dryRun: false, remaining: 0, counts: ZOE });
    expect(minus(before, await tableCounts(t))).toEqual(ZOE);
    expect(await personalDataSizes(t, keys.support, { customerExternalId: zoe.externalId })).toEqual(EMPTY);
    expect(await personalDataSizes(t, keys.support, { email: zoe.email })).toEqual(EMPTY);
    expect(
      await personalDataSizes(t, keys.support, { customerExternalId: zoe.externalId.replace('zoe-', 'zoe-old-') }),
    ).toEqual(EMPTY);
    // Bob and the other client's Zoe are untouched.
    expect(
      await personalDataSizes(t, keys.support, { customerExternalId: zoe.externalId.replace('zoe-', 'bob-') }),
    ).toEqual({
      customers: 1,
      reviews: 1,
      questions: 1,
      sellerReviews: 1,
    });
    expect(await t.db.customer.count({ where: { clientId: otherClientId, email: zoe.email } })).toBe(1);
    expect(await t.db.review.count({ where: { clientId: otherClientId, authorEmail: zoe.email } })).toBe(1);
  });

  it('by e-mail (any case): erases every customer with it and everything linked to them', async () => {
    const zoe = await seedZoe(uniq());
    const before = await tableCounts(t);
    const request = await eraseOk(t, keys.admin, { email: zoe.email.toUpperCase() });
    expect(request).toMatchObject({ status: 'SUCCEEDED', remaining: 0, counts: ZOE, subjectType: 'EMAIL' });
    expect(minus(before, await tableCounts(t))).toEqual(ZOE);
    expect(await personalDataSizes(t, keys.support, { customerExternalId: zoe.externalId })).toEqual(EMPTY);
    expect(await personalDataSizes(t, keys.support, { email: zoe.email })).toEqual(EMPTY);
  });

  it('is idempotent: erasing again succeeds with zero counts', async () => {
    const zoe = await seedZoe(uniq());
    await eraseOk(t, keys.admin, { email: zoe.email });
    const before = await tableCounts(t);
    for (const subject of [
      { email: zoe.email },
      { customerExternalId: zoe.externalId },
      { email: 'never-seen@example.org' },
    ]) {
      const again = await eraseOk(t, keys.admin, subject);
      expect(again).toMatchObject({ status: 'SUCCEEDED', remaining: 0, counts: ZERO });
    }
    expect(await tableCounts(t)).toEqual(before);
  });

  it('records who asked and when; dueAt is 30 days after creation', async () => {
    const request = await eraseOk(t, keys.admin, { email: `nobody.${uniq()}@example.org` });
    const key = await t.db.apiKey.findFirstOrThrow({ where: { clientId, role: 'ADMIN' } });
    expect(request.initiator).toEqual({ keyId: key.id, name: key.name, keyPrefix: key.prefix, role: 'ADMIN' });
    expect(new Date(request.dueAt).getTime() - new Date(request.createdAt).getTime()).toBe(30 * 86_400_000);
    expect(request.overdue).toBe(false);
    expect(request.completedAt).not.toBeNull();
  });

  it('is for ADMIN keys only: SUPPORT and STOREFRONT get FORBIDDEN and nothing is erased', async () => {
    const zoe = await seedZoe(uniq());
    const before = await tableCounts(t);
    for (const key of [keys.support, keys.storefront]) {
      const res = await t.gql(key, ERASE, { input: { subject: { email: zoe.email } } });
      expect(res.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['erasePersonalData']]]);
    }
    expect(await tableCounts(t)).toEqual(before);
  });

  it('rejects a blank externalId with a ValidationError', async () => {
    const result = await mutate(t, keys.admin, ERASE, { subject: { customerExternalId: ' ' } });
    expect(result).toEqual({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      message: 'Invalid input at input.subject.customerExternalId: must not be empty or blank',
      fieldErrors: [{ path: ['input', 'subject', 'customerExternalId'], message: 'must not be empty or blank' }],
    });
  });
});

describe('proof of completion', () => {
  it('rows still found after deleting roll the erasure back and leave a FAILED request', async () => {
    const zoe = await seedZoe(uniq());
    // Every statement that deletes reviews writes a new one under Zoe's e-mail: the erasure can never finish.
    await t.db.$executeRawUnsafe(`CREATE FUNCTION test_reinsert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO reviews (id, client_id, product_sku, rating, title, content, author_nick, author_email, updated_at)
        VALUES (gen_random_uuid(), '${clientId}', 'p1', 1, 'Again', 'Again', 'Zoe', '${zoe.email}', now());
        RETURN NULL;
      END $$`);
    await t.db.$executeRawUnsafe(
      'CREATE TRIGGER test_reinsert AFTER DELETE ON reviews FOR EACH STATEMENT EXECUTE FUNCTION test_reinsert()',
    );
    const before = await tableCounts(t);
    try {
      const result = await mutate(t, keys.admin, ERASE, { subject: { customerExternalId: zoe.externalId } });
      const description =
        '1 row(s) of the subject were still found after deleting; the erasure was rolled back and nothing was erased.';
      expect(result).toMatchObject({ __typename: 'ErasureFailedError', code: 'ERASURE_FAILED', message: description });
      expect(result.erasureRequest).toMatchObject({
        status: 'FAILED',
        statusDescription: description,
        remaining: 1,
        counts: null,
      });
    } finally {
      await t.db.$executeRawUnsafe('DROP TRIGGER test_reinsert ON reviews');
      await t.db.$executeRawUnsafe('DROP FUNCTION test_reinsert()');
    }
    expect(await tableCounts(t)).toEqual(before);
    expect(await personalDataSizes(t, keys.support, { customerExternalId: zoe.externalId })).toEqual({
      customers: 2,
      reviews: 3,
      questions: 3,
      sellerReviews: 2,
    });
  });
});

describe('the audit record holds no personal data', () => {
  it('neither the stored row nor the log output contains the e-mail, name or externalId', async () => {
    const zoe = await seedZoe(uniq());
    logLines.length = 0;
    const byId = await eraseOk(t, keys.admin, { customerExternalId: zoe.externalId });
    const byEmail = await eraseOk(t, keys.admin, { email: ` ${zoe.email.toUpperCase()} ` }, true);
    const res = await t.gql(keys.support, PERSONAL_DATA, { subject: { email: zoe.email } });
    expect(res.status).toBe(200);

    const rows = await t.db.$queryRawUnsafe<{ row: string }[]>(
      'SELECT row_to_json(r)::text AS row FROM erasure_requests r WHERE client_id = $1::uuid',
      clientId,
    );
    const stored = rows.map((r) => r.row).join('\n');
    const logs = logLines.join('');
    expect(logLines.length).toBeGreaterThanOrEqual(3); // one request line per call, at least
    for (const secret of [zoe.email, zoe.email.toUpperCase(), zoe.externalId, zoe.name, 'Zoe Z.']) {
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // What is kept: the HMAC of the normalized subject under the client's secret.
    const { erasureSecret } = await t.db.client.findUniqueOrThrow({ where: { id: clientId } });
    const hmac = (s: string) => createHmac('sha256', Buffer.from(erasureSecret, 'hex')).update(s).digest('hex');
    const hashes = await t.db.erasureRequest.findMany({
      where: { id: { in: [byId.id, byEmail.id].map((id) => Buffer.from(id, 'base64').toString().split(':')[1]) } },
      select: { subjectHash: true, pendingSubject: true },
      orderBy: { id: 'asc' },
    });
    expect(hashes).toEqual([
      { subjectHash: hmac(`CUSTOMER_EXTERNAL_ID:${zoe.externalId}`), pendingSubject: null },
      { subjectHash: hmac(`EMAIL:${zoe.email}`), pendingSubject: null },
    ]);
  });
});

describe('erasureRequest and erasureRequests', () => {
  const LIST = `query List($first: Int, $after: String, $filter: ErasureRequestFilter) {
    erasureRequests(first: $first, after: $after, filter: $filter) {
      totalCount nodes { ${REQUEST_FIELDS} } pageInfo { hasNextPage endCursor }
    }
  }`;

  it('finds past requests of a subject by recomputing the HMAC, newest first', async () => {
    const zoe = await seedZoe(uniq());
    const dry = await eraseOk(t, keys.admin, { email: zoe.email }, true);
    const done = await eraseOk(t, keys.admin, { email: zoe.email });
    await eraseOk(t, keys.admin, { customerExternalId: zoe.externalId });
    const res = await t.gql(keys.support, LIST, { filter: { subject: { email: ` ${zoe.email.toUpperCase()}` } } });
    expect(res.body.errors).toBeUndefined();
    const list = res.body.data.erasureRequests;
    expect(list.totalCount).toBe(2);
    expect(list.nodes.map((n: any) => n.id)).toEqual([done.id, dry.id]);

    const succeeded = await t.gql(keys.support, LIST, {
      filter: { subject: { email: zoe.email }, status: 'SUCCEEDED' },
      first: 1,
    });
    expect(succeeded.body.data.erasureRequests).toMatchObject({
      totalCount: 2,
      nodes: [{ id: done.id }],
      pageInfo: { hasNextPage: true },
    });
    const next = await t.gql(keys.support, LIST, {
      filter: { subject: { email: zoe.email } },
      first: 1,
      after: succeeded.body.data.erasureRequests.pageInfo.endCursor,
    });
    expect(next.body.data.erasureRequests).toMatchObject({ nodes: [{ id: dry.id }], pageInfo: { hasNextPage: false } });
    const cancelled = await t.gql(keys.support, LIST, {
      filter: { subject: { email: zoe.email }, status: 'CANCELLED' },
    });
    expect(cancelled.body.data.erasureRequests).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('an erasure is found by every key it covered: by externalId, then checked by the e-mail', async () => {
    const zoe = await seedZoe(uniq());
    const done = await eraseOk(t, keys.admin, { customerExternalId: zoe.externalId });
    for (const subject of [{ email: zoe.email }, { customerExternalId: zoe.externalId.replace('zoe-', 'zoe-old-') }]) {
      const res = await t.gql(keys.support, LIST, { filter: { subject } });
      expect(res.body.data.erasureRequests).toMatchObject({ totalCount: 1, nodes: [{ id: done.id }] });
    }
    const bob = await t.gql(keys.support, LIST, {
      filter: { subject: { customerExternalId: zoe.externalId.replace('zoe-', 'bob-') } },
    });
    expect(bob.body.data.erasureRequests).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('erasureRequest(id) for ADMIN and SUPPORT; null for an unknown id; FORBIDDEN for STOREFRONT', async () => {
    const done = await eraseOk(t, keys.admin, { email: `one.${uniq()}@example.org` });
    const ONE = `query One($id: ID!) { erasureRequest(id: $id) { ${REQUEST_FIELDS} } }`;
    for (const key of [keys.admin, keys.support]) {
      expect((await t.gql(key, ONE, { id: done.id })).body.data.erasureRequest).toEqual(done);
    }
    expect((await t.gql(keys.support, ONE, { id: 'nonsense' })).body.data.erasureRequest).toBeNull();
    const sf = await t.gql(keys.storefront, ONE, { id: done.id });
    expect(sf.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const list = await t.gql(keys.storefront, LIST, {});
    expect(list.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("another client's requests are invisible", async () => {
    const other = await t.newClient();
    const theirs = await eraseOk(t, other.keys.admin, { email: `x.${uniq()}@example.org` });
    const res = await t.gql(keys.admin, `query One($id: ID!) { erasureRequest(id: $id) { id } }`, { id: theirs.id });
    expect(res.body.data.erasureRequest).toBeNull();
  });
});
