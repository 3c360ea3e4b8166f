import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parsePoints, type Point, type Precision } from "../../src/models/mod.ts";

const enc = new TextEncoder();
const NOW = 1_700_000_000_123_456_789n;

function parse(body: string, precision: Precision = "ns", extra = {}) {
  return parsePoints(enc.encode(body), { precision, now: NOW, ...extra });
}

function one(line: string): Point {
  const r = parse(line);
  assertEquals(r.errors.map((e) => e.message), [], line);
  assertEquals(r.points.length, 1, line);
  return r.points[0];
}

function reason(line: string, extra = {}): string {
  const r = parse(line, "ns", extra);
  assertEquals(r.points.length, 0, `expected an error for ${JSON.stringify(line)}`);
  assertEquals(r.errors.length, 1, line);
  return r.errors[0].reason;
}

// Error lines ported from influxdb models/points_test.go (1.x), with InfluxDB's reason.
const INVALID: [string, string][] = [
  ["cpu_load_short,host=server01,region=us-west", "missing fields"],
  ["cpu", "missing fields"],
  ["cpu,host==", "missing fields"],
  ["=", "missing fields"],
  ["cpu ", "invalid field format"],
  [",cpu value=1", "missing measurement"],
  ['cpu,host=serverA value="test', "unbalanced quotes"],
  ['cpu,host=serverA value="test""', "unbalanced quotes"],
  ["cpu, value=1", "missing tag key"],
  ["cpu,", "missing tag key"],
  ["cpu,,,", "missing tag key"],
  ["cpu,host=serverA,=us-east value=1i", "missing tag key"],
  ["cpu,host=serverAa\\,,=us-east value=1i", "missing tag key"],
  ["cpu,host=serverA\\,,=us-east value=1i", "missing tag key"],
  ["cpu, =serverA value=1i", "missing tag key"],
  ["cpu,host", "missing tag value"],
  ["cpu,host,", "missing tag value"],
  ["cpu,host=", "missing tag value"],
  ["cpu,host value=1i", "missing tag value"],
  ["cpu,host=serverA,region value=1i", "missing tag value"],
  ["cpu,host=serverA,region= value=1i", "missing tag value"],
  ["cpu,host=serverA,region=,zone=us-west value=1i", "missing tag value"],
  ["cpu,host=f=o,", "invalid tag format"],
  ["cpu,host=f\\==o,", "invalid tag format"],
  ["cpu,host=serverA,region=us-west =", "missing field key"],
  ["cpu,host=serverA,region=us-west =123i", "missing field key"],
  ["cpu,host=serverA,region=us-west value=123i,=456i", "missing field key"],
  ["cpu,host=serverA,region=us-west value=", "missing field value"],
  ["cpu,host=serverA,region=us-west value= 1000000000i", "missing field value"],
  ["cpu,host=serverA,region=us-west value=,value2=1i", "missing field value"],
  ["cpu,host=server01,region=us-west 1434055562000000000i", "invalid field format"],
  ["cpu,host=server01,region=us-west value=1i,b", "invalid field format"],
  ['m f="blah"=123,r 1531703600000000000', "invalid value: field-key=r"],
  ["m v\\\\=1i 5", "invalid value: field-key=v\\\\=1i"],
  ["cpu v=- ", "invalid number"],
  ["cpu v=-i ", "invalid number"],
  ["cpu v=-. ", "invalid number"],
  ["cpu v=. ", "invalid number"],
  ["cpu v=1.0i ", "invalid number"],
  ["cpu v=1ii ", "invalid number"],
  ["cpu v=1a ", "invalid number"],
  ["cpu v=-e-e-e ", "invalid float"],
  ["cpu v=42+3 ", "invalid number"],
  ["cpu v=-123u", "invalid number"],
  ["cpu v=1i5", "invalid number"],
  ["cpu v=1.1.1", "invalid number"],
  ["cpu,host=serverA,region=us-west value=.1a", "invalid number"],
  ["cpu,host=serverA,region=us-west value=0.-1", "invalid number"],
  ["cpu,host=serverA,region=us-west value=-", "invalid number"],
  ["cpu,host=serverA,region=us-west value=--1u", "invalid number"],
  ["cpu v=NaN", "invalid number"],
  ["cpu v=nan", "invalid number"],
  ["cpu v=-Inf", "invalid number"],
  ["cpu v=Inf", "invalid boolean"],
  ["cpu v=1e400", "invalid float"],
  ["cpu v=1e", "invalid float"],
  ["cpu v=" + "1".repeat(400), "invalid float"],
  ["cpu v=tru", "invalid boolean"],
  ["cpu v=falsey", "invalid boolean"],
  ["cpu v=tRUE", "invalid boolean"],
  ["cpu v=x", "invalid boolean"],
  [
    "cpu,host=serverA,region=us-west value=9223372036854775808i",
    'unable to parse integer 9223372036854775808: strconv.ParseInt: parsing "9223372036854775808": value out of range',
  ],
  [
    "cpu value=-9223372036854775809i",
    'unable to parse integer -9223372036854775809: strconv.ParseInt: parsing "-9223372036854775809": value out of range',
  ],
  [
    "cpu,host=serverA,region=us-west value=18446744073709551616u",
    'unable to parse unsigned 18446744073709551616: strconv.ParseUint: parsing "18446744073709551616": value out of range',
  ],
  ["cpu,a=1,b=2,a=3 v=1", "duplicate tags"],
  ["cpu,b=1,a=2,b=3 v=1", "duplicate tags"],
  ["cpu,a=1,a=1 v=1", "duplicate tags"],
  ["cpu v=1 12a", "bad timestamp"],
  ["cpu v=1 1.5", "bad timestamp"],
  ["cpu v=1 --1", "bad timestamp"],
  ["cpu v=1 1\t", "bad timestamp"],
  ["cpu v=1 1 2", "point is invalid"],
  ["cpu v=1 -", 'strconv.ParseInt: parsing "-": invalid syntax'],
  [
    "cpu v=1 99999999999999999999",
    'strconv.ParseInt: parsing "99999999999999999999": value out of range',
  ],
  [
    "cpu v=1 -9223372036854775808",
    "time -9223372037 is outside the range [-9223372036854775806, 9223372036854775806]",
  ],
  [
    "cpu v=1 9223372036854775807",
    "time 9223372036 is outside the range [-9223372036854775806, 9223372036854775806]",
  ],
];

