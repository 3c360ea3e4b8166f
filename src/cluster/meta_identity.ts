/** What a meta node remembers about its membership, next to its raft log. */
export interface StoredIdentity {
  readonly clusterId: string;
  readonly id: number;
  /** Set once the node learns it was removed; it then refuses to start. */
  readonly removed?: boolean;
}

/** Durable storage of the identity (the server backs it with a file in `raft_dir`). */
export interface IdentityStore {
  load(): Promise<StoredIdentity | null>;
  save(identity: StoredIdentity): Promise<void>;
}

/** The node must not start; `message` says why and what to do. */
export class MetaStartError extends Error {
  override readonly name = "MetaStartError";
}

/** Checks a stored identity against the configured id before anything starts. */
export function checkIdentity(stored: StoredIdentity, configuredId: number, dir: string): void {
  if (stored.id !== configuredId) {
    throw new MetaStartError(
      `${dir} holds the raft state of meta node ${stored.id}, but [raft_config].id is ` +
        `${configuredId}; use the matching id or an empty raft_dir`,
    );
  }
  if (stored.removed) {
    throw new MetaStartError(
      `meta node ${stored.id} was removed from cluster ${stored.clusterId}; ` +
        `to rejoin, empty ${dir} and start it with a new [raft_config].id and join = [...]`,
    );
  }
}
