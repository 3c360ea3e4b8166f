import type { Message, MessageKind } from "../raft/mod.ts";
import { type MessageCodec, msgpackCodec } from "./transport.ts";

const KINDS: ReadonlySet<MessageKind> = new Set<MessageKind>([
  "append",
  "append_resp",
  "vote",
  "vote_resp",
  "pre_vote",
  "pre_vote_resp",
  "heartbeat",
  "heartbeat_resp",
  "snapshot",
  "snapshot_resp",
  "timeout_now",
  "read_index",
  "read_index_resp",
  "transfer_leader",
]);

const isCount = (x: unknown): boolean => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

function isEntry(x: unknown): boolean {
  if (typeof x !== "object" || x === null) return false;
  const e = x as Record<string, unknown>;
  return isCount(e.term) && isCount(e.index) && typeof e.kind === "string" &&
    e.data instanceof Uint8Array;
}

/**
 * True when `x` has the envelope of a raft message: a known kind, numeric from/to/term, and
 * well-formed entries and byte fields where the kind has them. A peer that sends anything
 * else has its connection closed.
 */
export function isRaftMessage(x: unknown): x is Message {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const m = x as Record<string, unknown>;
  if (!KINDS.has(m.kind as MessageKind)) return false;
  if (!isCount(m.from) || !isCount(m.to) || !isCount(m.term)) return false;
  switch (m.kind) {
    case "append":
      return isCount(m.prevIndex) && isCount(m.prevTerm) && isCount(m.commit) &&
        Array.isArray(m.entries) && m.entries.every(isEntry);
    case "snapshot":
      return typeof m.meta === "object" && m.meta !== null && isCount(m.offset) &&
        m.data instanceof Uint8Array && typeof m.done === "boolean";
    case "read_index":
    case "read_index_resp":
      return m.ctx instanceof Uint8Array;
    default:
      return true;
  }
}

/** The msgpack codec for raft messages, refusing values that are not messages. */
export function raftMessageCodec(): MessageCodec<Message> {
  return msgpackCodec<Message>(isRaftMessage);
}
