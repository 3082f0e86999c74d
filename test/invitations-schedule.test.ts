// Review invitations follow the orders: every transition an order write or a policy change makes,
// in the transaction of that write, and the statements it costs.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import {
  CLAIM,
  claim,
  day,
  dueOf,
  invitationOf,
  invitationRows,
  markSent,
  newShop,
  order,
  settings,
  UPDATE_SETTINGS,
} from './invitation-helpers.ts';
import { CANCEL_ORDER_ITEM, mutate, orderInput } from './order-helpers.ts';

const t = useTestApp();

const cancel = async (key: string, orderExternalId: string, sku: string) => {
  const r = await mutate(t, key, CANCEL_ORDER_ITEM, { orderExternalId, sku });
  expect(r.__typename).toBe('CancelOrderItemSuccess');
};

const skus = (inv: { items: { orderItem: { sku: string } }[] } | null) => inv?.items.map((i) => i.orderItem.sku);

describe('an order gets its invitation', () => {
  it('when an item is delivered: due at the latest delivery + 7 days, expiring 30 days later; not before', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE' }, { sku: 'TENT' }]);
    expect(await invitationOf(t, keys.support, 'o1')).toBeNull();

    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-3) }]);
    const inv = await invitationOf(t, keys.support, 'o1');
    expect(inv).toMatchObject({
      status: 'SCHEDULED',
      skipReason: null,
      dueAt: dueOf(-3),
      expiresAt: dueOf(-3, 37),
      sentAt: null,
      claimedAt: null,
      customer: { externalId: 'ada', email: 'ada@example.com' },
      order: { externalId: 'o1' },
    });
    expect(skus(inv)).toEqual(['SHOE']);
  });

  it('a later delivery date moves it; a new eligible item joins it and moves it to its own date', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-5) }]);
    const first = await invitationOf(t, keys.support, 'o1');
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-2) }]);
    const moved = await invitationOf(t, keys.support, 'o1');
    expect(moved).toMatchObject({ id: first!.id, status: 'SCHEDULED', dueAt: dueOf(-2) });

    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'TENT', deliveryDate: day(1) }, { sku: 'MUG' }]);
    const joined = await invitationOf(t, keys.support, 'o1');
    expect(joined).toMatchObject({ id: first!.id, dueAt: dueOf(1) });
    // MUG has no delivery date: not eligible, not part of it.
    expect(skus(joined)).toEqual(['SHOE', 'TENT'].sort());
  });

  it('items outside the feed without a name, or sent reviewable: false, are not eligible', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [
      { sku: 'BARE', deliveryDate: day(-1) },
      { sku: 'SHOE', deliveryDate: day(-1), reviewable: false },
    ]);
    expect(await invitationOf(t, keys.support, 'o1')).toBeNull();
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'BARE', name: 'Named thing' }]);
    expect(skus(await invitationOf(t, keys.support, 'o1'))).toEqual(['BARE']);
  });
});

