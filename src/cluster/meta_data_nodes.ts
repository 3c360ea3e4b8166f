/** The commands behind `ctl remove-data` and `ctl update-data`, checked against the state. Pure. */
import { type DataNodeInfo, type MetaCommand, type MetaData, shardsOwnedBy } from "../meta/mod.ts";
import { MetaRequestError } from "./meta_request_error.ts";

/** Which data node to remove, by id or rpc address; `force` allows orphaning shards. */
export interface RemoveDataNodeRequest {
  readonly id?: number;
  readonly rpcAddress?: string;
  readonly force?: boolean;
}

/**
 * The command that removes a data node at time `now` (ns). Without `force` it refuses (409)
 * when the node holds the only replica of a live shard, as influxd-ctl remove-data does.
 */
export function removeDataNodeCommand(
  data: MetaData,
  req: RemoveDataNodeRequest,
  now: bigint,
): MetaCommand {
  const node = data.dataNodes.find((n) =>
    req.id !== undefined ? n.id === req.id : n.rpcAddress === req.rpcAddress
  );
  if (!node) throw new MetaRequestError(404, `no data node ${req.id ?? req.rpcAddress}`);
  if (!req.force) {
    const orphans = shardsOwnedBy(data, node.id).filter((l) => l.shard.owners.length === 1);
    if (orphans.length > 0) {
      throw new MetaRequestError(
        409,
        `data node ${node.id} is the only owner of ${orphans.length} shard(s) ` +
          `(e.g. ${orphans[0].shard.id}); copy them first or use -force`,
      );
    }
  }
  return { kind: "deleteDataNode", id: node.id, at: now };
}

/** Which data node to move (by its current rpc address) and its new addresses. */
export interface UpdateDataNodeRequest {
  readonly oldRpcAddress: string;
  readonly rpcAddress: string;
  readonly httpAddress?: string;
}

/** The command that gives a data node new addresses (keeping its id), and the node after it. */
export function updateDataNodeCommand(
  data: MetaData,
  req: UpdateDataNodeRequest,
): { command: MetaCommand; updated: DataNodeInfo } {
  const node = data.dataNodes.find((n) => n.rpcAddress === req.oldRpcAddress);
  if (!node) throw new MetaRequestError(404, `no data node at ${req.oldRpcAddress}`);
  const updated = {
    ...node,
    rpcAddress: req.rpcAddress,
    httpAddress: req.httpAddress ?? node.httpAddress,
  };
  return {
    command: {
      kind: "updateDataNode",
      id: node.id,
      rpcAddress: updated.rpcAddress,
      httpAddress: updated.httpAddress,
    },
    updated,
  };
}
