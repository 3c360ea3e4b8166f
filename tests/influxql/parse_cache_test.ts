import assert from "node:assert/strict";
import { ParseCache, ParseError, parseQuery } from "../../src/influxql/mod.ts";

Deno.test("parse cache: a repeated text gives the statements parseQuery gives", () => {
  const cache = new ParseCache(4);
  const q = "SELECT max(usage_user) FROM cpu WHERE time > now() - 1h GROUP BY time(1m)";
  const first = cache.parse(q);
  assert.deepEqual(first, parseQuery(q));
  assert.equal(cache.parse(q), first, "the second parse is served from the cache");
});

Deno.test("parse cache: the least recently used text is evicted first", () => {
  const cache = new ParseCache(2);
  const a = cache.parse("SHOW DATABASES");
  const b = cache.parse("SHOW MEASUREMENTS");
  assert.equal(cache.parse("SHOW DATABASES"), a); // a is now the most recent
  cache.parse("SHOW USERS"); // evicts b
  assert.equal(cache.parse("SHOW DATABASES"), a);
  assert.notEqual(cache.parse("SHOW MEASUREMENTS"), b);
});

Deno.test("parse cache: bind parameters and parse errors are never remembered", () => {
  const cache = new ParseCache(4);
  const q = "SELECT * FROM cpu WHERE host = $host";
  const x = cache.parse(q, { host: "a" });
  const y = cache.parse(q, { host: "b" });
  assert.notDeepEqual(x, y);
  for (let i = 0; i < 2; i++) {
    assert.throws(() => cache.parse("SELECT FROM"), (e) => e instanceof ParseError);
  }
});
