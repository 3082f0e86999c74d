// Set-based SQL that fills one client's tables: every table is one INSERT … SELECT over
// generate_series, so 600,000 rows take seconds, not minutes. Deterministic shapes (which
// customer placed which order, which skus an order has) come from arithmetic on the row
// number; spreads (ratings, statuses, popular products) from random() after setseed().
//
// Ids are UUIDv7 made from each row's created_at, so keyset order = creation order, as with
// ids the app makes. Numbers are interpolated (they are ours); the client id is $1.

/** Row counts of one client. */
export interface Sizes {
  products: number;
  customers: number;
  orders: number;
  reviews: number;
  questions: number;
  sellerReviews: number;
  /** People with large histories (for the erasure workload): two customers sharing one e-mail each. */
  heavySubjects: number;
  heavyOrdersPerCustomer: number;
  heavyReviews: number;
  heavyQuestions: number;
  heavySellerReviews: number;
}

const FULL: Sizes = {
  products: 20_000,
  customers: 40_000,
  orders: 100_000,
  reviews: 200_000,
  questions: 50_000,
  sellerReviews: 20_000,
  heavySubjects: 5,
  heavyOrdersPerCustomer: 250,
  heavyReviews: 200,
  heavyQuestions: 40,
  heavySellerReviews: 20,
};

const MIN: Sizes = {
  products: 50,
  customers: 20,
  orders: 60,
  reviews: 100,
  questions: 30,
  sellerReviews: 10,
  heavySubjects: 1,
  heavyOrdersPerCustomer: 3,
  heavyReviews: 3,
  heavyQuestions: 2,
  heavySellerReviews: 1,
};

/** The issue's data set times `factor` (1 = 100,000 orders), never below a workable minimum. */
export function sizesFor(factor: number, heavy = true): Sizes {
  const out = {} as Sizes;
  for (const key of Object.keys(FULL) as (keyof Sizes)[]) out[key] = Math.max(MIN[key], Math.round(FULL[key] * factor));
  if (!heavy) out.heavySubjects = 0;
  return out;
}

/** Heavy customers' orders come first (ORD-0000001 …); this many. */
export const heavyOrderCount = (s: Sizes) => s.heavySubjects * 2 * s.heavyOrdersPerCustomer;

/** The e-mail of heavy subject h (0-based). */
export const heavyEmail = (h: number) => `heavy${h}@example.com`;

const pad = (expr: string, width: number) => `lpad((${expr})::text, ${width}, '0')`;
const sku = (expr: string) => `'SKU-' || ${pad(expr, 6)}`;
const customerExt = (expr: string) => `'C-' || ${pad(expr, 7)}`;
const heavyExt = (subject: string, which: string) => `'HEAVY-' || (${subject}) || '-' || (${which})`;

/** A helper function (session-local) for UUIDv7 from a timestamp. */
export const UUID7_FUNCTION = `
  CREATE OR REPLACE FUNCTION pg_temp.uuid7(ts timestamptz) RETURNS uuid AS $$
    SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7'
            || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid
  $$ LANGUAGE sql VOLATILE`;

const text = {
  review: `left(repeat('Solid quality, true to size, fast delivery; would buy again. ', 1 + n % 6), 360)`,
  question: `'Does it come in other sizes, and how does it wash? Asking before I order #' || n`,
  answer: `'Yes: sizes S to XL, machine washable at 30 degrees. Thanks for asking!'`,
};

/**
 * Author of content row n (reviews, questions, seller reviews): the first `heavy` rows belong to
 * the heavy subjects (linked to their first customer), every third row to a regular customer
 * (linked), every seventh other row is written under a customer's e-mail without a link, the rest
 * under readers' e-mails. Columns: ext (customer externalId or null), anon_email.
 */
function authorColumns(s: Sizes, perSubject: number, readers: number) {
  const emails = Math.round(s.customers * 0.85);
  return `
    CASE WHEN n <= ${s.heavySubjects * perSubject} THEN ${heavyExt(`(n - 1) / ${perSubject}`, '0')}
         WHEN n % 3 = 0 THEN ${customerExt(`1 + (n::bigint * 104729) % ${s.customers}`)} END AS ext,
    CASE WHEN n % 7 = 0 THEN 'shopper' || (1 + (n * 31) % ${emails}) || '@example.com'
         ELSE 'reader' || (1 + n % ${readers}) || '@example.net' END AS anon_email`;
}