Deno.test("invalid lines give InfluxDB's reason and message", () => {
  for (const [line, why] of INVALID) {
    assertEquals(reason(line), why, line);
    const r = parse(line);
    assertEquals(r.errors[0].message, `unable to parse '${line}': ${why}`);
    assertEquals(r.errors[0].text, line);
    assertEquals(r.errors[0].line, 1);
  }
});

Deno.test("unsigned fields can be refused as stock influxd 1.6 does", () => {
  assertEquals(reason("cpu v=1u", { unsigned: false }), "invalid number");
  assertEquals(one("cpu v=18446744073709551615u").fields[0].value, 18446744073709551615n);
});

Deno.test("key length limits count bytes of the key and of key plus field key", () => {
  const long = "x".repeat(65536);
  assertEquals(reason(`${long} v=1`), "max key length exceeded: 65536 > 65535");
  const m = "m".repeat(65530);
  assertEquals(one(`${m} a=1`).measurement, m);
  assertEquals(reason(`${m} ab=1`), "max key length exceeded: 65536 > 65535");
});

Deno.test("string fields longer than 64 KiB are refused, the limit is an option", () => {
  const s = "é".repeat(32768); // 65536 bytes
  assertEquals(one(`m s="${s}"`).fields[0].value, s);
  assertEquals(reason(`m s="${s}a"`), "max string field length exceeded: 65537 > 65536");
  assertEquals(parse(`m s="${s}a"`, "ns", { maxStringFieldBytes: 1 << 20 }).points.length, 1);
});

Deno.test("valid lines: measurement, sorted tags, key, typed fields, time", () => {
  const p = one('cpu,region=us-west,host=serverA value=1.5,n=-3i,u=7u,b=t,s="hi" 1000000000');
  assertEquals(p.measurement, "cpu");
  assertEquals(p.tags, [["host", "serverA"], ["region", "us-west"]]);
  assertEquals(p.key, "cpu,host=serverA,region=us-west");
  assertEquals(p.fields, [
    { key: "value", type: "float", value: 1.5 },
    { key: "n", type: "integer", value: -3n },
    { key: "u", type: "unsigned", value: 7n },
    { key: "b", type: "boolean", value: true },
    { key: "s", type: "string", value: "hi" },
  ]);
  assertEquals(p.time, 1000000000n);
});

Deno.test("numbers: scientific notation, leading zeros and int64 bounds", () => {
  const floats: [string, number][] = [
    ["1", 1],
    ["-1.5", -1.5],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1E-3", 0.001],
    ["-1.5e+2", -150],
    ["1.e1", 10],
    ["0000123.25", 123.25],
    ["1e-400", 0],
    ["1.7976931348623157e308", 1.7976931348623157e308],
    ["0.1", 0.1],
    ["123456789012345678", 123456789012345678],
    ["3.141592653589793238", 3.141592653589793],
  ];
  for (const [text, v] of floats) assertEquals(one(`m v=${text}`).fields[0].value, v, text);
  assertEquals(Object.is(one("m v=-0").fields[0].value, -0), true);
  assertEquals(one("m v=9223372036854775807i").fields[0].value, 9223372036854775807n);
  assertEquals(one("m v=-9223372036854775808i").fields[0].value, -9223372036854775808n);
  assertEquals(one("m v=0009223372036854775807i").fields[0].value, 9223372036854775807n);
  assertEquals(one("m v=00018446744073709551615u").fields[0].value, 18446744073709551615n);
});

