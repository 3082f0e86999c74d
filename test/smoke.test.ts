import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

describe('smoke', () => {
  it('upserts and reads an order', async () => {
    const { keys } = await t.newClient();
    const res = await t.gql(
      keys.admin,
      `mutation($input: UpsertOrderInput!) { upsertOrder(input: $input) {
      __typename ... on UpsertOrderSuccess { created order { id externalId customer { email status } items { sku name reviewable reviewInvitationEligible deliveryDate } } }
      ... on Error { message code } } }`,
      {
        input: {
          externalId: 'o1',
          customer: { externalId: 'c1', email: 'A@B.com' },
          items: [{ sku: 's1', name: 'Shoe', deliveryDate: '2026-11-01' }],
        },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.upsertOrder).toMatchObject({
      __typename: 'UpsertOrderSuccess',
      created: true,
      order: {
        externalId: 'o1',
        customer: { email: 'a@b.com', status: 'ACQUIRED' },
        items: [
          { sku: 's1', name: 'Shoe', reviewable: true, reviewInvitationEligible: true, deliveryDate: '2026-11-01' },
        ],
      },
    });
    const read = await t.gql(keys.support, `query($id: ID!) { node(id: $id) { ... on Order { externalId } } }`, {
      id: res.body.data.upsertOrder.order.id,
    });
    expect(read.body.data).toEqual({ node: { externalId: 'o1' } });
  });
});
