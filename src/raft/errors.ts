/** Typed errors of the raft package: each names what went wrong and what the caller can do. */

/** The reasons a raft operation can fail. */
export type RaftErrorKind =
  | "not_leader"
  | "proposal_dropped"
  | "conf_change_pending"
  | "invalid_conf_change"
  | "log_gap"
  | "compacted"
  | "snapshot_out_of_date"
  | "store_closed"
  | "invalid_state";

/** An error raised by the raft core or a log store; `kind` is stable, `message` is for people. */
export class RaftError extends Error {
  /** Builds an error of `kind` with a sentence that says what happened and what to do. */
  constructor(readonly kind: RaftErrorKind, message: string) {
    super(message);
    this.name = "RaftError";
  }
}
