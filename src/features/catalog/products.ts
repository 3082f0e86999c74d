// The product feed: upsertProducts writes up to 1000 products in one statement.
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { parseInput } from '../../platform/rules/errors.ts';
import { identifier, properties, text, uniqueBy, url } from '../../platform/rules/fields.ts';
import { inTransaction } from '../../platform/rules/transaction.ts';

export const MAX_PRODUCTS = 1000;

export const productInput = z.object({
  sku: identifier,
  name: text,
  familyId: identifier.nullish(),
  category: text.nullish(),
  url: url.nullish(),
  imageUrl: url.nullish(),
  properties: properties.nullish(),
});

export const upsertProductsInput = z.object({
  products: z
    .array(productInput)
    .min(1, 'send at least one product')
    .max(MAX_PRODUCTS, `at most ${MAX_PRODUCTS} products per call`)
    .superRefine(uniqueBy((p) => p.sku, 'sku')),
});

/** Optional columns: written when the field is sent (null clears), kept when it is not. */
const OPTIONAL = [
  ['familyId', 'family_id'],
  ['category', 'category'],
  ['url', 'url'],
  ['imageUrl', 'image_url'],
  ['properties', 'properties'],
] as const;

const setOptional = OPTIONAL.map(
  ([key, col]) => `${col} = CASE WHEN d.doc ? '${key}' THEN d.doc->>'${key}' ELSE p.${col} END`,
)
  .join(',\n      ')
  .replace("d.doc->>'properties'", "NULLIF(d.doc->'properties', 'null'::jsonb)");

const ROWS = `SELECT value AS doc, ordinality AS n FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY`;

/** New skus are inserted; rows that exist (or appear concurrently) are left to UPDATE. */
const INSERT = `
  WITH d AS (${ROWS})
  INSERT INTO products (id, client_id, sku, name, family_id, category, url, image_url, properties, created_at, updated_at)
  SELECT (doc->>'id')::uuid, $1::uuid, doc->>'sku', doc->>'name', doc->>'familyId', doc->>'category',
         doc->>'url', doc->>'imageUrl', NULLIF(doc->'properties', 'null'::jsonb), now(), now()
  FROM d ORDER BY n
  ON CONFLICT (client_id, sku) DO NOTHING
  RETURNING sku`;

/** Existing rows: name always, optional fields only where the document has the key. */
const UPDATE = `
  WITH d AS (${ROWS})
  UPDATE products AS p SET
      name = d.doc->>'name',
      ${setOptional},
      updated_at = now()
  FROM d
  WHERE p.client_id = $1::uuid AND p.sku = d.doc->>'sku' AND NOT (d.doc->>'sku' = ANY($3::text[]))`;

/**
 * Creates or updates products by sku, in two set-based statements whatever the count.
 * Returns the skus in request order and how many were created and updated.
 */
export async function upsertProducts(db: Db, clientId: string, raw: unknown) {
  const input = parseInput(upsertProductsInput, raw);
  const docs = input.products.map((p) => ({ id: uuidv7(), ...p }));
  const json = JSON.stringify(docs);
  const created = await inTransaction(db, async (tx) => {
    const inserted = await tx.$queryRawUnsafe<{ sku: string }[]>(INSERT, clientId, json);
    const skus = inserted.map((r) => r.sku);
    if (skus.length < docs.length) await tx.$executeRawUnsafe(UPDATE, clientId, json, skus);
    return skus.length;
  });
  return { skus: docs.map((d) => d.sku), created, updated: docs.length - created };
}
