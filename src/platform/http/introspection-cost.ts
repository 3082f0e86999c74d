// What an introspection list returns, for the cost model: the number of types and directives in
// the schema, and for the lists inside them (a type's fields, an enum's values, a field's
// arguments, …) their average size over the schema. Averages make the price of the usual
// introspection query (every type, each with its fields and their arguments) its real size:
// types × fields per type = all fields, × arguments per field = all arguments. A single
// `__type(name:)` is priced as an average type. Worked out once per schema.
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';

type Sizes = Record<string, number>;
const cache = new WeakMap<GraphQLSchema, Sizes>();

function sizesOf(schema: GraphQLSchema): Sizes {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  const fields: GraphQLField<unknown, unknown>[] = [];
  let interfaces = 0;
  let possibleTypes = 0;
  let enumValues = 0;
  let inputFields = 0;
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      fields.push(...Object.values(type.getFields()));
      interfaces += type.getInterfaces().length;
    }
    if (isInterfaceType(type) || isUnionType(type)) possibleTypes += schema.getPossibleTypes(type).length;
    if (isEnumType(type)) enumValues += type.getValues().length;
    if (isInputObjectType(type)) inputFields += Object.keys(type.getFields()).length;
  }
  const perType = (n: number) => n / Math.max(1, types.length);
  const args = fields.reduce((n, f) => n + f.args.length, 0);
  return {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': perType(fields.length),
    '__Type.interfaces': perType(interfaces),
    '__Type.possibleTypes': perType(possibleTypes),
    '__Type.enumValues': perType(enumValues),
    '__Type.inputFields': perType(inputFields),
    '__Field.args': args / Math.max(1, fields.length),
    '__Directive.args': directives.reduce((n, d) => n + d.args.length, 0) / Math.max(1, directives.length),
  };
}

/** Elements of an introspection list field (`__Type.fields`, …); undefined for other fields. */
export function introspectionListSize(schema: GraphQLSchema, typeName: string, fieldName: string): number | undefined {
  if (!typeName.startsWith('__')) return undefined;
  let sizes = cache.get(schema);
  if (!sizes) {
    sizes = sizesOf(schema);
    cache.set(schema, sizes);
  }
  return sizes[`${typeName}.${fieldName}`];
}
