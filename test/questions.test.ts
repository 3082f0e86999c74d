// askQuestion, answerQuestion, moderateQuestion and the question lists.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import {
  ASK_QUESTION,
  AUTHORED_BAD_INPUTS,
  contentCounts,
  expectInvalid,
  moderate,
  mutate,
  newStore,
  questionInput,
  rowOf as row,
  useStore,
} from './review-fixtures.ts';

const t = useTestApp();
const store = useStore(t);

async function ask(key: string, overrides: Record<string, unknown> = {}) {
  const r = await mutate(t, key, ASK_QUESTION, questionInput(overrides));
  expect(r.__typename).toBe('AskQuestionSuccess');
  return r.question.id as string;
}

const ANSWER = `mutation($input: AnswerQuestionInput!) { answerQuestion(input: $input) { __typename
  ... on AnswerQuestionSuccess { question { id answer answeredAt status } }
  ... on ValidationError { fieldErrors { path message } } ... on Error { code message } } }`;

const rowOf = (globalId: string) => row(t, 'question', globalId);

describe('askQuestion', () => {
  it('stores a PENDING, unanswered question (STOREFRONT and ADMIN keys), no customer link without an order', async () => {
    for (const key of [store.keys.storefront, store.keys.admin]) {
      const r = await mutate(t, key, ASK_QUESTION, questionInput({ authorEmail: ' Q@Example.com ' }));
      expect(r.question).toMatchObject({
        productSku: 'SHOE-red',
        title: 'Waterproof?',
        status: 'PENDING',
        answer: null,
        answeredAt: null,
      });
      expect(await rowOf(r.question.id)).toMatchObject({
        clientId: store.clientId,
        authorEmail: 'q@example.com',
        customerId: null,
      });
    }
  });

  it("links the customer when the order is the author's; an unknown order or other e-mail is no error and no link", async () => {
    const customer = await t.db.customer.findFirstOrThrow({ where: { clientId: store.clientId, externalId: 'c-1' } });
    expect((await rowOf(await ask(store.keys.storefront, { orderExternalId: 'o-1' }))).customerId).toBe(customer.id);
    expect((await rowOf(await ask(store.keys.storefront, { orderExternalId: 'nope' }))).customerId).toBeNull();
    expect(
      (await rowOf(await ask(store.keys.storefront, { orderExternalId: 'o-1', authorEmail: 'eve@example.com' })))
        .customerId,
    ).toBeNull();
  });

  it('SUPPORT keys may not ask: FORBIDDEN, nothing written', async () => {
    const before = await contentCounts(t, store.clientId);
    const res = await t.gql(store.keys.support, ASK_QUESTION, { input: questionInput() });
    expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await contentCounts(t, store.clientId)).toEqual(before);
  });

  it.each(AUTHORED_BAD_INPUTS)('%s → ValidationError, nothing written', async (_case, overrides, path) => {
    await expectInvalid(t, store, ASK_QUESTION, questionInput(overrides), [path]);
  });

  it('unknown sku → NotFoundError, nothing written', async () => {
    const before = await contentCounts(t, store.clientId);
    const r = await mutate(t, store.keys.storefront, ASK_QUESTION, questionInput({ productSku: 'NOPE' }));
    expect(r).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await contentCounts(t, store.clientId)).toEqual(before);
  });
});

describe('answerQuestion', () => {
  it('sets and replaces the answer (ADMIN); the status is unchanged', async () => {
    const id = await ask(store.keys.storefront);
    const first = await mutate(t, store.keys.admin, ANSWER, { id, answer: '  Yes, fully taped seams. ' });
    expect(first.question).toMatchObject({ id, answer: 'Yes, fully taped seams.', status: 'PENDING' });
    const answeredAt = new Date(first.question.answeredAt).getTime();
    expect(Math.abs(Date.now() - answeredAt)).toBeLessThan(60_000);
    const second = await mutate(t, store.keys.admin, ANSWER, { id, answer: 'Yes.' });
    expect(second.question.answer).toBe('Yes.');
    expect((await rowOf(id)).answer).toBe('Yes.');
  });

  it('blank, too long or NUL-holding answer → ValidationError, the stored answer stays', async () => {
    const id = await ask(store.keys.storefront);
    await mutate(t, store.keys.admin, ANSWER, { id, answer: 'Kept.' });
    for (const answer of ['   ', 'a'.repeat(5001), 'Yes\u0000']) {
      const r = await mutate(t, store.keys.admin, ANSWER, { id, answer });
      expect(r.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(['input.answer']);
    }
    expect((await rowOf(id)).answer).toBe('Kept.');
  });

  it("another client's question or a review id → NotFoundError; STOREFRONT and SUPPORT → FORBIDDEN", async () => {
    const other = await newStore(t);
    const theirs = (await mutate(t, other.keys.storefront, ASK_QUESTION, questionInput())).question.id;
    const r = await mutate(t, store.keys.admin, ANSWER, { id: theirs, answer: 'Hi' });
    expect(r).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'No question with this id.' });
    const reviewId = Buffer.from(`Review:${(await rowOf(theirs)).id}`).toString('base64');
    expect((await mutate(t, other.keys.admin, ANSWER, { id: reviewId, answer: 'Hi' })).__typename).toBe(
      'NotFoundError',
    );
    expect((await rowOf(theirs)).answer).toBeNull();
    const mine = await ask(store.keys.storefront);
    for (const key of [store.keys.storefront, store.keys.support]) {
      const res = await t.gql(key, ANSWER, { input: { id: mine, answer: 'Hi' } });
      expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    expect((await rowOf(mine)).answer).toBeNull();
  });
});

