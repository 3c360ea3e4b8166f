import assert from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  decodeCommand,
  encodeCommand,
  META_COMMAND_KINDS,
  MetaError,
  validateCommand,
} from "../../src/meta/mod.ts";
import { SAMPLE_COMMANDS } from "./fixtures.ts";

Deno.test("the sample commands cover every command kind", () => {
  const kinds = new Set(SAMPLE_COMMANDS.map((c) => c.kind));
  assert.deepEqual([...kinds].sort(), [...META_COMMAND_KINDS].sort());
});

Deno.test("every command survives encode/decode unchanged", () => {
  for (const cmd of SAMPLE_COMMANDS) {
    assert.deepEqual(decodeCommand(encodeCommand(cmd)), cmd, cmd.kind);
  }
});

Deno.test("times keep full 64-bit precision through encoding", () => {
  for (const t of [0n, -1n, 2n ** 63n - 2n, -(2n ** 63n) + 2n, 1_704_067_200_123_456_789n]) {
    const cmd = { kind: "truncateShardGroups", at: t } as const;
    const back = decodeCommand(encodeCommand(cmd));
    assert.equal(back.kind === "truncateShardGroups" && back.at, t);
  }
});

Deno.test("encoding is canonical: key order does not change the bytes", () => {
  const a = encodeCommand({ kind: "createUser", name: "u", hash: "h", admin: false });
  const b = encodeCommand(
    JSON.parse('{"admin":false,"hash":"h","name":"u","kind":"createUser"}'),
  );
  assert.deepEqual(a, b);
});

Deno.test("optional fields that are absent stay absent", () => {
  const back = decodeCommand(encodeCommand({ kind: "createDatabase", name: "db" }));
  assert.deepEqual(back, { kind: "createDatabase", name: "db" });
  assert.equal(Object.hasOwn(back, "retentionPolicy"), false);
});

Deno.test("decodeCommand rejects bad input with a badCommand MetaError naming the field", () => {
  const cases: Array<[Uint8Array, RegExp]> = [
    [new Uint8Array([0xc1]), /not msgpack/],
    [encode({ kind: "nope" }), /unknown kind "nope"/],
    [encode([1, 2]), /unknown kind/],
    [encode({ kind: "createDatabase" }), /command\.name: expected string, got undefined/],
    [
      encode({ kind: "setPrivilege", user: "u", database: "d", privilege: "SUDO" }),
      /command\.privilege/,
    ],
    [encode({ kind: "dropShard", id: 1.5, at: 0 }), /command\.id: expected integer/],
    [
      encode({ kind: "createDatabase", name: "d", retentionPolicy: { replicaN: "3" } }),
      /command\.retentionPolicy\.replicaN/,
    ],
  ];
  for (const [bytes, re] of cases) {
    assert.throws(() => decodeCommand(bytes), (err: unknown) => {
      assert.ok(err instanceof MetaError);
      assert.equal(err.code, "badCommand");
      assert.match(err.message, re);
      return true;
    });
  }
});

Deno.test("validateCommand accepts JSON-shaped times: small integers and decimal strings", () => {
  assert.deepEqual(validateCommand({ kind: "truncateShardGroups", at: 5 }), {
    kind: "truncateShardGroups",
    at: 5n,
  });
  assert.deepEqual(validateCommand({ kind: "truncateShardGroups", at: "-1704067200123456789" }), {
    kind: "truncateShardGroups",
    at: -1704067200123456789n,
  });
  for (const bad of [1.5, 2 ** 60, "12x", "9223372036854775808", ""]) {
    assert.throws(() => validateCommand({ kind: "truncateShardGroups", at: bad }), /command\.at/);
  }
});

Deno.test("decoding drops unknown extra fields", () => {
  const cmd = decodeCommand(encode({ kind: "dropUser", name: "x", extra: true }));
  assert.deepEqual(cmd, { kind: "dropUser", name: "x" });
});
