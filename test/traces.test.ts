// Traces (src/platform/observability/tracing.ts) with an in-memory exporter: one query through
// app.fetch makes the tree request → parse, validate, context, execute → Prisma's operation →
// one span per SQL statement, whose text has placeholders and never the values sent.
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { startTracing } from '../src/platform/observability/tracing.ts';
import { useTestApp } from './helpers.ts';
import { UPSERT_ORDER } from './order-helpers.ts';

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ serviceName: 'test', exporter });
afterAll(() => tracing.shutdown());
const t = useTestApp({ tracing: true });

const EMAIL = 'ada.traces@example.com';
const EXTERNAL_ID = 'trace-order-7f3a';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) =>
  spans.filter((s) => parentOf(s) === parent.spanContext().spanId);

describe('traces', () => {
  it('gives one query a span tree down to each SQL statement, without parameter values', async () => {
    const { keys } = await t.newClient();
    const input = {
      externalId: EXTERNAL_ID,
      customer: { externalId: 'c-trace', email: EMAIL },
      items: [{ sku: 'S1' }],
    };
    expect((await t.gql(keys.admin, UPSERT_ORDER, { input })).status).toBe(200);
    exporter.reset();
    const res = await t.gql(keys.admin, `query Find($id: String!) { order(externalId: $id) { customer { email } } }`, {
      id: EXTERNAL_ID,
    });
    expect(res.body.data.order.customer.email).toBe(EMAIL);
    const spans = exporter.getFinishedSpans();
    const roots = spans.filter((s) => s.name === 'graphql.request');
    expect(roots).toHaveLength(1);
    const [request] = roots;
    expect(parentOf(request!)).toBeUndefined();
    expect(request!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.name': 'Find',
    });
    const phases = childrenOf(spans, request!).map((s) => s.name);
    expect(phases).toEqual(
      expect.arrayContaining(['graphql.parse', 'graphql.validate', 'graphql.context', 'graphql.execute']),
    );
    const execute = spans.find((s) => s.name === 'graphql.execute')!;
    const operations = childrenOf(spans, execute).filter((s) => s.name === 'prisma:client:operation');
    expect(operations.length).toBeGreaterThan(0);
    const sql = spans.filter((s) => s.name === 'prisma:client:db_query');
    const underExecute = sql.filter((s) => operations.some((o) => parentOf(s) === o.spanContext().spanId));
    expect(underExecute.length).toBeGreaterThan(0);
    for (const s of sql) {
      const text = String(s.attributes['db.query.text']);
      expect(text).toMatch(/^(SELECT|INSERT|UPDATE|DELETE|WITH)/i);
      expect(text).toMatch(/\$1/);
    }
    // Each span ends after its children (it wraps them; none is ended early). Prisma times its
    // spans on its own clock: 1 ms of slack between the two.
    const ends = (s: ReadableSpan) => s.endTime[0] * 1e3 + s.endTime[1] / 1e6;
    for (const parent of [request!, execute])
      for (const child of childrenOf(spans, parent)) expect(ends(parent) + 1).toBeGreaterThanOrEqual(ends(child));
    // The key is verified before the document is parsed: its lookup is in the request's trace,
    // outside execution.
    expect(spans.filter((s) => s.spanContext().traceId !== request!.spanContext().traceId)).toEqual([]);
    const keyLookup = sql.filter((s) => /api_keys/.test(String(s.attributes['db.query.text'])));
    expect(keyLookup.length).toBeGreaterThan(0);
    expect(keyLookup.some((s) => underExecute.includes(s))).toBe(false);
    // No value a caller sent, in any attribute of any span.
    const everything = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of [EMAIL, EXTERNAL_ID, keys.admin]) expect(everything).not.toContain(secret);
  });
});
