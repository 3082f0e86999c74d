// The demo seed fills a store with content that exercises every rule: verified and unverified
// reviews, every status, answered questions, seller reviews. Seeding twice adds nothing.
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../src/features/seed/seed.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

describe('seed', () => {
  it('fills the demo store with reviews, questions and seller reviews the storefront can read', async () => {
    const { client, keys } = await t.newClient('demo-seed');
    const clientId = client.id;
    const result = await seedDemo(t.db, clientId, 12);
    const where = { clientId };
    expect(result).toMatchObject({ products: 20, orders: 12 });
    expect(result.reviews).toBe(await t.db.review.count({ where }));
    expect(result.verifiedReviews).toBe(await t.db.review.count({ where: { clientId, verified: true } }));
    expect(result.questions).toBe(await t.db.question.count({ where }));
    expect(result.answeredQuestions).toBe(await t.db.question.count({ where: { clientId, answer: { not: null } } }));
    expect(result.sellerReviews).toBe(await t.db.sellerReview.count({ where }));
    expect(result.verifiedReviews).toBeGreaterThan(0);
    expect(result.reviews).toBeGreaterThan(result.verifiedReviews);
    expect(result.answeredQuestions).toBeGreaterThan(0);
    expect(result.sellerReviews).toBeGreaterThan(0);
    const statuses = await t.db.review.groupBy({ by: ['status'], where, _count: { _all: true } });
    expect(statuses.map((s) => s.status).sort()).toContain('PUBLISHED');

    const published = await t.db.review.count({ where: { clientId, status: 'PUBLISHED' } });
    const res = await t.gql(
      keys.storefront,
      `{ reviews { totalCount } products(first: 100) { nodes { ratingSummary { count } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.reviews.totalCount).toBe(published);
    const summed = res.body.data.products.nodes.reduce(
      (n: number, p: { ratingSummary: { count: number } }) => n + p.ratingSummary.count,
      0,
    );
    expect(summed).toBe(published);

    const again = await seedDemo(t.db, clientId, 12);
    expect(again).toMatchObject({ reviews: 0, questions: 0, sellerReviews: 0 });
    expect(await t.db.review.count({ where })).toBe(result.reviews);
  });
});
