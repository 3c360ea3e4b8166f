/** Exhaustive visitors and walkers over the AST: a missing `kind` case is a type error. */
import type { Expr, Node, Statement } from "./ast.ts";

/** Compile-time exhaustiveness guard. */
export function assertNever(x: never): never {
  throw new Error(`unexpected AST node: ${JSON.stringify(x)}`);
}

/** The member of union `U` whose `kind` may be `K` (works for nodes with several kinds). */
export type ByKind<U, K> = U extends { kind: infer KK } ? (K extends KK ? U : never) : never;
/** One handler per expression kind. */
export type ExprVisitor<R> = { [K in Expr["kind"]]: (e: ByKind<Expr, K>) => R };
/** One handler per statement kind. */
export type StatementVisitor<R> = { [K in Statement["kind"]]: (s: ByKind<Statement, K>) => R };

/** Dispatches an expression to the handler for its kind. */
export function visitExpr<R>(e: Expr, v: ExprVisitor<R>): R {
  return (v[e.kind] as (e: Expr) => R)(e);
}

/** Dispatches a statement to the handler for its kind. */
export function visitStatement<R>(s: Statement, v: StatementVisitor<R>): R {
  return (v[s.kind] as (s: Statement) => R)(s);
}

/** The direct child expressions of an expression. */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "BinaryExpr":
      return [e.lhs, e.rhs];
    case "ParenExpr":
      return [e.expr];
    case "Call":
      return e.args;
    case "VarRef":
    case "Wildcard":
    case "Distinct":
    case "NumberLiteral":
    case "IntegerLiteral":
    case "UnsignedLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "DurationLiteral":
    case "TimeLiteral":
    case "RegexLiteral":
    case "NilLiteral":
    case "ListLiteral":
      return [];
    default:
      return assertNever(e);
  }
}

/** Visits `e` and its descendants depth-first; returning false skips a node's children. */
export function walkExprs(e: Expr, fn: (e: Expr) => boolean | void): void {
  if (fn(e) === false) return;
  for (const c of exprChildren(e)) walkExprs(c, fn);
}

/** Rebuilds an expression bottom-up, replacing each node with `fn(node with new children)`. */
export function rewriteExpr(e: Expr, fn: (e: Expr) => Expr): Expr {
  switch (e.kind) {
    case "BinaryExpr":
      return fn({ ...e, lhs: rewriteExpr(e.lhs, fn), rhs: rewriteExpr(e.rhs, fn) });
    case "ParenExpr":
      return fn({ ...e, expr: rewriteExpr(e.expr, fn) });
    case "Call":
      return fn({ ...e, args: e.args.map((a) => rewriteExpr(a, fn)) });
    default:
      return fn(e);
  }
}

/** The direct children of any AST node. */
export function children(n: Node): readonly Node[] {
  switch (n.kind) {
    case "SelectStatement":
      return [
        ...n.fields,
        ...(n.target ? [n.target] : []),
        ...n.sources,
        ...(n.condition ? [n.condition] : []),
        ...n.dimensions,
        ...n.sortFields,
      ];
    case "Field":
    case "Dimension":
      return [n.expr];
    case "Target":
      return [n.measurement];
    case "SubQuery":
      return [n.statement];
    case "Measurement":
      return n.regex ? [n.regex] : [];
    case "SortField":
      return [];
    case "ShowMeasurementsStatement":
      return [...(n.source ? [n.source] : []), ...(n.condition ? [n.condition] : [])];
    case "ShowSeriesStatement":
    case "ShowTagKeysStatement":
    case "ShowTagValuesStatement":
    case "ShowCardinalityStatement":
    case "DropSeriesStatement":
    case "DeleteSeriesStatement":
      return [...n.sources, ...(n.condition ? [n.condition] : [])];
    case "ShowFieldKeysStatement":
      return n.sources;
    case "CreateContinuousQueryStatement":
      return [n.source];
    case "ExplainStatement":
      return [n.statement];
    case "ShowDatabasesStatement":
    case "ShowRetentionPoliciesStatement":
    case "ShowGrantsForUserStatement":
    case "ShowStatsStatement":
    case "ShowDiagnosticsStatement":
    case "ShowShardsStatement":
    case "ShowShardGroupsStatement":
    case "ShowServersStatement":
    case "ShowUsersStatement":
    case "ShowContinuousQueriesStatement":
    case "ShowQueriesStatement":
    case "ShowSubscriptionsStatement":
    case "CreateDatabaseStatement":
    case "DropDatabaseStatement":
    case "DropMeasurementStatement":
    case "DropUserStatement":
    case "CreateRetentionPolicyStatement":
    case "AlterRetentionPolicyStatement":
    case "DropRetentionPolicyStatement":
    case "DropContinuousQueryStatement":
    case "DropShardStatement":
    case "CreateUserStatement":
    case "SetPasswordUserStatement":
    case "GrantStatement":
    case "RevokeStatement":
    case "GrantAdminStatement":
    case "RevokeAdminStatement":
    case "KillQueryStatement":
    case "CreateSubscriptionStatement":
    case "DropSubscriptionStatement":
      return [];
    case "BinaryExpr":
    case "ParenExpr":
    case "Call":
    case "VarRef":
    case "Wildcard":
    case "Distinct":
    case "NumberLiteral":
    case "IntegerLiteral":
    case "UnsignedLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "DurationLiteral":
    case "TimeLiteral":
    case "RegexLiteral":
    case "NilLiteral":
    case "ListLiteral":
      return exprChildren(n);
    default:
      return assertNever(n);
  }
}

/** Visits every node under `n` depth-first; returning false skips a node's children. */
export function walk(n: Node, fn: (n: Node) => boolean | void): void {
  if (fn(n) === false) return;
  for (const c of children(n)) walk(c, fn);
}
