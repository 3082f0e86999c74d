// SQL budget of the storefront's hot reads, counted with the Prisma query-event capture.
// Every count includes the API-key lookup (1 statement per request).
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';

const t = useTestApp();
let storefront: string;
let storeId: string;

const PRODUCTS = 50;
const REVIEWS_PER_PRODUCT = 6;
/** Helpful votes of review r of each product: MOST_HELPFUL order is r = 2, 4, 0, 5, 1, 3. */
const HELPFUL = [4, 1, 9, 0, 7, 1];
const MOST_HELPFUL = [2, 4, 0, 5, 1, 3];

/** 50 products in families of 5; each with 6 published reviews (ratings 1..5, 5) and 2 unpublished; 8 questions on P-00. */
beforeAll(async () => {
  const { client, keys } = await t.newClient();
  storefront = keys.storefront;
  const clientId = client.id;
  storeId = clientId;
  const skus = Array.from({ length: PRODUCTS }, (_, i) => `P-${String(i).padStart(2, '0')}`);
  await t.db.product.createMany({
    data: skus.map((sku, i) => ({ clientId, sku, name: `Product ${i}`, familyId: `F-${Math.floor(i / 5)}` })),
  });
  const base = Date.UTC(2026, 0, 1);
  await t.db.review.createMany({
    data: skus.flatMap((productSku, p) => [
      ...Array.from({ length: REVIEWS_PER_PRODUCT }, (_, r) => ({
        clientId,
        productSku,
        rating: (r % 5) + 1,
        title: `${productSku} review ${r}`,
        content: 'Text',
        authorNick: 'nick',
        authorEmail: `a${r}@example.com`,
        status: 'PUBLISHED' as const,
        createdAt: new Date(base + p * 1000 + r),
        helpfulCount: HELPFUL[r],
        unhelpfulCount: r,
        ...(r % 2 === 0 && {
          replyContent: `Reply ${r}`,
          replyCreatedAt: new Date(base),
          replyUpdatedAt: new Date(base),
        }),
      })),
      {
        clientId,
        productSku,
        rating: 1,
        title: 'pending',
        content: 'x',
        authorNick: 'n',
        authorEmail: 'p@example.com',
        createdAt: new Date(base + 10_000_000),
      },
      {
        clientId,
        productSku,
        rating: 1,
        title: 'rejected',
        content: 'x',
        authorNick: 'n',
        authorEmail: 'r@example.com',
        status: 'REJECTED' as const,
        createdAt: new Date(base + 10_000_001),
      },
    ]),
  });
  await t.db.question.createMany({
    data: Array.from({ length: 8 }, (_, q) => ({
      clientId,
      productSku: 'P-00',
      title: `question ${q}`,
      content: 'Is it good?',
      authorNick: 'nick',
      authorEmail: 'q@example.com',
      status: q < 6 ? ('PUBLISHED' as const) : ('PENDING' as const),
      answer: q % 2 ? 'Yes' : null,
      createdAt: new Date(base + q),
    })),
  });
});

async function measure(query: string, variables?: Record<string, unknown>) {
  t.resetStatements();
  const res = await t.gql(storefront, query, variables);
  expect(res.body.errors).toBeUndefined();
  return { data: res.body.data, statements: [...t.statements] };
}

/** Statements that read review rows: not the grouped rating summaries, not a bare COUNT(*). */
const reviewPages = (statements: string[]) =>
  statements.filter(
    (s) => s.includes('"public"."reviews"') && !s.includes('GROUP BY') && !/^SELECT COUNT\(\*\)/.test(s),
  );
const groupedSummaries = (statements: string[]) => statements.filter((s) => /GROUP BY/.test(s));

