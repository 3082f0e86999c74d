// The product feed: upsertProducts (≤ 1000 per call), product(sku), products connection.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { expectData, mutate, rowCounts, UPSERT_PRODUCTS, upsertProductsOk } from './order-helpers.ts';

const t = useTestApp();

const PRODUCT_FIELDS = 'id sku familyId name category url imageUrl properties createdAt updatedAt';

const jacket = {
  sku: 'J1',
  familyId: 'JACKETS-1',
  name: 'Rain jacket',
  category: 'Jackets',
  url: 'https://shop.example.com/j1',
  imageUrl: 'https://cdn.example.com/j1.png',
  properties: { colour: 'yellow' },
};

const many = (n: number, prefix = 'bulk') =>
  Array.from({ length: n }, (_, i) => ({
    sku: `${prefix}-${String(i).padStart(4, '0')}`,
    name: `Product ${i}`,
    familyId: `F${i % 7}`,
  }));

describe('upsertProducts', () => {
  it('creates products and returns them in request order with counts', async () => {
    const { keys } = await t.newClient();
    const result = await upsertProductsOk(t, keys.admin, [jacket, { sku: 'S1', name: 'Sock' }]);
    expect(result.createdCount).toBe(2);
    expect(result.updatedCount).toBe(0);
    expect(result.products).toEqual([
      { id: expect.any(String), ...jacket },
      {
        id: expect.any(String),
        sku: 'S1',
        name: 'Sock',
        familyId: null,
        category: null,
        url: null,
        imageUrl: null,
        properties: null,
      },
    ]);
  });

  it('updates by sku: sent fields replace, fields not sent stay, null clears; counts split', async () => {
    const { keys } = await t.newClient();
    const first = await upsertProductsOk(t, keys.admin, [jacket]);
    const second = await upsertProductsOk(t, keys.admin, [
      { sku: 'NEW', name: 'New one' },
      { sku: 'J1', name: 'Rain jacket 2', category: null, properties: { colour: 'green' } },
    ]);
    expect(second).toMatchObject({ createdCount: 1, updatedCount: 1 });
    expect(second.products[1]).toEqual({
      ...jacket,
      id: first.products[0].id,
      name: 'Rain jacket 2',
      category: null,
      properties: { colour: 'green' },
    });
    const res = await t.gql(keys.admin, `{ product(sku: "J1") { ${PRODUCT_FIELDS} } }`);
    expect(res.body.data.product).toMatchObject({ ...second.products[1] });
  });

  it('accepts 1000 products in one call with a fixed number of SQL statements', async () => {
    const { client, keys } = await t.newClient();
    const small = await upsertProductsOk(t, keys.admin, many(10, 'warm'));
    expect(small.createdCount).toBe(10);
    // Both calls create some and update some products: INSERT … ON CONFLICT DO NOTHING, then UPDATE.
    t.resetStatements();
    await mutate(
      t,
      keys.admin,
      `mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) { __typename } }`,
      {
        products: [...many(5, 'warm'), ...many(5, 'small')],
      },
    );
    const smallCount = t.statements.length;
    expect(t.statements.filter((s) => /^\s*WITH d AS/.test(s))).toHaveLength(2);
    t.resetStatements();
    const result = await mutate(
      t,
      keys.admin,
      `mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) {
      __typename ... on UpsertProductsSuccess { createdCount updatedCount } } }`,
      { products: [...many(10, 'small'), ...many(990)] },
    );
    expect(t.statements.length).toBe(smallCount);
    expect(result).toEqual({ __typename: 'UpsertProductsSuccess', createdCount: 995, updatedCount: 5 });
    expect(await t.db.product.count({ where: { clientId: client.id } })).toBe(1010);
  });

  it('rejects 1001 products, an empty list and a repeated sku, writing nothing', async () => {
    const { keys } = await t.newClient();
    const before = await rowCounts(t);
    const tooMany = await mutate(t, keys.admin, UPSERT_PRODUCTS, { products: many(1001) });
    expect(tooMany).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['input', 'products'], message: 'at most 1000 products per call' }],
    });
    const empty = await mutate(t, keys.admin, UPSERT_PRODUCTS, { products: [] });
    expect(empty.fieldErrors).toEqual([{ path: ['input', 'products'], message: 'send at least one product' }]);
    const dup = await mutate(t, keys.admin, UPSERT_PRODUCTS, { products: [jacket, { ...jacket, name: 'Again' }] });
    expect(dup.fieldErrors).toEqual([
      { path: ['input', 'products', '1', 'sku'], message: 'duplicate sku "J1" (also at index 0)' },
    ]);
    const bad = await mutate(t, keys.admin, UPSERT_PRODUCTS, {
      products: [jacket, { sku: 'X', name: ' ', properties: { a: 1 } }],
    });
    expect(bad.fieldErrors.map((e: any) => e.path)).toEqual([
      ['input', 'products', '1', 'name'],
      ['input', 'products', '1', 'properties', 'a'],
    ]);
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('product(sku) and products', () => {
  it('product(sku) finds the product; an unknown sku is null', async () => {
    const { keys } = await t.newClient();
    const { products } = await upsertProductsOk(t, keys.admin, [jacket]);
    const res = await t.gql(
      keys.storefront,
      '{ a: product(sku: "J1") { id sku name } b: product(sku: "nope") { id } }',
    );
    expectData(res, { a: { id: products[0].id, sku: 'J1', name: 'Rain jacket' }, b: null });
  });

  it('products pages through the feed oldest first, with filters and totalCount', async () => {
    const { keys } = await t.newClient();
    await upsertProductsOk(t, keys.admin, many(130));
    const page1 = await t.gql(
      keys.storefront,
      '{ products { totalCount nodes { sku } pageInfo { hasNextPage endCursor } } }',
    );
    const p1 = page1.body.data.products;
    expect(p1.totalCount).toBe(130);
    expect(p1.nodes).toHaveLength(100);
    expect(p1.nodes[0].sku).toBe('bulk-0000');
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(
      keys.storefront,
      'query($after: String) { products(after: $after) { nodes { sku } pageInfo { hasNextPage } } }',
      {
        after: p1.pageInfo.endCursor,
      },
    );
    expect(page2.body.data.products.nodes.map((n: any) => n.sku)).toEqual(
      many(130)
        .slice(100)
        .map((p) => p.sku),
    );
    expect(page2.body.data.products.pageInfo.hasNextPage).toBe(false);

    const family = await t.gql(
      keys.storefront,
      '{ products(filter: { familyId: "F3" }, first: 1000) { totalCount nodes { sku familyId } } }',
    );
    const expected = many(130).filter((p) => p.familyId === 'F3');
    expect(family.body.data.products.totalCount).toBe(expected.length);
    expect(family.body.data.products.nodes).toEqual(expected.map(({ sku, familyId }) => ({ sku, familyId })));
  });
});
