/** The meta node's `/v1/metrics`: Prometheus text exposition (format 0.0.4). Pure. */
import type { DriverStatus } from "./raft_driver.ts";

/** What the exposition is rendered from. */
export interface MetaMetricsInput {
  /** The raft driver's status; undefined before the node joined a cluster. */
  readonly raft: DriverStatus | undefined;
  readonly metaIndex: number;
  readonly databases: number;
  readonly dataNodes: number;
  readonly proposals: number;
  readonly proposalErrors: number;
}

/** Renders the gauges and counters, with member lag on a leader. */
export function renderMetaMetrics(m: MetaMetricsInput): string {
  const s = m.raft;
  const lines: string[] = [];
  const metric = (type: "gauge" | "counter", name: string, help: string, v: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${v}`);
  };
  const gauge = (name: string, help: string, v: number) => metric("gauge", name, help, v);
  gauge("chronoraft_raft_term", "Current raft term.", s?.term ?? 0);
  gauge("chronoraft_raft_is_leader", "1 if this node leads.", s?.role === "leader" ? 1 : 0);
  gauge("chronoraft_raft_leader_id", "Id of the known leader (0: none).", s?.leader ?? 0);
  gauge("chronoraft_raft_commit_index", "Highest committed log index.", s?.commit ?? 0);
  gauge("chronoraft_raft_applied_index", "Highest applied log index.", s?.applied ?? 0);
  gauge("chronoraft_raft_last_index", "Last log index.", s?.lastIndex ?? 0);
  gauge("chronoraft_raft_snapshot_index", "Index of the latest snapshot.", s?.snapshotIndex ?? 0);
  gauge("chronoraft_raft_voters", "Voting members.", s?.voters.length ?? 0);
  gauge("chronoraft_raft_learners", "Non-voting members.", s?.learners.length ?? 0);
  gauge("chronoraft_meta_index", "Applied meta state index.", m.metaIndex);
  gauge("chronoraft_meta_databases", "Databases.", m.databases);
  gauge("chronoraft_meta_data_nodes", "Registered data nodes.", m.dataNodes);
  metric(
    "counter",
    "chronoraft_meta_proposals_total",
    "Meta commands proposed through this node.",
    m.proposals,
  );
  metric(
    "counter",
    "chronoraft_meta_proposal_errors_total",
    "Meta commands that failed to commit.",
    m.proposalErrors,
  );
  if (s?.role === "leader") {
    lines.push(
      "# HELP chronoraft_raft_member_lag Entries a member trails the leader's last index.",
      "# TYPE chronoraft_raft_member_lag gauge",
    );
    for (const [id, p] of Object.entries(s.progress)) {
      lines.push(`chronoraft_raft_member_lag{node="${id}"} ${Math.max(0, s.lastIndex - p.match)}`);
    }
  }
  return lines.join("\n") + "\n";
}
