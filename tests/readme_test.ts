import assert from "node:assert/strict";
import { renderReferenceTable } from "../src/config/mod.ts";

const README = new URL("../README.md", import.meta.url);

/** Tables compare equal whatever column padding `deno fmt` gave them. */
function normalize(s: string): string {
  return s.replace(/-{3,}/g, "---").replace(/[ \t]+/g, " ");
}

Deno.test("the README's configuration table is the one generated from the key specs", async () => {
  const text = await Deno.readTextFile(README);
  assert.ok(
    normalize(text).includes(normalize(renderReferenceTable())),
    "README.md's configuration table is out of date: paste the output of renderReferenceTable()",
  );
});

Deno.test("the README names the two commands that work with only Node.js and npm", async () => {
  const text = await Deno.readTextFile(README);
  assert.ok(text.includes("npx --yes deno@2.9.6 task start"));
  assert.ok(text.includes("npx --yes deno@2.9.6 task test"));
});
