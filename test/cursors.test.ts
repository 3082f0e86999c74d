// The cursor rules without GraphQL traffic: the text format, the keyset condition, and that a
// schema with a connection missing from CONNECTIONS (or the reverse) does not build.
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CONNECTIONS, decodeCursor, encodeCursor, keysetWhere, ownCursors } from '../src/platform/graphql/cursors.ts';
import { printSchemaSDL } from '../src/schema.ts';

const ID = '01900000-0000-7000-8000-000000000001';

describe('cursor text', () => {
  it('round-trips every connection × ordering and nothing else', () => {
    for (const [connection, { orderings }] of Object.entries(CONNECTIONS))
      for (const ordering of Object.keys(orderings))
        expect(decodeCursor(encodeCursor(connection, ordering, ID))).toEqual({ connection, ordering, id: ID });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const text of [
      '',
      'not base64!',
      b64(`GPC:S:${ID}`),
      b64(`GPC:S:c1|Query.reviews|NEWEST|${ID}|extra`),
      b64(`GPC:S:c1|Query.reviews|ID_ASC|${ID}`),
      b64(`GPC:S:c1|Query.nothing|NEWEST|${ID}`),
      b64(`GPC:S:c1|__proto__|NEWEST|${ID}`),
      b64('GPC:S:c1|Query.reviews|NEWEST|not-a-uuid'),
      b64(`GPC:S:c2|Query.reviews|NEWEST|${ID}`),
      `${encodeCursor('Query.reviews', 'NEWEST', ID)}=`,
    ])
      expect(decodeCursor(text), text).toBeNull();
  });
});

describe('keysetWhere', () => {
  const values = { rating: 4, createdAt: new Date(0), id: ID };
  it('one key: strictly after, or before when paging backward', () => {
    expect(keysetWhere([['id', 'asc']], values, false)).toEqual({ id: { gt: ID } });
    expect(keysetWhere([['id', 'asc']], values, true)).toEqual({ id: { lt: ID } });
    expect(keysetWhere([['id', 'desc']], values, false)).toEqual({ id: { lt: ID } });
  });

  it('several keys: each branch fixes the keys before it', () => {
    const keys = CONNECTIONS['Query.reviews'].orderings.LOWEST_RATING;
    expect(keysetWhere(keys, values, false)).toEqual({
      OR: [
        { rating: { gt: 4 } },
        { rating: 4, createdAt: { lt: values.createdAt } },
        { rating: 4, createdAt: values.createdAt, id: { lt: ID } },
      ],
    });
    expect(keysetWhere(keys, values, true)).toEqual({
      OR: [
        { rating: { lt: 4 } },
        { rating: 4, createdAt: { gt: values.createdAt } },
        { rating: 4, createdAt: values.createdAt, id: { gt: ID } },
      ],
    });
  });

  it('every ordering ends with id, so the order is total', () => {
    for (const { orderings } of Object.values(CONNECTIONS))
      for (const keys of Object.values(orderings)) expect(keys.at(-1)?.[0]).toBe('id');
  });
});

describe('ownCursors', () => {
  const connectionTypes = `
    type ThingPageInfo { endCursor: String }
    type ThingEdge { cursor: String! }
    type ThingsConnection { edges: [ThingEdge!]! pageInfo: ThingPageInfo! }`;

  it('refuses a schema with a connection that has no entry in CONNECTIONS', () => {
    const sdl = printSchemaSDL().replace('type Query {', 'type Query {\n  things: ThingsConnection!\n');
    expect(() => ownCursors(buildSchema(`${sdl}${connectionTypes}`))).toThrow(
      'Query.things is a connection without an entry in CONNECTIONS',
    );
  });

  it('refuses a schema that lacks a connection CONNECTIONS lists', () => {
    const schema = buildSchema(`type Query { things: ThingsConnection! } ${connectionTypes}`);
    expect(() => ownCursors(schema)).toThrow('Query.things is a connection without an entry');
    expect(() => ownCursors(buildSchema('type Query { a: Int }'))).toThrow('names no connection of the schema');
  });
});
