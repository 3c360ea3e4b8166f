/**
 * The leader's side of log replication (etcd's raft.go stepLeader and tracker): pipelined
 * appends bounded by the in-flight window, probing with fast back-off, chunked snapshots,
 * commit by counting current-term entries, and ReadIndex acknowledgements.
 */
import type { Progress } from "./progress.ts";
import type { Raft } from "./raft.ts";
import type {
  AppendRespMessage,
  HeartbeatMessage,
  HeartbeatRespMessage,
  Message,
  NodeId,
} from "./types.ts";
import { logIndex } from "./types.ts";

/** Sends an append (or the snapshot when the needed entries are compacted) to `to`. */
export function sendAppend(r: Raft, to: NodeId, sendIfEmpty = true): boolean {
  const pr = r.prs.get(to);
  if (pr === undefined || pr.isPaused(r.cfg.maxInflight)) return false;
  const prevIndex = pr.next - 1;
  const prevTerm = r.log.term(prevIndex);
  if (prevTerm === undefined) return startSnapshot(r, to, pr);
  const entries = pr.next <= r.log.lastIndex()
    ? r.log.entriesFrom(pr.next, r.cfg.maxSizePerMsg)
    : [];
  if (entries.length === 0 && !sendIfEmpty) return false;
  r.send({
    kind: "append",
    to,
    term: r.term,
    prevIndex: logIndex(prevIndex),
    prevTerm,
    entries,
    commit: r.log.committed,
  });
  pr.sentEntries(prevIndex + entries.length, entries.length, r.cfg.maxInflight);
  return true;
}

/** Switches `to` to snapshot state and sends the first chunk of the latest snapshot. */
export function startSnapshot(r: Raft, to: NodeId, pr: Progress): boolean {
  const snap = r.log.snapshot;
  if (snap === null) return false;
  pr.becomeSnapshot(snap);
  sendSnapshotChunk(r, to, pr);
  return true;
}

/** Sends the chunk of the snapshot in transfer that starts at the offset the follower wants. */
export function sendSnapshotChunk(r: Raft, to: NodeId, pr: Progress): void {
  const snap = pr.snapshot!;
  const offset = Math.min(pr.snapshotOffset, snap.data.length);
  const end = Math.min(offset + r.cfg.snapshotChunkSize, snap.data.length);
  r.send({
    kind: "snapshot",
    to,
    term: r.term,
    meta: snap.meta,
    offset,
    data: snap.data.slice(offset, end),
    done: end >= snap.data.length,
  });
}

/** Sends appends (or heartbeats of the log) to every member that is not paused. */
export function broadcastAppend(r: Raft): void {
  for (const id of r.prs.keys()) if (id !== r.id) sendAppend(r, id);
}

/** Sends a heartbeat to every member, carrying `ctx` when a ReadIndex round is pending. */
export function broadcastHeartbeat(r: Raft, ctx?: Uint8Array): void {
  for (const [id, pr] of r.prs) {
    if (id === r.id) continue;
    const commit = logIndex(Math.min(pr.match, r.log.committed));
    const m: Omit<HeartbeatMessage, "from"> = ctx === undefined
      ? { kind: "heartbeat", to: id, term: r.term, commit }
      : { kind: "heartbeat", to: id, term: r.term, commit, ctx };
    r.send(m);
  }
}

/** Commits the highest index a quorum of voters holds, if it is of the current term (§5.4.2). */
export function maybeCommit(r: Raft): boolean {
  const matches = r.conf.voters.map((id) => r.prs.get(id)?.match ?? 0).sort((a, b) => b - a);
  if (matches.length === 0) return false;
  const mci = matches[r.quorum() - 1];
  if (mci <= r.log.committed || r.log.term(mci) !== r.term) return false;
  r.log.commitTo(mci);
  r.releasePendingReads();
  return true;
}

/** Handles a message of the current term on the leader. */
export function stepLeader(r: Raft, m: Message): void {
  switch (m.kind) {
    case "append_resp":
      handleAppendResp(r, m);
      return;
    case "heartbeat_resp":
      handleHeartbeatResp(r, m);
      return;
    case "snapshot_resp": {
      const pr = r.prs.get(m.from);
      if (pr === undefined) return;
      pr.recentActive = true;
      if (pr.state !== "snapshot" || pr.pendingSnapshot !== m.index) return;
      pr.snapshotOffset = m.offset;
      sendSnapshotChunk(r, m.from, pr);
      return;
    }
    default:
      return;
  }
}

/** Updates a follower's progress from its answer to an append, and commits what a quorum holds. */
export function handleAppendResp(r: Raft, m: AppendRespMessage): void {
  const pr = r.prs.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  if (m.reject) {
    const limit = m.hintTerm > 0
      ? r.log.findConflictByTerm(m.hintIndex, m.hintTerm).index
      : m.hintIndex;
    if (pr.maybeDecrTo(m.index, limit)) {
      if (pr.state === "replicate") pr.becomeProbe();
      sendAppend(r, m.from);
    }
    return;
  }
  const wasPaused = pr.isPaused(r.cfg.maxInflight);
  const updated = pr.maybeUpdate(m.index);
  if (pr.state === "snapshot") {
    if (pr.match + 1 >= r.log.firstIndex()) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.match >= pr.pendingSnapshot) {
      // It installed the snapshot we sent, but we compacted past it since: send the latest.
      pr.becomeProbe();
      sendAppend(r, m.from);
      return;
    } else return;
  } else if (!updated) return;
  else if (pr.state === "probe") pr.becomeReplicate();
  else pr.freeTo(m.index);
  if (maybeCommit(r)) broadcastAppend(r);
  else if (wasPaused) sendAppend(r, m.from);
  while (sendAppend(r, m.from, false)) { /* fill the in-flight window */ }
  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) {
    r.send({ kind: "timeout_now", to: m.from, term: r.term });
  }
}

/** Records a live follower, restarts stalled replication and counts ReadIndex acknowledgements. */
export function handleHeartbeatResp(r: Raft, m: HeartbeatRespMessage): void {
  const pr = r.prs.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.probeSent = false;
  if (pr.state === "replicate" && pr.inflights.length >= r.cfg.maxInflight) {
    pr.inflights.shift();
  }
  if (pr.state === "snapshot") sendSnapshotChunk(r, m.from, pr);
  else if (pr.match < r.log.lastIndex()) sendAppend(r, m.from);
  if (m.ctx === undefined) return;
  const acks = r.readOnly.ack(m.ctx, m.from);
  if (acks === null || !r.hasQuorum(acks)) return;
  for (const read of r.readOnly.advance(m.ctx)) r.answerRead(read);
}
