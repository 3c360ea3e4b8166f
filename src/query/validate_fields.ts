/**
 * The field half of InfluxDB 1.6's SELECT compiler (`query/compile.go`): each field and
 * function call is checked in order and the facts validateFields needs are recorded, so the
 * first error found is the one InfluxDB reports, with its exact text.
 */
import type { Call, Expr, Field } from "../influxql/mod.ts";
import { formatDuration, formatExpr } from "../influxql/mod.ts";
import {
  checkArity,
  checkHoltWintersArgs,
  checkTechnicalArgs,
  fail,
  goType,
  isLiteral,
  isMathFunction,
} from "./validate_args.ts";

/** What compiling the fields learned about the statement (compile.go's compiledStatement). */
export interface CompileState {
  /** GROUP BY time interval in ns; 0 when none. */
  interval: bigint;
  /** True when the interval came from an enclosing query. */
  inheritedInterval: boolean;
  hasTarget: boolean;
  /** The statement's LIMIT (0 when none). */
  limit: number;
  fieldCount: number;
  functionCalls: number;
  onlySelectors: boolean;
  hasDistinct: boolean;
  /** "top" or "bottom" once one is seen, else "". */
  topBottom: string;
  hasAuxiliaryFields: boolean;
}

/** Compiles one (already folded) field expression; throws InvalidSelect. */
export function compileField(field: Field, st: CompileState): void {
  st.fieldCount++;
  new FieldCompiler(st).expr(field.expr);
}

class FieldCompiler {
  private allowWildcard = true;
  constructor(private readonly st: CompileState) {}

  expr(e: Expr): void {
    const st = this.st;
    switch (e.kind) {
      case "VarRef":
        st.hasAuxiliaryFields = true;
        return;
      case "Wildcard":
        st.hasAuxiliaryFields = true;
        if (!this.allowWildcard) fail("unable to use wildcard in a binary expression");
        return;
      case "RegexLiteral":
        if (!this.allowWildcard) fail("unable to use regex in a binary expression");
        st.hasAuxiliaryFields = true;
        return;
      case "Call":
        return this.call(e);
      case "Distinct":
        st.functionCalls++;
        return this.distinct([{ kind: "VarRef", name: e.name, type: "" }], false);
      case "BinaryExpr":
        // Wildcards are not expanded inside expressions.
        this.allowWildcard = false;
        if (isLiteral(e.lhs)) {
          if (isLiteral(e.rhs)) fail("cannot perform a binary expression on two literals");
          return this.expr(e.rhs);
        }
        if (isLiteral(e.rhs)) return this.expr(e.lhs);
        this.expr(e.lhs);
        return this.expr(e.rhs);
      case "ParenExpr":
        return this.expr(e.expr);
      default:
        if (isLiteral(e)) fail("field must contain at least one variable");
        fail("unimplemented");
    }
  }

  private call(e: Call): void {
    if (isMathFunction(e)) return this.math(e);
    this.st.functionCalls++;
    const a = e.args;
    switch (e.name) {
      case "percentile":
        checkArity(e, 2, 2);
        if (a[1].kind !== "IntegerLiteral" && a[1].kind !== "NumberLiteral") {
          fail("expected float argument in percentile()");
        }
        return this.symbol("percentile", a[0]);
      case "sample":
        checkArity(e, 2, 2);
        if (a[1].kind !== "IntegerLiteral") fail("expected integer argument in sample()");
        else if (a[1].value <= 0n) fail(`sample window must be greater than 1, got ${a[1].value}`);
        return this.symbol("sample", a[0]);
      case "distinct":
        return this.distinct(a, false);
      case "top":
      case "bottom":
        return this.topBottom(e);
      case "derivative":
      case "non_negative_derivative":
      case "elapsed":
        checkArity(e, 1, 2);
        if (a.length === 2) this.positiveDuration(e, a[1]);
        return this.transform(e.name, a[0]);
      case "difference":
      case "non_negative_difference":
      case "cumulative_sum":
        checkArity(e, 1, 1);
        return this.transform(e.name, a[0]);
      case "moving_average": {
        checkArity(e, 2, 2);
        const n = a[1];
        if (n.kind !== "IntegerLiteral") {
          fail(`second argument for moving_average must be an integer, got ${goType(n)}`);
        } else if (n.value <= 1n) {
          fail(`moving_average window must be greater than 1, got ${n.value}`);
        }
        return this.transform(e.name, a[0]);
      }
      case "exponential_moving_average":
      case "double_exponential_moving_average":
      case "triple_exponential_moving_average":
      case "relative_strength_index":
      case "triple_exponential_derivative":
      case "kaufmans_efficiency_ratio":
      case "kaufmans_adaptive_moving_average":
      case "chande_momentum_oscillator":
        return this.technical(e);
      case "integral":
        checkArity(e, 1, 2);
        if (a.length === 2) {
          if (a[1].kind !== "DurationLiteral") fail("second argument must be a duration");
          else if (a[1].value <= 0n) {
            fail(`duration argument must be positive, got ${formatDuration(a[1].value)}`);
          }
        }
        this.st.onlySelectors = false;
        return this.symbol("integral", a[0]);
      case "holt_winters":
      case "holt_winters_with_fit":
        return this.holtWinters(e);
      default:
        return this.func(e);
    }
  }

  private positiveDuration(e: Call, d: Expr): void {
    if (d.kind !== "DurationLiteral") {
      fail(`second argument to ${e.name} must be a duration, got ${goType(d)}`);
    } else if (d.value <= 0n) {
      fail(`duration argument must be positive, got ${formatDuration(d.value)}`);
    }
  }

