// The ceiling's SQL: each request is ONE statement that also checks the API key ($1 is its
// SHA-256). The product page's statement builds the whole response JSON (the GraphQL API's
// `data`) inside PostgreSQL; the order page's returns flat rows that baseline/order-sync.ts turns
// into the same JSON.

/** base64 of a text, as Buffer.toString('base64') (our texts are < 57 bytes: no line breaks). */
const b64 = (expr: string) => `encode(convert_to(${expr}, 'UTF8'), 'base64')`;
/** Relay global id and plugin-prisma cursor, as the API makes them. */
const globalId = (type: string, id: string) => b64(`'${type}:' || ${id}`);
const cursor = (id: string) => b64(`'GPC:S:' || ${id}`);
/** DateTime as graphql-scalars prints it (toISOString). */
const iso = (ts: string) => `to_char(${ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A forward page: `rows` is a subquery of at most first + 1 rows with a row number `rn` in page
 * order; the page is the first `first` of them, hasNextPage says whether there was one more.
 */
function page(rows: string, first: number, node: string) {
  return `(SELECT json_build_object(
      'pageInfo', json_build_object('hasNextPage', count(*) > ${first},
        'endCursor', (array_agg(${cursor('x.id')} ORDER BY x.rn DESC) FILTER (WHERE x.rn <= ${first}))[1]),
      'nodes', coalesce(json_agg(${node} ORDER BY x.rn) FILTER (WHERE x.rn <= ${first}), '[]'::json))
    FROM (${rows}) x)`;
}

/** Newest first, as the API's default NEWEST order; `where` on alias c, one row more than the page. */
const newest = (table: string, where: string, first: number) =>
  `SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS rn FROM ${table} c
   WHERE ${where} ORDER BY c.created_at DESC, c.id DESC LIMIT ${first + 1}`;

/** ProductPage($sku = $2) for a key of any role. */
export const PRODUCT_PAGE_SQL = `
WITH k AS (SELECT client_id FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL)
SELECT json_build_object('product', (
  SELECT json_build_object(
    'id', ${globalId('Product', 'p.id')}, 'sku', p.sku, 'name', p.name, 'familyId', p.family_id,
    'category', p.category, 'url', p.url, 'imageUrl', p.image_url,
    'familyRatingSummary', (
      SELECT json_build_object(
        'average', CASE WHEN count(*) > 0 THEN sum(r.rating)::float8 / count(*) END,
        'count', count(*),
        'histogram', json_build_array(count(*) FILTER (WHERE r.rating = 1), count(*) FILTER (WHERE r.rating = 2),
          count(*) FILTER (WHERE r.rating = 3), count(*) FILTER (WHERE r.rating = 4), count(*) FILTER (WHERE r.rating = 5)))
      FROM reviews r
      WHERE r.client_id = p.client_id AND r.status = 'PUBLISHED'
        AND r.product_sku = ANY(CASE WHEN p.family_id IS NULL THEN ARRAY[p.sku]
          ELSE ARRAY(SELECT f.sku FROM products f WHERE f.client_id = p.client_id AND f.family_id = p.family_id) END)),
    'reviews', ${page(
      newest('reviews', `c.client_id = p.client_id AND c.product_sku = p.sku AND c.status = 'PUBLISHED'`, 10),
      10,
      `json_build_object('id', ${globalId('Review', 'x.id')}, 'rating', x.rating, 'title', x.title, 'content', x.content,
        'authorNick', x.author_nick, 'verified', x.verified, 'createdAt', ${iso('x.created_at')})`,
    )},
    'questions', ${page(
      newest('questions', `c.client_id = p.client_id AND c.product_sku = p.sku AND c.status = 'PUBLISHED' AND c.answered_at IS NOT NULL`, 5),
      5,
      `json_build_object('id', ${globalId('Question', 'x.id')}, 'title', x.title, 'content', x.content,
        'authorNick', x.author_nick, 'answer', x.answer, 'answeredAt', ${iso('x.answered_at')}, 'createdAt', ${iso('x.created_at')})`,
    )})
  FROM products p WHERE p.client_id = k.client_id AND p.sku = $2))::text AS body
FROM k`;

/**
 * OrderSync($after = $2, an order id or null) for an ADMIN or SUPPORT key, as flat rows (order ×
 * item, with its customer) in array mode: 101 orders at most (the 101st only says hasNextPage).
 */
export const ORDER_SYNC_ROWS_SQL = `
WITH k AS (SELECT client_id FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL AND role IN ('ADMIN', 'SUPPORT')),
page AS (
  SELECT o.id, o.external_id, o.customer_id, o.created_at, o.updated_at FROM orders o, k
  WHERE o.client_id = k.client_id AND ($2::uuid IS NULL OR o.id > $2::uuid) ORDER BY o.id LIMIT 101)
SELECT p.id, p.external_id, (extract(epoch FROM p.created_at) * 1000)::float8, (extract(epoch FROM p.updated_at) * 1000)::float8,
  cu.id, cu.external_id, cu.name, cu.email, cu.opt_out,
  i.sku, i.family_id, i.name, i.category, i.url, i.image_url, i.properties::text, i.delivery_date::text, i.reviewable,
  i.cancelled_at IS NOT NULL
FROM page p JOIN customers cu ON cu.id = p.customer_id LEFT JOIN order_items i ON i.order_id = p.id
ORDER BY p.id, i.id`;

/** Whether the key (SHA-256 $1) is valid for roles $2; only asked when a statement returned no rows. */
export const KEY_CHECK_SQL = `SELECT 1 FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL AND role::text = ANY($2::text[])`;
