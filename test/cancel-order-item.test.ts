// cancelOrderItem: stops review collection for one item; idempotent; clear NotFound errors.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { CANCEL_ORDER_ITEM, mutate, orderInput, rowCounts, upsertOrderOk } from './order-helpers.ts';

const t = useTestApp();

const items = [
  { sku: 'A', name: 'Apple', deliveryDate: '2026-05-01' },
  { sku: 'B', name: 'Banana', deliveryDate: '2026-05-01' },
];

async function cancel(key: string, orderExternalId: string, sku: string) {
  return mutate(t, key, CANCEL_ORDER_ITEM, { orderExternalId, sku });
}

async function cancelledAt(orderExternalId: string, sku: string) {
  const item = await t.db.orderItem.findFirstOrThrow({ where: { sku, order: { externalId: orderExternalId } } });
  return item.cancelledAt;
}

describe('cancelOrderItem', () => {
  it('cancels one item; the others stay eligible; the order is marked updated', async () => {
    const { keys } = await t.newClient();
    const { order: before } = await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', items));
    await new Promise((r) => setTimeout(r, 15));
    const result = await cancel(keys.admin, 'o1', 'A');
    expect(result.__typename).toBe('CancelOrderItemSuccess');
    expect(result.item).toMatchObject({
      sku: 'A',
      name: 'Apple',
      cancelled: true,
      reviewable: true,
      reviewInvitationEligible: false,
    });
    expect(result.order.items.map((i: any) => [i.sku, i.cancelled, i.reviewInvitationEligible])).toEqual([
      ['A', true, false],
      ['B', false, true],
    ]);
    expect(Date.parse(result.order.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
  });

  it('is idempotent: a second call succeeds and keeps the first cancellation time', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', items));
    await cancel(keys.admin, 'o1', 'A');
    const first = await cancelledAt('o1', 'A');
    expect(first).toBeInstanceOf(Date);
    const again = await cancel(keys.admin, 'o1', 'A');
    expect(again.__typename).toBe('CancelOrderItemSuccess');
    expect(again.item).toMatchObject({ sku: 'A', cancelled: true });
    expect(await cancelledAt('o1', 'A')).toEqual(first);
  });

  it('stays cancelled when the order is upserted again, even with reviewable: true', async () => {
    const { keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', items));
    await cancel(keys.admin, 'o1', 'A');
    const { order } = await upsertOrderOk(
      t,
      keys.admin,
      orderInput('o1', 'c1', [{ sku: 'A', name: 'Apple 2', reviewable: true }]),
    );
    expect(order.items[0]).toMatchObject({
      sku: 'A',
      name: 'Apple 2',
      reviewable: true,
      cancelled: true,
      reviewInvitationEligible: false,
    });
  });

  it('an unknown order or sku is a NotFoundError and writes nothing', async () => {
    const { client, keys } = await t.newClient();
    await upsertOrderOk(t, keys.admin, orderInput('o1', 'c1', items));
    const before = await rowCounts(t);
    expect(await cancel(keys.admin, 'nope', 'A')).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: 'No order with externalId "nope".',
    });
    expect(await cancel(keys.admin, 'o1', 'Z')).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: 'Order "o1" has no item with sku "Z".',
    });
    expect(await rowCounts(t)).toEqual(before);
    expect(await t.db.orderItem.count({ where: { cancelledAt: { not: null }, order: { clientId: client.id } } })).toBe(
      0,
    );
  });

  it('invalid ids are a ValidationError', async () => {
    const { keys } = await t.newClient();
    const result = await cancel(keys.admin, '', 'x'.repeat(256));
    expect(result.__typename).toBe('ValidationError');
    expect(result.fieldErrors.map((e: any) => e.path)).toEqual([
      ['input', 'orderExternalId'],
      ['input', 'sku'],
    ]);
  });

  it("another client's order is not found", async () => {
    const a = await t.newClient();
    const b = await t.newClient();
    await upsertOrderOk(t, a.keys.admin, orderInput('shared-id', 'c1', items));
    expect(await cancel(b.keys.admin, 'shared-id', 'A')).toMatchObject({ __typename: 'NotFoundError' });
    expect(await cancelledAt('shared-id', 'A')).toBeNull();
  });
});
