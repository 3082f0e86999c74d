// Bad input gets a clear error and writes nothing. Every case counts the rows
// of every table before and after, on a client that already holds an order the request touches.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';
import { ORDER_FIELDS, rowCounts, UPSERT_ORDER, upsertOrderOk } from './order-helpers.ts';

const t = useTestApp();
let admin: string;
let stored: unknown;

beforeAll(async () => {
  ({
    keys: { admin },
  } = await t.newClient());
  await upsertOrderOk(t, admin, {
    externalId: 'o1',
    customer: { externalId: 'c1', name: 'Ada', email: 'ada@example.com' },
    items: [{ sku: 'A', name: 'Apple', deliveryDate: '2026-01-01' }],
  });
  stored = await readOrder();
});

async function readOrder() {
  const res = await t.gql(admin, `{ order(externalId: "o1") { ${ORDER_FIELDS} } }`);
  return res.body.data.order;
}

/** Runs the request and checks no table changed and the stored order is as it was. */
async function unchangedBy<T>(request: () => Promise<T>): Promise<T> {
  const before = await rowCounts(t);
  const result = await request();
  expect(await rowCounts(t)).toEqual(before);
  expect(await readOrder()).toEqual(stored);
  return result;
}

/** A request touching the stored order and customer, plus whatever `patch` adds. */
function input(patch: { externalId?: string; customer?: Record<string, unknown>; items?: Record<string, unknown>[] }) {
  return {
    externalId: patch.externalId ?? 'o1',
    customer: { externalId: 'c1', name: 'Changed name', ...patch.customer },
    items: [{ sku: 'A', name: 'Changed item' }, { sku: 'NEW', name: 'New item' }, ...(patch.items ?? [])],
  };
}

/** Sends upsertOrder, expects a ValidationError with exactly these field paths, and no write. */
async function expectValidationError(variables: unknown, paths: string[][]) {
  const res = await unchangedBy(() => t.gql(admin, UPSERT_ORDER, { input: variables }));
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const result = res.body.data.upsertOrder;
  expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
  expect(result.fieldErrors.map((e: { path: string[] }) => e.path)).toEqual(paths);
  for (const e of result.fieldErrors) expect(e.message).toMatch(/\w/);
  return result;
}

/** Sends upsertOrder with a value the schema's scalar rejects: HTTP 400 naming the field, no write. */
async function expectRejectedScalar(variables: unknown, where: string) {
  const res = await unchangedBy(() => t.gql(admin, UPSERT_ORDER, { input: variables }));
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0].message).toContain(`at "${where}"`);
  expect(res.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
}

const long = 'x'.repeat(256);

describe('identifiers', () => {
  it('rejects an empty or blank order externalId', async () => {
    await expectValidationError(input({ externalId: '' }), [['input', 'externalId']]);
    const r = await expectValidationError(input({ externalId: '   ' }), [['input', 'externalId']]);
    expect(r.message).toBe('Invalid input at input.externalId: must not be empty or blank');
  });

  it('rejects 256-character order, customer and item ids', async () => {
    const r = await expectValidationError(input({ externalId: long }), [['input', 'externalId']]);
    expect(r.fieldErrors[0].message).toBe('must be at most 255 characters');
    await expectValidationError(input({ customer: { externalId: long } }), [['input', 'customer', 'externalId']]);
    await expectValidationError(input({ customer: { externalId: '' } }), [['input', 'customer', 'externalId']]);
    await expectValidationError(input({ items: [{ sku: long }] }), [['input', 'items', '2', 'sku']]);
    await expectValidationError(input({ items: [{ sku: '' }] }), [['input', 'items', '2', 'sku']]);
  });

  it('accepts 255 characters', async () => {
    const ok = 'y'.repeat(255);
    const { order } = await upsertOrderOk(t, admin, {
      externalId: ok,
      customer: { externalId: ok },
      items: [{ sku: ok }],
    });
    expect(order.externalId).toBe(ok);
    await t.db.order.delete({ where: { id: (await t.db.order.findFirstOrThrow({ where: { externalId: ok } })).id } });
    await t.db.customer.deleteMany({ where: { externalId: ok } });
  });

  it('rejects control characters, which PostgreSQL cannot store, with a ValidationError', async () => {
    await expectValidationError(input({ externalId: 'o\u0000' }), [['input', 'externalId']]);
    await expectValidationError(input({ items: [{ sku: 'Z', name: 'bad\u0000name' }] }), [
      ['input', 'items', '2', 'name'],
    ]);
    await expectValidationError(input({ items: [{ sku: 'Z', properties: { k: 'v\u0000' } }] }), [
      ['input', 'items', '2', 'properties', 'k'],
    ]);
  });
});

