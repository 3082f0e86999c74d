// Review invitations and their links are personal data: personalData lists them, a dry run and
// the proof of an erasure count them, an erasure deletes them and their links stop working.
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { claim, day, invitationOf, newShop, order, submitWithToken } from './invitation-helpers.ts';
import { eraseOk } from './privacy-helpers.ts';

const t = useTestApp();

const LOOKUP = `query($subject: PersonalDataSubject!) { personalData(subject: $subject) {
  customers { externalId }
  reviewInvitations { status order { externalId } customer { externalId } items { orderItem { sku } linkUsedAt } } } }`;

describe('review invitations in a privacy request', () => {
  it('are listed, counted by the dry run, erased with the person (links stop working), and nobody else’s go', async () => {
    const { clientId, keys } = await newShop(t);
    await order(t, keys.admin, 'a1', 'ada', [
      { sku: 'SHOE', deliveryDate: day(-8) },
      { sku: 'TENT', deliveryDate: day(-8) },
    ]);
    await order(t, keys.admin, 'a2', 'ada', [{ sku: 'MUG', deliveryDate: day(-1) }]);
    await order(t, keys.admin, 'b1', 'bo', [{ sku: 'MUG', deliveryDate: day(-8) }]);
    const claimed = await claim(t, keys.admin, 10);
    const links = Object.fromEntries(
      claimed.invitations.flatMap((i) =>
        i.items.map((x) => [`${i.order.externalId}:${x.orderItem.sku}`, x.reviewToken!]),
      ),
    );
    expect((await submitWithToken(t, keys.storefront, links['a1:SHOE'])).__typename).toBe('SubmitReviewSuccess');

    const res = await t.gql(keys.support, LOOKUP, { subject: { email: 'ADA@example.com' } });
    expect(res.body.errors).toBeUndefined();
    const lookup = res.body.data.personalData;
    expect(lookup.reviewInvitations).toEqual([
      {
        status: 'SCHEDULED',
        order: { externalId: 'a1' },
        customer: { externalId: 'ada' },
        items: expect.arrayContaining([
          { orderItem: { sku: 'SHOE' }, linkUsedAt: expect.any(String) },
          { orderItem: { sku: 'TENT' }, linkUsedAt: null },
        ]),
      },
      {
        status: 'SCHEDULED',
        order: { externalId: 'a2' },
        customer: { externalId: 'ada' },
        items: [{ orderItem: { sku: 'MUG' }, linkUsedAt: null }],
      },
    ]);

    const dry = await eraseOk(t, keys.admin, { customerExternalId: 'ada' }, true);
    expect(dry.counts).toMatchObject({ orders: 2, orderItems: 3, reviews: 1, reviewInvitations: 2 });
    expect(await t.db.reviewInvitation.count({ where: { clientId } })).toBe(3);

    const erased = await eraseOk(t, keys.admin, { customerExternalId: 'ada' });
    expect(erased).toMatchObject({ status: 'SUCCEEDED', remaining: 0, counts: { reviewInvitations: 2, reviews: 1 } });
    const after = await t.gql(keys.support, LOOKUP, { subject: { email: 'ada@example.com' } });
    expect(after.body.data.personalData).toEqual({ customers: [], reviewInvitations: [] });
    expect(await t.db.reviewInvitationItem.count({ where: { invitation: { clientId } } })).toBe(1);

    // Ada's unused link now fails like any invalid one; Bo's invitation and link are untouched.
    const dead = await submitWithToken(t, keys.storefront, links['a1:TENT']);
    expect(dead).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'reviewToken'] }] });
    expect(await invitationOf(t, keys.support, 'b1')).toMatchObject({
      status: 'SCHEDULED',
      customer: { externalId: 'bo' },
    });
    expect((await submitWithToken(t, keys.storefront, links['b1:MUG'])).__typename).toBe('SubmitReviewSuccess');
  });
});
