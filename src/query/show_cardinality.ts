/** SHOW ... CARDINALITY over the shard indexes of a database. */
import type { ShowCardinalityStatement } from "../influxql/mod.ts";
import { regexFor } from "./eval.ts";
import type { ResultSeries } from "./result.ts";
import { databaseReaders, hasSeries, measurementsOf, predicateOf, type ShowEnv } from "./show.ts";

/** SHOW MEASUREMENT/SERIES/TAG KEY/TAG VALUES/FIELD KEY [EXACT] CARDINALITY. */
export async function showCardinality(
  s: ShowCardinalityStatement,
  env: ShowEnv,
): Promise<ResultSeries[]> {
  const readers = await databaseReaders(env, s.database || env.database);
  const p = predicateOf(s.condition);
  const names = measurementsOf(readers, s.sources)
    .filter((m) => s.condition === null || hasSeries(readers, m, p));
  const seriesOf = (m: string) => {
    const keys = new Set<string>();
    for (const r of readers) for (const x of r.series(m, p)) keys.add(x.key);
    return keys;
  };
  const total = (n: number): ResultSeries[] =>
    n === 0 && !s.exact
      ? []
      : [{ columns: [s.exact ? "count" : "cardinality estimation"], values: [[BigInt(n)]] }];
  const perMeasurement = (count: (m: string) => number): ResultSeries[] =>
    names.map((m) => ({ name: m, columns: ["count"], values: [[BigInt(count(m))]] }))
      .filter((r) => r.values[0][0] !== 0n);
  switch (s.of) {
    case "measurement":
      return total(names.length);
    case "series":
      if (!s.exact) return total(names.reduce((n, m) => n + seriesOf(m).size, 0));
      return perMeasurement((m) => seriesOf(m).size);
    case "tagKey":
      return perMeasurement((m) => {
        const keys = new Set<string>();
        for (const r of readers) for (const k of r.tagKeys(m, p)) keys.add(k);
        return keys.size;
      });
    case "tagValue":
      return perMeasurement((m) => {
        const e = s.tagKey?.expr;
        const match = (k: string) =>
          e === undefined ||
          (e.kind === "StringLiteral" && (s.tagKey!.op === "=" ? k === e.value : k !== e.value)) ||
          (e.kind === "RegexLiteral" && regexFor(e.pattern).test(k) === (s.tagKey!.op === "=~")) ||
          (e.kind === "ListLiteral" && e.values.includes(k));
        const pairs = new Set<string>();
        for (const r of readers) {
          for (const k of r.tagKeys(m)) {
            if (!match(k)) continue;
            for (const v of r.tagValues(m, k, p)) pairs.add(`${k}\0${v}`);
          }
        }
        return pairs.size;
      });
    case "fieldKey":
      return perMeasurement((m) => {
        const keys = new Set<string>();
        for (const r of readers) for (const f of r.fieldKeys(m)) keys.add(f.key);
        return keys.size;
      });
  }
}
