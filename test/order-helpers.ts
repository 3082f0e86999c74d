// GraphQL documents and small helpers shared by the order, product and tenancy tests.
import { expect } from 'vitest';
import type { TestContext } from './helpers.ts';

export const ITEM_FIELDS = `sku familyId name category url imageUrl properties deliveryDate reviewable cancelled
  reviewInvitationEligible createdAt updatedAt`;
export const CUSTOMER_FIELDS = 'id externalId name email optOut status';
export const ORDER_FIELDS = `id externalId createdAt updatedAt customer { ${CUSTOMER_FIELDS} } items { ${ITEM_FIELDS} }`;

/** A mutation document returning its result union: the success fields, or the error's fields. */
function mutationDocument(field: string, inputType: string, successFields: string) {
  const Name = field[0].toUpperCase() + field.slice(1);
  return `mutation ${Name}($input: ${inputType}!) {
  ${field}(input: $input) {
    __typename
    ... on ${Name}Success { ${successFields} }
    ... on Error { message code }
    ... on ValidationError { fieldErrors { path message } }
  }
}`;
}

export const UPSERT_ORDER = mutationDocument('upsertOrder', 'UpsertOrderInput', `created order { ${ORDER_FIELDS} }`);
export const CANCEL_ORDER_ITEM = mutationDocument(
  'cancelOrderItem',
  'CancelOrderItemInput',
  `order { ${ORDER_FIELDS} } item { ${ITEM_FIELDS} }`,
);
export const UPSERT_PRODUCTS = mutationDocument(
  'upsertProducts',
  'UpsertProductsInput',
  'createdCount updatedCount products { id sku familyId name category url imageUrl properties }',
);

/** Runs a mutation that must not fail at the GraphQL level; returns its result (the union member). */
export async function mutate(t: TestContext, key: string, document: string, input: unknown) {
  const res = await t.gql(key, document, { input });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  const data = res.body.data as Record<string, any>;
  return Object.values(data)[0];
}

/** upsertOrder that must succeed; returns `{ created, order }`. */
export async function upsertOrderOk(t: TestContext, key: string, input: unknown) {
  const result = await mutate(t, key, UPSERT_ORDER, input);
  expect(result.__typename, JSON.stringify(result)).toBe('UpsertOrderSuccess');
  return result as { created: boolean; order: any };
}

/** upsertProducts that must succeed. */
export async function upsertProductsOk(t: TestContext, key: string, products: unknown[]) {
  const result = await mutate(t, key, UPSERT_PRODUCTS, { products });
  expect(result.__typename, JSON.stringify(result)).toBe('UpsertProductsSuccess');
  return result as { createdCount: number; updatedCount: number; products: any[] };
}

/** Row counts of every table the order and product mutations write. */
export async function rowCounts(t: TestContext) {
  const [customers, orders, orderItems, products] = await Promise.all([
    t.db.customer.count(),
    t.db.order.count(),
    t.db.orderItem.count(),
    t.db.product.count(),
  ]);
  return { customers, orders, orderItems, products };
}

/** A minimal valid order input. */
export function orderInput(externalId: string, customerExternalId: string, items: Record<string, unknown>[] = []) {
  return { externalId, customer: { externalId: customerExternalId }, items };
}

/** The response has no errors and exactly this data (response `extensions`, e.g. cost, are ignored). */
export function expectData(res: { body: { data?: unknown; errors?: unknown } }, data: unknown) {
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.body.data).toEqual(data);
}