/** The statements that seed one client, in dependency order, each with a label. */
export function seedStatements(s: Sizes): { label: string; sql: string }[] {
  const emails = Math.round(s.customers * 0.85);
  const readers = Math.max(10, Math.round(s.reviews * 0.3));
  const heavyOrders = heavyOrderCount(s);
  // Two years of history, ending an hour ago: the app's own new rows sort after it.
  const t1 = `(now() - interval '730 days' - interval '1 hour')`;
  const step = (count: number) => `(interval '730 days' / ${count})`;
  const rating = `CASE WHEN x < 0.45 THEN 5 WHEN x < 0.75 THEN 4 WHEN x < 0.87 THEN 3 WHEN x < 0.93 THEN 2 ELSE 1 END`;
  const popularSku = sku(`1 + floor(${s.products} * power(random(), 2))::int % ${s.products}`);
  return [
    {
      label: 'products',
      sql: `INSERT INTO products (id, client_id, sku, family_id, name, category, url, image_url, properties, created_at, updated_at)
        SELECT pg_temp.uuid7(${t1} - interval '30 days' + i * interval '1 second'), $1::uuid, ${sku('i')},
          CASE WHEN i % 10 = 0 THEN NULL ELSE 'FAM-' || ${pad('(i - 1) / 4', 5)} END,
          'Product ' || i, (ARRAY['Shoes','Shirts','Outdoor','Kitchen','Garden','Toys'])[1 + i % 6],
          'https://shop.example.com/p/' || i, 'https://cdn.example.com/p/' || i || '.jpg',
          jsonb_build_object('color', (ARRAY['red','blue','black','white'])[1 + i % 4], 'size', (ARRAY['S','M','L','XL'])[1 + (i / 4) % 4]),
          ${t1} - interval '30 days', ${t1} - interval '30 days'
        FROM generate_series(1, ${s.products}) i`,
    },
    {
      label: 'customers',
      // 15 % of the customers share an e-mail with another customer (guest checkouts, new accounts).
      sql: `INSERT INTO customers (id, client_id, external_id, name, email, opt_out, created_at, updated_at)
        SELECT pg_temp.uuid7(${t1} - interval '20 days' + i * interval '10 ms'), $1::uuid, ${customerExt('i')}, 'Shopper ' || i,
          CASE WHEN i % 50 = 0 THEN NULL ELSE 'shopper' || (1 + (i - 1) % ${emails}) || '@example.com' END,
          i % 40 = 0, ${t1} - interval '20 days', ${t1} - interval '20 days'
        FROM generate_series(1, ${s.customers}) i
        UNION ALL
        SELECT pg_temp.uuid7(${t1} - interval '21 days' + (h * 2 + j) * interval '1 second'), $1::uuid, ${heavyExt('h', 'j')},
          'Heavy Buyer ' || h, 'heavy' || h || '@example.com', false, ${t1} - interval '21 days', ${t1} - interval '21 days'
        FROM generate_series(0, ${s.heavySubjects - 1}) h, generate_series(0, 1) j`,
    },
    {
      label: 'orders',
      sql: `INSERT INTO orders (id, client_id, external_id, customer_id, created_at, updated_at)
        SELECT pg_temp.uuid7(o.created_at), $1::uuid, 'ORD-' || ${pad('o.n', 7)}, c.id, o.created_at, o.created_at
        FROM (SELECT n, ${t1} + n * ${step(s.orders)} AS created_at,
                CASE WHEN n <= ${heavyOrders}
                     THEN ${heavyExt(`(n - 1) / ${s.heavyOrdersPerCustomer} / 2`, `(n - 1) / ${s.heavyOrdersPerCustomer} % 2`)}
                     ELSE ${customerExt(`1 + (n * 7919) % ${s.customers}`)} END AS ext
              FROM generate_series(1, ${s.orders}) n) o
        JOIN customers c ON c.client_id = $1::uuid AND c.external_id = o.ext
        ORDER BY o.n`,
    },
    {
      label: 'order items',
      // 1 to 5 items (3 on average); details copied from the feed as upsertOrder does.
      sql: `INSERT INTO order_items (id, order_id, sku, family_id, name, category, url, image_url, properties,
              delivery_date, reviewable, cancelled_at, created_at, updated_at)
        SELECT pg_temp.uuid7(o.created_at), o.id, p.sku, p.family_id, p.name, p.category, p.url, p.image_url, p.properties,
          CASE WHEN o.n % 10 = 0 THEN NULL ELSE (o.created_at + interval '3 days')::date END, true,
          CASE WHEN (o.n + k) % 100 = 0 THEN o.created_at + interval '1 day' END, o.created_at, o.created_at
        FROM (SELECT id, created_at, substring(external_id FROM 5)::int AS n FROM orders WHERE client_id = $1::uuid) o
        CROSS JOIN LATERAL generate_series(1, 1 + o.n % 5) k
        JOIN products p ON p.client_id = $1::uuid AND p.sku = ${sku(`1 + (o.n * 7 + k * 1237) % ${s.products}`)}
        ORDER BY o.id, k
        ON CONFLICT DO NOTHING`,
    },
    {
      label: 'reviews',
      sql: `INSERT INTO reviews (id, client_id, product_sku, rating, title, content, author_nick, author_email,
              customer_id, verified, status, created_at, updated_at)
        SELECT pg_temp.uuid7(r.created_at), $1::uuid, r.sku, ${rating}, 'Review #' || n || ': ' || (ARRAY['great','fine','ok','meh'])[1 + n % 4],
          ${text.review}, 'nick' || (n % 5000), coalesce(c.email, r.anon_email), c.id, c.id IS NOT NULL AND n % 2 = 0,
          (CASE WHEN y < 0.8 THEN 'PUBLISHED' WHEN y < 0.95 THEN 'PENDING' ELSE 'REJECTED' END)::"ReviewStatus",
          r.created_at, r.created_at
        FROM (SELECT n, ${t1} + n * ${step(s.reviews)} AS created_at, ${popularSku} AS sku, random() AS x, random() AS y,
                ${authorColumns(s, s.heavyReviews, readers)}
              FROM generate_series(1, ${s.reviews}) n) r
        LEFT JOIN customers c ON c.client_id = $1::uuid AND c.external_id = r.ext
        ORDER BY n`,
    },
    {
      label: 'questions',
      // 60 % answered; 85 % published.
      sql: `INSERT INTO questions (id, client_id, product_sku, title, content, author_nick, author_email, customer_id,
              answer, answered_at, status, created_at, updated_at)
        SELECT pg_temp.uuid7(q.created_at), $1::uuid, q.sku, 'Question #' || n, ${text.question}, 'nick' || (n % 5000),
          coalesce(c.email, q.anon_email), c.id,
          CASE WHEN n % 5 < 3 THEN ${text.answer} END, CASE WHEN n % 5 < 3 THEN q.created_at + interval '1 day' END,
          (CASE WHEN x < 0.85 THEN 'PUBLISHED' ELSE 'PENDING' END)::"ReviewStatus", q.created_at, q.created_at
        FROM (SELECT n, ${t1} + n * ${step(s.questions)} AS created_at, ${popularSku} AS sku, random() AS x,
                ${authorColumns(s, s.heavyQuestions, readers)}
              FROM generate_series(1, ${s.questions}) n) q
        LEFT JOIN customers c ON c.client_id = $1::uuid AND c.external_id = q.ext
        ORDER BY n`,
    },
    {
      label: 'seller reviews',
      // Every other one verified through a (regular) order of its author.
      sql: `INSERT INTO seller_reviews (id, client_id, rating, title, content, author_nick, author_email, customer_id, order_id,
              verified, status, created_at, updated_at)
        SELECT pg_temp.uuid7(sr.created_at), $1::uuid, ${rating}, 'Shop review #' || n, ${text.review}, 'nick' || (n % 5000),
          coalesce(c.email, sr.anon_email), c.id, o.id, o.id IS NOT NULL,
          (CASE WHEN y < 0.8 THEN 'PUBLISHED' ELSE 'PENDING' END)::"ReviewStatus", sr.created_at, sr.created_at
        FROM (SELECT n, ${t1} + n * ${step(s.sellerReviews)} AS created_at, random() AS x, random() AS y,
                CASE WHEN n <= ${s.heavySubjects * s.heavySellerReviews} THEN ${heavyExt(`(n - 1) / ${s.heavySellerReviews}`, '0')} END AS ext,
                CASE WHEN n > ${s.heavySubjects * s.heavySellerReviews} AND n % 2 = 0
                     THEN 'ORD-' || ${pad(`${heavyOrders + 1} + (n * 7) % ${Math.max(1, s.orders - heavyOrders)}`, 7)} END AS order_ext,
                'reader' || (1 + n % ${readers}) || '@example.net' AS anon_email
              FROM generate_series(1, ${s.sellerReviews}) n) sr
        LEFT JOIN orders o ON o.client_id = $1::uuid AND o.external_id = sr.order_ext
        LEFT JOIN customers c ON c.client_id = $1::uuid AND c.id = coalesce(o.customer_id,
          (SELECT id FROM customers WHERE client_id = $1::uuid AND external_id = sr.ext))
        ORDER BY n`,
    },
  ];
}
