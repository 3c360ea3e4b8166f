/** CREATE CONTINUOUS QUERY and the GROUP BY interval check it needs. */
import type { CreateContinuousQueryStatement } from "./ast.ts";
import { formatDuration } from "./duration.ts";
import { ParseError } from "./parse_error.ts";
import type { Parser } from "./parser_base.ts";
import { parseSelectStatement } from "./parse_select.ts";
import { groupByInterval } from "./select_info.ts";

/** CREATE CONTINUOUS QUERY name ON db [RESAMPLE [EVERY d] [FOR d]] BEGIN select END. */
export function parseCreateContinuousQuery(p: Parser): CreateContinuousQueryStatement {
  const name = p.parseIdent();
  p.expectTokens("ON");
  const database = p.parseIdent();
  let resampleEvery = 0n;
  let resampleFor = 0n;
  if (p.accept("RESAMPLE")) [resampleEvery, resampleFor] = parseResample(p);
  p.expectTokens("BEGIN", "SELECT");
  const source = parseSelectStatement(p, "required");
  if (!source.isRawQuery) {
    const d = groupByInterval(source);
    if (typeof d !== "bigint" || d === 0n) {
      p.unscan();
      p.unscan();
      const t = p.scanIgnoreWhitespace();
      p.fail(t, typeof d === "bigint" ? ["GROUP BY time(...)"] : ["GROUP BY time(...)", d.error]);
    }
  }
  const end = p.scanIgnoreWhitespace();
  if (end.tok !== "END") p.fail(end, ["END"]);
  const interval = groupByInterval(source);
  if (typeof interval !== "bigint") throw ParseError.plain(interval.error);
  if (resampleFor !== 0n) {
    const every = resampleEvery > interval ? resampleEvery : interval;
    if (every > resampleFor) {
      throw ParseError.plain(
        `FOR duration must be >= GROUP BY time duration: must be a minimum of ${
          formatDuration(every)
        }, got ${formatDuration(resampleFor)}`,
      );
    }
  }
  return {
    kind: "CreateContinuousQueryStatement",
    name,
    database,
    source,
    resampleEvery,
    resampleFor,
  };
}

function resampleDuration(p: Parser): bigint {
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== "DURATIONVAL") p.fail(t, ["duration"]);
  p.unscan();
  return p.parseDuration();
}

function parseResample(p: Parser): [bigint, bigint] {
  const every = p.accept("EVERY") ? resampleDuration(p) : 0n;
  const forD = p.accept("FOR") ? resampleDuration(p) : 0n;
  if (every === 0n && forD === 0n) p.fail(p.scanIgnoreWhitespace(), ["EVERY", "FOR"]);
  return [every, forD];
}
