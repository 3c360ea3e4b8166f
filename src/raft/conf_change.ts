import { decode, encode } from "@msgpack/msgpack";
import { RaftError } from "./errors.ts";
import type { ConfChange, ConfState, NodeId } from "./types.ts";
import { nodeId } from "./types.ts";

/** Encodes a membership change as the data of a `conf_change` entry (msgpack). */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const record: Record<string, unknown> = { kind: cc.kind, node: cc.node };
  if (cc.context !== undefined) record.context = cc.context;
  return encode(record);
}

/** Decodes a `conf_change` entry's data; throws `RaftError("invalid_conf_change")` on bad bytes. */
export function decodeConfChange(data: Uint8Array): ConfChange {
  let raw: unknown;
  try {
    raw = decode(data);
  } catch (e) {
    throw new RaftError("invalid_conf_change", `Conf change data is not msgpack: ${e}.`);
  }
  if (typeof raw !== "object" || raw === null) {
    throw new RaftError("invalid_conf_change", "Conf change data is not a record.");
  }
  const r = raw as Record<string, unknown>;
  const kind = r.kind;
  if (kind !== "add_learner" && kind !== "promote" && kind !== "remove") {
    throw new RaftError("invalid_conf_change", `Unknown conf change kind ${String(kind)}.`);
  }
  if (typeof r.node !== "number" || !Number.isSafeInteger(r.node) || r.node <= 0) {
    throw new RaftError("invalid_conf_change", `Conf change node ${String(r.node)} is not an id.`);
  }
  const node = nodeId(r.node);
  return r.context instanceof Uint8Array ? { kind, node, context: r.context } : { kind, node };
}

/**
 * Applies one change to a membership, returning the new one. Adding an existing member,
 * promoting a non-learner or removing a stranger changes nothing (entries are applied on
 * every node, so they must never fail).
 */
export function applyConfChange(cs: ConfState, cc: ConfChange): ConfState {
  const has = (list: readonly NodeId[]) => list.includes(cc.node);
  const without = (list: readonly NodeId[]) => list.filter((n) => n !== cc.node);
  switch (cc.kind) {
    case "add_learner":
      if (has(cs.voters) || has(cs.learners)) return cs;
      return { voters: cs.voters, learners: [...cs.learners, cc.node] };
    case "promote":
      if (!has(cs.learners)) return cs;
      return { voters: [...cs.voters, cc.node], learners: without(cs.learners) };
    case "remove":
      return { voters: without(cs.voters), learners: without(cs.learners) };
  }
}
