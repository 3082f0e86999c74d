// Automatic persisted queries are kept per client: a tenant (or anyone holding its public
// storefront key) registering thousands of documents only ever evicts its own, never another
// tenant's, and a hash one tenant registered is not found for another.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RegisteredDocuments } from '../src/platform/http/registered-documents.ts';
import { useTestApp } from './helpers.ts';

// Batched requests make the flood quick; each operation of a batch registers its own document.
const t = useTestApp({ batchLimit: 100 });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

/** One batched POST registering each document with its hash. */
async function register(key: string, documents: string[]) {
  const res = await t.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(documents.map((query) => ({ query, extensions: persisted(sha256(query)) }))),
  });
  expect(res.status).toBe(200);
  const results = (await res.json()) as { errors?: unknown }[];
  expect(results.filter((r) => r.errors)).toEqual([]);
}

/** A POST naming a document by hash, with the document (registers it) or without. */
async function send(key: string, document: string, withDocument: boolean) {
  const res = await t.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: withDocument ? document : undefined, extensions: persisted(sha256(document)) }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, data: body.data, codes: body.errors?.map((e) => e.extensions?.code) };
}

describe('automatic persisted queries per client', () => {
  it("one tenant registering thousands of documents never evicts another tenant's", async () => {
    const a = await t.newClient();
    const b = await t.newClient();
    const own = 'query ShopPage { products(first: 3) { nodes { sku } } }';
    expect(await send(a.keys.storefront, own, true)).toMatchObject({ status: 200, codes: undefined });
    // Another tenant's hash is not found: stores are not shared (nor can they be probed).
    expect(await send(b.keys.storefront, own, false)).toMatchObject({
      status: 404,
      codes: ['PERSISTED_QUERY_NOT_FOUND'],
    });
    const flood = Array.from({ length: 2_000 }, (_, i) => `query Flood${i} { __typename }`);
    for (let i = 0; i < flood.length; i += 100) await register(b.keys.storefront, flood.slice(i, i + 100));
    expect(await send(a.keys.storefront, own, false)).toMatchObject({
      status: 200,
      data: { products: { nodes: [] } },
    });
    // The flooding tenant keeps its latest PERSISTED_QUERIES_PER_CLIENT (1,000) documents.
    expect((await send(b.keys.storefront, flood[1_999]!, false)).status).toBe(200);
    expect((await send(b.keys.storefront, flood[1_000]!, false)).status).toBe(200);
    expect(await send(b.keys.storefront, flood[999]!, false)).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'] });
  });
});

describe('RegisteredDocuments', () => {
  it('keeps at most its capacity per client, dropping the least recently used first', () => {
    const store = new RegisteredDocuments(2);
    store.set('a', 'h1', 'one');
    store.set('a', 'h2', 'two');
    store.set('b', 'h1', 'other');
    expect(store.get('a', 'h1')).toBe('one'); // h1 is now the most recent of a
    store.set('a', 'h3', 'three');
    expect([store.has('a', 'h1'), store.has('a', 'h2'), store.has('a', 'h3')]).toEqual([true, false, true]);
    expect(store.get('b', 'h1')).toBe('other');
    expect(store.get('b', 'h3')).toBeUndefined();
    expect([store.size('a'), store.size('b'), store.size('c')]).toEqual([2, 1, 0]);
  });
});
