/** InfluxQL expression nodes: immutable plain data discriminated by `kind`. */

/** Binary operators as written in queries. */
export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "&"
  | "|"
  | "^"
  | "AND"
  | "OR"
  | "IN"
  | "="
  | "!="
  | "=~"
  | "!~"
  | "<"
  | "<="
  | ">"
  | ">=";

/** A `::type` cast on a variable reference; "" when none was given. */
export type VarRefType =
  | ""
  | "float"
  | "integer"
  | "unsigned"
  | "string"
  | "boolean"
  | "field"
  | "tag";

/** `lhs op rhs`. */
export interface BinaryExpr {
  readonly kind: "BinaryExpr";
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
}
/** `( expr )`. */
export interface ParenExpr {
  readonly kind: "ParenExpr";
  readonly expr: Expr;
}
/** A function call; `name` is lower-cased. */
export interface Call {
  readonly kind: "Call";
  readonly name: string;
  readonly args: readonly Expr[];
}
/** A field or tag reference, e.g. `"usage user"::field`. */
export interface VarRef {
  readonly kind: "VarRef";
  readonly name: string;
  readonly type: VarRefType;
}
/** `*`, `*::field` or `*::tag`. */
export interface Wildcard {
  readonly kind: "Wildcard";
  readonly type: "" | "field" | "tag";
}
/** `DISTINCT field` (without parentheses). */
export interface Distinct {
  readonly kind: "Distinct";
  readonly name: string;
}
/** A float literal such as `1.5`. */
export interface NumberLiteral {
  readonly kind: "NumberLiteral";
  readonly value: number;
}
/** A signed 64-bit integer literal such as `10`. */
export interface IntegerLiteral {
  readonly kind: "IntegerLiteral";
  readonly value: bigint;
}
/** An integer literal above the int64 range (InfluxDB's unsigned literal). */
export interface UnsignedLiteral {
  readonly kind: "UnsignedLiteral";
  readonly value: bigint;
}
/** A single-quoted string literal. */
export interface StringLiteral {
  readonly kind: "StringLiteral";
  readonly value: string;
}
/** `true` or `false`. */
export interface BooleanLiteral {
  readonly kind: "BooleanLiteral";
  readonly value: boolean;
}
/** A duration such as `1h30m`, in nanoseconds. */
export interface DurationLiteral {
  readonly kind: "DurationLiteral";
  readonly value: bigint;
}
/** A point in time (nanoseconds since the Unix epoch, UTC); produced by evaluation. */
export interface TimeLiteral {
  readonly kind: "TimeLiteral";
  readonly value: bigint;
}
/** `/pattern/`: the pattern text with `\/` unescaped. */
export interface RegexLiteral {
  readonly kind: "RegexLiteral";
  readonly pattern: string;
}
/** `null` as a value (produced by evaluation). */
export interface NilLiteral {
  readonly kind: "NilLiteral";
}
/** A list of identifiers, as in `WITH KEY IN (a, b)`. */
export interface ListLiteral {
  readonly kind: "ListLiteral";
  readonly values: readonly string[];
}

/** Any expression. */
export type Expr =
  | BinaryExpr
  | ParenExpr
  | Call
  | VarRef
  | Wildcard
  | Distinct
  | NumberLiteral
  | IntegerLiteral
  | UnsignedLiteral
  | StringLiteral
  | BooleanLiteral
  | DurationLiteral
  | TimeLiteral
  | RegexLiteral
  | NilLiteral
  | ListLiteral;
