// Request hygiene: body size limit (413), batching off or capped, a time limit per request,
// the test-only delay hook refused in production. (CORS and CSRF: cross-site.test.ts.)
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { DEFAULT_HTTP_SETTINGS, loadConfig } from '../src/config.ts';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

function post(app: App, key: string, body: BodyInit, headers: Record<string, string> = {}) {
  return app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
      ...headers,
    },
    body,
    duplex: 'half', // needed for streamed bodies
  } as RequestInit);
}

describe('body size', () => {
  it('refuses bodies over the limit with 413, by Content-Length and when streamed', async () => {
    expect(DEFAULT_HTTP_SETTINGS.maxBodyBytes).toBe(2 * 1024 * 1024);
    const app = createApp({ db: t.db, maxBodyBytes: 2048 });
    const { keys } = await t.newClient();
    const query = (pad: number) =>
      JSON.stringify({ query: `{ viewer { role } }`, variables: { pad: 'x'.repeat(pad) } });
    const ok = await post(app, keys.admin, query(1900));
    expect(ok.status).toBe(200);
    const big = await post(app, keys.admin, query(3000));
    expect(big.status).toBe(413);
    expect((await big.json()).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    const bytes = new TextEncoder().encode(query(3000));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 500) controller.enqueue(bytes.slice(i, i + 500));
        controller.close();
      },
    });
    const streamed = await post(app, keys.admin, stream);
    expect(streamed.status).toBe(413);
    await app.dispose();
  });
});

describe('body size over real HTTP', () => {
  it('trusts a Content-Length within the limit, refuses one over it, and counts chunked bodies', async () => {
    const app = createApp({ db: t.db, maxBodyBytes: 2048 });
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const { keys } = await t.newClient();
    const body = (pad: number) => JSON.stringify({ query: `{ viewer { role } }`, variables: { pad: 'x'.repeat(pad) } });
    const send = (text: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${keys.admin}`,
              ...headers,
            },
          },
          (res) => {
            let data = '';
            res.on('data', (c) => (data += c));
            res.on('end', () => resolve({ status: res.statusCode!, body: data }));
          },
        );
        req.on('error', reject);
        // Chunked: written in pieces without Content-Length.
        for (let i = 0; i < text.length; i += 500) req.write(text.slice(i, i + 500));
        req.end();
      });
    try {
      const ok = await send(body(1900), { 'content-length': String(Buffer.byteLength(body(1900))) });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body).data.viewer.role).toBe('ADMIN');
      const big = await send(body(3000), { 'content-length': String(Buffer.byteLength(body(3000))) });
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
      expect((await send(body(1900), { 'transfer-encoding': 'chunked' })).status).toBe(200);
      expect((await send(body(3000), { 'transfer-encoding': 'chunked' })).status).toBe(413);
      const bad = await post(app, keys.admin, body(10), { 'content-length': '10, 10' });
      expect(bad.status).toBe(400);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await app.dispose();
    }
  });
});

describe('batching', () => {
  const batch = (n: number) => JSON.stringify(Array.from({ length: n }, () => ({ query: `{ viewer { role } }` })));

  it('is off by default', async () => {
    const { keys } = await t.newClient();
    const res = await post(t.app, keys.admin, batch(2));
    expect(res.status).toBe(400);
  });

  it('when enabled, is capped', async () => {
    const app = createApp({ db: t.db, batchLimit: 2 });
    const { keys } = await t.newClient();
    const two = await post(app, keys.admin, batch(2));
    expect(two.status).toBe(200);
    expect((await two.json()).map((r: any) => r.data)).toEqual([
      { viewer: { role: 'ADMIN' } },
      { viewer: { role: 'ADMIN' } },
    ]);
    const three = await post(app, keys.admin, batch(3));
    expect(three.status).toBe(413);
    expect((await three.json()).errors[0].message).toBe('Batching is limited to 2 operations per request.');
    await app.dispose();
  });
});

describe('request time limit', () => {
  it('stops a request that runs too long with TIMEOUT (503)', async () => {
    const app = createApp({ db: t.db, requestTimeoutMs: 300, testDelayHeader: true });
    const { keys } = await t.newClient();
    const started = Date.now();
    const res = await post(app, keys.admin, JSON.stringify({ query: `{ viewer { role } }` }), {
      'x-test-delay-ms': '3000',
    });
    const took = Date.now() - started;
    expect(res.status).toBe(503);
    expect((await res.json()).errors).toEqual([
      {
        message: 'The request ran longer than 300 ms and was stopped. Ask for less, or retry.',
        extensions: { code: 'TIMEOUT' },
      },
    ]);
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2_000);
    await app.dispose();
  });

  it('ignores the delay header unless the test flag is on, and refuses the flag in production', async () => {
    const { keys } = await t.newClient();
    const started = Date.now();
    const res = await post(t.app, keys.admin, JSON.stringify({ query: `{ viewer { role } }` }), {
      'x-test-delay-ms': '5000',
    });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(DEFAULT_HTTP_SETTINGS.testDelayHeader).toBe(false);
    expect(() => loadConfig({ TEST_DELAY_HEADER: 'true', NODE_ENV: 'production' })).toThrow(
      /TEST_DELAY_HEADER: is for tests only/,
    );
  });
});
