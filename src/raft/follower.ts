/**
 * The follower's side of replication: appends (§5.3), heartbeats and chunked
 * InstallSnapshot.
 */
import type { Raft } from "./raft.ts";
import type {
  AppendMessage,
  HeartbeatMessage,
  HeartbeatRespMessage,
  LogIndex,
  NodeId,
  SnapshotMessage,
  Term,
} from "./types.ts";
import { logIndex, term as toTerm } from "./types.ts";

/** Answers an append (or a snapshot) with our match index or a rejection hint. */
export function appendResp(
  r: Raft,
  to: NodeId,
  index: number,
  reject = false,
  hint?: { index: LogIndex; term: Term },
): void {
  r.send({
    kind: "append_resp",
    to,
    term: r.term,
    index: logIndex(index),
    reject,
    hintIndex: hint?.index ?? logIndex(0),
    hintTerm: hint?.term ?? toTerm(0),
  });
}

/** §5.3 on a follower: accept entries that follow a matching entry, else reject with a hint. */
export function handleAppend(r: Raft, m: AppendMessage): void {
  if (m.prevIndex < r.log.committed) {
    appendResp(r, m.from, r.log.committed);
    return;
  }
  const last = r.log.maybeAppend(m.prevIndex, m.prevTerm, m.entries);
  if (last !== null) {
    r.log.commitTo(Math.min(m.commit, last));
    appendResp(r, m.from, last);
    return;
  }
  const hint = r.log.findConflictByTerm(
    Math.min(m.prevIndex, r.log.lastIndex()),
    m.prevTerm,
  );
  appendResp(r, m.from, m.prevIndex, true, hint);
}

/** Learns the commit index from the leader and answers, echoing a ReadIndex ctx. */
export function handleHeartbeat(r: Raft, m: HeartbeatMessage): void {
  r.log.commitTo(m.commit);
  const resp: Omit<HeartbeatRespMessage, "from"> = m.ctx === undefined
    ? { kind: "heartbeat_resp", to: m.from, term: r.term }
    : { kind: "heartbeat_resp", to: m.from, term: r.term, ctx: m.ctx };
  r.send(resp);
}

/** Collects InstallSnapshot chunks in order; installs the snapshot after the last one. */
export function handleSnapshot(r: Raft, m: SnapshotMessage): void {
  const meta = m.meta;
  if (meta.index <= r.log.committed) {
    r.snapRecv = null;
    appendResp(r, m.from, r.log.committed);
    return;
  }
  if (m.offset === 0) r.snapRecv = { meta, chunks: [], size: 0 };
  const buf = r.snapRecv;
  const same = buf !== null && buf.meta.index === meta.index && buf.meta.term === meta.term;
  if (!same || m.offset !== buf.size) {
    const have = same ? buf.size : 0;
    r.send({
      kind: "snapshot_resp",
      to: m.from,
      term: r.term,
      index: meta.index,
      offset: have,
    });
    return;
  }
  buf.chunks.push(m.data.slice());
  buf.size += m.data.length;
  if (!m.done) {
    r.send({
      kind: "snapshot_resp",
      to: m.from,
      term: r.term,
      index: meta.index,
      offset: buf.size,
    });
    return;
  }
  r.snapRecv = null;
  if (r.log.matchTerm(meta.index, meta.term)) {
    // We hold the entries already: just learn that they are committed.
    r.log.commitTo(meta.index);
    appendResp(r, m.from, r.log.committed);
    return;
  }
  const data = new Uint8Array(buf.size);
  let at = 0;
  for (const c of buf.chunks) {
    data.set(c, at);
    at += c.length;
  }
  r.log.restore({ meta, data });
  r.conf = meta.confState;
  r.confHistory = [{ index: meta.index, conf: meta.confState }];
  appendResp(r, m.from, r.log.lastIndex());
}
