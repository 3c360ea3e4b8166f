/** Issue 6's benchmark queries q1–q5 over DevOps data starting at `t` (ns). */
export function issue6Queries(t: bigint): [name: string, query: string][] {
  const h = 3_600_000_000_000n;
  return [
    [
      "q1",
      `SELECT max(usage_user) FROM cpu WHERE hostname='host_0' AND time >= ${t} AND time < ${
        t + h
      } GROUP BY time(1m)`,
    ],
    [
      "q2",
      `SELECT mean(usage_user) FROM cpu WHERE time >= ${t} AND time < ${
        t + 12n * h
      } GROUP BY time(1h), hostname`,
    ],
    ["q3", "SELECT last(*) FROM cpu GROUP BY hostname"],
    ["q4", "SELECT count(usage_user) FROM cpu"],
    ["q5", "SHOW TAG VALUES FROM cpu WITH KEY = hostname"],
  ];
}
