// upsertOrder follows DESIGN section 6 (Orders) exactly, through the HTTP API.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { CANCEL_ORDER_ITEM, mutate, orderInput, upsertOrderOk, upsertProductsOk } from './order-helpers.ts';

const t = useTestApp();

const bySku = (order: { items: { sku: string }[] }) =>
  Object.fromEntries(order.items.map((i) => [i.sku, i])) as Record<string, any>;

const FULL_ITEM = {
  sku: 'S1',
  familyId: 'F1',
  name: 'Trail shoe',
  category: 'Shoes',
  url: 'https://shop.example.com/p/s1',
  imageUrl: 'https://cdn.example.com/s1.jpg',
  properties: { colour: 'red', size: '42' },
  deliveryDate: '2026-11-01',
};

describe('create or update by externalId', () => {
  it('creates a new order, then updates the same one', async () => {
    const { client, keys } = await t.newClient();
    const first = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple' }]));
    expect(first.created).toBe(true);
    expect(first.order.externalId).toBe('o1');
    expect(first.order.customer.externalId).toBe('c1');
    const second = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple v2' }]));
    expect(second.created).toBe(false);
    expect(second.order.id).toBe(first.order.id);
    expect(second.order.createdAt).toBe(first.order.createdAt);
    expect(second.order.items.map((i: any) => [i.sku, i.name])).toEqual([['A', 'Apple v2']]);
    expect(await t.db.order.count({ where: { clientId: client.id } })).toBe(1);
  });

  it('never deletes items: items not sent are kept, in the order first sent', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [
        { sku: 'A', name: 'Apple' },
        { sku: 'B', name: 'Banana' },
      ]),
    );
    const { order } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'C', name: 'Cherry' }]));
    expect(order.items.map((i: any) => i.sku)).toEqual(['A', 'B', 'C']);
    const { order: again } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', []));
    expect(again.items.map((i: any) => i.sku)).toEqual(['A', 'B', 'C']);
  });

  it('an order without items can be created and items added later', async () => {
    const { keys } = await t.newClient();
    const { order, created } = await upsertOrderOk(t, keys.admin, { externalId: 'o1', customer: { externalId: 'c1' } });
    expect(created).toBe(true);
    expect(order.items).toEqual([]);
  });

  it('updatedAt moves when an item changes and stays when nothing changes', async () => {
    const { keys } = await t.newClient();
    const a = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple' }]));
    await new Promise((r) => setTimeout(r, 15));
    const same = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple' }]));
    expect(same.order.updatedAt).toBe(a.order.updatedAt);
    const changed = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple v2' }]));
    expect(Date.parse(changed.order.updatedAt)).toBeGreaterThan(Date.parse(a.order.updatedAt));
    expect(Date.parse(bySku(changed.order).A.updatedAt)).toBeGreaterThan(Date.parse(bySku(a.order).A.updatedAt));
  });
});

describe('fields not sent keep their stored value; sent fields replace; null clears', () => {
  it('{sku, reviewable:false} stops review collection without wiping any detail', async () => {
    const { keys } = await t.newClient();
    const { order: before } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [FULL_ITEM]));
    expect(bySku(before).S1).toMatchObject({ reviewable: true, reviewInvitationEligible: true });
    const { order } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'S1', reviewable: false }]));
    expect(bySku(order).S1).toMatchObject({
      ...FULL_ITEM,
      reviewable: false,
      cancelled: false,
      reviewInvitationEligible: false,
    });
  });

  it('a sent field replaces the stored one, the others stay', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [FULL_ITEM]));
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [{ sku: 'S1', category: 'Running', properties: { colour: 'blue' } }]),
    );
    expect(bySku(order).S1).toMatchObject({
      ...FULL_ITEM,
      category: 'Running',
      properties: { colour: 'blue' },
      reviewable: true,
    });
  });

  it('null clears a field', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [FULL_ITEM]));
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [
        { sku: 'S1', familyId: null, category: null, url: null, imageUrl: null, properties: null, deliveryDate: null },
      ]),
    );
    expect(bySku(order).S1).toMatchObject({
      name: 'Trail shoe',
      familyId: null,
      category: null,
      url: null,
      imageUrl: null,
      properties: null,
      deliveryDate: null,
      reviewable: true,
      reviewInvitationEligible: false,
    });
    // Clearing the name of an item outside the feed makes it not reviewable (derived again).
    const { order: nameless } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'S1', name: null }]));
    expect(bySku(nameless).S1).toMatchObject({ name: null, reviewable: false });
  });
});