describe('text and dates the database would not store as sent', () => {
  it('rejects a lone UTF-16 surrogate (half of a pair) instead of storing U+FFFD', async () => {
    const lone = 'caf\ud800e';
    const r = await expectValidationError(
      input({
        customer: { externalId: `c\udc00` },
        items: [{ sku: 'Z', name: lone, properties: { [`k\ud83d`]: 'v', size: lone } }],
      }),
      [
        ['input', 'customer', 'externalId'],
        ['input', 'items', '2', 'name'],
        ['input', 'items', '2', 'properties', 'k\ud83d'],
        ['input', 'items', '2', 'properties', 'size'],
      ],
    );
    expect(r.fieldErrors[0].message).toBe(
      'must be valid Unicode text (it holds a lone UTF-16 surrogate, half of a pair)',
    );
    // In a scalar (URL parsing would replace it unseen): refused before anything runs.
    await expectRejectedScalar(
      input({ items: [{ sku: 'Z', url: 'https://shop.example/\ud800' }] }),
      'input.items[2].url',
    );
    // A real pair (an emoji) is text like any other.
    const { order } = await upsertOrderOk(t, admin, {
      externalId: 'emoji',
      customer: { externalId: 'c-text' },
      items: [{ sku: 'E', name: 'Tent \u{1F3D5}' }],
    });
    expect(order.items[0].name).toBe('Tent \u{1F3D5}');
    await t.db.order.deleteMany({ where: { externalId: 'emoji' } });
    await t.db.customer.deleteMany({ where: { externalId: 'c-text' } });
  });

  it('a lone surrogate written into the document is refused by the parser', async () => {
    const res = await unchangedBy(() =>
      t.gql(admin, 'mutation { upsertOrder(input: { externalId: "o1\ud800" }) { __typename } }'),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('rejects delivery dates outside 1970-01-01 … 2100-12-31 with the field path', async () => {
    for (const deliveryDate of ['0000-01-01', '1969-12-31', '2101-01-01', '9999-12-31']) {
      const r = await expectValidationError(input({ items: [{ sku: 'Z', deliveryDate }] }), [
        ['input', 'items', '2', 'deliveryDate'],
      ]);
      expect(r.fieldErrors[0].message).toBe('must be a date from 1970-01-01 to 2100-12-31');
    }
    const { order } = await upsertOrderOk(t, admin, {
      externalId: 'edges',
      customer: { externalId: 'c-text' },
      items: [
        { sku: 'first', deliveryDate: '1970-01-01' },
        { sku: 'last', deliveryDate: '2100-12-31' },
      ],
    });
    expect(order.items.map((i: { deliveryDate: string }) => i.deliveryDate)).toEqual(['1970-01-01', '2100-12-31']);
    await t.db.order.deleteMany({ where: { externalId: 'edges' } });
    await t.db.customer.deleteMany({ where: { externalId: 'c-text' } });
  });
});

describe('items', () => {
  it('rejects a sku sent twice in one request, naming the repeat', async () => {
    const r = await expectValidationError(input({ items: [{ sku: 'A' }] }), [['input', 'items', '2', 'sku']]);
    expect(r.fieldErrors[0].message).toBe('duplicate sku "A" (also at index 0)');
  });

  it('rejects more than 1000 items', async () => {
    const items = Array.from({ length: 999 }, (_, i) => ({ sku: `bulk-${i}` }));
    const r = await expectValidationError(input({ items }), [['input', 'items']]);
    expect(r.fieldErrors[0].message).toBe('at most 1000 items per call');
  });
});

describe('values the schema scalars reject (HTTP 400 before anything runs)', () => {
  it('an invalid e-mail', async () => {
    await expectRejectedScalar(input({ customer: { email: 'not-an-email' } }), 'input.customer.email');
  });

  it('an invalid URL', async () => {
    await expectRejectedScalar(input({ items: [{ sku: 'Z', url: 'not a url' }] }), 'input.items[2].url');
    await expectRejectedScalar(input({ items: [{ sku: 'Z', imageUrl: '/relative.png' }] }), 'input.items[2].imageUrl');
  });

  it('an invalid date', async () => {
    await expectRejectedScalar(
      input({ items: [{ sku: 'Z', deliveryDate: '2026-02-30' }] }),
      'input.items[2].deliveryDate',
    );
    await expectRejectedScalar(
      input({ items: [{ sku: 'Z', deliveryDate: 'tomorrow' }] }),
      'input.items[2].deliveryDate',
    );
  });

  it('properties that are not an object', async () => {
    await expectRejectedScalar(input({ items: [{ sku: 'Z', properties: ['a'] }] }), 'input.items[2].properties');
    await expectRejectedScalar(input({ items: [{ sku: 'Z', properties: 'colour=red' }] }), 'input.items[2].properties');
  });

  it('an invalid value written into the document (no variables) is a validation error too', async () => {
    const res = await unchangedBy(() =>
      t.gql(
        admin,
        `mutation { upsertOrder(input: { externalId: "o1", customer: { externalId: "c1", email: "bad" } }) { __typename } }`,
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors![0]).toMatchObject({
      message: 'Value is not a valid email address: bad',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe('rules the domain checks (ValidationError result)', () => {
  it('a URL that is not http or https', async () => {
    const r = await expectValidationError(input({ items: [{ sku: 'Z', url: 'ftp://example.com/x' }] }), [
      ['input', 'items', '2', 'url'],
    ]);
    expect(r.fieldErrors[0].message).toBe('must be an http or https URL');
  });

  it('properties whose values are not strings', async () => {
    await expectValidationError(input({ items: [{ sku: 'Z', properties: { size: 42 } }] }), [
      ['input', 'items', '2', 'properties', 'size'],
    ]);
    await expectValidationError(input({ items: [{ sku: 'Z', properties: { nested: { a: 'b' } } }] }), [
      ['input', 'items', '2', 'properties', 'nested'],
    ]);
  });

  it('properties with more than 50 keys', async () => {
    const properties = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const r = await expectValidationError(input({ items: [{ sku: 'Z', properties }] }), [
      ['input', 'items', '2', 'properties'],
    ]);
    expect(r.fieldErrors[0].message).toBe('must have at most 50 keys');
  });

  it('a blank name', async () => {
    await expectValidationError(input({ customer: { name: '  ' } }), [['input', 'customer', 'name']]);
  });

  it('reports every problem at once', async () => {
    await expectValidationError(
      { externalId: '', customer: { externalId: long }, items: [{ sku: 'A' }, { sku: 'B', url: 'ftp://x.example' }] },
      [
        ['input', 'externalId'],
        ['input', 'customer', 'externalId'],
        ['input', 'items', '1', 'url'],
      ],
    );
  });
});

describe('HTTP-level problems', () => {
  it('a malformed JSON body gets HTTP 400', async () => {
    const res = await unchangedBy(() =>
      t.gql(admin, '', undefined, {
        body: '{"query": "mutation { upsertOrder(input: {externalId: \\"o1\\"',
        method: 'POST',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]).toEqual({
      message: 'POST body sent invalid JSON.',
      extensions: { code: 'BAD_REQUEST' },
    });
    // The body is not echoed back (it may hold personal data).
    expect(JSON.stringify(res.body)).not.toContain('upsertOrder');
  });

  it('a non-JSON content type gets HTTP 415 with an explanation', async () => {
    const res = await unchangedBy(() =>
      t.gql(admin, '', undefined, {
        body: 'mutation { upsertOrder(input: {externalId: "o1", customer: {externalId: "c1", name: "X"}}) { __typename } }',
        headers: { 'content-type': 'text/plain' },
      }),
    );
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'Unsupported Content-Type: send the GraphQL request as application/json.',
          extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
        },
      ],
    });
  });

  it('an unknown operationName gets HTTP 400 and runs nothing', async () => {
    const doc = `mutation Known { upsertOrder(input: { externalId: "o1", customer: { externalId: "c1", name: "X" } }) { __typename } }`;
    const res = await unchangedBy(() => t.gql(admin, doc, undefined, { operationName: 'Unknown' }));
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'OPERATION_RESOLUTION_FAILURE' });
  });
});
