// Paging arguments checked before execution, for every connection the document selects (root
// fields, nested ones such as Product.reviews, inside fragments and mutation results): `first` and
// `last` not negative, `after`/`before` one at a time and with their direction, and each cursor of
// that connection and ordering with its row found within the caller's client and visibility
// (cursors.ts). The rows found become the request's positions (Context.cursors); resolvers page
// only from them. Anything else answers BAD_USER_INPUT (HTTP 400) and executes nothing, logged at
// info without the cursor text. Every invalid cursor gets the same answer, "Invalid cursor.":
// malformed, of another connection or ordering, of another client, of a row erased or not visible.
import {
  GraphQLError,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context.ts';
import {
  CONNECTIONS,
  cursorRowsWhere,
  decodeCursor,
  invalidCursor,
  isConnectionType,
  orderingOf,
  type DecodedCursor,
} from '../graphql/cursors.ts';
import type { Logger } from '../logger.ts';
import { requestStateOf } from './request-state.ts';

interface Use {
  connection: string;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/** Connection fields selected by the operation and the fragments it reaches; each definition visited once. */
function connectionUses(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Use[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])),
  );
  const uses: Use[] = [];
  const queued = new Set<string>();
  const queue = [operation as OperationDefinitionNode | NonNullable<ReturnType<typeof fragments.get>>];
  const typeInfo = new TypeInfo(schema);
  for (let definition = queue.pop(); definition; definition = queue.pop()) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        FragmentSpread(node) {
          const fragment = fragments.get(node.name.value);
          if (fragment && !queued.has(node.name.value)) {
            queued.add(node.name.value);
            queue.push(fragment);
          }
        },
        Field(node) {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (parent && field && isConnectionType(field.type))
            uses.push({ connection: `${parent.name}.${field.name}`, field, node });
        },
      }),
    );
  }
  return uses;
}

class Refusal extends Error {
  constructor(
    readonly error: GraphQLError,
    readonly reason: string,
    readonly use: Use,
  ) {
    super(reason);
  }
}

function badArgument(use: Use, argument: string, message: string, reason = 'paging arguments'): Refusal {
  const error = new GraphQLError(message, {
    nodes: use.node,
    extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } },
  });
  return new Refusal(error, reason, use);
}

function refuseCursor(use: Use, argument: 'after' | 'before', reason: string): Refusal {
  const { message, extensions } = invalidCursor(argument);
  return new Refusal(new GraphQLError(message, { nodes: use.node, extensions }), reason, use);
}

interface Wanted {
  use: Use;
  argument: 'after' | 'before';
  text: string;
  cursor: DecodedCursor;
}

/** Checks one use's arguments; returns its cursor to look up, if any. Throws a Refusal. */
function checkArguments(use: Use, args: Record<string, unknown>, ctx: Context): Wanted | undefined {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (typeof value === 'number' && value < 0)
      throw badArgument(use, name, `\`${name}\` must be 0 or more; it was ${value}.`);
  }
  if (args.after != null && args.before != null)
    throw badArgument(use, 'before', 'Pass `after` or `before`, not both.');
  if (args.after != null && args.last != null)
    throw badArgument(use, 'last', '`last` counts back from `before`; with `after` use `first`.');
  if (args.before != null && args.first != null)
    throw badArgument(use, 'first', '`first` counts on from `after`; with `before` use `last`.');
  const argument = args.before != null ? 'before' : 'after';
  const text = args[argument];
  if (typeof text !== 'string') return undefined;
  const cursor = decodeCursor(text);
  if (!cursor) throw refuseCursor(use, argument, 'malformed');
  if (cursor.connection !== use.connection) throw refuseCursor(use, argument, 'another connection');
  if (cursor.ordering !== orderingOf(use.connection, args)) throw refuseCursor(use, argument, 'another ordering');
  const spec = CONNECTIONS[use.connection];
  if (!cursorRowsWhere(spec.scope, ctx.viewer.clientId, ctx.viewer.role))
    throw refuseCursor(use, argument, 'not visible');
  return { use, argument, text, cursor };
}

type Lookup = (args: { where: object; select: Record<string, true> }) => Promise<Record<string, unknown>[]>;

/** Finds the rows of the wanted cursors (one statement per model) into ctx.cursors. Throws a Refusal. */
async function findPositions(ctx: Context, wanted: Wanted[]) {
  const groups = new Map<string, Wanted[]>();
  for (const w of wanted) {
    const { model, scope } = CONNECTIONS[w.use.connection];
    groups.set(`${model} ${scope}`, [...(groups.get(`${model} ${scope}`) ?? []), w]);
  }
  for (const list of groups.values()) {
    const { model, scope } = CONNECTIONS[list[0].use.connection];
    const select: Record<string, true> = { id: true };
    for (const w of list)
      for (const [key] of CONNECTIONS[w.use.connection].orderings[w.cursor.ordering]) select[key] = true;
    const where = {
      ...cursorRowsWhere(scope, ctx.viewer.clientId, ctx.viewer.role),
      id: { in: list.map((w) => w.cursor.id) },
    };
    const rows = await (ctx.db[model].findMany as unknown as Lookup)({ where, select });
    const found = new Map(rows.map((row) => [row.id as string, row]));
    for (const w of list) {
      const row = found.get(w.cursor.id);
      if (!row) throw refuseCursor(w.use, w.argument, 'not found');
      ctx.cursors.set(w.text, { id: w.cursor.id, values: row });
    }
  }
}

export function useCursorGuard(logger: Logger): Plugin {
  const usesOf = new WeakMap<DocumentNode, Map<string, Use[]>>();
  const cachedUses = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) => {
    const byOperation = usesOf.get(document) ?? new Map<string, Use[]>();
    usesOf.set(document, byOperation);
    const name = operation.name?.value ?? '';
    const uses = byOperation.get(name) ?? connectionUses(schema, document, operation);
    byOperation.set(name, uses);
    return uses;
  };
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as Context;
      const operation = getOperationAST(args.document, args.operationName);
      if (!ctx.viewer || !operation) return; // execution reports a missing operation
      const uses = cachedUses(args.schema, args.document, operation);
      if (!uses.length) return;
      const variables = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
      if (variables.errors) return; // execution reports them and runs no resolver
      try {
        const wanted = uses.flatMap(
          (use) => checkArguments(use, getArgumentValues(use.field, use.node, variables.coerced), ctx) ?? [],
        );
        if (wanted.length) await findPositions(ctx, wanted);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        logger.info(
          {
            requestId: requestStateOf(args.contextValue)?.requestId,
            code: 'BAD_USER_INPUT',
            field: error.use.connection,
            argument: error.error.extensions.argument,
            reason: error.reason,
          },
          'paging arguments refused',
        );
        setResultAndStopExecution({ errors: [error.error] });
      }
    },
  };
}
