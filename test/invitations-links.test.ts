// Review links: a token from a claim makes one verified review with the public storefront key;
// every misuse (garbage, tampered, another client's, expired, reused, cancelled or erased item)
// is the same answer and changes nothing. The e-mail + order number path stays.
import { beforeAll, describe, expect, it } from 'vitest';
import { issueReviewToken, readReviewToken } from '../src/features/invitations/review-links.ts';
import { useTestApp } from './helpers.ts';
import {
  claim,
  day,
  invitationOf,
  invitationRows,
  newShop,
  order,
  SUBMIT_REVIEW,
  submitWithToken,
} from './invitation-helpers.ts';
import { CANCEL_ORDER_ITEM, mutate } from './order-helpers.ts';

const t = useTestApp();

/** The one answer every unusable token gets. */
const INVALID = {
  __typename: 'ValidationError',
  code: 'VALIDATION_FAILED',
  message:
    'Invalid input at input.reviewToken: is not a valid review link: it may be mistyped, expired, already used, or no longer open for review',
  fieldErrors: [
    {
      path: ['input', 'reviewToken'],
      message: 'is not a valid review link: it may be mistyped, expired, already used, or no longer open for review',
    },
  ],
};

/** A shop with one claimed invitation of ada (SHOE, TENT); returns its tokens by sku. */
async function claimedShop() {
  const shop = await newShop(t);
  await order(t, shop.keys.admin, 'o1', 'ada', [
    { sku: 'SHOE', deliveryDate: day(-8) },
    { sku: 'TENT', deliveryDate: day(-8) },
  ]);
  const [inv] = (await claim(t, shop.keys.admin, 10)).invitations;
  const tokens = Object.fromEntries(inv.items.map((i) => [i.orderItem.sku, i.reviewToken!]));
  return { ...shop, tokens };
}

let shop: Awaited<ReturnType<typeof claimedShop>>;
let other: Awaited<ReturnType<typeof claimedShop>>;

beforeAll(async () => {
  shop = await claimedShop();
  other = await claimedShop();
});

describe('a valid link', () => {
  it("makes a verified PENDING review of its item, linked to the item and customer, under the customer's e-mail", async () => {
    const r = await submitWithToken(t, shop.keys.storefront, shop.tokens.SHOE, { rating: 4, title: ' Comfy ' });
    expect(r).toMatchObject({
      __typename: 'SubmitReviewSuccess',
      // A STOREFRONT key sees `verified` only once the review is published; the row is verified.
      review: { productSku: 'SHOE', rating: 4, title: 'Comfy', verified: false, status: 'PENDING' },
    });
    const id = Buffer.from(r.review.id, 'base64').toString().split(':')[1];
    const row = await t.db.review.findUniqueOrThrow({ where: { id }, include: { orderItem: true, customer: true } });
    expect(row).toMatchObject({
      verified: true,
      clientId: shop.clientId,
      authorEmail: 'ada@example.com',
      authorNick: 'buyer',
      orderItem: { sku: 'SHOE' },
      customer: { externalId: 'ada' },
    });
    const inv = await invitationOf(t, shop.keys.support, 'o1');
    const used = inv!.items.find((i) => i.orderItem.sku === 'SHOE')!;
    expect(used.linkUsedAt).toEqual(expect.any(String));
    expect(inv!.items.find((i) => i.orderItem.sku === 'TENT')!.linkUsedAt).toBeNull();
  });
});

