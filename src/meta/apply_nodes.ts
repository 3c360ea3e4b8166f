// Cluster membership as the meta state records it: the cluster id, meta nodes and data
// nodes. A data node is identified by its RPC address, so re-registering keeps its id.

import { mapShardGroups } from "./apply_shards.ts";
import { type Applied, OK, replaceWhere } from "./apply_result.ts";
import { metaErrors } from "./errors.ts";
import { isDeleted } from "./shard_groups.ts";
import {
  type DataNodeId,
  dataNodeId,
  type DataNodeInfo,
  type MetaData,
  type MetaNodeId,
  type MetaNodeInfo,
  type ShardGroupInfo,
  type ShardInfo,
} from "./types.ts";

/** Records the cluster id once; the same id again is a no-op, a different one an error. */
export function initCluster(data: MetaData, clusterId: string): Applied {
  if (clusterId === "") throw metaErrors.badCommand("cluster id must not be empty");
  if (data.clusterId === clusterId) return { data, result: OK };
  if (data.clusterId !== "") throw metaErrors.clusterIdConflict(data.clusterId, clusterId);
  return { data: { ...data, clusterId }, result: OK };
}

const byId = <T extends { id: number }>(a: T, b: T): number => a.id - b.id;

/** Registers a data node, or returns the one already registered at `rpcAddress`. */
export function createDataNode(data: MetaData, httpAddress: string, rpcAddress: string): Applied {
  const existing = data.dataNodes.find((n) => n.rpcAddress === rpcAddress);
  if (existing) {
    if (existing.httpAddress === httpAddress) {
      return { data, result: { kind: "dataNode", dataNode: existing } };
    }
    const node = { ...existing, httpAddress };
    const dataNodes = replaceWhere(data.dataNodes, (n) => n.id === node.id, () => node);
    return { data: { ...data, dataNodes }, result: { kind: "dataNode", dataNode: node } };
  }
  const node: DataNodeInfo = { id: dataNodeId(data.nextDataNodeId), httpAddress, rpcAddress };
  return {
    data: {
      ...data,
      dataNodes: [...data.dataNodes, node].sort(byId),
      nextDataNodeId: data.nextDataNodeId + 1,
    },
    result: { kind: "dataNode", dataNode: node },
  };
}

/** Changes a data node's addresses (`ctl update-data`). */
export function updateDataNode(
  data: MetaData,
  id: DataNodeId,
  httpAddress: string,
  rpcAddress: string,
): Applied {
  const existing = data.dataNodes.find((n) => n.id === id);
  if (!existing) throw metaErrors.nodeNotFound();
  if (data.dataNodes.some((n) => n.id !== id && n.rpcAddress === rpcAddress)) {
    throw metaErrors.nodeExists();
  }
  const node = { ...existing, httpAddress, rpcAddress };
  const dataNodes = replaceWhere(data.dataNodes, (n) => n.id === id, () => node);
  return { data: { ...data, dataNodes }, result: { kind: "dataNode", dataNode: node } };
}

/**
 * Removes a data node (`ctl remove-data`). Its replicas are dropped from every shard; a
 * shard left with no owner is handed to the node owning fewest shards of that group
 * (lowest id on a tie); a group whose shards all lost their only owner is marked deleted.
 */
export function deleteDataNode(data: MetaData, id: DataNodeId, at: bigint): Applied {
  if (!data.dataNodes.some((n) => n.id === id)) throw metaErrors.nodeNotFound();
  const without = mapShardGroups(data, (g) => reassignGroup(g, id, at));
  return {
    data: { ...without, dataNodes: data.dataNodes.filter((n) => n.id !== id) },
    result: OK,
  };
}

function reassignGroup(g: ShardGroupInfo, id: DataNodeId, at: bigint): ShardGroupInfo {
  if (g.shards.length > 0 && !g.shards.some((s) => s.owners.includes(id))) return g;
  const freq = new Map<DataNodeId, number>();
  for (const s of g.shards) {
    for (const o of s.owners) if (o !== id) freq.set(o, (freq.get(o) ?? 0) + 1);
  }
  const shards: ShardInfo[] = g.shards.map((s) =>
    s.owners.includes(id) ? { ...s, owners: s.owners.filter((o) => o !== id) } : s
  );
  const orphans = shards.filter((s) => s.owners.length === 0).length;
  if (shards.length === 0 || orphans === shards.length) {
    return isDeleted(g) ? { ...g, shards } : { ...g, shards, deletedAt: at };
  }
  return {
    ...g,
    shards: shards.map((s) => {
      if (s.owners.length > 0) return s;
      // Non-empty: at least one shard kept an owner, so someone is in `freq`.
      let best: [DataNodeId, number] = [id, Infinity];
      for (const [node, n] of freq) {
        if (n < best[1] || (n === best[1] && node < best[0])) best = [node, n];
      }
      freq.set(best[0], best[1] + 1);
      return { ...s, owners: [best[0]] };
    }),
  };
}

/** Adds a meta node, or updates the addresses of the one with the same id. */
export function addMetaNode(
  data: MetaData,
  id: MetaNodeId,
  raftAddress: string,
  httpAddress: string,
): Applied {
  if (id <= 0) throw metaErrors.nodeIdRequired();
  if (data.metaNodes.some((n) => n.id !== id && n.raftAddress === raftAddress)) {
    throw metaErrors.nodeExists();
  }
  const node: MetaNodeInfo = { id, raftAddress, httpAddress };
  const existing = data.metaNodes.find((n) => n.id === id);
  if (existing && existing.raftAddress === raftAddress && existing.httpAddress === httpAddress) {
    return { data, result: OK };
  }
  const metaNodes = existing
    ? replaceWhere(data.metaNodes, (n) => n.id === id, () => node)
    : [...data.metaNodes, node].sort(byId);
  return { data: { ...data, metaNodes }, result: OK };
}

/** Removes a meta node from the recorded membership. */
export function removeMetaNode(data: MetaData, id: MetaNodeId): Applied {
  if (id <= 0) throw metaErrors.nodeIdRequired();
  if (!data.metaNodes.some((n) => n.id === id)) throw metaErrors.nodeNotFound();
  return { data: { ...data, metaNodes: data.metaNodes.filter((n) => n.id !== id) }, result: OK };
}
