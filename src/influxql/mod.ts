/** InfluxQL: scanner, parser, AST, formatter and condition helpers (the public surface). */
export type * from "./ast.ts";
export { measurement, selectStatement } from "./ast.ts";
export { ParseError } from "./parse_error.ts";
export { parseExpr, parseQuery, parseStatement } from "./parser.ts";
export { ParseCache } from "./parse_cache.ts";
export { formatExpr, formatQuery, formatSelect, formatSource, formatStatement } from "./format.ts";
export { identNeedsQuotes, quoteIdent, quoteString } from "./quote.ts";
export { scanAll, type Scanned, Scanner } from "./scanner.ts";
export type { Pos } from "./rune_reader.ts";
export { lookup, type Token, tokenText } from "./tokens.ts";
export { formatDuration, goDurationString, parseDuration } from "./duration.ts";
export { formatRFC3339Nano, isTimeString, parseTimeString } from "./time_literal.ts";
export { compileRegex } from "./regex.ts";
export { groupByInterval, groupByOffset } from "./select_info.ts";
export { reduceExpr } from "./reduce.ts";
export {
  exprTimeRange,
  intersect,
  MAX_TIME,
  MIN_TIME,
  type SplitCondition,
  type TimeRange,
  TimeRangeError,
} from "./time_range.ts";
export {
  assertNever,
  type ByKind,
  children,
  exprChildren,
  type ExprVisitor,
  rewriteExpr,
  type StatementVisitor,
  visitExpr,
  visitStatement,
  walk,
  walkExprs,
} from "./walk.ts";