describe('every misuse is the same answer and changes nothing', () => {
  const tampered = (token: string) => {
    const raw = Buffer.from(token, 'base64url');
    raw[5] ^= 1; // another order item id, same MAC
    return raw.toString('base64url');
  };

  it('reused, tampered, garbage, another client’s, expired, of a cancelled item', async () => {
    const s = await claimedShop();
    const ok = await submitWithToken(t, s.keys.storefront, s.tokens.SHOE);
    expect(ok.__typename).toBe('SubmitReviewSuccess');
    const secret = (await t.db.client.findUniqueOrThrow({ where: { id: s.clientId } })).erasureSecret;
    const tentId = (await t.db.orderItem.findFirstOrThrow({ where: { order: { clientId: s.clientId }, sku: 'TENT' } }))
      .id;
    const expired = issueReviewToken(secret, tentId, new Date(Date.now() - 1000));
    expect(
      readReviewToken(secret, issueReviewToken(secret, tentId, new Date(Date.now() + 60_000)), new Date()),
    ).toEqual({
      orderItemId: tentId,
    });
    const cases: [string, string][] = [
      ['reused', s.tokens.SHOE],
      ['tampered', tampered(s.tokens.TENT)],
      ['truncated', s.tokens.TENT.slice(0, -1)],
      ['garbage', 'not-a-token'],
      ['empty', ''],
      ['huge', 'A'.repeat(10_000)],
      ["another client's", other.tokens.TENT],
      ['expired', expired],
    ];
    const before = await invitationRows(t, s.clientId);
    for (const [name, token] of cases) {
      expect(await submitWithToken(t, s.keys.storefront, token), name).toEqual(INVALID);
    }
    // A cancelled item's link stops working.
    expect((await mutate(t, s.keys.admin, CANCEL_ORDER_ITEM, { orderExternalId: 'o1', sku: 'TENT' })).__typename).toBe(
      'CancelOrderItemSuccess',
    );
    const afterCancel = await invitationRows(t, s.clientId);
    expect(await submitWithToken(t, s.keys.storefront, s.tokens.TENT)).toEqual(INVALID);
    expect(await invitationRows(t, s.clientId)).toEqual(afterCancel);
    expect(before.reviews).toBe(1);
    // The other client's link still works for it: refusing it here touched nothing of theirs.
    expect((await submitWithToken(t, other.keys.storefront, other.tokens.TENT)).__typename).toBe('SubmitReviewSuccess');
  });

  it('the same link sent twice at once makes one review', async () => {
    const s = await claimedShop();
    const results = await Promise.all([1, 2, 3].map(() => submitWithToken(t, s.keys.storefront, s.tokens.TENT)));
    expect(results.map((r) => r.__typename).sort()).toEqual([
      'SubmitReviewSuccess',
      'ValidationError',
      'ValidationError',
    ]);
    expect(await t.db.review.count({ where: { clientId: s.clientId } })).toBe(1);
  });

  it('an item reviewed by e-mail and order number makes its link unusable (one verified review per purchase)', async () => {
    const s = await claimedShop();
    const byEmail = await mutate(t, s.keys.storefront, SUBMIT_REVIEW, {
      productSku: 'TENT',
      rating: 3,
      title: 'Ok',
      content: 'Fine.',
      authorNick: 'ada',
      authorEmail: 'ada@example.com',
      orderExternalId: 'o1',
    });
    const stored = Buffer.from(byEmail.review.id, 'base64').toString().split(':')[1];
    expect((await t.db.review.findUniqueOrThrow({ where: { id: stored } })).verified).toBe(true);
    expect(await submitWithToken(t, s.keys.storefront, s.tokens.TENT)).toEqual(INVALID);
  });
});

describe('input rules', () => {
  it('a token with productSku, authorEmail or orderExternalId is refused; without a token both are required', async () => {
    const before = await invitationRows(t, shop.clientId);
    const mixed = await submitWithToken(t, shop.keys.storefront, shop.tokens.TENT, {
      productSku: 'TENT',
      authorEmail: 'x@example.com',
    });
    expect(mixed.__typename).toBe('ValidationError');
    expect(mixed.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual([
      'input.productSku',
      'input.authorEmail',
    ]);
    const missing = await mutate(t, shop.keys.storefront, SUBMIT_REVIEW, {
      rating: 5,
      title: 'x',
      content: 'y',
      authorNick: 'z',
    });
    expect(missing.fieldErrors).toEqual([
      { path: ['input', 'authorEmail'], message: "is required without a reviewToken (the author's e-mail)" },
      { path: ['input', 'productSku'], message: 'is required without a reviewToken (the sku of the product reviewed)' },
    ]);
    // A bad rating with a valid token is about the rating, and the link stays unused.
    const badRating = await submitWithToken(t, shop.keys.storefront, shop.tokens.TENT, { rating: 9 });
    expect(badRating.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(['input.rating']);
    expect(await invitationRows(t, shop.clientId)).toEqual(before);
    expect((await submitWithToken(t, shop.keys.storefront, shop.tokens.TENT)).__typename).toBe('SubmitReviewSuccess');
  });

  it('a SUPPORT key cannot submit with a token', async () => {
    const res = await t.gql(shop.keys.support, SUBMIT_REVIEW, {
      input: { reviewToken: shop.tokens.SHOE, rating: 5, title: 'x', content: 'y', authorNick: 'z' },
    });
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
