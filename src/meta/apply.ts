// The pure meta state transition: (state, command) → (new state, result). No I/O, no clock:
// every time a command needs is inside it. The input is never modified; a rejected command
// returns the input unchanged with an error result carrying InfluxDB's text.

import * as dbs from "./apply_databases.ts";
import * as nodes from "./apply_nodes.ts";
import type { Applied } from "./apply_result.ts";
import * as shards from "./apply_shards.ts";
import * as users from "./apply_users.ts";
import type { MetaCommand } from "./commands.ts";
import { MetaError } from "./errors.ts";
import type { MetaData } from "./types.ts";
import { assertNever } from "../util/assert_never.ts";

/** Applies one command to `data`; returns the new state and the proposer's result. */
export function applyCommand(data: MetaData, cmd: MetaCommand): Applied {
  try {
    return dispatch(data, cmd);
  } catch (err) {
    if (err instanceof MetaError) return { data, result: { kind: "error", error: err.toData() } };
    throw err;
  }
}

function dispatch(data: MetaData, cmd: MetaCommand): Applied {
  switch (cmd.kind) {
    case "initCluster":
      return nodes.initCluster(data, cmd.clusterId);
    case "createDatabase":
      return dbs.createDatabase(data, cmd.name, cmd.retentionPolicy);
    case "dropDatabase":
      return dbs.dropDatabase(data, cmd.name);
    case "createRetentionPolicy":
      return dbs.createRetentionPolicy(data, cmd.database, cmd.spec, cmd.makeDefault);
    case "updateRetentionPolicy":
      return dbs.updateRetentionPolicy(data, cmd.database, cmd.name, cmd.update, cmd.makeDefault);
    case "dropRetentionPolicy":
      return dbs.dropRetentionPolicy(data, cmd.database, cmd.name);
    case "setDefaultRetentionPolicy":
      return dbs.setDefaultRetentionPolicy(data, cmd.database, cmd.name);
    case "createShardGroup":
      return shards.createShardGroup(data, cmd.database, cmd.retentionPolicy, cmd.timestamp);
    case "deleteShardGroup":
      return shards.deleteShardGroup(data, cmd.database, cmd.retentionPolicy, cmd.id, cmd.at);
    case "truncateShardGroups":
      return shards.truncateShardGroups(data, cmd.at);
    case "dropShard":
      return shards.dropShard(data, cmd.id, cmd.at);
    case "addShardOwner":
      return shards.addShardOwner(data, cmd.shardId, cmd.nodeId);
    case "removeShardOwner":
      return shards.removeShardOwner(data, cmd.shardId, cmd.nodeId);
    case "createDataNode":
      return nodes.createDataNode(data, cmd.httpAddress, cmd.rpcAddress);
    case "updateDataNode":
      return nodes.updateDataNode(data, cmd.id, cmd.httpAddress, cmd.rpcAddress);
    case "deleteDataNode":
      return nodes.deleteDataNode(data, cmd.id, cmd.at);
    case "addMetaNode":
      return nodes.addMetaNode(data, cmd.id, cmd.raftAddress, cmd.httpAddress);
    case "removeMetaNode":
      return nodes.removeMetaNode(data, cmd.id);
    case "createUser":
      return users.createUser(data, cmd.name, cmd.hash, cmd.admin);
    case "dropUser":
      return users.dropUser(data, cmd.name);
    case "setPassword":
      return users.setPassword(data, cmd.name, cmd.hash);
    case "setAdmin":
      return users.setAdmin(data, cmd.name, cmd.admin);
    case "setPrivilege":
      return users.setPrivilege(data, cmd.user, cmd.database, cmd.privilege);
    case "revokePrivilege":
      return users.revokePrivilege(data, cmd.user, cmd.database, cmd.privilege);
    case "createContinuousQuery":
      return dbs.createContinuousQuery(data, cmd.database, cmd.name, cmd.query);
    case "dropContinuousQuery":
      return dbs.dropContinuousQuery(data, cmd.database, cmd.name);
    default:
      return assertNever(cmd, "meta command");
  }
}