describe('storefront SQL budget', () => {
  it('product page: product, ratingSummary, reviews(first: 10), questions(first: 5) in 3 statements (budget 4)', async () => {
    const { data, statements } = await measure(`{ product(sku: "P-00") {
      sku name ratingSummary { average count histogram }
      reviews(first: 10) { totalCount nodes { id title content rating authorNick verified createdAt } pageInfo { hasNextPage endCursor } }
      questions(first: 5) { totalCount nodes { id title content authorNick answer answeredAt } pageInfo { hasNextPage } } } }`);
    expect(statements).toHaveLength(3); // key lookup, product + both pages + counts (one LATERAL join), grouped summary
    expect(data.product.ratingSummary).toEqual({ average: 16 / 6, count: 6, histogram: [2, 1, 1, 1, 1] });
    expect(data.product.reviews.totalCount).toBe(6);
    expect(data.product.reviews.nodes.map((n: { title: string }) => n.title)).toEqual(
      [5, 4, 3, 2, 1, 0].map((r) => `P-00 review ${r}`),
    );
    expect(data.product.questions).toMatchObject({ totalCount: 6, pageInfo: { hasNextPage: true } });
    expect(data.product.questions.nodes.map((n: { title: string }) => n.title)).toEqual(
      [5, 4, 3, 2, 1].map((q) => `question ${q}`),
    );
    const page = reviewPages(statements);
    expect(page).toHaveLength(1);
    expect(page[0]).toMatch(/"public"\."reviews".*ORDER BY [^)]*LIMIT/s);
    expect(page[0]).toMatch(/"public"\."questions".*ORDER BY [^)]*LIMIT/s);
  });

  it('product page with familyRatingSummary as well: 4 statements', async () => {
    const { data, statements } =
      await measure(`{ product(sku: "P-03") { ratingSummary { count } familyRatingSummary { average count histogram }
      reviews(first: 10) { nodes { title } } questions(first: 5) { nodes { title } } } }`);
    expect(statements).toHaveLength(4);
    expect(data.product.familyRatingSummary).toEqual({ average: 16 / 6, count: 30, histogram: [10, 5, 5, 5, 5] });
    expect(groupedSummaries(statements)).toHaveLength(2);
  });

  const LISTING = `query($first: Int!) { products(first: $first) { nodes { sku
    ratingSummary { average count histogram } familyRatingSummary { count }
    reviews(first: 3) { nodes { title } } } } }`;

  it('products(first: 5) and products(first: 50) with summaries and 3 reviews each: the same 4 statements', async () => {
    const five = await measure(LISTING, { first: 5 });
    const fifty = await measure(LISTING, { first: 50 });
    expect(five.statements).toHaveLength(4);
    expect(fifty.statements).toHaveLength(4);
    expect(fifty.data.products.nodes).toHaveLength(50);
    for (const [p, node] of fifty.data.products.nodes.entries()) {
      expect(node.ratingSummary).toEqual({ average: 16 / 6, count: 6, histogram: [2, 1, 1, 1, 1] });
      expect(node.familyRatingSummary.count).toBe(30);
      const sku = `P-${String(p).padStart(2, '0')}`;
      expect(node.reviews.nodes.map((n: { title: string }) => n.title)).toEqual(
        [5, 4, 3].map((r) => `${sku} review ${r}`),
      );
    }
  });

  it('every statement that reads review rows has a LIMIT on the reviews page; summaries are one GROUP BY each', async () => {
    const { statements } = await measure(LISTING, { first: 50 });
    const pages = reviewPages(statements);
    expect(pages).toHaveLength(1);
    for (const sql of pages) expect(sql).toMatch(/FROM "public"\."reviews".*ORDER BY [^)]*LIMIT \$\d+/s);
    const grouped = groupedSummaries(statements);
    expect(grouped).toHaveLength(2); // by sku, by family
    const bySku = grouped.find((s) => s.includes('product_sku') && !s.includes('family_id'))!;
    expect(bySku.match(/\$\d+/g)!.length).toBeGreaterThanOrEqual(PRODUCTS); // all 50 skus in one IN list
  });

  it('latest reviews with their product and its rating: 4 statements for 100 reviews', async () => {
    const { data, statements } = await measure(`{ reviews(first: 100, orderBy: HIGHEST_RATING) { totalCount
      nodes { title rating product { sku ratingSummary { average } } } } }`);
    expect(statements).toHaveLength(4); // key, reviews + product (join), totalCount, grouped summary
    expect(data.reviews.totalCount).toBe(PRODUCTS * REVIEWS_PER_PRODUCT);
    expect(data.reviews.nodes).toHaveLength(100);
    const ratings = data.reviews.nodes.map((n: { rating: number }) => n.rating);
    expect(ratings).toEqual([...Array(50).fill(5), ...Array(50).fill(4)]); // one ★5 and one ★4 per product
    const pages = reviewPages(statements);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatch(/ORDER BY "t0"\."rating" DESC, "t0"\."created_at" DESC, "t0"\."id" DESC LIMIT \$\d+/);
  });

  const HELPFUL_PAGE = `query($first: Int!) { products(first: $first) { nodes { sku
    ratingSummary { average count histogram }
    reviews(first: 3, orderBy: MOST_HELPFUL) { nodes { title helpfulCount unhelpfulCount merchantReply { content createdAt updatedAt } } }
    questions(first: 2) { nodes { title } } } } }`;

  it('replies, helpful counts and MOST_HELPFUL add no statement: products(first: 5) and (first: 50) in the same 3', async () => {
    const five = await measure(HELPFUL_PAGE, { first: 5 });
    const fifty = await measure(HELPFUL_PAGE, { first: 50 });
    expect(five.statements).toHaveLength(3); // key lookup, products + review and question pages (join), grouped summary
    expect(fifty.statements).toHaveLength(3);
    expect(fifty.data.products.nodes).toHaveLength(50);
    for (const [p, node] of fifty.data.products.nodes.entries()) {
      const sku = `P-${String(p).padStart(2, '0')}`;
      expect(node.reviews.nodes).toEqual(
        MOST_HELPFUL.slice(0, 3).map((r) => ({
          title: `${sku} review ${r}`,
          helpfulCount: HELPFUL[r],
          unhelpfulCount: r,
          merchantReply: r % 2 === 0 ? expect.objectContaining({ content: `Reply ${r}` }) : null,
        })),
      );
    }
    const pages = reviewPages(fifty.statements);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatch(
      /ORDER BY "[a-z0-9_]+"\."helpful_count" DESC, "[a-z0-9_]+"\."created_at" DESC, "[a-z0-9_]+"\."id" DESC LIMIT/,
    );
  });

  it('the product page with replies, helpful counts and MOST_HELPFUL reviews(first: 10): 3 statements', async () => {
    const { data, statements } = await measure(`{ product(sku: "P-00") { ratingSummary { count }
      reviews(first: 10, orderBy: MOST_HELPFUL) { totalCount nodes { title helpfulCount merchantReply { content } } }
      questions(first: 5) { nodes { title } } } }`);
    expect(statements).toHaveLength(3);
    expect(data.product.reviews.nodes.map((n: { title: string }) => n.title)).toEqual(
      MOST_HELPFUL.map((r) => `P-00 review ${r}`),
    );
  });

  it('MOST_HELPFUL pages are index scans in index order (no sort), per product and for the whole client', async () => {
    await t.db.$executeRawUnsafe('ANALYZE reviews');
    const plans = await t.db.$transaction(async (tx) => {
      // With sorts and sequential scans priced out, a plan without a Sort node exists only when an
      // index yields the order.
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      await tx.$executeRawUnsafe('SET LOCAL enable_sort = off');
      const explain = async (where: string) =>
        (
          await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
            `EXPLAIN SELECT id FROM reviews WHERE client_id = '${storeId}' ${where}
             AND status = 'PUBLISHED' ORDER BY helpful_count DESC, created_at DESC, id DESC LIMIT 10`,
          )
        )
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      return [await explain(`AND product_sku = 'P-00'`), await explain('')];
    });
    const [product, client] = plans;
    expect(product).toMatch(
      /Index (Only )?Scan Backward using reviews_client_id_product_sku_status_helpful_count_created__idx/,
    );
    expect(client).toMatch(
      /Index (Only )?Scan Backward using reviews_client_id_status_helpful_count_created_at_id_idx/,
    );
    for (const plan of plans) expect(plan).not.toMatch(/Sort/);
  });
});
