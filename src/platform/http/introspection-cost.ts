// What introspection returns, for the cost model: the number of types and directives in the
// schema; for the lists inside them (a type's fields, an enum's values, a field's arguments, …)
// their average size over the schema; and for `ofType` the share of type references that wrap
// another (non-null, list), so a chain of `ofType` costs what such chains hold on average.
// Averages make the price of the usual introspection query (every type, each with its fields and
// their arguments) about its real size: types × fields per type = all fields, × arguments per
// field = all arguments. A single `__type(name:)` is priced as an average type. Worked out once
// per schema.
import {
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLSchema,
  type GraphQLType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';

type Sizes = Record<string, number>;
const cache = new WeakMap<GraphQLSchema, Sizes>();

function sizesOf(schema: GraphQLSchema): Sizes {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  const fields: GraphQLField<unknown, unknown>[] = [];
  const inputs: GraphQLInputField[] = [];
  let interfaces = 0;
  let possibleTypes = 0;
  let enumValues = 0;
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      fields.push(...Object.values(type.getFields()));
      interfaces += type.getInterfaces().length;
    }
    if (isInterfaceType(type) || isUnionType(type)) possibleTypes += schema.getPossibleTypes(type).length;
    if (isEnumType(type)) enumValues += type.getValues().length;
    if (isInputObjectType(type)) inputs.push(...Object.values(type.getFields()));
  }
  const args = [...fields.flatMap((f) => f.args), ...directives.flatMap((d) => d.args)];
  // Type references (of fields, arguments and input fields): each is a chain of wrappers ending
  // in a named type; `ofType` is an object for a wrapper and null for the named type.
  let wrappers = 0;
  let refs = 0;
  for (const { type } of [...fields, ...args, ...inputs]) {
    for (let t: GraphQLType = type; isNonNullType(t) || isListType(t); t = t.ofType) wrappers++;
    refs++;
  }
  const perType = (n: number) => n / Math.max(1, types.length);
  return {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': perType(fields.length),
    '__Type.interfaces': perType(interfaces),
    '__Type.possibleTypes': perType(possibleTypes),
    '__Type.enumValues': perType(enumValues),
    '__Type.inputFields': perType(inputs.length),
    '__Type.ofType': wrappers / Math.max(1, wrappers + refs),
    '__Field.args': fields.reduce((n, f) => n + f.args.length, 0) / Math.max(1, fields.length),
    '__Directive.args': directives.reduce((n, d) => n + d.args.length, 0) / Math.max(1, directives.length),
  };
}

/**
 * How many objects an introspection field returns: elements of a list (`__Type.fields`, …), or
 * the chance `ofType` is not null; undefined for other fields.
 */
export function introspectionSize(schema: GraphQLSchema, typeName: string, fieldName: string): number | undefined {
  if (!typeName.startsWith('__')) return undefined;
  let sizes = cache.get(schema);
  if (!sizes) {
    sizes = sizesOf(schema);
    cache.set(schema, sizes);
  }
  return sizes[`${typeName}.${fieldName}`];
}
