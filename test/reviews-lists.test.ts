// Reading reviews: who sees what (STOREFRONT: PUBLISHED only, never an e-mail or a customer),
// tenants, filters, sort orders and keyset cursors in both directions.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { newStore, review, type Keys } from './review-fixtures.ts';

const t = useTestApp();
let keys: Keys;
const ids: Record<string, string> = {};

// Published: r1 (SHOE-red ★5 verified), r2 (SHOE-red ★3), r3 (SHOE-blue ★5), r4 (TENT-1 ★1), r5 (SHOE-red ★3)
// Not published: pending (SHOE-red ★4), rejected (SHOE-red ★2).
beforeAll(async () => {
  ({ keys } = await newStore(t));
  ids.r1 = await review(t, keys, { rating: 5, orderExternalId: 'o-1', title: 'r1' });
  ids.r2 = await review(t, keys, { rating: 3, title: 'r2', authorEmail: 'bob@example.com' });
  ids.r3 = await review(t, keys, { rating: 5, productSku: 'SHOE-blue', title: 'r3' });
  ids.r4 = await review(t, keys, { rating: 1, productSku: 'TENT-1', title: 'r4' });
  ids.r5 = await review(t, keys, { rating: 3, title: 'r5' });
  ids.pending = await review(t, keys, { rating: 4, title: 'pending' }, null);
  ids.rejected = await review(t, keys, { rating: 2, title: 'rejected' }, 'REJECT');
});

const LIST = `query($filter: ReviewFilter, $orderBy: ReviewOrder!, $first: Int, $after: String, $last: Int, $before: String) {
  reviews(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount nodes { title } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

async function titles(key: string, vars: Record<string, unknown> = {}) {
  const res = await t.gql(key, LIST, { orderBy: 'NEWEST', ...vars });
  expect(res.body.errors).toBeUndefined();
  const c = res.body.data.reviews;
  return { titles: c.nodes.map((n: { title: string }) => n.title), totalCount: c.totalCount, pageInfo: c.pageInfo };
}

describe('visibility', () => {
  it('STOREFRONT lists PUBLISHED reviews only; ADMIN and SUPPORT list every status', async () => {
    expect(await titles(keys.storefront)).toMatchObject({ titles: ['r5', 'r4', 'r3', 'r2', 'r1'], totalCount: 5 });
    for (const key of [keys.admin, keys.support]) {
      expect(await titles(key)).toMatchObject({
        titles: ['rejected', 'pending', 'r5', 'r4', 'r3', 'r2', 'r1'],
        totalCount: 7,
      });
    }
  });

  it('STOREFRONT asking for PENDING or REJECTED gets nothing, not the published ones', async () => {
    for (const status of ['PENDING', 'REJECTED']) {
      expect(await titles(keys.storefront, { filter: { status } })).toMatchObject({ titles: [], totalCount: 0 });
    }
    expect((await titles(keys.admin, { filter: { status: 'PENDING' } })).titles).toEqual(['pending']);
    expect((await titles(keys.admin, { filter: { status: 'REJECTED' } })).titles).toEqual(['rejected']);
  });

  it('the status rule is in the SQL where clause', async () => {
    t.resetStatements();
    await titles(keys.storefront, { first: 2 });
    const page = t.statements.find((s) => s.includes('FROM "public"."reviews"') && s.includes('LIMIT'))!;
    expect(page).toMatch(/"status" = CAST\(\$\d+::text AS "public"."ReviewStatus"\)/);
  });

  it('node(id): STOREFRONT gets null for a pending or rejected review, the review when published', async () => {
    const q = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Review { title status } } }`;
    const all = [ids.r1, ids.pending, ids.rejected];
    const sf = await t.gql(keys.storefront, q, { ids: all });
    expect(sf.body.errors).toBeUndefined();
    expect(sf.body.data).toEqual({ nodes: [{ title: 'r1', status: 'PUBLISHED' }, null, null] });
    const admin = await t.gql(keys.admin, q, { ids: all });
    expect(admin.body.data.nodes.map((n: { status: string }) => n.status)).toEqual([
      'PUBLISHED',
      'PENDING',
      'REJECTED',
    ]);
  });

  it('STOREFRONT gets FORBIDDEN and null for authorEmail and customer, also through the interface', async () => {
    const res = await t.gql(
      keys.storefront,
      `query($id: ID!) { node(id: $id) { ... on Review { title customer { externalId } }
      ... on AuthoredContent { authorEmail } } }`,
      { id: ids.r1 },
    );
    expect(res.body.data.node).toEqual({ title: 'r1', customer: null, authorEmail: null });
    expect(res.body.errors!.map((e: any) => [e.path.join('.'), e.extensions.code]).sort()).toEqual([
      ['node.authorEmail', 'FORBIDDEN'],
      ['node.customer', 'FORBIDDEN'],
    ]);
    expect(JSON.stringify(res.body)).not.toContain('example.com');
  });

  it('ADMIN and SUPPORT see the e-mail and the customer of a verified review', async () => {
    for (const key of [keys.admin, keys.support]) {
      const res = await t.gql(
        key,
        `query($id: ID!) { node(id: $id) { ... on Review { authorEmail verified customer { externalId } } } }`,
        { id: ids.r1 },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual({
        node: { authorEmail: 'ada@example.com', verified: true, customer: { externalId: 'c-1' } },
      });
    }
  });

  it('another client sees none of these reviews: node is null, lists are empty', async () => {
    const other = await newStore(t);
    const res = await t.gql(other.keys.admin, `query($id: ID!) { node(id: $id) { id } reviews { totalCount } }`, {
      id: ids.r1,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ node: null, reviews: { totalCount: 0 } });
  });
});

