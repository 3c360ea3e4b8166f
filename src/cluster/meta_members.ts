/** The member list that status, nodes and join answers show. Pure. */
import type { MetaData } from "../meta/mod.ts";
import { nodeId } from "../raft/mod.ts";
import type { MemberState, MetaNodeInfo } from "./admin_types.ts";
import type { DriverStatus } from "./raft_driver.ts";

/** Who is asking: this node's id and raft address. */
export interface MemberSelf {
  readonly id: number;
  readonly raftAddress: string;
}

/**
 * Every meta node the meta state or the raft configuration knows, by id, with its raft role
 * ("removed": listed in the meta state but no longer in the configuration) and, on a leader,
 * its replication progress. `knownAdmins` fills admin addresses the meta state lacks yet.
 */
export function listMembers(
  raft: DriverStatus | undefined,
  data: MetaData,
  self: MemberSelf,
  knownAdmins: ReadonlyMap<number, string>,
): MetaNodeInfo[] {
  const ids = new Set<number>([
    ...data.metaNodes.map((m) => m.id as number),
    ...(raft?.voters ?? []),
    ...(raft?.learners ?? []),
  ]);
  return [...ids].sort((a, b) => a - b).map((id) => {
    const m = data.metaNodes.find((n) => n.id === id);
    const state: MemberState = raft?.leader === id
      ? "leader"
      : raft?.voters.includes(nodeId(id))
      ? "voter"
      : raft?.learners.includes(nodeId(id))
      ? "learner"
      : "removed";
    const p = raft?.progress[id];
    return {
      id,
      raftAddress: m?.raftAddress ?? (id === self.id ? self.raftAddress : ""),
      adminAddress: m?.httpAddress ?? knownAdmins.get(id) ?? "",
      state,
      ...(p ? { match: p.match, lag: Math.max(0, raft!.lastIndex - p.match) } : {}),
    };
  });
}
