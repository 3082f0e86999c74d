// Writing a batch of orders (upsertOrders; upsertOrder is a batch of one) with set-based SQL: a
// bounded number of statements whatever the batch size. The rules are upsertOrder's (orders.ts):
// items added or updated, never deleted; fields not sent keep their stored value.
import { uuidv7 } from 'uuidv7';
import type { Db, Tx } from '../../platform/db/client.ts';
import { mergeItems } from './order-items.ts';
import type { CustomerInput, OrderInput, ReadBack, UpsertOrdersResult } from './order-inputs.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';

/**
 * Creates or updates every order of the batch by externalId (each at most once per batch), in
 * one transaction: all are written or none. Customers and orders are upserted with INSERT … ON
 * CONFLICT in externalId order, so concurrent batches lock rows in the same order; every order
 * row stays locked while its items are merged.
 */
export async function writeOrders<T extends { id: string }>(
  db: Db,
  clientId: string,
  orders: OrderInput[],
  readBack?: ReadBack<T>,
  itemsPath: (index: number) => string[] = (i) => ['input', 'orders', String(i), 'items'],
): Promise<UpsertOrdersResult<T>> {
  return inTransaction(db, async (tx) => {
    const customerIds = await upsertCustomers(
      tx,
      clientId,
      orders.map((o) => o.customer),
    );
    const rows = await upsertOrderRows(
      tx,
      clientId,
      orders.map((o) => ({ externalId: o.externalId, customerId: customerIds.get(o.customer.externalId)! })),
    );
    const written = orders.map((o, i) => ({ ...rows.get(o.externalId)!, items: o.items, path: itemsPath(i) }));
    await mergeItems(tx, clientId, written);
    // Read inside the transaction: a concurrent erasure of a customer cannot remove it in between.
    const read =
      readBack &&
      new Map(
        (
          await readBack(
            tx,
            written.map((o) => o.orderId),
          )
        ).map((r) => [r.id, r]),
      );
    const results = written.map(({ orderId, created }) => ({ orderId, created, order: read?.get(orderId) }));
    const created = results.filter((r) => r.created).length;
    return { results, created, updated: results.length - created };
  });
}

/**
 * The customers of a batch, one per externalId: when several orders name the same customer,
 * their fields apply in order (a later sent field overrides an earlier one; fields never sent
 * stay unsent). PostgreSQL updates a row at most once per statement, hence the merge.
 */
function mergeCustomers(customers: CustomerInput[]): Map<string, CustomerInput> {
  const merged = new Map<string, CustomerInput>();
  for (const c of customers) {
    const sent = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as CustomerInput;
    merged.set(c.externalId, { ...merged.get(c.externalId), ...sent });
  }
  return merged;
}

/** The customer columns a request may send, with the document key that carries each. */
const CUSTOMER_FIELDS = [
  ['name', 'name'],
  ['email', 'email'],
  ['optOut', 'opt_out'],
] as const;

/** The value a column gets: the sent one when the document has the key, else the stored one. */
const customerValue = (key: string, col: string) =>
  `CASE WHEN ($2::jsonb -> EXCLUDED.external_id) ? '${key}' THEN EXCLUDED.${col} ELSE c.${col} END`;

/**
 * $2 is one JSON object keyed by customer externalId; a key present in a customer's document
 * means the field was sent. Only sent fields are written; updated_at moves only when one of
 * them changes the stored value. New customers: unsent name and e-mail are null, optOut false.
 */
const UPSERT_CUSTOMERS = `
  INSERT INTO customers AS c (id, client_id, external_id, name, email, opt_out, created_at, updated_at)
  SELECT (d.value->>'id')::uuid, $1::uuid, d.key, d.value->>'name', d.value->>'email',
         COALESCE((d.value->>'optOut')::boolean, false), now(), now()
  FROM jsonb_each($2::jsonb) AS d
  ORDER BY d.key
  ON CONFLICT (client_id, external_id) DO UPDATE SET
    ${CUSTOMER_FIELDS.map(([key, col]) => `${col} = ${customerValue(key, col)}`).join(',\n    ')},
    updated_at = CASE
      WHEN ROW(${CUSTOMER_FIELDS.map(([, col]) => `c.${col}`).join(', ')})
           IS DISTINCT FROM ROW(${CUSTOMER_FIELDS.map(([key, col]) => customerValue(key, col)).join(', ')})
      THEN now() ELSE c.updated_at END
  RETURNING id, external_id AS "externalId"`;

/** Upserts the batch's customers in one statement; returns their ids by externalId. */
async function upsertCustomers(tx: Tx, clientId: string, customers: CustomerInput[]): Promise<Map<string, string>> {
  const docs = Object.fromEntries(
    [...mergeCustomers(customers)].map(([externalId, c]) => [
      externalId,
      { ...c, externalId: undefined, id: uuidv7() },
    ]),
  );
  const rows = await tx.$queryRawUnsafe<{ id: string; externalId: string }[]>(
    UPSERT_CUSTOMERS,
    clientId,
    JSON.stringify(docs),
  );
  return new Map(rows.map((r) => [r.externalId, r.id]));
}

const UPSERT_ORDERS = `
  INSERT INTO orders AS o (id, client_id, external_id, customer_id, created_at, updated_at)
  SELECT d.id, $1::uuid, d."externalId", d."customerId", now(), now()
  FROM jsonb_to_recordset($2::jsonb) AS d(id uuid, "externalId" text, "customerId" uuid)
  ORDER BY d."externalId"
  ON CONFLICT (client_id, external_id) DO UPDATE SET
    customer_id = EXCLUDED.customer_id,
    updated_at = CASE WHEN o.customer_id IS DISTINCT FROM EXCLUDED.customer_id THEN now() ELSE o.updated_at END
  RETURNING id, external_id AS "externalId", (xmax = 0) AS created`;

/** Upserts the order rows (locking them) in one statement; returns id and created by externalId. */
async function upsertOrderRows(tx: Tx, clientId: string, orders: { externalId: string; customerId: string }[]) {
  const json = JSON.stringify(orders.map((o) => ({ id: uuidv7(), ...o })));
  const rows = await tx.$queryRawUnsafe<{ id: string; externalId: string; created: boolean }[]>(
    UPSERT_ORDERS,
    clientId,
    json,
  );
  return new Map(rows.map((r) => [r.externalId, { orderId: r.id, created: r.created }]));
}
