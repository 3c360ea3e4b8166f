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
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g;
const DYNAMIC_RE = /import\(\s*["']([^"']+)["']\s*\)/g;

/** Relative imports of one file, resolved to absolute paths. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const re of [IMPORT_RE, DYNAMIC_RE]) {
    for (const m of text.matchAll(re)) {
      if (m[1].startsWith(".")) out.push(resolve(dirname(file), m[1]));
    }
  }
  return out;
}

function folderOf(file: string): string {
  return relative(SRC, file).split("/")[0];
}

async function graph(): Promise<Map<string, string[]>> {
  const g = new Map<string, string[]>();
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
    for (const dep of deps) {
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

Deno.test("no import cycle between modules", async () => {
  const g = await graph();
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string) => {
    state.set(f, "visiting");
    stack.push(f);
    for (const d of g.get(f) ?? []) {
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
