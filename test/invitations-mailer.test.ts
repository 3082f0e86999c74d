// The mailer loop: claiming due invitations (leases, concurrent mailers, expiry, the frequency
// cap, all items reviewed), marking them sent, skipping them, and the staff list.
import { describe, expect, it } from 'vitest';
import { claimDueInvitations } from '../src/features/invitations/mailer.ts';
import { useTestApp } from './helpers.ts';
import {
  CLAIM,
  claim,
  day,
  endLease,
  INVITATION_FIELDS,
  invitationOf,
  invitationRows,
  markSent,
  newShop,
  order,
  settings,
  SKIP,
  shiftInvitation,
  SUBMIT_REVIEW,
} from './invitation-helpers.ts';
import { mutate } from './order-helpers.ts';

const t = useTestApp();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

const ids = (list: { id: string }[]) => list.map((i) => i.id);

describe('claimDueReviewInvitations', () => {
  it('hands out due invitations only, oldest due first, with what a mail needs and a link per item', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'late', 'ada', [
      { sku: 'SHOE', deliveryDate: day(-8) },
      { sku: 'TENT', deliveryDate: day(-9) },
    ]);
    await order(t, keys.admin, 'early', 'bo', [{ sku: 'MUG', deliveryDate: day(-10) }]);
    await order(t, keys.admin, 'future', 'cy', [{ sku: 'MUG', deliveryDate: day(-2) }]);

    const first = await claim(t, keys.admin, 10);
    expect(first.invitations.map((i) => i.order.externalId)).toEqual(['early', 'late']);
    const late = first.invitations[1];
    expect(late).toMatchObject({
      status: 'SCHEDULED',
      customer: { externalId: 'ada', name: 'Name ada', email: 'ada@example.com' },
    });
    expect(late.leasedUntil).toBe(first.leasedUntil);
    expect(Date.parse(first.leasedUntil!) - Date.parse(late.claimedAt!)).toBe(5 * 60_000);
    expect(late.items.map((i) => i.orderItem)).toEqual(
      [
        { sku: 'SHOE', name: 'Trail shoe', url: 'https://shop.example/shoe', imageUrl: 'https://cdn.example/shoe.jpg' },
        { sku: 'TENT', name: 'Tent', url: 'https://shop.example/tent', imageUrl: null },
      ].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    );
    for (const item of late.items) {
      expect(item.reviewToken).toMatch(/^[A-Za-z0-9_-]{50}$/);
      // Valid for the policy's expiry (30 days) from the claim, to the second.
      const validFor = Date.parse(item.reviewTokenExpiresAt!) - Date.parse(late.claimedAt!);
      expect(Math.abs(validFor - 30 * 86_400_000)).toBeLessThan(1000);
    }
    expect(new Set(late.items.map((i) => i.reviewToken)).size).toBe(2);

    // Leased: the next claim gets nothing; reading the invitation shows no token.
    expect((await claim(t, keys.admin, 10)).invitations).toEqual([]);
    const read = await invitationOf(t, keys.support, 'late');
    expect(read!.items.map((i) => i.reviewToken)).toEqual([null, null]);
    expect(read).toMatchObject({ leasedUntil: first.leasedUntil, claimedAt: late.claimedAt });
  });

  it('a lease that runs out unconfirmed returns the invitation to the pool: the next claim hands it out again', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const [first] = (await claim(t, keys.admin, 5)).invitations;
    expect((await claim(t, keys.admin, 5)).invitations).toEqual([]);
    await endLease(t, first.id);
    const again = await claim(t, keys.admin, 5);
    expect(ids(again.invitations)).toEqual([first.id]);
    expect(again.invitations[0].items[0].reviewToken).toEqual(expect.any(String));
    expect(Date.parse(again.leasedUntil!)).toBeGreaterThan(Date.parse(first.leasedUntil!));
  });

  it('takes the same statements for 3 invitations as for 60, and costs by its limit', async () => {
    const { keys } = await newShop(t);
    const orders = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, k) => ({
        externalId: `${prefix}-${k}`,
        customer: { externalId: `${prefix}-c${k}`, email: `${prefix}${k}@example.com` },
        items: [
          { sku: 'SHOE', deliveryDate: day(-8) },
          { sku: 'TENT', deliveryDate: day(-8) },
        ],
      }));
    const UPSERT = 'mutation($input: UpsertOrdersInput!) { upsertOrders(input: $input) { __typename } }';
    const count = async (prefix: string, n: number) => {
      await mutate(t, keys.admin, UPSERT, { orders: orders(prefix, n) });
      t.resetStatements();
      const res = await t.gql(keys.admin, CLAIM, { input: { limit: n } });
      expect(res.body.data.claimDueReviewInvitations.invitations).toHaveLength(n);
      return { statements: t.statements.length, cost: res.body.extensions.cost.requested as number };
    };
    const small = await count('s', 3);
    const large = await count('l', 60);
    expect(large.statements).toBe(small.statements);
    // 10 for the mutation, then the answer of one invitation (+1) per element of the limit.
    expect((large.cost - 10) / 60).toBe((small.cost - 10) / 3);
    expect(small.cost).toBeGreaterThan(3 * 5);
  });

  it('limit must be 1 to 500; a bad limit claims nothing', async () => {
    const { clientId, keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const before = await invitationRows(t, clientId);
    for (const limit of [0, 501, -1]) {
      const r = await mutate(t, keys.admin, CLAIM, { limit });
      expect(r).toMatchObject({
        __typename: 'ValidationError',
        fieldErrors: [{ path: ['input', 'limit'], message: 'must be a whole number from 1 to 500' }],
      });
    }
    expect(await invitationRows(t, clientId)).toEqual(before);
  });

  it('an invitation past its expiry is never handed out: it shows EXPIRED and the claim records it', async () => {
    const { clientId, keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const inv = await invitationOf(t, keys.support, 'o1');
    await shiftInvitation(t, inv!.id, -31);
    expect(await invitationOf(t, keys.support, 'o1')).toMatchObject({ status: 'EXPIRED' });
    const r = await claim(t, keys.admin, 10);
    expect(r).toMatchObject({ invitations: [], expiredCount: 1 });
    const stored = await t.db.reviewInvitation.findFirstOrThrow({ where: { clientId } });
    expect(stored).toMatchObject({ status: 'EXPIRED', settled: true });
  });

  it('skips (ALREADY_REVIEWED) an invitation whose items were all reviewed, and links only the items not reviewed', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'all', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    await order(t, keys.admin, 'some', 'bo', [
      { sku: 'SHOE', deliveryDate: day(-8) },
      { sku: 'TENT', deliveryDate: day(-8) },
    ]);
    for (const [orderExternalId, email] of [
      ['all', 'ada@example.com'],
      ['some', 'bo@example.com'],
    ]) {
      const r = await mutate(t, keys.storefront, SUBMIT_REVIEW, {
        productSku: 'SHOE',
        rating: 4,
        title: 'Good',
        content: 'Fine.',
        authorNick: 'x',
        authorEmail: email,
        orderExternalId,
      });
      const id = Buffer.from(r.review.id, 'base64').toString().split(':')[1];
      expect((await t.db.review.findUniqueOrThrow({ where: { id } })).verified).toBe(true);
    }
    const r = await claim(t, keys.admin, 10);
    expect(r.skippedCount).toBe(1);
    expect(r.invitations.map((i) => i.order.externalId)).toEqual(['some']);
    const links = Object.fromEntries(r.invitations[0].items.map((i) => [i.orderItem.sku, i.reviewToken]));
    expect(links.SHOE).toBeNull();
    expect(links.TENT).toEqual(expect.any(String));
    expect(await invitationOf(t, keys.support, 'all')).toMatchObject({
      status: 'SKIPPED',
      skipReason: 'ALREADY_REVIEWED',
    });
  });

  it('with a frequency cap, one invitation per customer per N days: the earliest due goes, the others are skipped', async () => {
    const { keys } = await newShop(t);
    await settings(t, keys.admin, { frequencyCapDays: 30 });
    await order(t, keys.admin, 'a1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-12) }]);
    await order(t, keys.admin, 'a2', 'ada', [{ sku: 'TENT', deliveryDate: day(-10) }]);
    await order(t, keys.admin, 'b1', 'bo', [{ sku: 'MUG', deliveryDate: day(-9) }]);
    const r = await claim(t, keys.admin, 10);
    expect(r.invitations.map((i) => i.order.externalId)).toEqual(['a1', 'b1']);
    expect(r.skippedCount).toBe(1);
    expect(await invitationOf(t, keys.support, 'a2')).toMatchObject({ status: 'SKIPPED', skipReason: 'FREQUENCY_CAP' });
    expect((await markSent(t, keys.admin, ids(r.invitations))).sentCount).toBe(2);

    // A later order of ada within the cap: skipped at its claim; of another customer: sent.
    await order(t, keys.admin, 'a3', 'ada', [{ sku: 'MUG', deliveryDate: day(-8) }]);
    await order(t, keys.admin, 'c1', 'cy', [{ sku: 'MUG', deliveryDate: day(-8) }]);
    const next = await claim(t, keys.admin, 10);
    expect(next.invitations.map((i) => i.order.externalId)).toEqual(['c1']);
    expect(await invitationOf(t, keys.support, 'a3')).toMatchObject({ status: 'SKIPPED', skipReason: 'FREQUENCY_CAP' });
  });
});

