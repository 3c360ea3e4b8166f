/**
 * The plain-data vocabulary of the Raft core: ids, log entries, persistent state and the
 * messages peers exchange. Every value here survives a msgpack encode/decode unchanged
 * (numbers, strings, booleans, Uint8Array, arrays and plain objects only), because the
 * transport sends messages as they are.
 */

/** A raft node id: a positive integer below 2^53, unique in the cluster and never reused. */
export type NodeId = number & { readonly __brand: "NodeId" };
/** A raft term; 0 before the first election. */
export type Term = number & { readonly __brand: "Term" };
/** A position in the raft log; the first real entry has index 1, 0 means "none". */
export type LogIndex = number & { readonly __brand: "LogIndex" };

/** Brands a number as a NodeId (no checks: callers validate ids at the edges). */
export function nodeId(n: number): NodeId {
  return n as NodeId;
}

/** Brands a number as a Term. */
export function term(n: number): Term {
  return n as Term;
}

/** Brands a number as a LogIndex. */
export function logIndex(n: number): LogIndex {
  return n as LogIndex;
}

/** "No node": the value of `HardState.vote` before voting and of `leader` when unknown. */
export const NO_NODE = 0;

/**
 * What an entry carries. `normal` holds a state-machine command; `conf_change` holds an
 * encoded `ConfChange` (see `encodeConfChange`); `empty` is the no-op a new leader appends
 * so that it commits an entry of its own term.
 */
export type EntryKind = "normal" | "conf_change" | "empty";

/** One log entry. `data` is opaque to raft except for `conf_change` entries. */
export interface Entry {
  readonly term: Term;
  readonly index: LogIndex;
  readonly kind: EntryKind;
  readonly data: Uint8Array;
}

/** One membership change: new members join as learners and are later promoted to voters. */
export interface ConfChange {
  readonly kind: "add_learner" | "promote" | "remove";
  readonly node: NodeId;
  /** Opaque to raft; hosts usually carry the node's address here. */
  readonly context?: Uint8Array;
}

/** The state a node must persist before it sends any message that depends on it. */
export interface HardState {
  readonly term: Term;
  readonly vote: NodeId | typeof NO_NODE;
  readonly commit: LogIndex;
}

/** Cluster membership: voters count towards quorums, learners only receive the log. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/** Describes the log prefix a snapshot replaces: last included index and term, membership. */
export interface SnapshotMeta {
  readonly index: LogIndex;
  readonly term: Term;
  readonly confState: ConfState;
}

/** A state-machine snapshot covering every entry up to and including `meta.index`. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/** The role a node plays right now. */
export type Role = "follower" | "pre_candidate" | "candidate" | "leader";

/** Volatile state worth showing to a host: who leads (NO_NODE if unknown) and our role. */
export interface SoftState {
  readonly leader: NodeId | typeof NO_NODE;
  readonly role: Role;
}

/**
 * The answer to a ReadIndex request: once the local state machine has applied up to
 * `index`, a read identified by `ctx` may be served and is linearizable.
 */
export interface ReadState {
  readonly index: LogIndex;
  readonly ctx: Uint8Array;
}

/** Fields every message carries. `term` 0 marks a message that is not tied to a term. */
interface MessageBase {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: Term;
}