  /** derivative, difference, cumulative_sum, moving_average, elapsed: field or aggregate. */
  private transform(name: string, arg: Expr): void {
    const st = this.st;
    st.onlySelectors = false;
    if (arg.kind === "Call") {
      if (st.interval === 0n) fail(`${name} aggregate requires a GROUP BY interval`);
      return this.nested(arg);
    }
    if (st.interval !== 0n && !st.inheritedInterval) {
      fail(`aggregate function required inside the call to ${name}`);
    }
    return this.symbol(name, arg);
  }

  /** The technical-analysis functions: field, or an aggregate under GROUP BY time. */
  private technical(e: Call): void {
    checkTechnicalArgs(e);
    this.st.onlySelectors = false;
    const arg = e.args[0];
    if (arg.kind === "Call") {
      if (this.st.interval === 0n) fail(`${e.name} aggregate requires a GROUP BY interval`);
      return this.expr(arg);
    }
    if (this.st.interval !== 0n && !this.st.inheritedInterval) {
      fail(`aggregate function required inside the call to ${e.name}`);
    }
    return this.symbol(e.name, arg);
  }

  private holtWinters(e: Call): void {
    checkHoltWintersArgs(e);
    this.st.onlySelectors = false;
    const arg = e.args[0];
    if (arg.kind !== "Call") fail(`must use aggregate function with ${e.name}`);
    if (this.st.interval === 0n) fail(`${e.name} aggregate requires a GROUP BY interval`);
    return this.nested(arg);
  }

  private distinct(args: readonly Expr[], nested: boolean): void {
    if (args.length === 0) fail("distinct function requires at least one argument");
    if (args.length !== 1) fail("distinct function can only have one argument");
    if (args[0].kind !== "VarRef") fail("expected field argument in distinct()");
    if (!nested) this.st.hasDistinct = true;
    this.st.onlySelectors = false;
  }

  private nested(e: Expr): void {
    if (e.kind === "Call" && e.name === "distinct") return this.distinct(e.args, true);
    if (e.kind === "Distinct") {
      return this.distinct([{ kind: "VarRef", name: e.name, type: "" }], true);
    }
    return this.expr(e);
  }

  private topBottom(e: Call): void {
    const st = this.st;
    if (st.topBottom !== "") {
      fail(`selector function ${st.topBottom}() cannot be combined with other functions`);
    }
    if (e.args.length < 2) {
      fail(`invalid number of arguments for ${e.name}, expected at least 2, got ${e.args.length}`);
    }
    const last = e.args[e.args.length - 1];
    if (last.kind !== "IntegerLiteral") {
      fail(`expected integer as last argument in ${e.name}(), found ${formatExpr(last)}`);
    } else if (last.value <= 0n) {
      fail(`limit (${last.value}) in ${e.name} function must be at least 1`);
    } else if (st.limit > 0 && last.value > BigInt(st.limit)) {
      fail(
        `limit (${last.value}) in ${e.name} function can not be larger than the LIMIT (${st.limit}) in the select statement`,
      );
    }
    if (e.args[0].kind !== "VarRef") {
      fail(`expected first argument to be a field in ${e.name}(), found ${formatExpr(e.args[0])}`);
    }
    for (const v of e.args.slice(1, -1)) {
      if (v.kind !== "VarRef") {
        fail(`only fields or tags are allowed in ${e.name}(), found ${formatExpr(v)}`);
      }
      // Each listed tag or field becomes an output column, unless writing INTO.
      if (!st.hasTarget) {
        st.fieldCount++;
        st.hasAuxiliaryFields = true;
      }
    }
    st.topBottom = e.name;
  }

  private math(e: Call): void {
    const n = e.name === "atan2" || e.name === "pow" || e.name === "log" ? 2 : 1;
    if (e.args.length !== n) {
      fail(`invalid number of arguments for ${e.name}, expected ${n}, got ${e.args.length}`);
    }
    for (const a of e.args) if (!isLiteral(a)) this.expr(a);
  }

  /** The plain aggregates and selectors (compile.go's compileFunction). */
  private func(e: Call): void {
    switch (e.name) {
      case "max":
      case "min":
      case "first":
      case "last":
        break;
      case "count":
      case "sum":
      case "mean":
      case "median":
      case "mode":
      case "stddev":
      case "spread":
        this.st.onlySelectors = false;
        break;
      default:
        fail(`undefined function ${e.name}()`);
    }
    if (e.args.length !== 1) {
      fail(`invalid number of arguments for ${e.name}, expected 1, got ${e.args.length}`);
    }
    const a0 = e.args[0];
    if (e.name === "count") {
      if (a0.kind === "Call" && a0.name === "distinct") return this.distinct(a0.args, true);
      if (a0.kind === "Distinct") return this.nested(a0);
    }
    return this.symbol(e.name, a0);
  }

  /** A function's field argument: a field, or (outside expressions) a wildcard or regex. */
  private symbol(name: string, arg: Expr): void {
    switch (arg.kind) {
      case "VarRef":
        return;
      case "Wildcard":
        if (!this.allowWildcard) fail(`unsupported expression with wildcard: ${name}()`);
        this.st.onlySelectors = false;
        return;
      case "RegexLiteral":
        if (!this.allowWildcard) fail(`unsupported expression with regex field: ${name}()`);
        this.st.onlySelectors = false;
        return;
      default:
        fail(`expected field argument in ${name}()`);
    }
  }
}