describe('cancelling, opting out, e-mail and policy skip it; undoing the cause schedules it again', () => {
  it('a cancelled item leaves it; cancelling the last one skips it (ITEMS_CANCELLED)', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [
      { sku: 'SHOE', deliveryDate: day(-4) },
      { sku: 'TENT', deliveryDate: day(-2) },
    ]);
    await cancel(keys.admin, 'o1', 'TENT');
    const one = await invitationOf(t, keys.support, 'o1');
    expect(one).toMatchObject({ status: 'SCHEDULED', dueAt: dueOf(-4) });
    expect(skus(one)).toEqual(['SHOE']);

    await cancel(keys.admin, 'o1', 'SHOE');
    const none = await invitationOf(t, keys.support, 'o1');
    expect(none).toMatchObject({ id: one!.id, status: 'SKIPPED', skipReason: 'ITEMS_CANCELLED', dueAt: dueOf(-4) });
    expect(none!.items).toEqual([]);
    // A new eligible item brings it back.
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'MUG', deliveryDate: day(-1) }]);
    expect(await invitationOf(t, keys.support, 'o1')).toMatchObject({ status: 'SCHEDULED', dueAt: dueOf(-1) });
  });

  it('opting out skips every open invitation of the customer, also of orders not in the request; opting in again restores them', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-3) }]);
    await order(t, keys.admin, 'o2', 'ada', [{ sku: 'TENT', deliveryDate: day(-3) }]);
    await order(t, keys.admin, 'o3', { externalId: 'ada', optOut: true }, []);
    for (const o of ['o1', 'o2']) {
      expect(await invitationOf(t, keys.support, o)).toMatchObject({ status: 'SKIPPED', skipReason: 'OPTED_OUT' });
    }
    // A new order of an opted-out customer is skipped from the start.
    await order(t, keys.admin, 'o4', { externalId: 'ada' }, [{ sku: 'MUG', deliveryDate: day(-3) }]);
    expect(await invitationOf(t, keys.support, 'o4')).toMatchObject({ status: 'SKIPPED', skipReason: 'OPTED_OUT' });

    await order(t, keys.admin, 'o3', { externalId: 'ada', optOut: false }, []);
    for (const o of ['o1', 'o2', 'o4']) {
      expect(await invitationOf(t, keys.support, o)).toMatchObject({ status: 'SCHEDULED', skipReason: null });
    }
  });

  it('a customer without an e-mail is skipped (NO_EMAIL) until one is given', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', { externalId: 'bo' }, [{ sku: 'SHOE', deliveryDate: day(-3) }]);
    expect(await invitationOf(t, keys.support, 'o1')).toMatchObject({ status: 'SKIPPED', skipReason: 'NO_EMAIL' });
    await order(t, keys.admin, 'o2', { externalId: 'bo', email: 'bo@example.com' }, []);
    expect(await invitationOf(t, keys.support, 'o1')).toMatchObject({ status: 'SCHEDULED', skipReason: null });
  });

  it('policy off skips open invitations (POLICY_OFF) and new ones; on again schedules them; a new delay moves them', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-3) }]);
    expect(await settings(t, keys.admin, { enabled: false })).toMatchObject({
      rescheduledCount: 1,
      settings: { enabled: false, delayDays: 7, expiryDays: 30, frequencyCapDays: 0 },
    });
    await order(t, keys.admin, 'o2', 'bo', [{ sku: 'TENT', deliveryDate: day(-3) }]);
    for (const o of ['o1', 'o2']) {
      expect(await invitationOf(t, keys.support, o)).toMatchObject({ status: 'SKIPPED', skipReason: 'POLICY_OFF' });
    }
    expect((await claim(t, keys.admin, 10)).invitations).toEqual([]);

    expect(await settings(t, keys.admin, { enabled: true, delayDays: 0 })).toMatchObject({ rescheduledCount: 2 });
    for (const o of ['o1', 'o2']) {
      expect(await invitationOf(t, keys.support, o)).toMatchObject({
        status: 'SCHEDULED',
        dueAt: dueOf(-3, 0),
        expiresAt: dueOf(-3, 30),
      });
    }
    const read = await t.gql(
      keys.support,
      '{ viewer { client { reviewInvitationSettings { enabled delayDays expiryDays frequencyCapDays } } } }',
    );
    expect(read.body.data.viewer.client.reviewInvitationSettings).toEqual({
      enabled: true,
      delayDays: 0,
      expiryDays: 30,
      frequencyCapDays: 0,
    });
  });
});

describe('what an order write no longer changes', () => {
  it('an order delivered longer ago than delay + expiry is EXPIRED from the start and stays so', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'old', 'ada', [{ sku: 'SHOE', deliveryDate: day(-40) }]);
    expect(await invitationOf(t, keys.support, 'old')).toMatchObject({ status: 'EXPIRED', dueAt: dueOf(-40) });
    await order(t, keys.admin, 'old', 'ada', [{ sku: 'TENT', deliveryDate: day(-1) }]);
    expect(await invitationOf(t, keys.support, 'old')).toMatchObject({ status: 'EXPIRED', dueAt: dueOf(-40) });
  });

  it('a sent invitation keeps its items and dates: a new item, a later date or a cancellation do not touch it', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const [inv] = (await claim(t, keys.admin, 10)).invitations;
    expect((await markSent(t, keys.admin, [inv.id])).__typename).toBe('MarkReviewInvitationsSentSuccess');
    const sent = await invitationOf(t, keys.support, 'o1');
    await order(t, keys.admin, 'o1', { externalId: 'ada', optOut: true }, [
      { sku: 'SHOE', deliveryDate: day(-2) },
      { sku: 'TENT', deliveryDate: day(-1) },
    ]);
    await cancel(keys.admin, 'o1', 'SHOE');
    expect(await invitationOf(t, keys.support, 'o1')).toEqual(sent);
    expect(sent).toMatchObject({ status: 'SENT', dueAt: dueOf(-8) });
  });
});

