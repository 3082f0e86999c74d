// API keys (401), roles (FORBIDDEN) and tenant isolation (a key sees and
// changes only its own client's rows, `node(id)` included).
import { beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../src/features/clients/clients.ts';
import type { CreatedClient } from '../src/features/clients/clients.ts';
import { useTestApp } from './helpers.ts';
import {
  CANCEL_ORDER_ITEM,
  expectData,
  rowCounts,
  UPSERT_ORDER,
  UPSERT_PRODUCTS,
  upsertOrderOk,
  upsertProductsOk,
} from './order-helpers.ts';

const t = useTestApp();
const VIEWER = '{ viewer { role keyPrefix client { id slug name } } }';

let a: CreatedClient;
let b: CreatedClient;
/** Global ids of client A's objects. */
const ids = { order: '', customer: '', product: '' };

beforeAll(async () => {
  a = await t.newClient('tenant-a');
  b = await t.newClient('tenant-b');
  const { order } = await upsertOrderOk(t, a.keys.admin, {
    externalId: 'A-1',
    customer: { externalId: 'cust', email: 'shared@example.com', name: 'A buyer' },
    items: [{ sku: 'SKU-1', name: 'A thing' }],
  });
  const { products } = await upsertProductsOk(t, a.keys.admin, [{ sku: 'SKU-1', name: 'A product' }]);
  Object.assign(ids, { order: order.id, customer: order.customer.id, product: products[0].id });
});

function expectUnauthenticated(res: { status: number; headers: Headers; body: { data?: unknown; errors?: any[] } }) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="graphql"');
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
}

const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('authentication', () => {
  it('a missing key is 401 UNAUTHENTICATED with WWW-Authenticate', async () => {
    const res = await t.gql(null, VIEWER);
    expectUnauthenticated(res);
    expect(res.body.errors![0].message).toBe('Missing API key. Send "Authorization: Bearer <key>".');
  });

  it('unknown, malformed and wrongly prefixed keys are 401', async () => {
    const unknown = `sk_${'A'.repeat(32)}`;
    const swappedPrefix = `pk_${a.keys.admin.slice(3)}`;
    for (const key of [unknown, swappedPrefix, 'sk_short', 'hello', `${a.keys.admin}x`]) {
      const res = await t.gql(key, VIEWER);
      expectUnauthenticated(res);
      expect(res.body.errors![0].message).toBe('The API key is not valid: unknown, malformed or revoked.');
    }
    for (const header of ['Bearer', 'Token abc', `Bearer${a.keys.admin}`, basic(a.keys.admin, 'secret')]) {
      expectUnauthenticated(await t.gql(null, VIEWER, undefined, { headers: { authorization: header } }));
    }
  });

  it('a revoked key is 401; the client keeps its other keys', async () => {
    const c = await t.newClient();
    expect((await t.gql(c.keys.support, VIEWER)).status).toBe(200);
    await revokeKey(t.db, c.keys.support.slice(0, 11));
    expectUnauthenticated(await t.gql(c.keys.support, VIEWER));
    expect((await t.gql(c.keys.admin, VIEWER)).body.data.viewer.role).toBe('ADMIN');
  });

  it('Bearer (any case) and Basic with the key as user name and an empty password work', async () => {
    const expected = {
      role: 'ADMIN',
      keyPrefix: a.keys.admin.slice(0, 11),
      client: { id: expect.any(String), slug: 'tenant-a', name: 'tenant-a' },
    };
    for (const header of [
      `Bearer ${a.keys.admin}`,
      `bearer ${a.keys.admin}`,
      basic(a.keys.admin),
      basic(a.keys.admin).replace('Basic', 'basic'),
    ]) {
      const res = await t.gql(null, VIEWER, undefined, { headers: { authorization: header } });
      expect(res.status).toBe(200);
      expectData(res, { viewer: expected });
    }
  });

  it('viewer tells each key its role', async () => {
    for (const [key, role] of [
      [b.keys.admin, 'ADMIN'],
      [b.keys.support, 'SUPPORT'],
      [b.keys.storefront, 'STOREFRONT'],
    ]) {
      const res = await t.gql(key, VIEWER);
      expect(res.body.data.viewer).toMatchObject({ role, client: { slug: 'tenant-b' } });
    }
  });
});

function expectForbidden(res: { status: number; body: any }, coordinate: string, role: string) {
  expect(res.status).toBe(200);
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors[0]).toMatchObject({
    message: `A ${role} key may not use ${coordinate}.`,
    extensions: { code: 'FORBIDDEN' },
  });
}

