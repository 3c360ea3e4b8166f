import type { NodeId } from "./types.ts";

/** Tunables of one raft node. Ticks are abstract: the host decides how long one tick is. */
export interface RaftConfig {
  /** This node's id. */
  readonly id: NodeId;
  /** A follower campaigns after a random number of ticks in [electionTick, 2*electionTick). */
  readonly electionTick: number;
  /** The leader sends heartbeats every heartbeatTick ticks; must be < electionTick. */
  readonly heartbeatTick: number;
  /** Source of randomness in [0, 1) for election timeouts (seeded in tests, never Math.random here). */
  readonly random: () => number;
  /** Most appends in flight to one follower in replicate state. */
  readonly maxInflight: number;
  /** Soft limit on the entry bytes in one append (at least one entry is always sent). */
  readonly maxSizePerMsg: number;
  /** Run a pre-vote round before a real election so a partitioned node cannot bump terms. */
  readonly preVote: boolean;
  /** A leader steps down when a quorum was not heard from within an election timeout. */
  readonly checkQuorum: boolean;
  /** Bytes of snapshot data per InstallSnapshot chunk. */
  readonly snapshotChunkSize: number;
}

/** The defaults applied to fields a caller leaves out (only `id` and `random` are required). */
export const DEFAULT_RAFT_CONFIG = {
  electionTick: 10,
  heartbeatTick: 1,
  maxInflight: 256,
  maxSizePerMsg: 1024 * 1024,
  preVote: true,
  checkQuorum: true,
  snapshotChunkSize: 512 * 1024,
} as const;

/** Fills in defaults and checks the relations between fields; throws a plain Error naming the field. */
export function raftConfig(
  input: Pick<RaftConfig, "id" | "random"> & Partial<RaftConfig>,
): RaftConfig {
  const cfg: RaftConfig = { ...DEFAULT_RAFT_CONFIG, ...input };
  if (!Number.isSafeInteger(cfg.id) || cfg.id <= 0) {
    throw new Error(`Raft id ${cfg.id} is invalid; use a positive integer.`);
  }
  if (cfg.heartbeatTick < 1 || cfg.electionTick <= cfg.heartbeatTick) {
    throw new Error("Raft electionTick must be greater than heartbeatTick (>= 1).");
  }
  if (cfg.maxInflight < 1 || cfg.maxSizePerMsg < 1 || cfg.snapshotChunkSize < 1) {
    throw new Error("Raft maxInflight, maxSizePerMsg and snapshotChunkSize must be >= 1.");
  }
  return cfg;
}
