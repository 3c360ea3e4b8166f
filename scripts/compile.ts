/**
 * `deno task compile`: builds dist/chronoraft with the permissions and unstable flags the
 * binary needs. `deno compile` downloads its `denort` runtime unless DENORT_BIN points at one;
 * where neither works it stops with a message saying so.
 */
const target = "dist/chronoraft";
const args = [
  "compile",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
  "--allow-run",
  "--unstable-kv",
  // The line protocol worker is loaded by URL at run time: bundle it explicitly.
  "--include",
  "src/http/parse_worker.ts",
  "--output",
  target,
  "main.ts",
];
const denort = Deno.env.get("DENORT_BIN");
if (denort) {
  try {
    await Deno.stat(denort);
  } catch {
    console.error(`compile: DENORT_BIN=${denort} does not exist; point it at a denort binary.`);
    Deno.exit(1);
  }
  console.error(`compile: using the denort runtime at ${denort}`);
}
const out = await new Deno.Command(Deno.execPath(), {
  args,
  stdout: "inherit",
  stderr: "piped",
  env: { NO_COLOR: "1", ...(denort ? { DENORT_BIN: denort } : {}) },
}).output();
const err = new TextDecoder().decode(out.stderr);
if (out.success) {
  console.error(err.trim());
  console.error(`compile: wrote ${target}`);
  Deno.exit(0);
}
if (/denort|download|dl\.deno\.land|error sending request|dns error|connect/i.test(err)) {
  console.error(
    "compile: deno compile could not download its denort runtime (this network blocks it).\n" +
      "compile: on a machine that can reach dl.deno.land run `deno task compile` again, or set\n" +
      "compile: DENORT_BIN to a denort 2.9.6 binary for this platform. Details:\n" +
      err.trim().split("\n").slice(0, 4).map((l) => `  ${l}`).join("\n"),
  );
} else {
  console.error(err.trim());
}
Deno.exit(1);