describe('roles', () => {
  it('SUPPORT and STOREFRONT keys cannot call a mutation: FORBIDDEN and nothing written', async () => {
    const before = await rowCounts(t);
    const calls: [string, unknown, string][] = [
      [
        UPSERT_ORDER,
        { externalId: 'A-1', customer: { externalId: 'cust', name: 'Changed' }, items: [{ sku: 'NEW' }] },
        'upsertOrder',
      ],
      [CANCEL_ORDER_ITEM, { orderExternalId: 'A-1', sku: 'SKU-1' }, 'cancelOrderItem'],
      [
        UPSERT_PRODUCTS,
        {
          products: [
            { sku: 'SKU-1', name: 'Changed' },
            { sku: 'NEW', name: 'New' },
          ],
        },
        'upsertProducts',
      ],
    ];
    for (const [role, key] of [
      ['SUPPORT', a.keys.support],
      ['STOREFRONT', a.keys.storefront],
    ]) {
      for (const [doc, input, field] of calls) {
        const res = await t.gql(key, doc, { input });
        expectForbidden(res, `Mutation.${field}`, role);
        expect(res.body.data).toBeNull();
      }
    }
    expect(await rowCounts(t)).toEqual(before);
    const stored = await t.gql(
      a.keys.support,
      '{ order(externalId: "A-1") { customer { name } items { sku cancelled } } }',
    );
    expect(stored.body.data.order).toEqual({
      customer: { name: 'A buyer' },
      items: [{ sku: 'SKU-1', cancelled: false }],
    });
    expect((await t.gql(a.keys.support, '{ product(sku: "SKU-1") { name } }')).body.data.product.name).toBe(
      'A product',
    );
  });

  it('STOREFRONT keys cannot read orders or customers', async () => {
    const key = a.keys.storefront;
    expectForbidden(await t.gql(key, '{ order(externalId: "A-1") { id } }'), 'Query.order', 'STOREFRONT');
    expectForbidden(await t.gql(key, '{ orders { totalCount } }'), 'Query.orders', 'STOREFRONT');
    expectForbidden(await t.gql(key, '{ customer(externalId: "cust") { id } }'), 'Query.customer', 'STOREFRONT');
    expectForbidden(await t.gql(key, '{ customers { totalCount } }'), 'Query.customers', 'STOREFRONT');
  });

  it('STOREFRONT keys get null for an order or customer by global id, as if it did not exist', async () => {
    const res = await t.gql(
      a.keys.storefront,
      'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { externalId } ... on Customer { email } } }',
      {
        ids: [ids.order, ids.customer],
      },
    );
    expectData(res, { nodes: [null, null] });
    expect(JSON.stringify(res.body)).not.toContain('shared@example.com');
    expect(JSON.stringify(res.body)).not.toContain('A-1');
  });

  it('STOREFRONT keys read products; SUPPORT keys read orders and customers', async () => {
    expectData(await t.gql(a.keys.storefront, '{ products { totalCount } }'), { products: { totalCount: 1 } });
    const res = await t.gql(a.keys.support, '{ orders { totalCount } customers { nodes { email } } }');
    expectData(res, { orders: { totalCount: 1 }, customers: { nodes: [{ email: 'shared@example.com' }] } });
  });
});

describe('tenant isolation', () => {
  it("B cannot read A's order, customer or product by externalId / sku, nor in lists", async () => {
    const res = await t.gql(
      b.keys.admin,
      `{ order(externalId: "A-1") { id } customer(externalId: "cust") { id } product(sku: "SKU-1") { id }
         orders(filter: { customerEmail: "shared@example.com" }) { totalCount nodes { id } }
         all: orders { totalCount } customers(filter: { email: "shared@example.com" }) { totalCount nodes { id } }
         products { totalCount nodes { id } } }`,
    );
    expectData(res, {
      order: null,
      customer: null,
      product: null,
      orders: { totalCount: 0, nodes: [] },
      all: { totalCount: 0 },
      customers: { totalCount: 0, nodes: [] },
      products: { totalCount: 0, nodes: [] },
    });
  });

  it("B gets null for A's global ids through node and nodes; A gets the objects", async () => {
    const query = `query($id: ID!, $ids: [ID!]!) { node(id: $id) { id } nodes(ids: $ids) { id } }`;
    const aClientId = (await t.gql(a.keys.admin, VIEWER)).body.data.viewer.client.id;
    const all = [ids.order, ids.customer, ids.product, aClientId];
    for (const id of all) {
      const res = await t.gql(b.keys.admin, query, { id, ids: all });
      expectData(res, { node: null, nodes: [null, null, null, null] });
    }
    const own = await t.gql(a.keys.admin, query, { id: ids.order, ids: all });
    expectData(own, { node: { id: ids.order }, nodes: all.map((id) => ({ id })) });
  });

  it('a malformed global id, or one of a type without ids, is null, not an error', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const bad = [
      'nope',
      '',
      b64('Order:not-a-uuid'),
      b64('Foo:1'),
      b64('PageInfo:1'),
      b64('Node:1'),
      b64('Error:x'),
      b64('Order'),
    ];
    const res = await t.gql(
      a.keys.admin,
      'query($id: ID!, $ids: [ID!]!) { node(id: $id) { id } nodes(ids: $ids) { id } }',
      {
        id: 'nope',
        ids: bad,
      },
    );
    expectData(res, { node: null, nodes: bad.map(() => null) });
  });

  it("B's writes with A's ids create B's own objects and leave A's untouched", async () => {
    const { created, order } = await upsertOrderOk(t, b.keys.admin, {
      externalId: 'A-1',
      customer: { externalId: 'cust', name: 'B buyer', optOut: true },
      items: [{ sku: 'SKU-1', name: 'B thing' }],
    });
    expect(created).toBe(true);
    expect(order.id).not.toBe(ids.order);
    expect(order.customer.id).not.toBe(ids.customer);
    const feed = await upsertProductsOk(t, b.keys.admin, [{ sku: 'SKU-1', name: 'B product' }]);
    expect(feed.createdCount).toBe(1);
    expect(feed.products[0].id).not.toBe(ids.product);
    const cancel = await t.gql(b.keys.admin, CANCEL_ORDER_ITEM, { input: { orderExternalId: 'A-1', sku: 'SKU-1' } });
    expect(cancel.body.data.cancelOrderItem.__typename).toBe('CancelOrderItemSuccess');

    const res = await t.gql(
      a.keys.admin,
      `{ order(externalId: "A-1") { id customer { id name optOut status } items { name cancelled } }
      product(sku: "SKU-1") { id name } }`,
    );
    expect(res.body.data).toEqual({
      order: {
        id: ids.order,
        customer: { id: ids.customer, name: 'A buyer', optOut: false, status: 'ACQUIRED' },
        items: [{ name: 'A thing', cancelled: false }],
      },
      product: { id: ids.product, name: 'A product' },
    });
  });
});
