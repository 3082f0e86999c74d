// Rows for every connection of the schema, for the cursor tests: a client with products P-1..P-3,
// customer C-1 with orders O-1..O-3, three PUBLISHED and one PENDING review, question and seller
// review (of P-1, linked to C-1), three erasure requests and three review invitations (orders IO-1..IO-3). Written with Prisma directly.
import type { TestContext } from './helpers.ts';

export type Model =
  | 'product'
  | 'order'
  | 'customer'
  | 'erasureRequest'
  | 'review'
  | 'question'
  | 'sellerReview'
  | 'reviewInvitation';

export interface CursorTenant {
  clientId: string;
  customerId: string;
  keys: { admin: string; support: string; storefront: string };
  /** Id of one PENDING row per content model. */
  pending: Record<'review' | 'question' | 'sellerReview', string>;
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i));

/** A finished erasure request of the client (the audit record, no personal data); returns its id. */
export async function erasureRequestRow(t: TestContext, clientId: string, i = 0) {
  const data = {
    clientId,
    subjectType: 'EMAIL' as const,
    subjectHash: `h-${i}`,
    status: 'SUCCEEDED' as const,
    initiatorKeyId: clientId,
    initiatorKeyName: 'k',
    initiatorKeyPrefix: 'sk_test',
    initiatorRole: 'ADMIN' as const,
    executeAfter: at(i),
  };
  return (await t.db.erasureRequest.create({ data, select: { id: true } })).id;
}

/** One row of `model` for the tenant, reachable from every connection of that model. */
export async function makeRow(t: TestContext, tenant: CursorTenant, model: Model, i: number, status = 'PUBLISHED') {
  const { clientId, customerId } = tenant;
  const authored = {
    clientId,
    customerId,
    title: `${model} ${i}`,
    content: 'x',
    authorNick: 'n',
    authorEmail: 'c1@example.com',
    status: status as 'PUBLISHED',
    createdAt: at(i),
  };
  const rating = ((i * 2) % 5) + 1;
  const select = { select: { id: true } };
  switch (model) {
    case 'product':
      return (await t.db.product.create({ data: { clientId, sku: `P-${i}`, name: `Product ${i}` }, ...select })).id;
    case 'customer':
      return (await t.db.customer.create({ data: { clientId, externalId: `C-${i}` }, ...select })).id;
    case 'order':
      return (await t.db.order.create({ data: { clientId, customerId, externalId: `O-${i}` }, ...select })).id;
    case 'erasureRequest':
      return erasureRequestRow(t, clientId, i);
    case 'review':
      return (await t.db.review.create({ data: { ...authored, productSku: 'P-1', rating }, ...select })).id;
    case 'question':
      return (await t.db.question.create({ data: { ...authored, productSku: 'P-1' }, ...select })).id;
    case 'sellerReview':
      return (await t.db.sellerReview.create({ data: { ...authored, rating }, ...select })).id;
    case 'reviewInvitation': {
      const order = await t.db.order.create({ data: { clientId, customerId, externalId: `IO-${i}` }, ...select });
      const data = { clientId, orderId: order.id, status: 'SCHEDULED' as const, dueAt: at(i), expiresAt: at(i + 100) };
      return (await t.db.reviewInvitation.create({ data, ...select })).id;
    }
  }
}

/** Deletes a row made by makeRow. */
export async function deleteRow(t: TestContext, model: Model, id: string) {
  const delegate = t.db[model] as unknown as { delete(args: object): Promise<unknown> };
  await delegate.delete({ where: { id } });
}

export async function cursorTenant(t: TestContext, slug: string): Promise<CursorTenant> {
  const { client, keys } = await t.newClient(slug);
  const customer = await t.db.customer.create({
    data: { clientId: client.id, externalId: 'C-1', email: 'c1@example.com' },
  });
  const tenant = { clientId: client.id, customerId: customer.id, keys, pending: {} } as CursorTenant;
  for (const i of [1, 2, 3]) {
    for (const model of [
      'product',
      'order',
      'erasureRequest',
      'review',
      'question',
      'sellerReview',
      'reviewInvitation',
    ] as const)
      await makeRow(t, tenant, model, i);
    await makeRow(t, tenant, 'customer', i + 1);
  }
  for (const model of ['review', 'question', 'sellerReview'] as const)
    tenant.pending[model] = await makeRow(t, tenant, model, 9, 'PENDING');
  return tenant;
}
