// The cost model has no free lunch: what a query may return is what it costs. Introspection is
// priced by the objects it returns (about: lists inside a type are priced by their average size
// over the schema); the public storefront key pays it like any query.
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers.ts';

const t = useTestApp();

/** Objects in a JSON value (the `data` object itself not counted). */
function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + objectsIn(v), 0);
  if (value && typeof value === 'object') return 1 + Object.values(value).reduce((n: number, v) => n + objectsIn(v), 0);
  return 0;
}

describe('introspection is priced by what it returns', () => {
  it('types and their fields: exactly one point per object returned', async () => {
    const { keys } = await t.newClient();
    const res = await t.gql(keys.storefront, '{ __schema { types { name fields { name } } } }');
    expect(res.status).toBe(200);
    expect(res.body.extensions.cost.requested).toBe(objectsIn(res.body.data) - 1);
    expect(res.body.extensions.cost.requested).toBeGreaterThan(300);
  });

  it("GraphiQL's full introspection query: within a quarter above the objects it returns", async () => {
    const { keys } = await t.newClient();
    const res = await t.gql(
      keys.storefront,
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    );
    expect(res.status).toBe(200);
    const objects = objectsIn(res.body.data) - 1;
    expect(objects).toBeGreaterThan(1000);
    const { requested, remaining, capacity } = res.body.extensions.cost;
    expect(requested).toBeGreaterThanOrEqual(objects);
    expect(requested).toBeLessThanOrEqual(objects * 1.25);
    expect(remaining).toBe(capacity - requested);
  });
});
