// personalData(subject): the @oneOf subject, roles, and matching through the customer link and
// the author e-mail (DESIGN section 6, issue 7 item 1).
import { beforeAll, describe, expect, it } from 'vitest';
import { printSchemaSDL } from '../src/schema.ts';
import { useTestApp } from './helpers.ts';
import { PERSONAL_DATA, personalData, seedPerson } from './privacy-helpers.ts';

const t = useTestApp();
let keys: { admin: string; support: string; storefront: string };
let clientId: string;

beforeAll(async () => {
  const c = await t.newClient();
  keys = c.keys;
  clientId = c.client.id;
  // Ann: customer A-1 with linked content, plus content under her e-mail without a link.
  await seedPerson(t, clientId, {
    externalId: 'A-1',
    email: 'ann@example.com',
    name: 'Ann Example',
    orders: 2,
    itemsPerOrder: 2,
    linked: { reviews: 2, questions: 1, sellerReviews: 1 },
    unlinked: { email: 'ann@example.com', reviews: 1, questions: 1 },
  });
  // A second customer record with Ann's e-mail (the merchant re-created her account).
  await seedPerson(t, clientId, {
    externalId: 'A-2',
    email: 'ann@example.com',
    name: 'Ann E.',
    orders: 1,
    itemsPerOrder: 1,
  });
  // Somebody else, with content of their own.
  await seedPerson(t, clientId, {
    externalId: 'B-1',
    email: 'bob@example.com',
    name: 'Bob',
    orders: 1,
    itemsPerOrder: 1,
    linked: { reviews: 1, questions: 1, sellerReviews: 1 },
  });
  // Content written under Ann's e-mail at another client must never show up.
  const other = await t.newClient();
  await seedPerson(t, other.client.id, {
    externalId: 'A-1',
    email: 'ann@example.com',
    orders: 1,
    linked: { reviews: 3 },
  });
});

