import type {
  AddNodeResponse,
  ClusterNodes,
  ClusterStatus,
  DataNodeInfo,
  MetaNodeInfo,
} from "../cluster/admin_types.ts";
import { adminRequest } from "./admin_client.ts";
import { parseFlags } from "./args.ts";
import type { CtlCommand, CtlContext } from "./ctl_types.ts";
import { EXIT_OK, UsageError } from "./io.ts";
import { renderTable } from "./table.ts";

/** Go-style single-dash long flags (`-force`) as influxd-ctl users type them. */
function goFlags(args: string[], names: string[]): string[] {
  return args.map((a) => names.includes(a.replace(/^-/, "")) && /^-[a-z]/.test(a) ? `-${a}` : a);
}

function print(ctx: CtlContext, value: unknown, text: () => string): number {
  ctx.io.stdout(ctx.json ? JSON.stringify(value, null, 2) + "\n" : text());
  return EXIT_OK;
}

function positional(cmd: string, usage: string, args: string[], count: number): string[] {
  if (args.length !== count) {
    throw new UsageError(`ctl ${cmd}: expected ${usage}, got ${args.length} argument(s)`);
  }
  return args;
}

function metaRows(nodes: readonly MetaNodeInfo[], leader: number | null): string[][] {
  return nodes.map((n) => [
    String(n.id),
    n.adminAddress,
    n.raftAddress,
    n.id === leader ? "leader" : n.state,
  ]);
}

function dataRows(nodes: readonly DataNodeInfo[]): string[][] {
  return nodes.map((n) => [String(n.id), n.rpcAddress, n.httpAddress]);
}

/** `show`: the Data Nodes and Meta Nodes tables of `influxd-ctl show`, leader marked. */
const show: CtlCommand = {
  name: "show",
  summary: "Show the data nodes and meta nodes of the cluster",
  async run(args, ctx) {
    positional("show", "no arguments", parseFlags("ctl show", args, {}, true).positionals, 0);
    const nodes = await adminRequest<ClusterNodes>(ctx.meta, "GET", "/v1/cluster/nodes");
    return print(
      ctx,
      nodes,
      () =>
        renderTable(
          "Data Nodes",
          ["ID", "TCP Address", "HTTP Address"],
          dataRows(nodes.dataNodes),
        ) +
        renderTable(
          "Meta Nodes",
          ["ID", "HTTP Address", "Raft Address", "State"],
          metaRows(nodes.metaNodes, nodes.leader),
        ),
    );
  },
};

/** `status`: this node's raft view and every member's replication lag. */
const status: CtlCommand = {
  name: "status",
  summary: "Show raft status: term, leader, commit/applied index, member lag",
  async run(args, ctx) {
    positional("status", "no arguments", parseFlags("ctl status", args, {}, true).positionals, 0);
    const s = await adminRequest<ClusterStatus>(ctx.meta, "GET", "/v1/cluster/status");
    return print(ctx, s, () =>
      [
        `Node:     ${s.id} (${s.role})`,
        `Term:     ${s.term}`,
        `Leader:   ${s.leader ?? "unknown"}`,
        `Commit:   ${s.commitIndex}`,
        `Applied:  ${s.appliedIndex}`,
        "",
      ].join("\n") + "\n" +
      renderTable(
        "Members",
        ["ID", "HTTP Address", "State", "Match", "Lag"],
        s.members.map((m) => [
          String(m.id),
          m.adminAddress,
          m.id === s.leader ? "leader" : m.state,
          m.match === undefined ? "-" : String(m.match),
          m.lag === undefined ? "-" : String(m.lag),
        ]),
      ));
  },
};

/** `add-meta ADDR`: adds the meta node whose admin API is at ADDR (as a learner, then voter). */
const addMeta: CtlCommand = {
  name: "add-meta",
  summary: "Add a meta node by its admin address (joins as learner, promoted when caught up)",
  async run(args, ctx) {
    const [addr] = positional(
      "add-meta",
      "the new meta node's admin address (host:port)",
      parseFlags("ctl add-meta", args, {}, true).positionals,
      1,
    );
    const r = await adminRequest<AddNodeResponse>(ctx.meta, "POST", "/v1/cluster/add-node", {
      adminAddress: addr,
    });
    return print(ctx, r, () => `Added meta node ${addr}\n`);
  },
};

