/**
 * One conformance suite for every Transport implementation. Each case builds a fresh harness
 * (fresh network or fresh sockets) and closes everything it opened.
 */
import assert from "node:assert/strict";
import { type NodeId, nodeId } from "../../src/raft/mod.ts";
import type { LogFields } from "../../src/util/mod.ts";
import { encodeFrame, FrameDecoder } from "../../src/cluster/frame.ts";
import {
  decodeChallenge,
  encodeHandshake,
  importSecret,
  makeHello,
} from "../../src/cluster/frame_handshake.ts";
import type { RawConnection } from "../../src/cluster/transport_memory.ts";
import type { Transport, TransportLogger } from "../../src/cluster/transport.ts";

/** The message type the suite sends. */
export interface TestMsg {
  readonly seq: number;
  readonly note: string;
  readonly body: Uint8Array;
}

/** What a case may ask of the implementation under test. */
export interface CreateOptions {
  readonly id: NodeId;
  readonly logger: TransportLogger;
  readonly secret?: string;
  readonly clusterId?: string;
  /** Reuse this address (a restarted node); a fresh one otherwise. */
  readonly address?: string;
  readonly maxFrameBytes?: number;
}

/** Builds transports of one implementation; `dispose` releases the harness itself. */
export interface TransportHarness {
  create(opts: CreateOptions): Promise<Transport<TestMsg>>;
  connectRaw(address: string): Promise<RawConnection>;
  dispose(): Promise<void>;
}

/** Shared secret used by the cases unless they test a mismatch. */
export const SECRET = "s3cret";
/** Cluster id used by the cases unless they test a mismatch. */
export const CLUSTER = "test-cluster";

/** A logger that remembers warnings and errors. */
export class RecordingLogger implements TransportLogger {
  readonly lines: { level: string; msg: string; fields?: LogFields }[] = [];
  error(msg: string, fields?: LogFields): void {
    this.lines.push({ level: "error", msg, fields });
  }
  warn(msg: string, fields?: LogFields): void {
    this.lines.push({ level: "warn", msg, fields });
  }
  info(): void {}
  debug(): void {}
  /** Number of warn/error lines whose message contains `text`. */
  count(text: string): number {
    return this.lines.filter((l) => l.msg.includes(text)).length;
  }
}