describe('product feed fill-in', () => {
  const feedProduct = {
    sku: 'P1',
    familyId: 'FAM',
    name: 'Feed jacket',
    category: 'Jackets',
    url: 'https://shop.example.com/p1',
    imageUrl: 'https://cdn.example.com/p1.jpg',
    properties: { material: 'wool' },
  };

  it('an item in the feed takes the feed details it was sent without', async () => {
    const { keys } = await t.newClient();
    await upsertProductsOk(t, keys.admin, [feedProduct]);
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [{ sku: 'P1', deliveryDate: '2026-10-10' }]),
    );
    expect(bySku(order).P1).toMatchObject({
      ...feedProduct,
      deliveryDate: '2026-10-10',
      reviewable: true,
      reviewInvitationEligible: true,
    });
  });

  it('details sent in the request override the feed, field by field', async () => {
    const { keys } = await t.newClient();
    await upsertProductsOk(t, keys.admin, [feedProduct]);
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [{ sku: 'P1', name: 'Own name', category: null, properties: { material: 'cotton' } }]),
    );
    expect(bySku(order).P1).toMatchObject({
      ...feedProduct,
      name: 'Own name',
      category: null,
      properties: { material: 'cotton' },
      reviewable: true,
    });
  });

  it('an item outside the feed sent without a name is not reviewable; with a name it is', async () => {
    const { keys } = await t.newClient();
    await upsertProductsOk(t, keys.admin, [feedProduct]);
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [
        { sku: 'X-bare', deliveryDate: '2026-10-10', category: 'Misc' },
        { sku: 'X-named', name: 'Named thing', deliveryDate: '2026-10-10' },
        { sku: 'P1', deliveryDate: '2026-10-10' },
      ]),
    );
    const items = bySku(order);
    expect(items['X-bare']).toMatchObject({
      name: null,
      category: 'Misc',
      reviewable: false,
      reviewInvitationEligible: false,
    });
    expect(items['X-named']).toMatchObject({ name: 'Named thing', reviewable: true, reviewInvitationEligible: true });
    expect(items.P1).toMatchObject({ name: 'Feed jacket', reviewable: true, reviewInvitationEligible: true });
  });

  it('the item links to its feed product, or null outside the feed', async () => {
    const { keys } = await t.newClient();
    const { products } = await upsertProductsOk(t, keys.admin, [feedProduct]);
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'P1' }, { sku: 'X', name: 'x' }]));
    const res = await t.gql(keys.admin, '{ order(externalId: "o1") { items { sku product { id sku name } } } }');
    expect(res.body.data.order.items).toEqual([
      { sku: 'P1', product: { id: products[0].id, sku: 'P1', name: 'Feed jacket' } },
      { sku: 'X', product: null },
    ]);
  });
});

describe('explicit reviewable wins both ways', () => {
  it('true enables an item outside the feed without a name; the choice sticks until null', async () => {
    const { keys } = await t.newClient();
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [{ sku: 'X', reviewable: true, deliveryDate: '2026-01-02' }]),
    );
    expect(bySku(order).X).toMatchObject({ name: null, reviewable: true, reviewInvitationEligible: true });
    const { order: kept } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'X', category: 'C' }]));
    expect(bySku(kept).X).toMatchObject({ reviewable: true, category: 'C' });
    const { order: derived } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [{ sku: 'X', reviewable: null }]),
    );
    expect(bySku(derived).X).toMatchObject({ reviewable: false });
  });

  it('false disables an item in the feed and one with a name; the choice sticks', async () => {
    const { keys } = await t.newClient();
    await upsertProductsOk(t, keys.admin, [{ sku: 'P1', name: 'Feed thing' }]);
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [
        { sku: 'P1', reviewable: false, deliveryDate: '2026-01-02' },
        { sku: 'N', name: 'Named', reviewable: false, deliveryDate: '2026-01-02' },
      ]),
    );
    expect(bySku(order).P1).toMatchObject({ name: 'Feed thing', reviewable: false, reviewInvitationEligible: false });
    expect(bySku(order).N).toMatchObject({ name: 'Named', reviewable: false, reviewInvitationEligible: false });
    const { order: kept } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', [{ sku: 'N', name: 'Renamed' }]));
    expect(bySku(kept).N).toMatchObject({ name: 'Renamed', reviewable: false });
  });
});

describe('reviewInvitationEligible: reviewable, not cancelled, delivered, customer not opted out', () => {
  const base = { name: 'Thing', deliveryDate: '2026-03-04' };

  it('is true only when all four hold, and false when any one fails', async () => {
    const { keys } = await t.newClient();
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [
        { sku: 'ok', ...base },
        { sku: 'not-reviewable', ...base, reviewable: false },
        { sku: 'cancelled', ...base },
        { sku: 'undelivered', name: 'Thing' },
      ]),
    );
    const cancel = await mutate(t, keys.admin, CANCEL_ORDER_ITEM, { orderExternalId: 'o1', sku: 'cancelled' });
    expect(cancel.__typename).toBe('CancelOrderItemSuccess');
    const eligibility = (o: any) => Object.fromEntries(o.items.map((i: any) => [i.sku, i.reviewInvitationEligible]));
    expect(eligibility(order)).toEqual({ ok: true, 'not-reviewable': false, cancelled: true, undelivered: false });
    expect(eligibility(cancel.order)).toEqual({
      ok: true,
      'not-reviewable': false,
      cancelled: false,
      undelivered: false,
    });

    // The customer opts out: nothing of theirs is eligible any more; opting back in restores it.
    const { order: optedOut } = await upsertOrderOk(t, keys.admin, {
      externalId: 'o1',
      customer: { externalId: 'c1', optOut: true },
    });
    expect(eligibility(optedOut)).toEqual({ ok: false, 'not-reviewable': false, cancelled: false, undelivered: false });
    const { order: back } = await upsertOrderOk(t, keys.admin, {
      externalId: 'o1',
      customer: { externalId: 'c1', optOut: false },
    });
    expect(eligibility(back)).toEqual({ ok: true, 'not-reviewable': false, cancelled: false, undelivered: false });
  });
});

