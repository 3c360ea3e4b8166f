/**
 * Splitting a WHERE condition (time terms already removed) into what the series index can
 * answer (a tag predicate) and what must be checked per row (field terms).
 */
import type { Expr } from "../influxql/mod.ts";
import type { TagPredicate } from "./deps.ts";
import { regexFor } from "./eval.ts";

/** The index part and the per-row part of a condition. */
export interface SplitWhere {
  readonly predicate: TagPredicate;
  /** Checked per row (may also read tags); null when the index answers everything. */
  readonly residual: Expr | null;
}

const ALL: TagPredicate = { kind: "all" };

function and(a: TagPredicate, b: TagPredicate): TagPredicate {
  if (a.kind === "all") return b;
  if (b.kind === "all") return a;
  return { kind: "and", left: a, right: b };
}

function andExpr(a: Expr | null, b: Expr | null): Expr | null {
  if (a === null) return b;
  if (b === null) return a;
  return { kind: "BinaryExpr", op: "AND", lhs: a, rhs: b };
}

/** Splits `cond`; `isField(name)` says whether a bare name is a field (else a tag). */
export function splitWhere(cond: Expr | null, isField: (name: string) => boolean): SplitWhere {
  if (cond === null) return { predicate: ALL, residual: null };
  switch (cond.kind) {
    case "ParenExpr":
      return splitWhere(cond.expr, isField);
    case "BooleanLiteral":
      return { predicate: cond.value ? ALL : { kind: "none" }, residual: null };
    case "BinaryExpr": {
      if (cond.op === "AND") {
        const l = splitWhere(cond.lhs, isField);
        const r = splitWhere(cond.rhs, isField);
        return {
          predicate: and(l.predicate, r.predicate),
          residual: andExpr(l.residual, r.residual),
        };
      }
      if (cond.op === "OR") {
        const l = splitWhere(cond.lhs, isField);
        const r = splitWhere(cond.rhs, isField);
        if (l.residual === null && r.residual === null) {
          return {
            predicate: { kind: "or", left: l.predicate, right: r.predicate },
            residual: null,
          };
        }
        return { predicate: ALL, residual: cond };
      }
      const p = tagComparison(cond, isField);
      return p === null ? { predicate: ALL, residual: cond } : { predicate: p, residual: null };
    }
    default:
      return { predicate: ALL, residual: cond };
  }
}

function tagName(e: Expr, isField: (name: string) => boolean): string | null {
  if (e.kind !== "VarRef") return null;
  if (e.type === "tag") return e.name;
  if (e.type === "" && !isField(e.name)) return e.name;
  return null;
}

function tagComparison(
  cond: Extract<Expr, { kind: "BinaryExpr" }>,
  isField: (name: string) => boolean,
): TagPredicate | null {
  let key = tagName(cond.lhs, isField);
  let other = cond.rhs;
  if (key === null) {
    key = tagName(cond.rhs, isField);
    other = cond.lhs;
  }
  if (key === null) return null;
  switch (cond.op) {
    case "=":
    case "!=":
      if (other.kind !== "StringLiteral") return null;
      return cond.op === "="
        ? { kind: "eq", key, value: other.value }
        : { kind: "neq", key, value: other.value };
    case "=~":
    case "!~":
      if (other.kind !== "RegexLiteral") return null;
      return cond.op === "=~"
        ? { kind: "match", key, pattern: regexFor(other.pattern) }
        : { kind: "nmatch", key, pattern: regexFor(other.pattern) };
    default:
      return null;
  }
}
