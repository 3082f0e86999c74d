// Persisted operations through app.fetch: automatic persisted queries (hash + GET) in the
// default mode, trusted documents for storefront keys with TRUSTED_DOCUMENTS=storefront and
// codegen's manifest, and the cache headers a CDN sees.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadManifest } from '../src/platform/http/trusted-documents.ts';
import { CSRF_HEADER } from '../src/platform/http/cross-site.ts';
import { useTestApp } from './helpers.ts';
import { review, useStore } from './review-fixtures.ts';

const MANIFEST_PATH = 'examples/gql/persisted-documents.json';
const MANIFEST = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
const manifestEntry = (operation: string) => {
  const [id, document] = Object.entries(MANIFEST).find(([, d]) => d.includes(`query ${operation}(`))!;
  return { id, hash: id.replace('sha256:', ''), document };
};
const PRODUCT_PAGE = manifestEntry('ProductPage');
const VARIABLES = { sku: 'SHOE-red', reviews: 5, questions: 5 };
const PUBLIC = 'public, max-age=45, stale-while-revalidate=15';
const NO_STORE = 'private, no-store';
const OTHER_QUERY = '{ viewer { role } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const t = useTestApp();
const store = useStore(t);
let trusted: App;

beforeAll(async () => {
  await review(t, store.keys, { productSku: 'SHOE-red', rating: 4, title: 'Good grip', authorNick: 'ada' });
  trusted = createApp({ db: t.db, trustedDocuments: { mode: 'storefront', manifestPath: MANIFEST_PATH } });
});
afterAll(async () => {
  await trusted?.dispose();
});

interface Call {
  method?: 'GET' | 'POST';
  key?: string | null;
  query?: string;
  hash?: string;
  documentId?: string;
  variables?: Record<string, unknown>;
}

/** One request as a client sends it: GET puts everything in the query string. */
async function call(app: App, c: Call) {
  const extensions = c.hash ? { persistedQuery: { version: 1, sha256Hash: c.hash } } : undefined;
  const params: Record<string, unknown> = {
    query: c.query,
    variables: c.variables,
    extensions,
    documentId: c.documentId,
  };
  const headers = new Headers({ accept: 'application/graphql-response+json' });
  if (c.key) headers.set('authorization', `Bearer ${c.key}`);
  let url = 'http://localhost/graphql';
  let body: string | undefined;
  if ((c.method ?? 'GET') === 'GET') {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      if (v !== undefined) search.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    url += `?${search}`;
    headers.set(CSRF_HEADER, '1'); // a GET must show it was not sent by a form on another site
  } else {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(params);
  }
  const res = await app.fetch(url, { method: c.method ?? 'GET', headers, body });
  const json = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  return {
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
    vary: res.headers.get('vary'),
    data: json.data,
    codes: json.errors?.map((e) => e.extensions?.code),
    messages: json.errors?.map((e) => e.message),
  };
}

const EXPECTED_PAGE = {
  product: {
    sku: 'SHOE-red',
    name: 'Trail shoe (red)',
    url: null,
    familyId: 'SHOE',
    ratingSummary: { average: 4, count: 1, histogram: [0, 0, 0, 1, 0] },
    familyRatingSummary: { average: 4, count: 1 },
    reviews: {
      totalCount: 1,
      nodes: [
        {
          authorNick: 'ada',
          rating: 4,
          title: 'Good grip',
          content: 'Comfortable from day one.',
          verified: false,
          createdAt: expect.any(String),
        },
      ],
    },
    questions: { totalCount: 0, nodes: [] },
  },
};

