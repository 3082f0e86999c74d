// The document analysis (cost and expanded field count) is linear in the document whatever its
// fragment graph, and agrees with a naive walk that expands every spread. Random fragment DAGs
// (fast-check): small ones are compared with the naive walk; large ones, up to the token limit,
// must be analysed visiting each written selection at most twice. Work is counted, not timed.
import fc from 'fast-check';
import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isCompositeType,
  parse,
  validate,
  specifiedRules,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_SETTINGS } from '../src/config.ts';
import {
  analyzeOperation,
  MAX_NESTING,
  NestingLimitError,
  rootFieldNames,
} from '../src/platform/http/query-analysis.ts';
import { schema } from '../src/schema.ts';

const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20261201);
const MAX_TOKENS = DEFAULT_HTTP_SETTINGS.limits.maxTokens;

function tokens(doc: string): number {
  const lexer = new Lexer(new Source(doc));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

const operationOf = (doc: DocumentNode) =>
  doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;

/** Selections written in the document (every selection node once). */
function writtenSelections(doc: DocumentNode): number {
  let n = 0;
  const stack: SelectionSetNode[] = doc.definitions.map(
    (d) => (d as OperationDefinitionNode | FragmentDefinitionNode).selectionSet,
  );
  for (let set = stack.pop(); set; set = stack.pop()) {
    n += set.selections.length;
    for (const sel of set.selections)
      if (sel.kind !== Kind.FRAGMENT_SPREAD && sel.selectionSet) stack.push(sel.selectionSet);
  }
  return n;
}

/**
 * The reference: expand every spread where it stands (exponential on purpose, small graphs only).
 * Costs: object 1, scalar 0, connection 1 + page × node; the shapes below use nothing else.
 */
function naive(doc: DocumentNode): { cost: number; fields: number } {
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const walk = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    page: number | undefined,
  ): { cost: number; fields: number } => {
    let cost = 0;
    let fields = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD || sel.kind === Kind.INLINE_FRAGMENT) {
        const node = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value)! : sel;
        const type = node.typeCondition
          ? (schema.getType(node.typeCondition.name.value) as GraphQLCompositeType)
          : parent;
        const inner = walk(node.selectionSet, type, page);
        cost += inner.cost;
        fields += inner.fields;
        continue;
      }
      fields += 1;
      if (sel.name.value.startsWith('__')) continue;
      const field = 'getFields' in parent ? parent.getFields()[sel.name.value] : undefined;
      const type = field && getNamedType(field.type);
      if (!field || !type || !isCompositeType(type) || !sel.selectionSet) continue;
      const first = sel.arguments?.find((a) => a.name.value === 'first');
      const size = first && first.value.kind === Kind.INT ? Number(first.value.value) : undefined;
      const inner = walk(sel.selectionSet, type, size);
      fields += inner.fields;
      const own = 1 + inner.cost; // a connection's page multiplies its nodes, inside `walk`
      cost += page !== undefined && (sel.name.value === 'nodes' || sel.name.value === 'edges') ? own * page : own;
    }
    return { cost, fields };
  };
  return walk(operationOf(doc).selectionSet, schema.getQueryType()!, undefined);
}

/**
 * A random DAG of fragments on Query (Q0…) and on Product (P0…): fragment i spreads only
 * fragments with a higher number, so there is no cycle; each spread may be repeated, directly or
 * inside an inline fragment.
 */
