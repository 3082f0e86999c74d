import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

describe('smoke', () => {
  it('upserts and reads an order', async () => {
    const { keys } = await t.newClient();
    const res = await t.gql(keys.admin, `mutation($input: UpsertOrderInput!) { upsertOrder(input: $input) {
      __typename ... on UpsertOrderSuccess { created order { id externalId customer { email status } items { sku name reviewable reviewInvitationEligible deliveryDate } } }
      ... on Error { message code } } }`, { input: { externalId: 'o1', customer: { externalId: 'c1', email: 'A@B.com' }, items: [{ sku: 's1', name: 'Shoe', deliveryDate: '2026-11-01' }] } });
    expect(res.status).toBe(200);
  });
});
