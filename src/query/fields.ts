/** SELECT field lists: expanding wildcards and regexes, and InfluxDB's column names. */
import type { Call, Expr, Field } from "../influxql/mod.ts";
import { regexFor } from "./eval.ts";
import type { FieldType } from "../models/point.ts";

/** The schema of one measurement (union over the shards read). */
export interface Schema {
  readonly fields: ReadonlyMap<string, FieldType>;
  readonly tags: readonly string[];
}

const NUMERIC_ONLY = new Set([
  "mean",
  "sum",
  "median",
  "spread",
  "stddev",
  "integral",
  "percentile",
  "top",
  "bottom",
  "min",
  "max",
  "derivative",
  "non_negative_derivative",
  "difference",
  "non_negative_difference",
  "moving_average",
  "cumulative_sum",
]);

function baseName(e: Expr): string {
  switch (e.kind) {
    case "Call":
      return e.name;
    case "VarRef":
      return e.name;
    case "ParenExpr":
      return baseName(e.expr);
    case "Distinct":
      return "distinct";
    case "BinaryExpr": {
      const names: string[] = [];
      const visit = (x: Expr): void => {
        if (x.kind === "VarRef") names.push(x.name);
        else if (x.kind === "Call") names.push(x.name);
        else if (x.kind === "Distinct") names.push("distinct");
        else if (x.kind === "BinaryExpr") {
          visit(x.lhs);
          visit(x.rhs);
        } else if (x.kind === "ParenExpr") visit(x.expr);
      };
      visit(e);
      return names.join("_");
    }
    default:
      return "";
  }
}

/** Expands `*`, `*::field`, regexes and `fn(*)` into concrete fields, as InfluxDB does. */
export function expandFields(
  fields: readonly Field[],
  schema: Schema,
  groupTags: ReadonlySet<string>,
): Field[] {
  const out: Field[] = [];
  const names = (withTags: boolean, pattern: RegExp | null): { name: string; tag: boolean }[] => {
    const list: { name: string; tag: boolean }[] = [];
    for (const f of schema.fields.keys()) {
      if (pattern === null || pattern.test(f)) list.push({ name: f, tag: false });
    }
    if (withTags) {
      for (const t of schema.tags) {
        if (groupTags.has(t) || schema.fields.has(t)) continue;
        if (pattern === null || pattern.test(t)) list.push({ name: t, tag: true });
      }
    }
    return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };
  for (const f of fields) {
    const e = f.expr;
    if (e.kind === "Wildcard") {
      const list = e.type === "tag"
        ? names(true, null).filter((n) => n.tag)
        : names(e.type !== "field", null);
      for (const n of list) {
        out.push({
          kind: "Field",
          expr: { kind: "VarRef", name: n.name, type: n.tag ? "tag" : "" },
          alias: "",
        });
      }
    } else if (e.kind === "RegexLiteral") {
      for (const n of names(true, regexFor(e.pattern))) {
        out.push({
          kind: "Field",
          expr: { kind: "VarRef", name: n.name, type: n.tag ? "tag" : "" },
          alias: "",
        });
      }
    } else if (
      e.kind === "Call" && e.args.length > 0 &&
      (e.args[0].kind === "Wildcard" || e.args[0].kind === "RegexLiteral")
    ) {
      const a0 = e.args[0];
      const pattern = a0.kind === "RegexLiteral" ? regexFor(a0.pattern) : null;
      for (const n of names(false, pattern)) {
        const t = schema.fields.get(n.name);
        const numeric = t === "float" || t === "integer" || t === "unsigned";
        // InfluxDB lets min(*) and max(*) take booleans too.
        const ok = numeric || (t === "boolean" && (e.name === "min" || e.name === "max"));
        if (NUMERIC_ONLY.has(e.name) && !ok) continue;
        const call: Call = {
          kind: "Call",
          name: e.name,
          args: [{ kind: "VarRef", name: n.name, type: "" }, ...e.args.slice(1)],
        };
        out.push({ kind: "Field", expr: call, alias: `${f.alias || e.name}_${n.name}` });
      }
    } else if (
      e.kind === "Call" && (e.name === "top" || e.name === "bottom") && e.args.length > 2
    ) {
      // InfluxDB shows the tag arguments of top()/bottom() as columns after the call.
      out.push(f);
      for (const a of e.args.slice(1, -1)) {
        if (a.kind === "VarRef") {
          out.push({
            kind: "Field",
            expr: { kind: "VarRef", name: a.name, type: "tag" },
            alias: "",
          });
        }
      }
    } else out.push(f);
  }
  return out;
}

/** Column names: aliases or InfluxDB's derived names, de-duplicated with `_1`, `_2`. */
export function columnNames(fields: readonly Field[]): string[] {
  const seen = new Map<string, number>([["time", 1]]);
  const out: string[] = [];
  for (const f of fields) {
    const col = f.alias || baseName(f.expr);
    const count = seen.get(col);
    if (count === undefined) {
      seen.set(col, 1);
      out.push(col);
      continue;
    }
    let c = count;
    for (;;) {
      const name = `${col}_${c}`;
      c++;
      if (!seen.has(name)) {
        seen.set(col, c);
        seen.set(name, 1);
        out.push(name);
        break;
      }
    }
  }
  return out;
}