const dag = (maxFragments: number, maxSpreads: number) =>
  fc
    .record({
      q: fc.integer({ min: 1, max: maxFragments }),
      p: fc.integer({ min: 1, max: maxFragments }),
      seed: fc.array(fc.nat(1000), {
        minLength: 4 * maxFragments * (maxSpreads + 2),
        maxLength: 4 * maxFragments * (maxSpreads + 2),
      }),
    })
    .map(({ q, p, seed }) => {
      let at = 0;
      const next = (n: number) => seed[at++ % seed.length] % n;
      const body = (kind: 'Q' | 'P', i: number, count: number) => {
        const parts: string[] = [];
        // Aliases named after the fragment keep fields with different arguments apart (validation).
        const leaves =
          kind === 'Q'
            ? ['__typename', 'viewer { role }', `q${i}: products(first: ${1 + next(5)}) { nodes { sku } }`]
            : ['sku', 'name', `r${i}: reviews(first: ${1 + next(4)}) { nodes { rating } }`];
        parts.push(leaves[next(leaves.length)]);
        for (let s = 0; s < 1 + next(maxSpreads); s++) {
          const same = next(3) > 0;
          const target = same ? i + 1 + next(Math.max(1, count - i - 1)) : next(kind === 'Q' ? p : q);
          if (same && target >= count) continue;
          const spread = same
            ? `...${kind}${target}`
            : kind === 'Q'
              ? `q${i}_${s}: products(first: ${1 + next(3)}) { nodes { ...P${target} } }`
              : '';
          if (!spread) continue;
          parts.push(next(4) === 0 ? `... on ${kind === 'Q' ? 'Query' : 'Product'} { ${spread} }` : spread);
        }
        return parts.join(' ');
      };
      const defs = [
        ...Array.from({ length: q }, (_, i) => `fragment Q${i} on Query { ${body('Q', i, q)} }`),
        ...Array.from({ length: p }, (_, i) => `fragment P${i} on Product { ${body('P', i, p)} }`),
      ];
      return `{ ...Q0 }\n${defs.join('\n')}`;
    });

/** The spread fragments only (validation refuses unused ones, and the tests want valid documents). */
function usedOnly(text: string): DocumentNode {
  const doc = parse(text);
  const used = new Set<string>();
  const byName = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const stack: SelectionSetNode[] = [operationOf(doc).selectionSet];
  for (let set = stack.pop(); set; set = stack.pop()) {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        if (!used.has(sel.name.value)) stack.push(byName.get(sel.name.value)!.selectionSet);
        used.add(sel.name.value);
      } else if (sel.selectionSet) stack.push(sel.selectionSet);
    }
  }
  return {
    ...doc,
    definitions: doc.definitions.filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || used.has(d.name.value)),
  };
}

describe('document analysis', () => {
  it('agrees with the naive expanding walk on small fragment DAGs', () => {
    fc.assert(
      fc.property(dag(5, 3), (text) => {
        const doc = usedOnly(text);
        expect(validate(schema, doc, specifiedRules)).toEqual([]);
        const got = analyzeOperation(schema, doc, operationOf(doc));
        const want = naive(doc);
        expect({ cost: got.cost, fields: got.fields }).toEqual({ cost: Math.max(1, want.cost), fields: want.fields });
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('visits each written selection at most twice, on DAGs up to the token limit', () => {
    fc.assert(
      fc.property(dag(60, 4), (text) => {
        fc.pre(tokens(text) <= MAX_TOKENS);
        const doc = usedOnly(text);
        const got = analyzeOperation(schema, doc, operationOf(doc));
        expect(got.visits).toBeLessThanOrEqual(2 * writtenSelections(doc));
        expect(Number.isFinite(got.cost) && Number.isFinite(got.fields)).toBe(true);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('sums a doubling chain of 200 fragments in one step per fragment', () => {
    const n = 200;
    const text = `{ viewer { ...F0 } }\n${Array.from({ length: n }, (_, i) => `fragment F${i} on Viewer { ...F${i + 1} ...F${i + 1} }`).join('\n')}\nfragment F${n} on Viewer { role }`;
    const doc = parse(text);
    const got = analyzeOperation(schema, doc, operationOf(doc));
    expect(got.visits).toBeLessThanOrEqual(2 * writtenSelections(doc));
    expect(got.fields).toBe(Number.MAX_SAFE_INTEGER); // 2^200 + 1, reported at the cap
    expect(got.cost).toBe(1);
  });

  it('refuses selections nested past the bound instead of recursing on', () => {
    const deep = (n: number) => `{ ${'... { '.repeat(n)}__typename${' }'.repeat(n)} }`;
    expect(
      analyzeOperation(schema, parse(deep(MAX_NESTING - 1)), operationOf(parse(deep(MAX_NESTING - 1)))).fields,
    ).toBe(1);
    const doc = parse(deep(MAX_NESTING + 1));
    expect(() => analyzeOperation(schema, doc, operationOf(doc))).toThrow(NestingLimitError);
  });

  it('finds the root fields through fragments, entering each once', () => {
    const doc = parse(
      `{ ...A ...A product(sku: "x") { sku } } fragment A on Query { ...B ... on Query { ...B reviews { totalCount } } } fragment B on Query { __typename products { totalCount } }`,
    );
    expect([...rootFieldNames(doc, operationOf(doc))].sort()).toEqual(['__typename', 'product', 'products', 'reviews']);
  });
});