describe('two mailers at once', () => {
  // On PostgreSQL the requests run in parallel on separate connections; on PGlite (one
  // connection) their transactions run one after the other, which still proves that a claim
  // never hands out what an earlier one leased.
  for (const cap of [0, 30]) {
    it(`get disjoint sets, and together claim everything once (frequency cap ${cap})`, async () => {
      const { clientId, keys } = await newShop(t);
      if (cap) await settings(t, keys.admin, { frequencyCapDays: cap });
      const orders = Array.from({ length: 40 }, (_, k) => ({
        externalId: `o-${k}`,
        customer: { externalId: `c-${k}`, email: `c${k}@example.com` },
        items: [{ sku: 'SHOE', deliveryDate: day(-8 - (k % 5)) }],
      }));
      const res = await mutate(
        t,
        keys.admin,
        'mutation($input: UpsertOrdersInput!) { upsertOrders(input: $input) { __typename } }',
        {
          orders,
        },
      );
      expect(res.__typename).toBe('UpsertOrdersSuccess');
      const seen: string[] = [];
      for (let round = 0; round < 10 && seen.length < 40; round++) {
        const [a, b, c] = await Promise.all([
          claim(t, keys.admin, 7),
          claim(t, keys.admin, 7),
          claim(t, keys.admin, 7),
        ]);
        const sets = [ids(a.invitations), ids(b.invitations), ids(c.invitations)];
        for (const set of sets) for (const id of set) expect(seen).not.toContain(id);
        seen.push(...sets.flat());
        expect(new Set(seen).size).toBe(seen.length);
      }
      expect(seen).toHaveLength(40);
      expect(await t.db.reviewInvitation.count({ where: { clientId, claimedAt: { not: null } } })).toBe(40);
    });
  }

  it('with a frequency cap, concurrent claims hand out one invitation of a customer, and skip the rest', async () => {
    const { clientId, keys } = await newShop(t);
    await settings(t, keys.admin, { frequencyCapDays: 30 });
    for (let k = 0; k < 5; k++)
      await order(t, keys.admin, `a-${k}`, 'ada', [{ sku: 'SHOE', deliveryDate: day(-8 - k) }]);
    const handed: string[] = [];
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([1, 2, 3].map(() => claim(t, keys.admin, 1)));
      handed.push(...results.flatMap((r) => ids(r.invitations)));
    }
    expect(handed).toHaveLength(1);
    const rows = await t.db.reviewInvitation.findMany({ where: { clientId } });
    expect(rows.filter((r) => r.skipReason === 'FREQUENCY_CAP')).toHaveLength(4);
  });

  it.runIf(onPostgres)(
    'a claim skips the rows another claim holds locked (FOR UPDATE SKIP LOCKED), and takes the next ones',
    async () => {
      const { clientId, keys } = await newShop(t);
      for (let k = 0; k < 6; k++)
        await order(t, keys.admin, `o-${k}`, `c-${k}`, [{ sku: 'SHOE', deliveryDate: day(-8 - k) }]);
      let during: string[] = [];
      // Mailer A holds its three candidates locked while mailer B claims through the API.
      const a = await claimDueInvitations(
        t.db,
        clientId,
        { limit: 3 },
        {
          leaseMs: 60_000,
          hooks: {
            async afterLock() {
              during = ids((await claim(t, keys.admin, 3)).invitations);
            },
          },
        },
      );
      expect(a.ids).toHaveLength(3);
      expect(during).toHaveLength(3);
      expect(during.filter((id) => a.ids.includes(Buffer.from(id, 'base64').toString().split(':')[1]))).toEqual([]);
      // B took the next three by due date: A's were the oldest.
      const due = await t.db.reviewInvitation.findMany({ where: { clientId }, orderBy: { dueAt: 'asc' } });
      expect(a.ids).toEqual(due.slice(0, 3).map((r) => r.id));
    },
  );
});