describe('filters', () => {
  it.each([
    [{ productSku: 'SHOE-red' }, ['r5', 'r2', 'r1']],
    [{ familyId: 'SHOE' }, ['r5', 'r3', 'r2', 'r1']],
    [{ familyId: 'TENT' }, ['r4']],
    [{ rating: 3 }, ['r5', 'r2']],
    [{ verified: true }, ['r1']],
    [{ verified: false, familyId: 'SHOE', rating: 5 }, ['r3']],
    [{ productSku: 'NOPE' }, []],
  ])('%o', async (filter, expected) => {
    expect(await titles(keys.storefront, { filter })).toMatchObject({ titles: expected, totalCount: expected.length });
  });
});

describe('orderBy and cursors', () => {
  const orders = {
    NEWEST: ['r5', 'r4', 'r3', 'r2', 'r1'],
    OLDEST: ['r1', 'r2', 'r3', 'r4', 'r5'],
    HIGHEST_RATING: ['r3', 'r1', 'r5', 'r2', 'r4'],
    LOWEST_RATING: ['r4', 'r5', 'r2', 'r3', 'r1'],
  };

  /** Walks the whole list in pages of 2, forward (first/after) or backward (last/before). */
  async function walk(orderBy: string, forward: boolean) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++) {
      const vars = forward ? { first: 2, after: cursor } : { last: 2, before: cursor };
      const page = await titles(keys.storefront, { orderBy, ...vars });
      if (forward) seen.push(...page.titles);
      else seen.unshift(...page.titles);
      expect(forward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage).toBe(i < 2);
      cursor = forward ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    }
    return seen;
  }

  it.each(Object.entries(orders))(
    '%s: one page, then pages of 2 forward, then pages of 2 backward',
    async (orderBy, expected) => {
      expect((await titles(keys.storefront, { orderBy })).titles).toEqual(expected);
      expect(await walk(orderBy, true)).toEqual(expected);
      expect(await walk(orderBy, false)).toEqual(expected);
    },
  );

  it('Product.reviews follows the same orders and cursors', async () => {
    const q = `query($orderBy: ReviewOrder!, $after: String) { product(sku: "SHOE-red") {
      reviews(first: 2, after: $after, orderBy: $orderBy) { totalCount nodes { title } pageInfo { endCursor hasNextPage } } } }`;
    const first = await t.gql(keys.storefront, q, { orderBy: 'HIGHEST_RATING' });
    expect(first.body.data.product.reviews).toMatchObject({
      totalCount: 3,
      nodes: [{ title: 'r1' }, { title: 'r5' }],
      pageInfo: { hasNextPage: true },
    });
    const second = await t.gql(keys.storefront, q, {
      orderBy: 'HIGHEST_RATING',
      after: first.body.data.product.reviews.pageInfo.endCursor,
    });
    expect(second.body.data.product.reviews).toMatchObject({
      nodes: [{ title: 'r2' }],
      pageInfo: { hasNextPage: false },
    });
  });

  it('Product.reviews: STOREFRONT gets published ones of the sku only; ADMIN every status; rating and verified narrow', async () => {
    const q = `query($rating: Int, $verified: Boolean) { product(sku: "SHOE-red") { reviews(rating: $rating, verified: $verified) { totalCount nodes { title } } } }`;
    const names = async (key: string, vars = {}) => (await t.gql(key, q, vars)).body.data.product.reviews;
    expect(await names(keys.storefront)).toEqual({
      totalCount: 3,
      nodes: [{ title: 'r5' }, { title: 'r2' }, { title: 'r1' }],
    });
    expect((await names(keys.admin)).totalCount).toBe(5);
    expect(await names(keys.storefront, { rating: 3 })).toEqual({
      totalCount: 2,
      nodes: [{ title: 'r5' }, { title: 'r2' }],
    });
    expect(await names(keys.storefront, { verified: true })).toEqual({ totalCount: 1, nodes: [{ title: 'r1' }] });
  });

  it('page size rules apply: first over 1000 is an error', async () => {
    const res = await t.gql(keys.storefront, `{ reviews(first: 1001) { totalCount } }`);
    expect(res.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('Customer.reviews', () => {
  it('lists the verified reviews linked to the customer, every status; STOREFRONT cannot read customers', async () => {
    await review(t, keys, { rating: 2, orderExternalId: 'o-1', title: 'pending verified' }, null);
    const q = `{ customer(externalId: "c-1") { reviews { totalCount nodes { title status } } } }`;
    const res = await t.gql(keys.support, q);
    expect(res.body.data.customer.reviews).toEqual({
      totalCount: 2,
      nodes: [
        { title: 'pending verified', status: 'PENDING' },
        { title: 'r1', status: 'PUBLISHED' },
      ],
    });
    const sf = await t.gql(keys.storefront, q);
    expect(sf.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
