// The GraphQL documents of the workloads, and the request bodies made from the samples. The
// ceiling server (baseline/server.ts) answers ProductPage and OrderSync with the same JSON.
import type { OrderSample, Samples } from './seed.ts';

export const PRODUCT_PAGE = /* GraphQL */ `query ProductPage($sku: String!) {
  product(sku: $sku) {
    id sku name familyId category url imageUrl
    familyRatingSummary { average count histogram }
    reviews(first: 10) {
      pageInfo { hasNextPage endCursor }
      nodes { id rating title content authorNick verified createdAt }
    }
    questions(first: 5, answered: true) {
      pageInfo { hasNextPage endCursor }
      nodes { id title content authorNick answer answeredAt createdAt }
    }
  }
}`;

export const ORDER_SYNC = /* GraphQL */ `query OrderSync($after: String) {
  orders(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id externalId createdAt updatedAt
      customer { id externalId name email optOut }
      itemCount items(first: 50) { sku familyId name category url imageUrl properties deliveryDate reviewable cancelled }
    }
  }
}`;

export const UPSERT_ORDER = /* GraphQL */ `mutation Ingest($input: UpsertOrderInput!) {
  upsertOrder(input: $input) {
    __typename
    ... on UpsertOrderSuccess { created order { id externalId updatedAt items { sku reviewable deliveryDate } } }
    ... on Error { message code }
  }
}`;

export const PERSONAL_DATA = /* GraphQL */ `query PersonalData($email: EmailAddress!) {
  personalData(subject: { email: $email }) {
    customers {
      id externalId name email optOut createdAt
      orders(first: 5) { nodes { externalId createdAt itemCount items(first: 10) { sku name } } }
    }
    reviews { id productSku rating title content authorNick authorEmail status createdAt }
    questions { id productSku title content authorNick authorEmail answer status createdAt }
    sellerReviews { id rating title content authorNick authorEmail status createdAt }
  }
}`;

export const ERASE = /* GraphQL */ `mutation Erase($email: EmailAddress!) {
  erasePersonalData(input: { subject: { email: $email } }) {
    __typename
    ... on ErasePersonalDataSuccess {
      erasureRequest { status counts { customers orders orderItems reviews questions sellerReviews } }
    }
    ... on Error { message code }
  }
}`;

export const body = (query: string, operationName: string, variables: Record<string, unknown>) =>
  JSON.stringify({ query, operationName, variables });

/** A random element (Math.random: the load generator's own spread, not reproducible). */
export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

export const productPageBody = (samples: Samples) => body(PRODUCT_PAGE, 'ProductPage', { sku: pick(samples.skus) });
export const orderSyncBody = (samples: Samples) => body(ORDER_SYNC, 'OrderSync', { after: pick(samples.orderCursors) });
export const personalDataBody = (samples: Samples) =>
  body(PERSONAL_DATA, 'PersonalData', { email: pick(samples.emails) });
export const eraseBody = (email: string) => body(ERASE, 'Erase', { email });

const day = (offset: number) => new Date(Date.UTC(2026, 0, 1) + (offset % 300) * 86_400_000).toISOString().slice(0, 10);

export const UPSERT_ORDERS = /* GraphQL */ `mutation IngestBatch($input: UpsertOrdersInput!) {
  upsertOrders(input: $input) {
    __typename
    ... on UpsertOrdersSuccess { createdCount updatedCount results { created order { id externalId updatedAt } } }
    ... on Error { message code }
  }
}`;

/** Orders per upsertOrders call in the batch ingest workload (a shop's sync job sends pages). */
export const INGEST_BATCH = 100;

/**
 * upsertOrder bodies, half new orders (3 items from the feed, half of them for a returning
 * customer) and half updates of existing orders (their 3 first items get a new delivery date,
 * as when a shop reports the delivery).
 */
/** The `input` of one upsertOrder: see ingestBodies. */
function ingestOrders(samples: Samples, runTag: string) {
  let seq = 0;
  return () => {
    seq++;
    if (seq % 2 === 0) {
      const order: OrderSample = pick(samples.orders);
      const items = order.skus.slice(0, 3).map((sku) => ({ sku, deliveryDate: day(seq) }));
      return { externalId: order.externalId, customer: { externalId: order.customerExternalId }, items };
    }
    const customer =
      seq % 4 === 1
        ? { externalId: pick(samples.orders).customerExternalId }
        : { externalId: `NEW-${runTag}-${seq}`, name: `New Shopper ${seq}`, email: `new-${runTag}-${seq}@example.org` };
    const skus = new Set<string>();
    while (skus.size < 3) skus.add(pick(samples.skus));
    const items = [...skus].map((sku, i) => ({ sku, ...(i === 0 ? { deliveryDate: day(seq) } : {}) }));
    return { externalId: `ING-${runTag}-${seq}`, customer, items };
  };
}

export function ingestBodies(samples: Samples, runTag: string) {
  const next = ingestOrders(samples, runTag);
  return (): string => body(UPSERT_ORDER, 'Ingest', { input: next() });
}

/** upsertOrders bodies of INGEST_BATCH orders each, made like ingestBodies' (one order id at most once per call). */
export function ingestBatchBodies(samples: Samples, runTag: string) {
  const next = ingestOrders(samples, `${runTag}b`);
  return (): string => {
    const orders = new Map<string, ReturnType<typeof next>>();
    while (orders.size < INGEST_BATCH) {
      const order = next();
      orders.set(order.externalId, order);
    }
    return body(UPSERT_ORDERS, 'IngestBatch', { input: { orders: [...orders.values()] } });
  };
}
