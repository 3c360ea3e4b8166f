import assert from "node:assert/strict";
import {
  type BatchAnswer,
  CommandBatcher,
  MetaHttpError,
  postCommands,
} from "../../src/cluster/meta_http.ts";
import { decode, encode } from "@msgpack/msgpack";
import type { ApplyResult } from "../../src/meta/mod.ts";

const bytes = (n: number) => new Uint8Array([n]);
const ok: ApplyResult = { kind: "ok" };

/** A fake leader: records each batch and answers it when the test says so. */
function fakeSend() {
  const batches: { addr: string; cmds: number[]; answer: (a: BatchAnswer[] | Error) => void }[] =
    [];
  const send = (addr: string, cmds: readonly Uint8Array[]) =>
    new Promise<BatchAnswer[]>((resolve, reject) => {
      batches.push({
        addr,
        cmds: cmds.map((c) => c[0]),
        answer: (a) => a instanceof Error ? reject(a) : resolve(a),
      });
    });
  return { batches, send };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("batcher: commands queued while batches are in flight leave together", async () => {
  const { batches, send } = fakeSend();
  const b = new CommandBatcher(send, 1);
  const first = b.submit("a:1", bytes(1));
  await tick();
  const rest = [2, 3, 4].map((n) => b.submit("a:1", bytes(n)));
  await tick();
  assert.deepEqual(batches.map((x) => x.cmds), [[1]]);
  batches[0].answer([{ result: ok }]);
  assert.deepEqual(await first, ok);
  await tick();
  assert.deepEqual(batches.map((x) => x.cmds), [[1], [2, 3, 4]]);
  batches[1].answer([
    { result: ok },
    { status: 503, error: "not the leader" },
    { result: { kind: "ok" } },
  ]);
  assert.deepEqual(await rest[0], ok);
  await assert.rejects(rest[1], (e) => e instanceof MetaHttpError && e.status === 503);
  assert.deepEqual(await rest[2], ok);
});

Deno.test("batcher: a failed batch fails each of its commands; addresses are separate", async () => {
  const { batches, send } = fakeSend();
  const b = new CommandBatcher(send, 2);
  const ps = [b.submit("a:1", bytes(1)), b.submit("a:1", bytes(2)), b.submit("b:2", bytes(3))];
  await tick();
  assert.deepEqual(batches.map((x) => [x.addr, x.cmds]), [["a:1", [1, 2]], ["b:2", [3]]]);
  batches[0].answer(new MetaHttpError(0, "cannot reach a:1"));
  batches[1].answer([{ result: ok }]);
  for (const p of ps.slice(0, 2)) {
    await assert.rejects(p, (e) => e instanceof MetaHttpError && e.status === 0);
  }
  assert.deepEqual(await ps[2], ok);
});

Deno.test("postCommands: one msgpack request per batch, one answer per command", async () => {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const cmds = decode(new Uint8Array(await req.arrayBuffer())) as Uint8Array[];
    if (cmds.length === 0) return Response.json({ error: "empty batch" }, { status: 400 });
    const answers = cmds.map((c) => c[0] === 9 ? { status: 400, error: "bad" } : { result: ok });
    return new Response(encode(answers));
  });
  try {
    const addr = `127.0.0.1:${server.addr.port}`;
    const answers = await postCommands(addr, [bytes(1), bytes(9)], "7");
    assert.deepEqual(answers, [{ result: ok }, { status: 400, error: "bad" }]);
    await assert.rejects(
      postCommands(addr, [], "7"),
      (e) => e instanceof MetaHttpError && e.status === 400 && e.message.includes("empty batch"),
    );
  } finally {
    await server.shutdown();
  }
});
