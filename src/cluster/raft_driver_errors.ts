import type { NodeId } from "../raft/mod.ts";

/** This node does not lead; retry on `leader` when it is known. */
export class NotLeaderError extends Error {
  readonly kind = "not_leader";
  constructor(readonly leader: NodeId | undefined, what: string) {
    super(
      `Cannot ${what}: this node is not the raft leader` +
        (leader === undefined
          ? " and no leader is known yet; retry shortly"
          : `; retry on node ${leader}`),
    );
    this.name = "NotLeaderError";
  }
}

/** The proposal's log slot went to another entry (leadership changed); it was not applied. */
export class ProposalDroppedError extends Error {
  readonly kind = "proposal_dropped";
  constructor(message: string) {
    super(message);
    this.name = "ProposalDroppedError";
  }
}

/** No answer in time; a proposal may or may not have been applied. */
export class RaftTimeoutError extends Error {
  readonly kind = "timeout";
  constructor(what: string) {
    super(`Timed out waiting for ${what}; the cluster may have no leader. Retry later`);
    this.name = "RaftTimeoutError";
  }
}

/** The driver was closed (or failed) before the request completed. */
export class DriverClosedError extends Error {
  readonly kind = "closed";
  constructor(reason: string) {
    super(`Raft node is stopped: ${reason}`);
    this.name = "DriverClosedError";
  }
}
