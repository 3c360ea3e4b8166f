import { tomlValue } from "./load.ts";
import { KEY_SPECS, type KeySpec, SECTIONS } from "./spec.ts";

const SECTION_DOCS: Record<string, string> = {
  raft_config: "Present: this node is a meta node (runs Raft, holds cluster metadata).",
  meta: "The meta node's admin API.",
  data: "enabled = true: this node is a data node (stores shards, serves the InfluxDB API).",
};

/** Values the printed default config uses where it differs from the key's bare default. */
const EMBEDDED_OVERRIDES: Record<string, string> = {
  "raft_config.single": "true",
  "data.enabled": "true",
};

function line(spec: KeySpec): string {
  const value = EMBEDDED_OVERRIDES[`${spec.section}.${spec.key}`] ?? tomlValue(spec.default);
  return `# ${spec.doc}\n${spec.key} = ${value}\n`;
}

/**
 * The full default configuration as commented TOML (what `chronoraft config` prints). Loading
 * it gives exactly the embedded default node.
 */
export function renderDefaultConfig(): string {
  let out = "# Chronoraft configuration. Every key is shown with its default.\n" +
    "# Relative paths are resolved from the working directory.\n\n";
  for (const section of SECTIONS) {
    if (section !== "") out += `[${section}]\n# ${SECTION_DOCS[section]}\n\n`;
    for (const spec of KEY_SPECS.filter((s) => s.section === section)) out += line(spec) + "\n";
  }
  return out.trimEnd() + "\n";
}

/** The configuration reference as a Markdown table (kept in the README). */
export function renderReferenceTable(): string {
  const rows = KEY_SPECS.map((s) => {
    const key = s.section === "" ? `\`${s.key}\`` : `\`[${s.section}] ${s.key}\``;
    return `| ${key} | ${s.type} | \`${tomlValue(s.default)}\` | ${s.doc.replaceAll("|", "\\|")} |`;
  });
  return ["| key | type | default | meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
