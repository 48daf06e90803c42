/**
 * No runtime import cycle in the client. Each source of client/src (and what it reaches in shared/)
 * is compiled the way the build compiles it (Vite's oxc transform, with this tsconfig), so what is
 * left is exactly what runs: `import type`, `export type` and type-only specifiers are gone, while an
 * `import { type X }` kept as a bare `import '...'` by `verbatimModuleSyntax` still counts. Dynamic
 * `import()` does not count: it evaluates after both modules have finished, so it cannot see a module
 * half-initialised (and the screens are split into chunks by it on purpose).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAst, transformWithOxc } from 'vite';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = path.join(ROOT, 'client/src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** What a file imports when it runs (static imports and re-exports): its modules, and its packages. */
async function runtimeImports(file: string): Promise<{ modules: string[]; packages: string[] }> {
  const { code } = await transformWithOxc(fs.readFileSync(file, 'utf8'), file, {});
  const modules: string[] = [];
  const packages: string[] = [];
  for (const node of parseAst(code).body) {
    const isImport = node.type === 'ImportDeclaration';
    const isReexport = (node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.source;
    if (!isImport && !isReexport) continue;
    const spec = String(node.source!.value);
    if (!spec.startsWith('.')) packages.push(spec);
    else if (/\.tsx?$/.test(spec)) modules.push(path.resolve(path.dirname(file), spec)); // not stylesheets
  }
  return { modules, packages };
}

/** Every file reachable from client/src with its runtime imports (modules), and its packages. */
async function importGraph(): Promise<{ graph: Map<string, string[]>; packages: Map<string, string[]> }> {
  const graph = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const todo = sources(SOURCES);
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (graph.has(file)) continue;
    const found = await runtimeImports(file);
    graph.set(file, found.modules);
    packages.set(file, found.packages);
    todo.push(...found.modules.filter((d) => !graph.has(d)));
  }
  return { graph, packages };
}

/**
 * The modules caught in cycles: each strongly connected component of more than one module (or a
 * module importing itself), sorted (Tarjan's algorithm).
 */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (n: string) => {
    index.set(n, index.size);
    low.set(n, index.get(n)!);
    stack.push(n);
    onStack.add(n);
    for (const d of graph.get(n) ?? []) {
      if (!index.has(d)) {
        visit(d);
        low.set(n, Math.min(low.get(n)!, low.get(d)!));
      } else if (onStack.has(d)) low.set(n, Math.min(low.get(n)!, index.get(d)!));
    }
    if (low.get(n) !== index.get(n)) return;
    const component: string[] = [];
    let m: string;
    do {
      m = stack.pop()!;
      onStack.delete(m);
      component.push(m);
    } while (m !== n);
    if (component.length > 1 || graph.get(n)?.includes(n)) found.push(component.sort());
  };
  for (const n of [...graph.keys()].sort()) if (!index.has(n)) visit(n);
  return found;
}

describe('the client import graph', () => {
  it('has no runtime import cycle', async () => {
    const { graph } = await importGraph();
    expect(graph.size).toBeGreaterThan(50);
    // The walk sees real edges: the page's socket module reaches the store it feeds.
    const socket = path.join(SOURCES, 'net/socket.ts');
    expect(graph.get(socket)!.some((d) => d.includes(`${path.sep}store${path.sep}`))).toBe(true);
    const shown = cycles(graph).map((c) => c.map((f) => path.relative(ROOT, f)).join(' ⇄ '));
    expect(shown).toEqual([]);
  }, 60_000);

  it('reaches no zod: the shared rules it runs (shared/agenda.ts, ...) import the schemas for their types only', async () => {
    const { graph, packages } = await importGraph();
    expect(graph.has(path.join(ROOT, 'shared/agenda.ts'))).toBe(true);
    const zod = [...packages].filter(([, p]) => p.some((x) => x === 'zod' || x.startsWith('zod/'))).map(([f]) => path.relative(ROOT, f));
    expect(zod).toEqual([]);
  }, 60_000);

  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(cycles(g)).toEqual([['d'], ['a', 'b', 'c']]);
  });
});