describe('the policy', () => {
  it('out-of-bounds values are a ValidationError naming each, and change nothing', async () => {
    const { clientId, keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-3) }]);
    const before = await invitationRows(t, clientId);
    const r = await mutate(t, keys.admin, UPDATE_SETTINGS, {
      enabled: false,
      delayDays: 91,
      expiryDays: 0,
      frequencyCapDays: -1,
    });
    expect(r.__typename).toBe('ValidationError');
    expect(r.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual([
      'input.delayDays',
      'input.expiryDays',
      'input.frequencyCapDays',
    ]);
    expect(r.fieldErrors[0].message).toBe('must be a whole number of days from 0 to 90');
    expect(await invitationRows(t, clientId)).toEqual(before);
    const client = await t.db.client.findUniqueOrThrow({ where: { id: clientId } });
    expect(client).toMatchObject({ invitationsEnabled: true, invitationDelayDays: 7 });
  });

  it('SUPPORT and STOREFRONT keys may not change it; a STOREFRONT key may not read it', async () => {
    const { keys } = await newShop(t);
    for (const key of [keys.support, keys.storefront]) {
      const res = await t.gql(key, UPDATE_SETTINGS, { input: { enabled: false } });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const read = await t.gql(keys.storefront, '{ viewer { client { slug reviewInvitationSettings { enabled } } } }');
    expect(read.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    for (const key of [keys.storefront, keys.support]) {
      const res = await t.gql(key, CLAIM, { input: { limit: 1 } });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('statement count', () => {
  const isInvitationStatement = (s: string) => /review_invitation/.test(s);

  it('upsertOrders with invitations: 10 and 100 orders take the same statements, at most 2 of them for invitations', async () => {
    const { keys } = await newShop(t);
    const batch = (prefix: string, n: number, deliveryDay: number) =>
      Array.from({ length: n }, (_, k) =>
        orderInput(`${prefix}-${k}`, `c-${k % 7}`, [
          { sku: 'SHOE', deliveryDate: day(deliveryDay) },
          { sku: 'TENT' },
          { sku: `X-${k}`, name: 'Other', deliveryDate: day(deliveryDay) },
        ]),
      );
    const count = async (orders: unknown[]) => {
      t.resetStatements();
      const r = await mutate(
        t,
        keys.admin,
        'mutation($input: UpsertOrdersInput!) { upsertOrders(input: $input) { __typename } }',
        {
          orders,
        },
      );
      expect(r.__typename).toBe('UpsertOrdersSuccess');
      return { all: t.statements.length, invitations: t.statements.filter(isInvitationStatement).length };
    };
    const created = [await count(batch('s', 10, -3)), await count(batch('l', 100, -3))];
    const moved = [await count(batch('s', 10, -1)), await count(batch('l', 100, -1))];
    expect(created[1]).toEqual(created[0]);
    expect(moved[1]).toEqual(moved[0]);
    for (const c of [...created, ...moved]) expect(c.invitations).toBeLessThanOrEqual(2);
    // Without the invitations, what the batch took before: key, customers, orders, [stored items],
    // feed, item write, read-back, COMMIT.
    expect(created[0].all - created[0].invitations).toBeLessThanOrEqual(7);
    expect(moved[0].all - moved[0].invitations).toBeLessThanOrEqual(8);
    const rows = await t.db.reviewInvitation.findMany({ where: { order: { externalId: { startsWith: 'l-' } } } });
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.dueAt.toISOString()))).toEqual(new Set([dueOf(-1)]));
  });

  it('upsertOrder and cancelOrderItem take one statement more for invitations, whatever the number of items', async () => {
    const { keys } = await newShop(t);
    const items = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ sku: `s${i}`, name: `I${i}`, deliveryDate: day(-2) }));
    const count = async (externalId: string, n: number) => {
      t.resetStatements();
      await order(t, keys.admin, externalId, 'ada', items(n));
      return t.statements.filter(isInvitationStatement).length;
    };
    expect([await count('small', 3), await count('large', 300)]).toEqual([1, 1]);
    t.resetStatements();
    await cancel(keys.admin, 'large', 's7');
    expect(t.statements.filter(isInvitationStatement)).toHaveLength(1);
    expect((await invitationOf(t, keys.support, 'large'))!.items).toHaveLength(299);
  });
});

describe('a failed write changes no invitation', () => {
  it('a batch with an invalid order writes neither orders nor invitations', async () => {
    const { clientId, keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-3) }]);
    const before = await invitationRows(t, clientId);
    const r = await mutate(
      t,
      keys.admin,
      'mutation($input: UpsertOrdersInput!) { upsertOrders(input: $input) { __typename } }',
      {
        orders: [
          orderInput('o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-1) }]),
          orderInput('o2', 'bo', [{ sku: '', deliveryDate: day(-1) }]),
        ],
      },
    );
    expect(r.__typename).toBe('ValidationError');
    expect(await invitationRows(t, clientId)).toEqual(before);
  });
});