describe('moderateQuestion and the lists', () => {
  it('STOREFRONT sees published questions only, in Query.questions, Product.questions and node; filters apply', async () => {
    const shop = await newStore(t);
    const k = shop.keys;
    const q1 = (await mutate(t, k.storefront, ASK_QUESTION, questionInput({ title: 'q1' }))).question.id;
    const q2 = (await mutate(t, k.storefront, ASK_QUESTION, questionInput({ title: 'q2', productSku: 'SHOE-blue' })))
      .question.id;
    const q3 = (await mutate(t, k.storefront, ASK_QUESTION, questionInput({ title: 'q3', productSku: 'TENT-1' })))
      .question.id;
    const q4 = (await mutate(t, k.storefront, ASK_QUESTION, questionInput({ title: 'q4' }))).question.id;
    for (const id of [q1, q2, q3])
      expect((await moderate(t, k.admin, 'Question', id, 'PUBLISH')).question.status).toBe('PUBLISHED');
    expect((await moderate(t, k.admin, 'Question', q3, 'REJECT')).question.status).toBe('REJECTED');
    await mutate(t, k.admin, ANSWER, { id: q1, answer: 'Yes.' });

    const list = async (key: string, vars: Record<string, unknown> = {}) => {
      const res = await t.gql(
        key,
        `query($filter: QuestionFilter, $orderBy: QuestionOrder!) { questions(filter: $filter, orderBy: $orderBy) {
        totalCount nodes { title answer } } }`,
        { orderBy: 'NEWEST', ...vars },
      );
      return res.body.data.questions.nodes.map((n: { title: string }) => n.title);
    };
    expect(await list(k.storefront)).toEqual(['q2', 'q1']);
    expect(await list(k.admin)).toEqual(['q4', 'q3', 'q2', 'q1']);
    expect(await list(k.storefront, { orderBy: 'OLDEST' })).toEqual(['q1', 'q2']);
    expect(await list(k.storefront, { filter: { status: 'PENDING' } })).toEqual([]);
    expect(await list(k.admin, { filter: { status: 'PENDING' } })).toEqual(['q4']);
    expect(await list(k.storefront, { filter: { answered: true } })).toEqual(['q1']);
    expect(await list(k.storefront, { filter: { answered: false } })).toEqual(['q2']);
    expect(await list(k.admin, { filter: { familyId: 'SHOE' } })).toEqual(['q4', 'q2', 'q1']);
    expect(await list(k.admin, { filter: { productSku: 'TENT-1' } })).toEqual(['q3']);

    const page = await t.gql(
      k.storefront,
      `{ product(sku: "SHOE-red") { questions { totalCount nodes { title answer } } }
      unanswered: product(sku: "SHOE-red") { questions(answered: false) { totalCount } } }`,
    );
    expect(page.body.data).toEqual({
      product: { questions: { totalCount: 1, nodes: [{ title: 'q1', answer: 'Yes.' }] } },
      unanswered: { questions: { totalCount: 0 } },
    });
    const nodes = await t.gql(k.storefront, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Question { title } } }`, {
      ids: [q1, q3, q4],
    });
    expect(nodes.body.data.nodes).toEqual([{ title: 'q1' }, null, null]);
    const email = await t.gql(k.storefront, `query($id: ID!) { node(id: $id) { ... on Question { authorEmail } } }`, {
      id: q1,
    });
    expect(email.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(email.body.data.node.authorEmail).toBeNull();

    const otherClient = await mutate(
      t,
      store.keys.admin,
      `mutation($input: ModerateQuestionInput!) { moderateQuestion(input: $input) {
      __typename ... on Error { code } } }`,
      { id: q4, action: 'PUBLISH' },
    );
    expect(otherClient).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect((await rowOf(q4)).status).toBe('PENDING');
  });

  it('Customer.questions lists the questions linked to the customer (staff)', async () => {
    const shop = await newStore(t);
    await mutate(t, shop.keys.storefront, ASK_QUESTION, questionInput({ title: 'linked', orderExternalId: 'o-1' }));
    await mutate(t, shop.keys.storefront, ASK_QUESTION, questionInput({ title: 'unlinked' }));
    const res = await t.gql(
      shop.keys.support,
      `{ customer(externalId: "c-1") { questions { totalCount nodes { title status } } } }`,
    );
    expect(res.body.data.customer.questions).toEqual({
      totalCount: 1,
      nodes: [{ title: 'linked', status: 'PENDING' }],
    });
  });
});
