/** The JSON shapes of the admin API, shared by the server side and `chronoraft ctl`. */

/** A meta node's place in the raft group, as its leader sees it. */
export type MemberState = "leader" | "voter" | "learner" | "removed";

/** One meta node. `match`/`lag` are the leader's replication progress for it. */
export interface MetaNodeInfo {
  readonly id: number;
  readonly raftAddress: string;
  readonly adminAddress: string;
  readonly state: MemberState;
  readonly match?: number;
  readonly lag?: number;
}

/** One data node; its id is stable across restarts. */
export interface DataNodeInfo {
  readonly id: number;
  readonly httpAddress: string;
  readonly rpcAddress: string;
}

/** `GET /v1/cluster/nodes`. */
export interface ClusterNodes {
  readonly clusterId: string;
  readonly leader: number | null;
  readonly metaNodes: readonly MetaNodeInfo[];
  readonly dataNodes: readonly DataNodeInfo[];
}

/** `GET /v1/cluster/status`: this node's raft view plus every member as the leader sees it. */
export interface ClusterStatus {
  readonly id: number;
  readonly role: string;
  readonly term: number;
  readonly leader: number | null;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly members: readonly MetaNodeInfo[];
}

/** `POST /v1/cluster/add-node`: a meta node asking to join, or `ctl add-meta` naming one. */
export interface AddNodeRequest {
  /** The admin API address of the node to add. */
  readonly adminAddress: string;
  /** Its raft id and raft address; when absent the leader asks the node itself. */
  readonly id?: number;
  readonly raftAddress?: string;
}

/** The answer to add-node: what the new member needs to start following. */
export interface AddNodeResponse {
  readonly clusterId: string;
  readonly leader: number;
  readonly members: readonly MetaNodeInfo[];
}

/** `POST /v1/cluster/remove-node`: by id or admin address; `force` skips the safety checks. */
export interface RemoveNodeRequest {
  readonly id?: number;
  readonly adminAddress?: string;
  readonly force?: boolean;
}

/** `POST /v1/cluster/add-data` and `/update-data`: a data node's addresses. */
export interface DataNodeRequest {
  readonly httpAddress: string;
  readonly rpcAddress: string;
  /** update-data: the node to change. */
  readonly id?: number;
}

/** `GET /v1/node`: who this process is, asked by a leader before adding it. */
export interface NodeIdentity {
  readonly id: number;
  readonly raftAddress: string;
  readonly adminAddress: string;
  readonly clusterId: string | null;
}