Deno.test("booleans accept InfluxDB's spellings", () => {
  for (const t of ["t", "T", "true", "True", "TRUE"]) {
    assertEquals(one(`m v=${t}`).fields[0].value, true);
  }
  for (const f of ["f", "F", "false", "False", "FALSE"]) {
    assertEquals(one(`m v=${f}`).fields[0].value, false);
  }
});

Deno.test("escapes in measurement, tag keys, tag values and field keys", () => {
  const p = one('cpu\\ load\\,x,ta\\ g=v\\ 0\\,1,t\\=k=a\\=b f\\ k\\,\\=\\"=1 5');
  assertEquals(p.measurement, "cpu load,x");
  // Sorted by raw bytes: `t\=k` comes before `ta\ g` because `\` < `a`.
  assertEquals(p.tags, [["t=k", "a=b"], ["ta g", "v 0,1"]]);
  assertEquals(p.key, "cpu\\ load\\,x,t\\=k=a\\=b,ta\\ g=v\\ 0\\,1");
  assertEquals(p.fields[0].key, 'f k,="');
  // A backslash before any other byte is kept; `\"` stays as written in tags.
  const q = one('c\\x,t=1\\"\\"\\y v=1');
  assertEquals(q.measurement, "c\\x");
  assertEquals(q.tags, [["t", '1\\"\\"\\y']]);
  // A space may open a tag key when escaped; = may start a measurement.
  assertEquals(one("cpu,host=serverA,\\ =us-east value=1i").tags[0], [" ", "us-east"]);
  assertEquals(one("=cpu v=1").measurement, "=cpu");
});

Deno.test("quoted strings: escapes, commas, spaces, equals and newlines inside", () => {
  const p = one('m s="a \\"q\\" \\\\ b,c=d e",t="line1\nline2",u=""');
  assertEquals(p.fields.map((f) => f.value), ['a "q" \\ b,c=d e', "line1\nline2", ""]);
  // InfluxDB 1.x quirk: bytes after the closing quote are kept, so this value is `a"b"`.
  assertEquals(one('m s="a"b""').fields[0].value, 'a"b"');
  assertEquals(reason('m s="a"b"'), "unbalanced quotes");
});

Deno.test("duplicate fields: the last value wins, as InfluxDB's Fields() map does", () => {
  const p = one('m a=1,b=2,a="x" 1');
  assertEquals(p.fields, [
    { key: "a", type: "string", value: "x" },
    { key: "b", type: "float", value: 2 },
  ]);
});

Deno.test("tags are sorted by raw key bytes, like InfluxDB's insertion sort", () => {
  const p = one("m,zz=1,b=2,a=3,B=4 v=1");
  assertEquals(p.key, "m,B=4,a=3,b=2,zz=1");
  assertEquals(p.tags.map((t) => t[0]), ["B", "a", "b", "zz"]);
});

Deno.test("time: default now truncated to precision, and scaled timestamps", () => {
  assertEquals(one("m v=1").time, NOW);
  const cases: [Precision, bigint, bigint][] = [
    ["ns", 5n, NOW],
    ["n", 5n, NOW],
    ["u", 5_000n, 1_700_000_000_123_456_000n],
    ["µ", 5_000n, 1_700_000_000_123_456_000n],
    ["ms", 5_000_000n, 1_700_000_000_123_000_000n],
    ["s", 5_000_000_000n, 1_700_000_000_000_000_000n],
    ["m", 300_000_000_000n, 1_699_999_980_000_000_000n],
    ["h", 18_000_000_000_000n, 1_699_999_200_000_000_000n],
  ];
  for (const [precision, scaled, now] of cases) {
    const r = parse("m v=1 5\nm v=1\nm v=1 -5", precision);
    assertEquals(r.points.map((p) => p.time), [scaled, now, -scaled], precision);
  }
  assertEquals(parse("m v=1 1", "s").points[0].time, 1_000_000_000n);
  assertEquals(parse("m v=1 0", "h").points[0].time, 0n);
});