describe('customer upsert', () => {
  it('writes name, e-mail and optOut only when sent; null clears; e-mail is normalized', async () => {
    const { client, keys } = await t.newClient();
    const { order: o1 } = await upsertOrderOk(t, keys.admin, {
      externalId: 'o1',
      customer: { externalId: 'c1', name: 'Ada Lovelace', email: '  Ada.Lovelace@Example.COM ', optOut: true },
    });
    expect(o1.customer).toMatchObject({
      externalId: 'c1',
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      optOut: true,
    });

    const { order: o2 } = await upsertOrderOk(t, keys.admin, { externalId: 'o2', customer: { externalId: 'c1' } });
    expect(o2.customer).toMatchObject({
      id: o1.customer.id,
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      optOut: true,
    });

    const { order: o3 } = await upsertOrderOk(t, keys.admin, {
      externalId: 'o3',
      customer: { externalId: 'c1', name: 'Ada King' },
    });
    expect(o3.customer).toMatchObject({ name: 'Ada King', email: 'ada.lovelace@example.com', optOut: true });

    const { order: o4 } = await upsertOrderOk(t, keys.admin, {
      externalId: 'o4',
      customer: { externalId: 'c1', email: null, optOut: false },
    });
    expect(o4.customer).toMatchObject({ name: 'Ada King', email: null, optOut: false });

    expect(await t.db.customer.count({ where: { clientId: client.id } })).toBe(1);
  });

  it('a new customer defaults to no name, no e-mail and not opted out', async () => {
    const { keys } = await t.newClient();
    const { order } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'fresh'));
    expect(order.customer).toMatchObject({ externalId: 'fresh', name: null, email: null, optOut: false });
  });

  it('status is PROSPECT without orders, ACQUIRED with one, REPEAT with two or more', async () => {
    const { keys } = await t.newClient();
    const status = async (externalId: string) =>
      (
        await t.gql(keys.admin, 'query($e: String!) { customer(externalId: $e) { status orders { totalCount } } }', {
          e: externalId,
        })
      ).body.data.customer;
    const { order } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1'));
    expect(order.customer.status).toBe('ACQUIRED');
    const { order: second } = await upsertOrderOk(t, keys.admin, orderInput('o2', 'c1'));
    expect(second.customer.status).toBe('REPEAT');
    expect(await status('c1')).toEqual({ status: 'REPEAT', orders: { totalCount: 2 } });

    // Re-sending an order under another customer moves it; the first customer keeps one order.
    const { order: moved } = await upsertOrderOk(t, keys.admin, orderInput('o2', 'c2'));
    expect(moved.customer).toMatchObject({ externalId: 'c2', status: 'ACQUIRED' });
    expect(await status('c1')).toEqual({ status: 'ACQUIRED', orders: { totalCount: 1 } });
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c2'));
    expect(await status('c1')).toEqual({ status: 'PROSPECT', orders: { totalCount: 0 } });
    expect(await status('c2')).toEqual({ status: 'REPEAT', orders: { totalCount: 2 } });
  });
});

describe('statement count', () => {
  it('creating or changing 1000 items takes as many SQL statements as 10', async () => {
    const { keys } = await t.newClient();
    const items = (n: number, version: string) =>
      Array.from({ length: n }, (_, i) => ({ sku: `s${i}`, name: `Item ${i} ${version}` }));
    const count = async (externalId: string, list: unknown[]) => {
      t.resetStatements();
      await upsertOrderOk(t, keys.admin, { externalId, customer: { externalId: 'c' }, items: list });
      return t.statements.length;
    };
    const created = [await count('small', items(10, 'v1')), await count('large', items(1000, 'v1'))];
    const changed = [await count('small', items(10, 'v2')), await count('large', items(1000, 'v2'))];
    expect(created[1]).toBe(created[0]);
    expect(changed[1]).toBe(changed[0]);
    const { order } = await upsertOrderOk(t, keys.admin, orderInput('large', 'c'));
    expect(order.items).toHaveLength(1000);
    expect(order.items[999]).toMatchObject({ sku: 's999', name: 'Item 999 v2' });
  });
});
