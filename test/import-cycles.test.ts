// No import cycles in src/: a module must not reach itself through its imports (type-only imports
// count too: a cycle of types is a cycle of responsibilities). Dynamic import() is left out, as it
// loads lazily. The finder itself is checked on a small graph, so the suite cannot pass vacuously.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const STATIC_IMPORT = /(?:\bfrom|^\s*import)\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Relative imports of every .ts file under `dir` (generated code left out). */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, entry);
    if (!file.endsWith('.ts') || file.includes('/generated/')) continue;
    const targets = [...readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)].map((m) => join(dirname(file), m[1]));
    graph.set(
      file,
      targets.filter((t) => !t.includes('/generated/')),
    );
  }
  return graph;
}

/** Each cycle found by a depth-first walk, as the path that closes it (first module repeated last). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const done = new Set<string>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) cycles.push([...path.slice(at), next]);
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(node);
  };
  for (const node of graph.keys()) if (!done.has(node)) visit(node);
  return cycles;
}

describe('import cycles', () => {
  it('finds a cycle, and only the cycle, in a small graph', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('src/ has none', () => {
    const graph = importGraph('src');
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(join('src', 'app.ts'))).toContain(join('src', 'schema.ts'));
    expect(findCycles(graph)).toEqual([]);
  });
});
