// The ceiling's SQL: each request is ONE statement that checks the API key and builds the whole
// response JSON inside PostgreSQL (the same JSON as the GraphQL API's `data`), so the node side
// only hashes the key and writes bytes. $1 is the SHA-256 of the key.

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

/** OrderSync($after = $2, an order id or null) for an ADMIN or SUPPORT key. */
export const ORDER_SYNC_SQL = `
WITH k AS (SELECT client_id FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL AND role IN ('ADMIN', 'SUPPORT'))
SELECT json_build_object('orders', ${page(
  `SELECT o.*, row_number() OVER (ORDER BY o.id) AS rn FROM orders o
   WHERE o.client_id = k.client_id AND ($2::uuid IS NULL OR o.id > $2::uuid) ORDER BY o.id LIMIT 101`,
  100,
  `json_build_object(
    'id', ${globalId('Order', 'x.id')}, 'externalId', x.external_id,
    'createdAt', ${iso('x.created_at')}, 'updatedAt', ${iso('x.updated_at')},
    'customer', (SELECT json_build_object('id', ${globalId('Customer', 'cu.id')}, 'externalId', cu.external_id,
        'name', cu.name, 'email', cu.email, 'optOut', cu.opt_out) FROM customers cu WHERE cu.id = x.customer_id),
    'items', (SELECT coalesce(json_agg(json_build_object('sku', i.sku, 'familyId', i.family_id, 'name', i.name,
        'category', i.category, 'url', i.url, 'imageUrl', i.image_url, 'properties', i.properties,
        'deliveryDate', to_char(i.delivery_date, 'YYYY-MM-DD'), 'reviewable', i.reviewable,
        'cancelled', i.cancelled_at IS NOT NULL) ORDER BY i.id), '[]'::json)
      FROM order_items i WHERE i.order_id = x.id))`,
)})::text AS body
FROM k`;
