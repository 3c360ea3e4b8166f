/**
 * DESIGN.md §3: lower layers never import upper ones, folders of one layer do not import each
 * other, and no module imports itself through a cycle.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";

const SRC = new URL("../src/", import.meta.url).pathname;

/** Layer rank per folder: a folder may import only folders of a lower rank (or itself). */
export const LAYERS: Record<string, number> = {
  util: 0,
  config: 1,
  models: 1,
  influxql: 1,
  raft: 1,
  meta: 2,
  storage: 2,
  query: 2,
  cluster: 3,
  http: 4,
  services: 4,
  server: 5,
  cli: 6,
};

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* walk(p);
    else if (e.isFile && /\.tsx?$/.test(e.name)) yield p;
  }
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g;
const DYNAMIC_RE = /import\(\s*["']([^"']+)["']\s*\)/g;

/** One relative import of a file, resolved; `typeOnly` for `import type` / `export type`. */
interface Import {
  readonly path: string;
  readonly typeOnly: boolean;
}

function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    if (m[2].startsWith(".")) out.push({ path: resolve(dirname(file), m[2]), typeOnly: !!m[1] });
  }
  for (const m of text.matchAll(DYNAMIC_RE)) {
    if (m[1].startsWith(".")) out.push({ path: resolve(dirname(file), m[1]), typeOnly: false });
  }
  return out;
}

function folderOf(file: string): string {
  return relative(SRC, file).split("/")[0];
}

async function graph(): Promise<Map<string, Import[]>> {
  const g = new Map<string, Import[]>();
  for await (const f of walk(SRC)) g.set(f, importsOf(f, await Deno.readTextFile(f)));
  return g;
}

Deno.test("every folder under src/ has a layer", async () => {
  for await (const e of Deno.readDir(SRC)) {
    if (e.isDirectory) assert.ok(e.name in LAYERS, `src/${e.name} has no layer in DESIGN.md §3`);
  }
});

Deno.test("no upward or sideways import between layers", async () => {
  const bad: string[] = [];
  for (const [file, deps] of await graph()) {
    const from = folderOf(file);
    for (const { path: dep } of deps) {
      if (!dep.startsWith(SRC)) {
        bad.push(`${relative(SRC, file)} imports ${dep} outside src/`);
        continue;
      }
      const to = folderOf(dep);
      if (to !== from && !(LAYERS[to] < LAYERS[from])) {
        bad.push(`src/${relative(SRC, file)} (${from}) imports src/${relative(SRC, dep)} (${to})`);
      }
    }
  }
  assert.deepEqual(bad, [], `layering broken:\n${bad.join("\n")}`);
});

// Cycles are checked on runtime imports: a type-only import is erased when the program runs
// (a class split over several files may name its own type); layering counts every import.
Deno.test("no runtime import cycle between modules", async () => {
  const g = await graph();
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string) => {
    state.set(f, "visiting");
    stack.push(f);
    for (const { path: d, typeOnly } of g.get(f) ?? []) {
      if (typeOnly) continue;
      if (state.get(d) === "visiting") {
        cycles.push(
          [...stack.slice(stack.indexOf(d)), d].map((p) => relative(SRC, p)).join(" -> "),
        );
      } else if (!state.has(d) && g.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of g.keys()) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, [], `import cycles:\n${cycles.join("\n")}`);
});