describe('PersonalDataSubject is a real @oneOf input', () => {
  it('is printed with @oneOf in schema.graphql', () => {
    expect(printSchemaSDL()).toMatch(/input PersonalDataSubject @oneOf \{/);
  });

  it.each([
    [
      'no field (variables)',
      { subject: {} },
      'Variable "$subject" got invalid value {}; Exactly one key must be specified for OneOf type "PersonalDataSubject".',
    ],
    [
      'both fields (variables)',
      { subject: { customerExternalId: 'A-1', email: 'ann@example.com' } },
      'Variable "$subject" got invalid value { customerExternalId: "A-1", email: "ann@example.com" }; Exactly one key must be specified for OneOf type "PersonalDataSubject".',
    ],
  ])('rejects %s before anything runs', async (_name, variables, message) => {
    t.resetStatements();
    const res = await t.gql(keys.admin, PERSONAL_DATA, variables);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.map((e) => e.message)).toEqual([message]);
    expect(t.statements.filter((s) => /customers|reviews/.test(s))).toEqual([]);
  });

  it.each([
    ['no field (literal)', '{}', 'OneOf Input Object "PersonalDataSubject" must specify exactly one key.'],
    [
      'both fields (literal)',
      '{ customerExternalId: "A-1", email: "ann@example.com" }',
      'OneOf Input Object "PersonalDataSubject" must specify exactly one key.',
    ],
    ['a null field (literal)', '{ email: null }', 'Field "PersonalDataSubject.email" must be non-null.'],
  ])('rejects %s in the document with a validation error', async (_name, literal, message) => {
    t.resetStatements();
    const res = await t.gql(keys.admin, `{ personalData(subject: ${literal}) { customers { externalId } } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.message)).toEqual([message]);
    expect(t.statements.filter((s) => /customers|reviews/.test(s))).toEqual([]);
  });

  it('rejects a blank externalId as BAD_USER_INPUT', async () => {
    const res = await t.gql(keys.admin, PERSONAL_DATA, { subject: { customerExternalId: '  ' } });
    expect(res.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Invalid input at subject.customerExternalId: must not be empty or blank', 'BAD_USER_INPUT'],
    ]);
  });
});

describe('personalData roles', () => {
  it('is FORBIDDEN for STOREFRONT keys', async () => {
    const res = await t.gql(keys.storefront, PERSONAL_DATA, { subject: { email: 'ann@example.com' } });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['personalData']]]);
  });

  it('is allowed for SUPPORT and ADMIN keys, with the same answer', async () => {
    const support = await personalData(t, keys.support, { email: 'ann@example.com' });
    const admin = await personalData(t, keys.admin, { email: 'ann@example.com' });
    expect(support).toEqual(admin);
    expect(support.customers.map((c) => c.externalId)).toEqual(['A-1', 'A-2']);
  });
});

describe('personalData matching', () => {
  it('by e-mail: every customer with it, linked content and content written under it', async () => {
    const pd = await personalData(t, keys.support, { email: '  ANN@Example.COM ' });
    expect(pd.customers).toEqual([
      { externalId: 'A-1', name: 'Ann Example', email: 'ann@example.com', optOut: false, orders: { totalCount: 2 } },
      { externalId: 'A-2', name: 'Ann E.', email: 'ann@example.com', optOut: false, orders: { totalCount: 1 } },
    ]);
    expect(pd.reviews.map((r) => r.title).sort()).toEqual(['Review 1', 'Review 1', 'Review 2']);
    expect(pd.questions).toHaveLength(2);
    expect(pd.sellerReviews).toHaveLength(1);
    for (const item of [...pd.reviews, ...pd.questions, ...pd.sellerReviews]) {
      expect(item.authorEmail).toBe('ann@example.com');
      expect(item.authorNick).toBe('Ann Example');
      expect(item.status).toBe('PENDING');
    }
  });

  it('by externalId: also the customers sharing its e-mail and content under that e-mail without a link', async () => {
    const byId = await personalData(t, keys.support, { customerExternalId: 'A-1' });
    const byEmail = await personalData(t, keys.support, { email: 'ann@example.com' });
    expect(byId).toEqual(byEmail);
  });

  it('an externalId of a customer without e-mail finds the customer and its linked content only', async () => {
    await seedPerson(t, clientId, { externalId: 'N-1', email: null, orders: 1 });
    const pd = await personalData(t, keys.support, { customerExternalId: 'N-1' });
    expect(pd.customers.map((c) => [c.externalId, c.email])).toEqual([['N-1', null]]);
    expect([pd.reviews.length, pd.questions.length, pd.sellerReviews.length]).toEqual([0, 0, 0]);
  });

  it('content written under an e-mail with no customer is found by that e-mail', async () => {
    await seedPerson(t, clientId, {
      unlinked: { email: 'Guest@Example.com', reviews: 1, questions: 1, sellerReviews: 1 },
    });
    const pd = await personalData(t, keys.support, { email: 'guest@example.com' });
    expect([pd.customers.length, pd.reviews.length, pd.questions.length, pd.sellerReviews.length]).toEqual([
      0, 1, 1, 1,
    ]);
  });

  it('an unknown subject gives empty lists', async () => {
    expect(await personalData(t, keys.support, { customerExternalId: 'nobody' })).toEqual({
      customers: [],
      reviews: [],
      questions: [],
      sellerReviews: [],
    });
  });

  it('costs a fixed number of statements', async () => {
    t.resetStatements();
    await personalData(t, keys.support, { email: 'ann@example.com' });
    // key lookup, the person (one round reaches the end: one statement, no transaction), customers
    // (orders counted in a join), reviews, questions, seller reviews
    expect(t.statements.filter((s) => /^\s*(SELECT|WITH)/i.test(s))).toHaveLength(6);
    expect(t.statements.filter((s) => /^\s*WITH c0 AS/.test(s))).toHaveLength(1);
    expect(t.statements.filter((s) => /\bBEGIN\b/i.test(s))).toEqual([]);
  });
});