describe('markReviewInvitationsSent', () => {
  it('makes claimed invitations SENT (final); again changes nothing', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    await order(t, keys.admin, 'o2', 'bo', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const claimed = ids((await claim(t, keys.admin, 10)).invitations);
    const r = await markSent(t, keys.admin, [claimed[1], claimed[0]]);
    expect(r).toMatchObject({ __typename: 'MarkReviewInvitationsSentSuccess', sentCount: 2 });
    expect(r.invitations.map((i: { id: string }) => i.id)).toEqual([claimed[1], claimed[0]]);
    expect(r.invitations.every((i: { status: string; sentAt: string }) => i.status === 'SENT' && i.sentAt)).toBe(true);
    const again = await markSent(t, keys.admin, claimed);
    expect(again).toMatchObject({ sentCount: 0 });
    expect(again.invitations.map((i: { sentAt: string }) => i.sentAt)).toEqual(
      [...r.invitations].reverse().map((i: { sentAt: string }) => i.sentAt),
    );
    expect(await invitationOf(t, keys.support, 'o1')).toMatchObject({ status: 'SENT', leasedUntil: null });
  });

  it('an unknown or foreign id is a NotFoundError, one never claimed a ValidationError; nothing is marked', async () => {
    const { clientId, keys } = await newShop(t);
    const other = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    await order(t, keys.admin, 'o2', 'bo', [{ sku: 'SHOE', deliveryDate: day(-1) }]);
    await order(t, other.keys.admin, 'x1', 'zed', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const [mine] = ids((await claim(t, keys.admin, 10)).invitations);
    const [foreign] = ids((await claim(t, other.keys.admin, 10)).invitations);
    const unclaimed = (await invitationOf(t, keys.support, 'o2'))!.id;
    const before = await invitationRows(t, clientId);

    const notFound = await markSent(t, keys.admin, [mine, foreign, 'garbage']);
    expect(notFound).toMatchObject({
      __typename: 'NotFoundError',
      message: 'No review invitation with the id at input.ids.1, input.ids.2; nothing was marked.',
    });
    const invalid = await markSent(t, keys.admin, [mine, unclaimed]);
    expect(invalid).toMatchObject({ __typename: 'ValidationError' });
    expect(invalid.fieldErrors).toEqual([
      {
        path: ['input', 'ids', '1'],
        message:
          'was never claimed (it is SCHEDULED): only invitations handed out by claimDueReviewInvitations can be marked sent',
      },
    ]);
    expect((await markSent(t, keys.admin, [])).fieldErrors).toEqual([
      { path: ['input', 'ids'], message: 'send at least one id' },
    ]);
    expect(await invitationRows(t, clientId)).toEqual(before);
    expect((await markSent(t, other.keys.admin, [foreign])).sentCount).toBe(1);
  });
});

describe('skipReviewInvitation', () => {
  it('skips for good with the reason given: order writes no longer change it, claims pass it by', async () => {
    const { keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const inv = await invitationOf(t, keys.support, 'o1');
    const r = await mutate(t, keys.admin, SKIP, { id: inv!.id, reason: 'ERASED' });
    expect(r).toMatchObject({ invitation: { id: inv!.id, status: 'SKIPPED', skipReason: 'ERASED' } });
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'TENT', deliveryDate: day(-9) }]);
    expect(await invitationOf(t, keys.support, 'o1')).toMatchObject({ status: 'SKIPPED', skipReason: 'ERASED' });
    expect((await claim(t, keys.admin, 10)).invitations).toEqual([]);
    // Again: unchanged, the first reason stays.
    const again = await mutate(t, keys.admin, SKIP, { id: inv!.id, reason: 'OPTED_OUT' });
    expect(again).toMatchObject({ invitation: { status: 'SKIPPED', skipReason: 'ERASED' } });
  });

  it('a SENT invitation cannot be skipped; an unknown id is a NotFoundError', async () => {
    const { clientId, keys } = await newShop(t);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    const [inv] = (await claim(t, keys.admin, 10)).invitations;
    await markSent(t, keys.admin, [inv.id]);
    const before = await invitationRows(t, clientId);
    expect(await mutate(t, keys.admin, SKIP, { id: inv.id, reason: 'OPTED_OUT' })).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'id'], message: 'is SENT: only an invitation not sent yet can be skipped' }],
    });
    expect(await mutate(t, keys.admin, SKIP, { id: 'nope', reason: 'OPTED_OUT' })).toMatchObject({
      __typename: 'NotFoundError',
    });
    expect(await invitationRows(t, clientId)).toEqual(before);
  });
});

