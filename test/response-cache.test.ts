// STOREFRONT answers kept in memory (src/platform/http/response-cache.ts), through app.fetch on both
// databases: a repeated storefront query runs no SQL, while a published review, an updated
// product or an erasure shows at once; other roles, mutations and errors are never cached; two
// clients never see each other's answers; without the listener nothing is served from memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../src/platform/db/notifications.ts';
import { CONTENT_CHANGES_CHANNEL, ResponseCache } from '../src/platform/http/response-cache.ts';
import { useTestApp } from './helpers.ts';
import { newStore, review, type Keys } from './review-fixtures.ts';

const cache = new ResponseCache({ ttlMs: 60_000 });
const t = useTestApp({ responseCache: cache });
let subscription: Subscription;
let heard = 0;
beforeAll(async () => {
  subscription = t.database.listen(CONTENT_CHANGES_CHANNEL, {
    onNotify: (payload) => {
      heard++;
      cache.onNotify(payload);
    },
    onState: (listening) => cache.onState(listening),
  });
  await until(() => cache.active);
});
afterAll(() => subscription?.close());

async function until(check: () => boolean | Promise<boolean>, ms = 2_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const PAGE = `query Page($sku: String!) { product(sku: $sku) { sku name
  reviews(first: 10) { nodes { title authorNick content } } } }`;
const dataStatements = () => t.statements.filter((s) => !s.includes('"api_keys"')).length;

/** A store whose notifications have all arrived (its set-up wrote products, reviews …). */
async function quietStore(): Promise<{ clientId: string; keys: Keys }> {
  const store = await newStore(t);
  await settle();
  return store;
}
/** Waits until no notification arrived for 100 ms. */
async function settle() {
  for (let last = -1; last !== heard; ) {
    last = heard;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('response cache', () => {
  it('answers a repeated storefront query from memory, with its own cost report', async () => {
    const { keys } = await quietStore();
    const first = await t.gql(keys.storefront, PAGE, { sku: 'SHOE-red' });
    t.resetStatements();
    const second = await t.gql(keys.storefront, PAGE, { sku: 'SHOE-red' });
    expect(dataStatements()).toBe(0);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.body.extensions?.cost).toBeDefined();
    // The answer from memory is serialized as an executed one is: the same keys, in order.
    expect(Object.keys(second.body)).toEqual(Object.keys(first.body));
    const raw = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.storefront}` },
      body: JSON.stringify({ query: PAGE, variables: { sku: 'SHOE-red' } }),
    });
    const text = await raw.text();
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(JSON.parse(text).data).toEqual(first.body.data);
    // Other variables: another answer.
    const other = await t.gql(keys.storefront, PAGE, { sku: 'TENT-1' });
    expect(other.body.data.product.sku).toBe('TENT-1');
  });

  it('shows a published review, a changed product and an erasure at once', async () => {
    const { keys } = await quietStore();
    const page = async () => (await t.gql(keys.storefront, PAGE, { sku: 'SHOE-red' })).body.data.product;
    expect((await page()).reviews.nodes).toEqual([]);
    await review(t, keys, { title: 'Lovely', authorNick: 'bea', authorEmail: 'bea@example.com' });
    await until(async () => (await page()).reviews.nodes.length === 1);
    expect((await page()).reviews.nodes[0]).toMatchObject({ title: 'Lovely', authorNick: 'bea' });

    await t.gql(keys.admin, `mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) { __typename } }`, {
      input: { products: [{ sku: 'SHOE-red', familyId: 'SHOE', name: 'Trail shoe (crimson)' }] },
    });
    await until(async () => (await page()).name === 'Trail shoe (crimson)');

    const erased = await t.gql(
      keys.admin,
      `mutation { erasePersonalData(input: { subject: { email: "bea@example.com" } }) { __typename } }`,
    );
    expect(erased.body.data.erasePersonalData.__typename).toBe('ErasePersonalDataSuccess');
    await until(async () => !JSON.stringify(await page()).includes('bea'));
  });

  it('never caches other roles, mutations or answers with errors', async () => {
    const { keys } = await quietStore();
    for (const key of [keys.admin, keys.support]) {
      await t.gql(key, PAGE, { sku: 'SHOE-red' });
      t.resetStatements();
      await t.gql(key, PAGE, { sku: 'SHOE-red' });
      expect(dataStatements()).toBeGreaterThan(0);
    }
    // personalData is not for STOREFRONT keys: an answer with an error, so executed every time.
    const bad = `query { product(sku: "SHOE-red") { sku } personalData(subject: { email: "ada@example.com" }) { customers { id } } }`;
    expect((await t.gql(keys.storefront, bad)).body.errors).toBeDefined();
    t.resetStatements();
    expect((await t.gql(keys.storefront, bad)).body.errors).toBeDefined();
    expect(dataStatements()).toBeGreaterThan(0);
    // The same mutation twice from a STOREFRONT key: two reviews.
    const submit = `mutation { submitReview(input: { productSku: "TENT-1", rating: 4, title: "Dry", content: "Kept the rain out.",
      authorNick: "cy", authorEmail: "cy@example.com" }) { __typename } }`;
    for (let i = 0; i < 2; i++)
      expect((await t.gql(keys.storefront, submit)).body.data.submitReview.__typename).toBe('SubmitReviewSuccess');
    expect(await t.db.review.count({ where: { authorNick: 'cy' } })).toBe(2);
  });

  it('caches only operations whose root fields all read content (not viewer, not node)', async () => {
    const { keys } = await quietStore();
    const twice = async (query: string) => {
      await t.gql(keys.storefront, query);
      t.resetStatements();
      expect((await t.gql(keys.storefront, query)).body.errors).toBeUndefined();
      return dataStatements();
    };
    expect(await twice(`query { viewer { client { name } } product(sku: "SOLO") { name } }`)).toBeGreaterThan(0);
    expect(
      await twice(
        `query { product(sku: "SOLO") { name } ...More } fragment More on Query { reviews(first: 1) { nodes { title } } }`,
      ),
    ).toBe(0);
  });

  it('keeps clients apart', async () => {
    const a = await quietStore();
    const b = await quietStore();
    await t.gql(
      b.keys.admin,
      `mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) { __typename } }`,
      {
        input: { products: [{ sku: 'SHOE-red', name: 'B shoe' }] },
      },
    );
    await settle();
    expect((await t.gql(a.keys.storefront, PAGE, { sku: 'SHOE-red' })).body.data.product.name).toBe('Trail shoe (red)');
    expect((await t.gql(b.keys.storefront, PAGE, { sku: 'SHOE-red' })).body.data.product.name).toBe('B shoe');
    expect((await t.gql(a.keys.storefront, PAGE, { sku: 'SHOE-red' })).body.data.product.name).toBe('Trail shoe (red)');
  });

  it('serves nothing from memory while not listening', async () => {
    const { keys } = await quietStore();
    await t.gql(keys.storefront, PAGE, { sku: 'SOLO' });
    cache.onState(false);
    try {
      t.resetStatements();
      await t.gql(keys.storefront, PAGE, { sku: 'SOLO' });
      await t.gql(keys.storefront, PAGE, { sku: 'SOLO' });
      expect(dataStatements()).toBeGreaterThan(1);
      expect(cache.size).toBe(0);
    } finally {
      cache.onState(true);
    }
  });
});
