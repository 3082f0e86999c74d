// Cross-site safety, as a stranger holding a shop's public storefront key (pk_…) would try it
// from another web site: requests a browser sends without asking first (form posts, text/plain,
// bare GETs) never run; CORS answers only the configured origins, and every answer varies by
// Origin.
import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { DEFAULT_HTTP_SETTINGS, loadConfig } from '../src/config.ts';
import { CSRF_HEADER } from '../src/platform/http/cross-site.ts';
import { useTestApp } from './helpers.ts';
import { newStore } from './review-fixtures.ts';

const t = useTestApp();

const ASK =
  'mutation { askQuestion(input: { productSku: "TENT-1", title: "Waterproof?", content: "Is it?", authorNick: "x", authorEmail: "x@example.com" }) { __typename } }';

function post(key: string, contentType: string, body: string, headers: Record<string, string> = {}) {
  return t.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType, ...headers },
    body,
  });
}

const questions = (clientId: string) => t.db.question.count({ where: { clientId } });

describe('requests a browser sends without a preflight do not run', () => {
  it('form-urlencoded (403), multipart and text/plain (415) POSTs of a mutation: nothing stored', async () => {
    const { clientId, keys } = await newStore(t);
    const form = `query=${encodeURIComponent(ASK)}`;
    const multipart = `--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: ASK })}\r\n--b--\r\n`;
    const refusals = [];
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', form],
      ['multipart/form-data; boundary=b', multipart],
      ['text/plain', JSON.stringify({ query: ASK })],
    ]) {
      const res = await post(keys.storefront, type, body);
      const json = await res.json();
      refusals.push([type, res.status, json.errors[0].extensions.code]);
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
    expect(refusals).toEqual([
      ['application/x-www-form-urlencoded', 403, 'CSRF_HEADER_REQUIRED'],
      // Not read at all: no uploads here, and text/plain is not a GraphQL request.
      ['multipart/form-data; boundary=b', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ]);
    const formRes = await post(keys.storefront, 'application/x-www-form-urlencoded', form);
    expect((await formRes.json()).errors[0].message).toContain(`add the header "${CSRF_HEADER}: 1"`);
    expect(await questions(clientId)).toBe(0);
    // Header or not, multipart is not read.
    const withHeader = await post(keys.storefront, 'multipart/form-data; boundary=b', multipart, {
      [CSRF_HEADER]: '1',
    });
    expect(withHeader.status).toBe(415);
    expect(await questions(clientId)).toBe(0);
    // The same mutation as JSON (always preflighted by browsers) runs.
    const json = await post(keys.storefront, 'application/json', JSON.stringify({ query: ASK }));
    expect(json.status).toBe(200);
    expect((await json.json()).data.askQuestion.__typename).toBe('AskQuestionSuccess');
    expect(await questions(clientId)).toBe(1);
  });

  it('a GET needs the header: without it 403, with it the query runs', async () => {
    const { keys } = await newStore(t);
    const url = `http://localhost/graphql?query=${encodeURIComponent('{ product(sku: "TENT-1") { name } }')}`;
    const headers = { authorization: `Bearer ${keys.storefront}`, accept: 'application/graphql-response+json' };
    const bare = await t.app.fetch(url, { headers });
    expect(bare.status).toBe(403);
    expect((await bare.json()).errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
    const ok = await t.app.fetch(url, { headers: { ...headers, [CSRF_HEADER]: '1' } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data).toEqual({ product: { name: 'Tent' } });
  });

  it('probes and GraphiQL are not GraphQL requests and need no header', async () => {
    expect((await t.app.fetch('http://localhost/healthz')).status).toBe(200);
    const page = await t.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('CORS', () => {
  const SHOP = 'https://shop.example';
  const EVIL = 'https://evil.example';
  const preflight = (app: App, origin: string) =>
    app.fetch('http://localhost/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
  const corsHeaders = (res: Response) => [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));
  const varies = (res: Response) => (res.headers.get('vary') ?? '').split(/,\s*/);

  it('sends no CORS headers unless origins are configured, and still varies by Origin', async () => {
    expect(DEFAULT_HTTP_SETTINGS.corsOrigins).toEqual([]);
    const res = await preflight(t.app, SHOP);
    expect(corsHeaders(res)).toEqual([]);
    expect(varies(res)).toContain('Origin');
    const { keys } = await t.newClient();
    const answer = await t.gql(keys.storefront, '{ viewer { role } }', undefined, { headers: { origin: SHOP } });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('vary')).toBe('Origin, Authorization, Accept');
  });

  it('answers the preflight of a listed origin, and gives any other origin no CORS header at all', async () => {
    const settings = loadConfig({ CORS_ORIGINS: `${SHOP}, https://www.shop.example` }).http;
    expect(settings.corsOrigins).toEqual([SHOP, 'https://www.shop.example']);
    const app = createApp({ db: t.db, ...settings });
    const ok = await preflight(app, 'https://www.shop.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(ok.headers.get('access-control-allow-headers')).toBe(
      `authorization, content-type, x-request-id, ${CSRF_HEADER}`,
    );
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect(varies(ok)).toContain('Origin');
    const refused = await preflight(app, EVIL);
    expect(corsHeaders(refused)).toEqual([]);
    expect(varies(refused)).toContain('Origin');
    // The real request: the listed origin may read the answer, the other may not.
    const { keys } = await t.newClient();
    const call = (origin: string) =>
      app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { origin, authorization: `Bearer ${keys.storefront}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { role } }' }),
      });
    const fromShop = await call(SHOP);
    expect(fromShop.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(fromShop.headers.get('access-control-expose-headers')).toBe('x-request-id, retry-after');
    const fromEvil = await call(EVIL);
    expect(corsHeaders(fromEvil)).toEqual([]);
    expect(varies(fromEvil)).toContain('Origin');
    await app.dispose();
  });

  it('with a single listed origin, another origin still gets no Access-Control-Allow-Origin', async () => {
    const app = createApp({ db: t.db, corsOrigins: [SHOP] });
    expect((await preflight(app, SHOP)).headers.get('access-control-allow-origin')).toBe(SHOP);
    const other = await preflight(app, EVIL);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await app.dispose();
  });

  it('refuses a wildcard or anything that is not an origin in CORS_ORIGINS', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS: list the origins/);
    expect(() => loadConfig({ CORS_ORIGINS: `${SHOP}/` })).toThrow(
      `CORS_ORIGINS: "${SHOP}/" is not an origin: write it as "${SHOP}"`,
    );
    expect(() => loadConfig({ CORS_ORIGINS: 'shop.example' })).toThrow(/is not an origin/);
    expect(() => loadConfig({ CORS_ORIGINS: 'ftp://shop.example' })).toThrow(/is not an origin/);
  });
});