describe('automatic persisted queries (TRUSTED_DOCUMENTS=off, the default)', () => {
  it('unknown hash → PERSISTED_QUERY_NOT_FOUND; sent with its document it registers; then the hash alone works over GET and is cacheable', async () => {
    const first = await call(t.app, { key: store.keys.storefront, hash: PRODUCT_PAGE.hash, variables: VARIABLES });
    expect(first).toMatchObject({
      status: 404,
      codes: ['PERSISTED_QUERY_NOT_FOUND'],
      cacheControl: NO_STORE,
      data: undefined,
    });
    expect(first.messages![0]).toMatch(/^PersistedQueryNotFound: send the query together with its hash/);

    const register = await call(t.app, {
      key: store.keys.storefront,
      hash: PRODUCT_PAGE.hash,
      query: PRODUCT_PAGE.document,
      variables: VARIABLES,
    });
    expect(register).toMatchObject({ status: 200, codes: undefined, data: EXPECTED_PAGE, cacheControl: PUBLIC });

    const hashOnly = await call(t.app, { key: store.keys.storefront, hash: PRODUCT_PAGE.hash, variables: VARIABLES });
    expect(hashOnly).toMatchObject({ status: 200, codes: undefined, data: EXPECTED_PAGE, cacheControl: PUBLIC });
    expect(hashOnly.vary).toBe('Origin, Authorization, Accept');

    // Variables come from the query string: another sku, another answer from the same hash.
    const other = await call(t.app, {
      key: store.keys.storefront,
      hash: PRODUCT_PAGE.hash,
      variables: { ...VARIABLES, sku: 'TENT-1' },
    });
    expect(other.data.product).toMatchObject({
      sku: 'TENT-1',
      ratingSummary: { average: null, count: 0, histogram: [0, 0, 0, 0, 0] },
    });
  });

  it('refuses a hash that is not the sha256 of the document sent with it (no registration under a foreign hash)', async () => {
    const wrong = sha256('something else');
    const res = await call(t.app, { key: store.keys.admin, hash: wrong, query: OTHER_QUERY });
    expect(res).toMatchObject({ status: 400, codes: ['PERSISTED_QUERY_HASH_MISMATCH'], data: undefined });
    const after = await call(t.app, { key: store.keys.admin, hash: wrong });
    expect(after.codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('registers only for a valid key and a valid document', async () => {
    const anonymous = '{ viewer { keyPrefix } }';
    expect(await call(t.app, { key: null, query: anonymous, hash: sha256(anonymous) })).toMatchObject({
      status: 401,
      codes: ['UNAUTHENTICATED'],
    });
    expect((await call(t.app, { key: store.keys.storefront, hash: sha256(anonymous) })).codes).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    const invalid = '{ viewer { nope } }';
    expect((await call(t.app, { key: store.keys.admin, query: invalid, hash: sha256(invalid) })).codes).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect((await call(t.app, { key: store.keys.admin, hash: sha256(invalid) })).codes).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });

  it('a request with neither a query nor a hash is a BAD_REQUEST', async () => {
    const res = await call(t.app, { key: store.keys.admin, variables: {} });
    expect(res).toMatchObject({ status: 400, codes: ['BAD_REQUEST'], cacheControl: NO_STORE });
  });
});

describe('cache headers', () => {
  const query = PRODUCT_PAGE.document;
  it.each([
    ['storefront GET read', { key: 'storefront', method: 'GET' }, PUBLIC],
    ['storefront POST read', { key: 'storefront', method: 'POST' }, NO_STORE],
    ['admin GET read', { key: 'admin', method: 'GET' }, NO_STORE],
    ['support GET read', { key: 'support', method: 'GET' }, NO_STORE],
  ] as const)('%s → %s', async (_name, c, expected) => {
    const res = await call(t.app, { key: store.keys[c.key], method: c.method, query, variables: VARIABLES });
    expect(res).toMatchObject({
      status: 200,
      codes: undefined,
      data: EXPECTED_PAGE,
      cacheControl: expected,
      vary: 'Origin, Authorization, Accept',
    });
  });

  it('a storefront GET with an error (personal data asked for) is not cacheable', async () => {
    const res = await call(t.app, {
      key: store.keys.storefront,
      query: '{ reviews(first: 1) { nodes { title authorEmail } } }',
    });
    expect(res.codes).toEqual(['FORBIDDEN']);
    expect(res.data).toEqual({ reviews: { nodes: [{ title: 'Good grip', authorEmail: null }] } });
    expect(res.cacheControl).toBe(NO_STORE);
  });

  it('a request without a key (401) and a mutation are not cacheable', async () => {
    expect(await call(t.app, { key: null, query })).toMatchObject({
      status: 401,
      codes: ['UNAUTHENTICATED'],
      cacheControl: NO_STORE,
      vary: 'Origin, Authorization, Accept',
    });
    const mutation = await call(t.app, {
      key: store.keys.storefront,
      method: 'POST',
      query:
        'mutation { askQuestion(input: { productSku: "SHOE-red", title: "Size?", content: "Runs small?", authorNick: "bo", authorEmail: "bo@example.com" }) { __typename } }',
    });
    expect(mutation).toMatchObject({
      status: 200,
      data: { askQuestion: { __typename: 'AskQuestionSuccess' } },
      cacheControl: NO_STORE,
    });
  });
});

describe('trusted documents (TRUSTED_DOCUMENTS=storefront)', () => {
  it('a storefront key runs manifest documents by APQ hash over GET, by documentId over POST and GET', async () => {
    const byHash = await call(trusted, { key: store.keys.storefront, hash: PRODUCT_PAGE.hash, variables: VARIABLES });
    expect(byHash).toMatchObject({ status: 200, codes: undefined, data: EXPECTED_PAGE, cacheControl: PUBLIC });
    const byIdPost = await call(trusted, {
      key: store.keys.storefront,
      method: 'POST',
      documentId: PRODUCT_PAGE.id,
      variables: VARIABLES,
    });
    expect(byIdPost).toMatchObject({ status: 200, data: EXPECTED_PAGE, cacheControl: NO_STORE });
    const byIdGet = await call(trusted, {
      key: store.keys.storefront,
      documentId: PRODUCT_PAGE.id,
      variables: VARIABLES,
    });
    expect(byIdGet).toMatchObject({ status: 200, data: EXPECTED_PAGE, cacheControl: PUBLIC });
  });

  it('a storefront key may not send a document: PERSISTED_QUERY_ONLY (403), nothing runs, even with a valid hash', async () => {
    for (const c of [
      { method: 'POST' as const, query: OTHER_QUERY },
      { method: 'GET' as const, query: OTHER_QUERY },
      { method: 'GET' as const, query: PRODUCT_PAGE.document, hash: PRODUCT_PAGE.hash, variables: VARIABLES },
    ]) {
      const res = await call(trusted, { key: store.keys.storefront, ...c });
      expect(res).toMatchObject({
        status: 403,
        codes: ['PERSISTED_QUERY_ONLY'],
        data: undefined,
        cacheControl: NO_STORE,
      });
      expect(res.messages![0]).toMatch(/^PersistedQueryOnly: storefront keys may only run trusted documents/);
    }
  });

  it('an unknown hash is PERSISTED_QUERY_NOT_FOUND (404) for every key', async () => {
    for (const key of [store.keys.storefront, store.keys.admin]) {
      const res = await call(trusted, { key, hash: sha256(OTHER_QUERY) });
      expect(res).toMatchObject({ status: 404, codes: ['PERSISTED_QUERY_NOT_FOUND'], data: undefined });
      expect(res.messages![0]).toMatch(/^PersistedQueryNotFound: no trusted document has this hash/);
    }
  });

  it('admin and support keys keep arbitrary documents (and may use the manifest); they register nothing', async () => {
    expect(await call(trusted, { key: store.keys.admin, method: 'POST', query: OTHER_QUERY })).toMatchObject({
      status: 200,
      data: { viewer: { role: 'ADMIN' } },
    });
    expect(await call(trusted, { key: store.keys.support, query: OTHER_QUERY })).toMatchObject({
      status: 200,
      data: { viewer: { role: 'SUPPORT' } },
    });
    expect(await call(trusted, { key: store.keys.admin, hash: PRODUCT_PAGE.hash, variables: VARIABLES })).toMatchObject(
      { status: 200, data: EXPECTED_PAGE },
    );
    // Sending a document with its hash registers nothing in this mode.
    expect(await call(trusted, { key: store.keys.admin, query: OTHER_QUERY, hash: sha256(OTHER_QUERY) })).toMatchObject(
      { status: 200 },
    );
    expect((await call(trusted, { key: store.keys.storefront, hash: sha256(OTHER_QUERY) })).codes).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });

  it('every document of the manifest parses and validates against the schema', async () => {
    for (const [id, document] of Object.entries(MANIFEST)) {
      const res = await call(trusted, { key: store.keys.admin, method: 'POST', documentId: id, variables: {} });
      // Missing required variables are the only acceptable complaint: the document itself is valid.
      for (const code of res.codes ?? []) expect(code, `${id}: ${res.messages}`).toBe('BAD_USER_INPUT');
      expect(document).toMatch(/^(query|mutation|fragment) /);
    }
  });
});

describe('configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('codegen manifest loads: every entry is the sha256 of its document', () => {
    const loaded = loadManifest(MANIFEST_PATH);
    expect(loaded.size).toBe(Object.keys(MANIFEST).length);
    expect(loaded.get(PRODUCT_PAGE.hash)).toBe(PRODUCT_PAGE.document);
  });

  it('a manifest whose document does not match its hash is refused at start-up', () => {
    const path = join(dir, 'edited.json');
    writeFileSync(path, JSON.stringify({ [PRODUCT_PAGE.id]: `${PRODUCT_PAGE.document} ` }));
    expect(() => loadManifest(path)).toThrow(
      `entry ${PRODUCT_PAGE.id} is not the sha256 of its document; regenerate it (npm run codegen)`,
    );
    writeFileSync(path, '["not", "a", "map"]');
    expect(() => loadManifest(path)).toThrow('expected an object of "sha256:<hex>": "<document>"');
    expect(() =>
      createApp({ db: t.db, trustedDocuments: { mode: 'storefront', manifestPath: join(dir, 'missing.json') } }),
    ).toThrow(/cannot read it as JSON/);
  });

  it('TRUSTED_DOCUMENTS: off by default; storefront needs a manifest path', () => {
    expect(loadConfig({}).http.trustedDocuments).toEqual({
      mode: 'off',
      manifestPath: undefined,
      registeredPerClient: 1_000,
    });
    expect(
      loadConfig({ TRUSTED_DOCUMENTS: 'storefront', TRUSTED_DOCUMENTS_MANIFEST: MANIFEST_PATH }).http.trustedDocuments,
    ).toEqual({
      mode: 'storefront',
      manifestPath: MANIFEST_PATH,
      registeredPerClient: 1_000,
    });
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'storefront' })).toThrow(
      /TRUSTED_DOCUMENTS_MANIFEST: is required with TRUSTED_DOCUMENTS=storefront/,
    );
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'all' })).toThrow(/TRUSTED_DOCUMENTS/);
  });

  it('a shared cache keeps a storefront answer at most 60 s in all (fresh + stale), configurable', async () => {
    const total = (header: string) =>
      [...header.matchAll(/(?:max-age|stale-while-revalidate)=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(total(PUBLIC)).toBe(60);
    expect(loadConfig({}).http.sharedCache).toEqual({ maxAge: 45, stale: 15 });
    expect(() => loadConfig({ STOREFRONT_CACHE_MAX_AGE: '60', STOREFRONT_CACHE_STALE: '300' })).toThrow(
      /STOREFRONT_CACHE_STALE: /,
    );
    expect(() => loadConfig({ STOREFRONT_CACHE_MAX_AGE: '50', STOREFRONT_CACHE_STALE: '11' })).toThrow(
      'STOREFRONT_CACHE_STALE: STOREFRONT_CACHE_MAX_AGE + STOREFRONT_CACHE_STALE must be at most 60 s',
    );
    const read = { key: store.keys.storefront, query: PRODUCT_PAGE.document, variables: VARIABLES };
    for (const [env, header] of [
      [
        { STOREFRONT_CACHE_MAX_AGE: '20', STOREFRONT_CACHE_STALE: '10' },
        'public, max-age=20, stale-while-revalidate=10',
      ],
      [{ STOREFRONT_CACHE_MAX_AGE: '60', STOREFRONT_CACHE_STALE: '0' }, 'public, max-age=60'],
      [{ STOREFRONT_CACHE_MAX_AGE: '0' }, NO_STORE],
    ] as const) {
      const app = createApp({ db: t.db, sharedCache: loadConfig(env).http.sharedCache });
      const res = await call(app, read);
      expect(res).toMatchObject({ status: 200, data: EXPECTED_PAGE, cacheControl: header });
      await app.dispose();
    }
  });
});
