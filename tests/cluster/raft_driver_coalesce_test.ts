import assert from "node:assert/strict";
import { coalesceMessages, Outbox } from "../../src/cluster/raft_driver_coalesce.ts";
import {
  type AppendMessage,
  type AppendRespMessage,
  type Entry,
  logIndex,
  type Message,
  nodeId,
  term,
} from "../../src/raft/mod.ts";

function entry(index: number, t = 2): Entry {
  return { index: logIndex(index), term: term(t), kind: "normal", data: new Uint8Array([index]) };
}

function append(
  to: number,
  prevIndex: number,
  entries: Entry[],
  commit: number,
  prevTerm = 2,
): AppendMessage {
  return {
    kind: "append",
    from: nodeId(1),
    to: nodeId(to),
    term: term(2),
    prevIndex: logIndex(prevIndex),
    prevTerm: term(prevTerm),
    entries,
    commit: logIndex(commit),
  };
}

function ack(index: number, reject = false, t = 2): AppendRespMessage {
  return {
    kind: "append_resp",
    from: nodeId(2),
    to: nodeId(1),
    term: term(t),
    index: logIndex(index),
    reject,
    hintIndex: logIndex(0),
    hintTerm: term(0),
  };
}

Deno.test("coalesce: consecutive appends to a peer become one carrying the latest commit", () => {
  const out = coalesceMessages([
    append(2, 4, [entry(5)], 4),
    append(3, 4, [entry(5)], 4),
    append(2, 5, [entry(6)], 4),
    append(2, 6, [], 5),
    append(3, 5, [entry(6), entry(7)], 5),
  ]);
  assert.deepEqual(out, [
    append(2, 4, [entry(5), entry(6)], 5),
    append(3, 4, [entry(5), entry(6), entry(7)], 5),
  ]);
});

Deno.test("coalesce: an append that does not continue the previous one stays separate", () => {
  // A probe after a rejection goes back: a different prevIndex.
  const probe: Message[] = [append(2, 4, [entry(5)], 4), append(2, 3, [entry(4)], 4)];
  assert.deepEqual(coalesceMessages(probe), probe);
  // prevTerm 2 does not match entry 5 of term 3.
  const otherTerm: Message[] = [append(2, 4, [entry(5, 3)], 4), append(2, 5, [entry(6)], 4)];
  assert.deepEqual(coalesceMessages(otherTerm), otherTerm);
});

Deno.test("coalesce: other messages to the peer keep the order around merged appends", () => {
  const hb: Message = {
    kind: "heartbeat",
    from: nodeId(1),
    to: nodeId(2),
    term: term(2),
    commit: logIndex(4),
  };
  const msgs: Message[] = [append(2, 4, [entry(5)], 4), hb, append(2, 5, [entry(6)], 4)];
  assert.deepEqual(coalesceMessages(msgs), msgs);
});

Deno.test("coalesce: later successful acks replace earlier ones; rejections are kept", () => {
  assert.deepEqual(coalesceMessages([ack(5), ack(6), ack(8)]), [ack(8)]);
  assert.deepEqual(coalesceMessages([ack(5), ack(4, true), ack(6)]), [
    ack(5),
    ack(4, true),
    ack(6),
  ]);
  // A lower index after a higher one (the log was cut in between) is not merged away.
  assert.deepEqual(coalesceMessages([ack(8), ack(6)]), [ack(8), ack(6)]);
  assert.deepEqual(coalesceMessages([ack(5, false, 2), ack(6, false, 3)]), [
    ack(5, false, 2),
    ack(6, false, 3),
  ]);
});

Deno.test("outbox: a commit update waits for the next append to its peer and joins it", () => {
  const sent: Message[] = [];
  const box = new Outbox((m) => sent.push(m), 1000, () => true);
  try {
    box.send([append(2, 5, [], 5), append(3, 5, [], 5)]);
    assert.deepEqual(sent, []);
    box.send([append(2, 5, [entry(6)], 5)]);
    assert.deepEqual(sent, [append(2, 5, [entry(6)], 5)]);
    box.flush();
    assert.deepEqual(sent, [append(2, 5, [entry(6)], 5), append(3, 5, [], 5)]);
  } finally {
    box.close();
  }
});

Deno.test("outbox: held updates go out before any other message to the peer, or on time", async () => {
  const sent: Message[] = [];
  const hb: Message = {
    kind: "heartbeat",
    from: nodeId(1),
    to: nodeId(2),
    term: term(2),
    commit: logIndex(5),
  };
  const box = new Outbox((m) => sent.push(m), 1, (m) => m.to === 2);
  try {
    box.send([append(2, 5, [], 5), append(3, 5, [], 5)]);
    assert.deepEqual(sent, [append(3, 5, [], 5)], "peer 3 may not wait (not replicating)");
    box.send([hb]);
    assert.deepEqual(sent, [append(3, 5, [], 5), append(2, 5, [], 5), hb]);
    box.send([append(2, 5, [], 6)]);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(sent.slice(3), [append(2, 5, [], 6)]);
  } finally {
    box.close();
  }
});