/** `remove-meta [-force] ADDR|ID`: removes a meta node from the raft group. */
const removeMeta: CtlCommand = {
  name: "remove-meta",
  summary: "Remove a meta node by admin address or id (-force: even if unreachable)",
  async run(args, ctx) {
    const { values, positionals } = parseFlags("ctl remove-meta", goFlags(args, ["force"]), {
      force: { type: "boolean" },
    }, true);
    const [target] = positional("remove-meta", "a meta node's admin address or id", positionals, 1);
    const body = /^\d+$/.test(target)
      ? { id: Number(target), force: values.force ?? false }
      : { adminAddress: target, force: values.force ?? false };
    const r = await adminRequest(ctx.meta, "POST", "/v1/cluster/remove-node", body);
    return print(ctx, r, () => `Removed meta node ${target}\n`);
  },
};

/** `add-data RPC_ADDR HTTP_ADDR`: registers a data node. */
const addData: CtlCommand = {
  name: "add-data",
  summary: "Register a data node by its RPC (TCP) and HTTP addresses",
  async run(args, ctx) {
    const [rpc, http] = positional(
      "add-data",
      "the data node's rpc address and http address",
      parseFlags("ctl add-data", args, {}, true).positionals,
      2,
    );
    const r = await adminRequest<DataNodeInfo>(ctx.meta, "POST", "/v1/cluster/add-data", {
      rpcAddress: rpc,
      httpAddress: http,
    });
    return print(ctx, r, () => `Added data node ${r.id} at ${r.rpcAddress}\n`);
  },
};

/** `remove-data [-force] RPC_ADDR|ID`: removes a data node and its shard ownerships. */
const removeData: CtlCommand = {
  name: "remove-data",
  summary: "Remove a data node by rpc address or id (-force: even if shards lose their last owner)",
  async run(args, ctx) {
    const { values, positionals } = parseFlags("ctl remove-data", goFlags(args, ["force"]), {
      force: { type: "boolean" },
    }, true);
    const [target] = positional("remove-data", "a data node's rpc address or id", positionals, 1);
    const body = /^\d+$/.test(target)
      ? { id: Number(target), force: values.force ?? false }
      : { rpcAddress: target, force: values.force ?? false };
    const r = await adminRequest(ctx.meta, "POST", "/v1/cluster/remove-data", body);
    return print(ctx, r, () => `Removed data node ${target}\n`);
  },
};

/** `update-data OLD_RPC NEW_RPC [NEW_HTTP]`: changes a data node's addresses, keeping its id. */
const updateData: CtlCommand = {
  name: "update-data",
  summary: "Change a data node's addresses (old rpc address → new rpc [and http] address)",
  async run(args, ctx) {
    const { positionals } = parseFlags("ctl update-data", args, {}, true);
    if (positionals.length < 2 || positionals.length > 3) {
      throw new UsageError("ctl update-data: expected OLD_RPC_ADDR NEW_RPC_ADDR [NEW_HTTP_ADDR]");
    }
    const [oldRpc, newRpc, newHttp] = positionals;
    const r = await adminRequest<DataNodeInfo>(ctx.meta, "POST", "/v1/cluster/update-data", {
      oldRpcAddress: oldRpc,
      rpcAddress: newRpc,
      httpAddress: newHttp,
    });
    return print(ctx, r, () => `Updated data node ${r.id}: ${oldRpc} → ${r.rpcAddress}\n`);
  },
};

/** `leave`: the meta node at --meta removes itself from the cluster. */
const leave: CtlCommand = {
  name: "leave",
  summary: "Make the meta node at --meta leave the cluster (hands off leadership first)",
  async run(args, ctx) {
    positional("leave", "no arguments", parseFlags("ctl leave", args, {}, true).positionals, 0);
    const r = await adminRequest(ctx.meta, "POST", "/v1/cluster/leave", {});
    return print(ctx, r, () => `Meta node ${ctx.meta} left the cluster\n`);
  },
};

/** `transfer-leader ID`: hands raft leadership to the given meta node. */
const transferLeader: CtlCommand = {
  name: "transfer-leader",
  summary: "Hand raft leadership to the meta node with the given id",
  async run(args, ctx) {
    const [id] = positional(
      "transfer-leader",
      "the id of the meta node to lead",
      parseFlags("ctl transfer-leader", args, {}, true).positionals,
      1,
    );
    if (!/^\d+$/.test(id)) throw new UsageError(`ctl transfer-leader: ${id} is not a node id`);
    const r = await adminRequest<{ leader: number }>(
      ctx.meta,
      "POST",
      `/v1/ctrl/transfer-leader?to=${id}`,
    );
    return print(ctx, r, () => `Leader is now meta node ${r.leader}\n`);
  },
};

/** The meta-cluster commands of `chronoraft ctl`. */
export const CLUSTER_COMMANDS: readonly CtlCommand[] = [
  show,
  status,
  addMeta,
  removeMeta,
  addData,
  removeData,
  updateData,
  leave,
  transferLeader,
];