Deno.test("time: scaling that overflows reports InfluxDB's range for that precision", () => {
  const r = parse("m v=1 9223372036854775", "ms");
  assertEquals(
    r.errors[0].reason,
    "time 9223372036854775 is outside the range [-9223372036854, 9223372036854]",
  );
  assertEquals(parse("m v=1 9223372036854", "ms").points[0].time, 9223372036854000000n);
  assertEquals(
    parse("m v=1 -9223372036854775806", "u").errors[0].reason,
    "time -9223372036854775806 is outside the range [-9223372036854775, 9223372036854775]",
  );
  assertEquals(parse("m v=1 -9223372036854775806").points[0].time, -9223372036854775806n);
});

Deno.test("partial batches keep good lines and report bad ones with line numbers", () => {
  const body = [
    "# a comment",
    "cpu v=1 1",
    "",
    "cpu v= 2",
    "   ",
    "  \t  cpu v=3 3",
    "bad",
    'cpu s="two',
    'lines" 4',
    "cpu,a=1,a=2 v=1",
    "cpu v=5 5",
  ].join("\n");
  const r = parse(body + "\n");
  assertEquals(r.points.map((p) => p.time), [1n, 3n, 4n, 5n]);
  assertEquals(r.points[2].fields[0].value, "two\nlines");
  assertEquals(r.errors.map((e) => [e.line, e.message]), [
    [4, "unable to parse 'cpu v= 2': missing field value"],
    [7, "unable to parse 'bad': missing fields"],
    [10, "unable to parse 'cpu,a=1,a=2 v=1': duplicate tags"],
  ]);
});

Deno.test("blank, whitespace-only and comment lines yield nothing", () => {
  for (const body of ["", " ", "\n\n\n", "# x\n  # y\n\t\n"]) {
    assertEquals(parse(body), { points: [], errors: [] }, JSON.stringify(body));
  }
});

Deno.test("CRLF: rejected like InfluxDB 1.x by default, stripped on request", () => {
  const r = parse('cpu v=1 1\r\ncpu v=2i\r\ncpu v="s"\r\n');
  assertEquals(r.errors.map((e) => [e.line, e.reason, e.text]), [
    [1, "bad timestamp", "cpu v=1 1\r"],
    [2, "invalid number", "cpu v=2i\r"],
  ]);
  // InfluxDB keeps the string but drops its last byte, whatever it is.
  assertEquals(r.points[0].fields[0].value, 's"');
  const ok = parse("cpu v=1 1\r\ncpu v=2i\r\n", "ns", { stripCarriageReturn: true });
  assertEquals(ok.errors, []);
  assertEquals(ok.points.map((p) => p.fields[0].value), [1, 2n]);
});

Deno.test("field and tag named time are parsed; the shard decides (timeKeyViolation)", () => {
  const p = one("m,time=1 v=1");
  assertEquals(p.tags, [["time", "1"]]);
  assertEquals(one("m time=1").fields[0].key, "time");
});

Deno.test("non-ASCII bytes: UTF-8 keys and values, byte lengths for limits", () => {
  const p = one('温度,城市=北京 值=1,s="ünï😀" 1');
  assertEquals(p.measurement, "温度");
  assertEquals(p.tags, [["城市", "北京"]]);
  assertEquals(p.fields.map((f) => [f.key, f.value]), [["值", 1], ["s", "ünï😀"]]);
  const m = "é".repeat(32765); // 65530 bytes
  assertEquals(reason(`${m} ab=1`), "max key length exceeded: 65536 > 65535");
});

Deno.test("invalid UTF-8 and a BOM are kept in names, not dropped", () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode("cpu v=1 1")]);
  assertEquals(parsePoints(bom, { precision: "ns", now: 0n }).points[0].measurement, "\ufeffcpu");
  const bad = new Uint8Array([...enc.encode("c"), 0xff, ...enc.encode(",t=x v=1 1")]);
  const [p] = parsePoints(bad, { precision: "ns", now: 0n }).points;
  assertEquals([p.measurement, p.key], ["c\ufffd", "c\ufffd,t=x"]);
});

Deno.test("series and field key caches never mix up names across bodies", () => {
  const a = parse("m,h=a x=1,y=2 1\nm,h=b x=3 1").points;
  const b = parse('m,h=a y=1,x=2 2\nm,h=a\\ b x=1 2\nm,h=a s="q" 3').points;
  assertEquals(a.map((p) => [p.key, p.fields.map((f) => f.key)]), [
    ["m,h=a", ["x", "y"]],
    ["m,h=b", ["x"]],
  ]);
  assertEquals(b.map((p) => [p.key, p.tags, p.fields.map((f) => f.key)]), [
    ["m,h=a", [["h", "a"]], ["y", "x"]],
    ["m,h=a\\ b", [["h", "a b"]], ["x"]],
    ["m,h=a", [["h", "a"]], ["s"]],
  ]);
});