describe('reviewInvitations (staff list)', () => {
  const LIST = `query($filter: ReviewInvitationFilter, $first: Int, $after: String) {
    reviewInvitations(filter: $filter, first: $first, after: $after) {
      totalCount nodes { ${INVITATION_FIELDS} } pageInfo { hasNextPage endCursor } } }`;

  it('filters by status, due dates and customer, pages with cursors, and never shows another client', async () => {
    const { keys } = await newShop(t);
    const other = await newShop(t);
    await order(t, other.keys.admin, 'x', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    await order(t, keys.admin, 'o1', 'ada', [{ sku: 'SHOE', deliveryDate: day(-8) }]);
    await order(t, keys.admin, 'o2', 'ada', [{ sku: 'SHOE', deliveryDate: day(-1) }]);
    await order(t, keys.admin, 'o3', 'bo', [{ sku: 'SHOE', deliveryDate: day(-40) }]);
    await order(t, keys.admin, 'o4', { externalId: 'cy', optOut: true, email: 'cy@example.com' }, [
      { sku: 'SHOE', deliveryDate: day(-2) },
    ]);
    const list = async (filter: Record<string, unknown>, key = keys.support) => {
      const res = await t.gql(key, LIST, { filter });
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
      return res.body.data.reviewInvitations.nodes.map((n: { order: { externalId: string } }) => n.order.externalId);
    };
    expect(await list({})).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(await list({ status: 'SCHEDULED' })).toEqual(['o1', 'o2']);
    expect(await list({ status: 'EXPIRED' })).toEqual(['o3']);
    expect(await list({ status: 'SKIPPED' })).toEqual(['o4']);
    expect(await list({ customerExternalId: 'ada' })).toEqual(['o1', 'o2']);
    expect(await list({ dueBefore: new Date().toISOString() })).toEqual(['o1', 'o3']);
    expect(await list({ dueAfter: new Date().toISOString(), status: 'SCHEDULED' })).toEqual(['o2']);
    expect(await list({}, other.keys.support)).toEqual(['x']);

    const page1 = await t.gql(keys.admin, LIST, { first: 3 });
    expect(page1.body.data.reviewInvitations).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const page2 = await t.gql(keys.admin, LIST, {
      first: 3,
      after: page1.body.data.reviewInvitations.pageInfo.endCursor,
    });
    expect(
      page2.body.data.reviewInvitations.nodes.map((n: { order: { externalId: string } }) => n.order.externalId),
    ).toEqual(['o4']);

    const foreign = (await t.gql(other.keys.support, LIST, {})).body.data.reviewInvitations.nodes[0].id;
    const node = await t.gql(keys.support, 'query($id: ID!) { node(id: $id) { id } }', { id: foreign });
    expect(node.body.data).toEqual({ node: null });
    const storefront = await t.gql(keys.storefront, LIST, {});
    expect(storefront.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('a page of 100 invitations with customer and items takes one statement besides the count', async () => {
    const { keys } = await newShop(t);
    const orders = Array.from({ length: 100 }, (_, k) => ({
      externalId: `p-${k}`,
      customer: { externalId: `c-${k % 9}`, email: `c${k % 9}@example.com` },
      items: [
        { sku: 'SHOE', deliveryDate: day(-3) },
        { sku: 'TENT', deliveryDate: day(-3) },
      ],
    }));
    await mutate(t, keys.admin, 'mutation($input: UpsertOrdersInput!) { upsertOrders(input: $input) { __typename } }', {
      orders,
    });
    t.resetStatements();
    const res = await t.gql(keys.support, LIST, { first: 100 });
    expect(res.body.data.reviewInvitations.nodes).toHaveLength(100);
    // Key, the page (invitations with orders, customers, items joined), the count.
    expect(t.statements).toHaveLength(3);
  });
});
