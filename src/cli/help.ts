/** Top-level usage text. */
export const MAIN_HELP =
  `Chronoraft: a clustered time-series database speaking the InfluxDB 1.x API.

Usage:
  chronoraft <command> [flags]

Commands:
  serve     Run a node (meta, data or both) from a TOML config, or the embedded default.
  config    Print the full default configuration as commented TOML.
  ctl       Administer a cluster through a meta node's admin API.
  version   Print the version.

Run 'chronoraft <command> --help' for a command's flags.
`;

/** `serve` usage text. */
export const SERVE_HELP = `Usage: chronoraft serve [-c FILE]

Runs a node. With -c, reads its TOML config (see 'chronoraft config' for every key).
Without -c, runs the embedded default: one meta+data node on 127.0.0.1 (admin API :8091,
raft :8089, HTTP API :8086, data RPC :8088) with its files under ./chronoraft-data.

Flags:
  -c, --config FILE   the node's TOML configuration
  -h, --help          show this help
`;

/** `config` usage text. */
export const CONFIG_HELP = `Usage: chronoraft config

Prints the full default configuration, every key with its default and meaning, as TOML that
'chronoraft serve -c' accepts unchanged.
`;

/** `version` usage text. */
export const VERSION_HELP = `Usage: chronoraft version

Prints the version of this binary.
`;
