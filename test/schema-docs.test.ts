// GraphiQL's docs pane is the reference manual: every type, field, argument, input field and
// enum value of the public schema must carry a description.
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema.ts';

const hasText = (s: string | null | undefined) => typeof s === 'string' && s.trim().length > 0;

/** Every schema coordinate (Type, Type.field, Type.field(arg:), Enum.VALUE) without a description. */
function undocumented(): string[] {
  const missing: string[] = [];
  const args = (owner: string, list: readonly GraphQLArgument[]) => {
    for (const a of list) if (!hasText(a.description)) missing.push(`${owner}(${a.name}:)`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!hasText(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const coordinate = `${type.name}.${f.name}`;
        if (!hasText(f.description)) missing.push(coordinate);
        args(coordinate, f.args);
      }
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields()) as GraphQLInputField[]) {
        if (!hasText(f.description)) missing.push(`${type.name}.${f.name}`);
      }
    } else if (isEnumType(type)) {
      for (const v of type.getValues()) if (!hasText(v.description)) missing.push(`${type.name}.${v.name}`);
    } else if (isUnionType(type)) {
      // Members are object types, checked on their own.
    }
  }
  return missing;
}

describe('schema documentation', () => {
  it('describes every type, field, argument and enum value', () => {
    expect(undocumented()).toEqual([]);
  });

  it('checks the parts of the schema issue 3 added (the walk is not vacuous)', () => {
    const names = Object.keys(schema.getTypeMap());
    for (const name of [
      'Order',
      'OrderItem',
      'Customer',
      'Product',
      'Viewer',
      'PageInfo',
      'UpsertOrderResult',
      'Node',
      'Error',
    ]) {
      expect(names).toContain(name);
    }
  });
});
