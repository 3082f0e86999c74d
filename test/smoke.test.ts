import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

// Documents in graphql(`...`) are typed by `npm run codegen` (test/gql/): t.gql then checks the
// variables and types the data.
const UpsertOrder = graphql(`
  mutation SmokeUpsertOrder($input: UpsertOrderInput!) {
    upsertOrder(input: $input) {
      __typename
      ... on UpsertOrderSuccess {
        created
        order { id externalId customer { email status } items { sku name reviewable reviewInvitationEligible deliveryDate } }
      }
      ... on Error { message code }
    }
  }
`);

const OrderById = graphql(`
  query SmokeOrderById($id: ID!) { node(id: $id) { ... on Order { externalId } } }
`);

describe('smoke', () => {
  it('upserts and reads an order', async () => {
    const { keys } = await t.newClient();
    const res = await t.gql(keys.admin, UpsertOrder, {
      input: {
        externalId: 'o1',
        customer: { externalId: 'c1', email: 'A@B.com' },
        items: [{ sku: 's1', name: 'Shoe', deliveryDate: '2026-11-01' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const upserted = res.body.data!.upsertOrder;
    expect(upserted).toMatchObject({
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
    if (upserted.__typename !== 'UpsertOrderSuccess')
      throw new Error(`expected UpsertOrderSuccess, got ${upserted.__typename}`);
    const read = await t.gql(keys.support, OrderById, { id: upserted.order.id });
    expect(read.body.data).toEqual({ node: { externalId: 'o1' } });
  });
});