/** Leader → follower: entries following (prevIndex, prevTerm), and the leader's commit. */
export interface AppendMessage extends MessageBase {
  readonly kind: "append";
  readonly prevIndex: LogIndex;
  readonly prevTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/**
 * Follower → leader. On success `index` is the follower's new match index. On rejection
 * `index` is the rejected `prevIndex` and (`hintIndex`, `hintTerm`) name the follower's last
 * entry at or below it whose term is <= the leader's prevTerm, so the leader can skip a whole
 * conflicting term at once (etcd's fast back-off).
 */
export interface AppendRespMessage extends MessageBase {
  readonly kind: "append_resp";
  readonly index: LogIndex;
  readonly reject: boolean;
  readonly hintIndex: LogIndex;
  readonly hintTerm: Term;
}

/**
 * Candidate → voter (`vote`) or pre-candidate → voter (`pre_vote`, whose `term` is the term
 * the sender would campaign in, not its current one). `transfer` marks a campaign started by
 * a leadership transfer, which voters grant even while they still hear from a leader.
 */
export interface VoteMessage extends MessageBase {
  readonly kind: "vote" | "pre_vote";
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
  readonly transfer: boolean;
}

/** Voter → (pre-)candidate: granted unless `reject`. */
export interface VoteRespMessage extends MessageBase {
  readonly kind: "vote_resp" | "pre_vote_resp";
  readonly reject: boolean;
}

/**
 * Leader → follower: "I still lead"; `commit` never exceeds what the follower is known to
 * hold. `ctx` is set when the heartbeat confirms leadership for a ReadIndex request.
 */
export interface HeartbeatMessage extends MessageBase {
  readonly kind: "heartbeat";
  readonly commit: LogIndex;
  readonly ctx?: Uint8Array;
}

/** Follower → leader: answer to a heartbeat, echoing its `ctx`. */
export interface HeartbeatRespMessage extends MessageBase {
  readonly kind: "heartbeat_resp";
  readonly ctx?: Uint8Array;
}

/**
 * Leader → follower: one chunk of an InstallSnapshot. `data` holds the snapshot bytes from
 * `offset`; `done` marks the last chunk. `meta` identifies the snapshot on every chunk.
 */
export interface SnapshotMessage extends MessageBase {
  readonly kind: "snapshot";
  readonly meta: SnapshotMeta;
  readonly offset: number;
  readonly data: Uint8Array;
  readonly done: boolean;
}

/**
 * Follower → leader: the follower holds `offset` bytes of the snapshot ending at `index`
 * and wants the chunk starting there (after the last chunk, it answers with an
 * `append_resp` instead).
 */
export interface SnapshotRespMessage extends MessageBase {
  readonly kind: "snapshot_resp";
  readonly index: LogIndex;
  readonly offset: number;
}

/** Leader → transfer target: campaign now, even before your election timeout. */
export interface TimeoutNowMessage extends MessageBase {
  readonly kind: "timeout_now";
}

/** Follower → leader: a ReadIndex request forwarded on behalf of the follower's client. */
export interface ReadIndexMessage extends MessageBase {
  readonly kind: "read_index";
  readonly ctx: Uint8Array;
}

/** Leader → follower: the read index for a forwarded request, after leadership was confirmed. */
export interface ReadIndexRespMessage extends MessageBase {
  readonly kind: "read_index_resp";
  readonly ctx: Uint8Array;
  readonly index: LogIndex;
}

/** Follower → leader: a forwarded `transferLeader` request naming the node to hand over to. */
export interface TransferLeaderMessage extends MessageBase {
  readonly kind: "transfer_leader";
  readonly target: NodeId;
}

/** Every message raft nodes exchange, discriminated by `kind`. */
export type Message =
  | AppendMessage
  | AppendRespMessage
  | VoteMessage
  | VoteRespMessage
  | HeartbeatMessage
  | HeartbeatRespMessage
  | SnapshotMessage
  | SnapshotRespMessage
  | TimeoutNowMessage
  | ReadIndexMessage
  | ReadIndexRespMessage
  | TransferLeaderMessage;

/** The names of all message kinds. */
export type MessageKind = Message["kind"];

/**
 * What the host must do after `RawNode.ready()`, in this order:
 * 1. persist `snapshot` (if any), `entries` and `hardState` (if any) in one `LogStore.append`;
 * 2. if `snapshot` is set, `StateMachine.restore(snapshot.data)`;
 * 3. send `messages` (only now: they may promise that the data above is durable);
 * 4. apply `committedEntries` in order (they are already persisted);
 * 5. serve `readStates` once the state machine has applied up to their index;
 * 6. call `RawNode.advance()`.
 */
export interface Ready {
  /** Set when leader or role changed since the last Ready. */
  readonly softState?: SoftState;
  /** Set when term, vote or commit changed since the last Ready. */
  readonly hardState?: HardState;
  /** Entries to append to stable storage; they replace any stored entry at index >= first. */
  readonly entries: readonly Entry[];
  /** A snapshot received from the leader: persist it, then restore the state machine from it. */
  readonly snapshot?: Snapshot;
  /** Messages to send after the persistence above has completed. */
  readonly messages: readonly Message[];
  /** Committed entries to apply to the state machine, in index order. */
  readonly committedEntries: readonly Entry[];
  /** ReadIndex results completed since the last Ready. */
  readonly readStates: readonly ReadState[];
}