/** Polls `pred` until it holds; fails the test after a generous limit (not a timing check). */
export async function waitFor(what: string, pred: () => boolean, limitMs = 15000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function msg(seq: number, size = 8, note = "m"): TestMsg {
  const body = new Uint8Array(size);
  for (let i = 0; i < size; i++) body[i] = (seq + i) & 0xff;
  return { seq, note, body };
}

class Inbox {
  readonly got: { from: NodeId; msg: TestMsg }[] = [];
  attach(t: Transport<TestMsg>): this {
    t.onMessage((from, m) => this.got.push({ from, msg: m }));
    return this;
  }
  seqs(from?: NodeId): number[] {
    return this.got.filter((g) => from === undefined || g.from === from).map((g) => g.msg.seq);
  }
}

/** Reads raw bytes until the peer closes; true if it did within the limit. */
async function closedByPeer(conn: RawConnection): Promise<boolean> {
  for (;;) {
    const b = await conn.read();
    if (b === null) return true;
  }
}

/** Completes the handshake by hand on a raw connection. */
async function rawHandshake(conn: RawConnection, from: number, secret: string): Promise<void> {
  const decoder = new FrameDecoder(4096);
  let frame: Uint8Array | null = null;
  while (frame === null) {
    const b = await conn.read();
    if (b === null) throw new Error("closed before the challenge");
    decoder.push(b);
    frame = decoder.next();
  }
  const challenge = decodeChallenge(frame);
  const hello = await makeHello(challenge, from, CLUSTER, await importSecret(secret));
  await conn.write(encodeFrame(encodeHandshake(hello)));
}

type Case = (
  h: TransportHarness,
  open: (o: Omit<CreateOptions, "logger"> & { logger?: TransportLogger }) => Promise<
    Transport<TestMsg>
  >,
) => Promise<void>;

const A = nodeId(1);
const B = nodeId(2);
const C = nodeId(3);

const cases: Record<string, Case> = {
  "delivers a message with the sender's id": async (_h, open) => {
    const a = await open({ id: A });
    const b = await open({ id: B });
    const inbox = new Inbox().attach(b);
    a.addPeer(B, b.address);
    a.send(B, msg(7, 100, "hello"));
    await waitFor("delivery", () => inbox.got.length === 1);
    assert.equal(inbox.got[0].from, A);
    assert.deepEqual(inbox.got[0].msg, msg(7, 100, "hello"));
  },

  "keeps order per peer across bursts and senders": async (_h, open) => {
    const a = await open({ id: A });
    const b = await open({ id: B });
    const c = await open({ id: C });
    const inbox = new Inbox().attach(b);
    a.addPeer(B, b.address);
    c.addPeer(B, b.address);
    a.send(B, msg(0));
    await waitFor("first delivery", () => inbox.got.length === 1);
    let seq = 1;
    for (let burst = 0; burst < 20; burst++) {
      for (let i = 0; i < 100; i++, seq++) {
        a.send(B, msg(seq, 16));
        c.send(B, msg(seq, 16));
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    await waitFor("all deliveries", () => inbox.got.length === 2 * seq - 1);
    const expected = Array.from({ length: seq }, (_, i) => i);
    assert.deepEqual(inbox.seqs(A), expected);
    assert.deepEqual(inbox.seqs(C), expected.slice(1));
  },

  "carries large messages and drops one over the frame limit": async (_h, open) => {
    const limit = 6 * 1024 * 1024;
    const a = await open({ id: A, maxFrameBytes: limit });
    const b = await open({ id: B, maxFrameBytes: limit });
    const inbox = new Inbox().attach(b);
    a.addPeer(B, b.address);
    a.send(B, msg(1, 4 * 1024 * 1024));
    a.send(B, msg(2, 7 * 1024 * 1024)); // too large: dropped by the sender
    a.send(B, msg(3, 10));
    await waitFor("two deliveries", () => inbox.got.length === 2);
    assert.deepEqual(inbox.seqs(), [1, 3]);
    assert.deepEqual(inbox.got[0].msg, msg(1, 4 * 1024 * 1024));
  },

  "reconnects to a peer that went down and came back": async (_h, open) => {
    const a = await open({ id: A });
    const b1 = await open({ id: B });
    const first = new Inbox().attach(b1);
    a.addPeer(B, b1.address);
    a.send(B, msg(1));
    await waitFor("delivery before the restart", () => first.got.length === 1);
    const address = b1.address;
    await b1.close();
    for (let i = 0; i < 5; i++) a.send(B, msg(100 + i)); // peer down: dropped, no throw
    await new Promise((r) => setTimeout(r, 20));
    const b2 = await open({ id: B, address });
    const second = new Inbox().attach(b2);
    let seq = 1000;
    await waitFor("delivery after the restart", () => {
      a.send(B, msg(seq++));
      return second.got.length > 0;
    });
    const seqs = second.seqs(A);
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], "order kept");
    assert.ok(seqs.every((s) => s >= 1000), "nothing sent while down arrives later");
  },

  "close is idempotent and later sends are dropped": async (_h, open) => {
    const a = await open({ id: A });
    const b = await open({ id: B });
    const inbox = new Inbox().attach(b);
    a.addPeer(B, b.address);
    a.send(B, msg(1));
    await waitFor("delivery", () => inbox.got.length === 1);
    await Promise.all([a.close(), a.close()]);
    await a.close();
    a.send(B, msg(2));
    a.addPeer(C, b.address);
    a.removePeer(B);
    await b.close();
    await b.close();
    assert.deepEqual(inbox.seqs(), [1]);
  },

  "a bad frame closes that connection and the node carries on": async (h, open) => {
    const log = new RecordingLogger();
    const a = await open({ id: A });
    const b = await open({ id: B, logger: log, maxFrameBytes: 1024 });
    const inbox = new Inbox().attach(b);
    a.addPeer(B, b.address);

    // 1. garbage before any handshake
    const raw1 = await h.connectRaw(b.address);
    await raw1.write(new Uint8Array([0, 0, 0, 5, 0xc1, 0xc1, 0xc1, 0xc1, 0xc1]));
    assert.ok(await closedByPeer(raw1));
    raw1.close();

    // 2. an authenticated peer sends a frame over the limit
    const raw2 = await h.connectRaw(b.address);
    await rawHandshake(raw2, 9, SECRET);
    await raw2.write(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
    assert.ok(await closedByPeer(raw2));
    raw2.close();

    // 3. an authenticated peer sends a frame that is not a message
    const raw3 = await h.connectRaw(b.address);
    await rawHandshake(raw3, 9, SECRET);
    await raw3.write(encodeFrame(new Uint8Array([0xc1, 0xff, 0x00])));
    assert.ok(await closedByPeer(raw3));
    raw3.close();

    assert.ok(log.count("bad handshake") >= 1, JSON.stringify(log.lines));
    assert.ok(log.count("bad frame") >= 1, JSON.stringify(log.lines));
    assert.ok(log.count("malformed message") >= 1, JSON.stringify(log.lines));
    a.send(B, msg(5));
    await waitFor("delivery after the bad frames", () => inbox.got.length === 1);
    assert.deepEqual(inbox.seqs(A), [5]);
  },

  "refuses a peer with the wrong secret or cluster id": async (h, open) => {
    const log = new RecordingLogger();
    const b = await open({ id: B, logger: log });
    const inbox = new Inbox().attach(b);
    const wrongSecret = await open({ id: A, secret: "not-the-secret" });
    const wrongCluster = await open({ id: C, clusterId: "other-cluster" });
    wrongSecret.addPeer(B, b.address);
    wrongCluster.addPeer(B, b.address);
    await waitFor("both refusals logged", () => {
      wrongSecret.send(B, msg(1));
      wrongCluster.send(B, msg(2));
      return log.count("secret") > 0 && log.count("cluster") > 0;
    });
    // A hello without any proof is refused too.
    const raw = await h.connectRaw(b.address);
    await rawHandshake(raw, 9, "");
    await raw.write(encodeFrame(new Uint8Array([0x90])));
    assert.ok(await closedByPeer(raw));
    raw.close();
    assert.ok(log.count("no shared-secret proof") > 0 || log.count("secret") > 1);
    assert.deepEqual(inbox.got, []);
  },
};

/** Registers every conformance case as a Deno test, named `<impl>: <case>`. */
export function runTransportConformance(impl: string, harness: () => TransportHarness): void {
  for (const [name, body] of Object.entries(cases)) {
    Deno.test(`${impl} transport: ${name}`, async () => {
      const h = harness();
      const opened: Transport<TestMsg>[] = [];
      try {
        await body(h, async (o) => {
          const t = await h.create({
            secret: SECRET,
            clusterId: CLUSTER,
            logger: new RecordingLogger(),
            ...o,
          });
          opened.push(t);
          return t;
        });
      } finally {
        for (const t of opened) await t.close();
        await h.dispose();
      }
    });
  }
}
