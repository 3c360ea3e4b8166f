/** Key layout and value codecs of the raft log in Deno KV (used by KvLogStore). */
import { decode, encode } from "@msgpack/msgpack";
import {
  type ConfState,
  type Entry,
  type EntryKind,
  type HardState,
  type LogIndex,
  logIndex,
  type NodeId,
  type SnapshotMeta,
  type Term,
  term,
} from "../raft/mod.ts";

/** Every key of the store starts with this. */
export const ROOT = "raft";

/** Keys of the store. Indexes and terms are numbers, which KV orders numerically. */
export const keys = {
  hardState: [ROOT, "hard_state"] as Deno.KvKey,
  /** The valid log range; entries outside it are stale leftovers and ignored. */
  bounds: [ROOT, "bounds"] as Deno.KvKey,
  snapshot: [ROOT, "snapshot"] as Deno.KvKey,
  blockPrefix: [ROOT, "log"] as Deno.KvKey,
  /** A block of consecutive entries starting at index `first`. */
  block: (first: number): Deno.KvKey => [ROOT, "log", first],
  /** Parts of an entry too large for one KV value; the term keeps an overwrite's parts apart. */
  partPrefix: [ROOT, "part"] as Deno.KvKey,
  part: (i: number, t: number, n: number): Deno.KvKey => [ROOT, "part", i, t, n],
  chunkPrefix: [ROOT, "snap_chunk"] as Deno.KvKey,
  chunk: (id: number, n: number): Deno.KvKey => [ROOT, "snap_chunk", id, n],
};

/** The stored log is the entries with `first <= index <= last` (empty when last < first). */
export interface Bounds {
  readonly first: number;
  readonly last: number;
}

/** The stored snapshot's metadata and where its data chunks are. */
export interface SnapshotHeader {
  readonly meta: SnapshotMeta;
  /** Chunk keys are `chunk(id, 0..chunks-1)`; a new snapshot gets a new id. */
  readonly id: number;
  readonly chunks: number;
  readonly bytes: number;
}

/** A stored value could not be decoded: the file is corrupt or from another program. */
export class KvLogCorruptError extends Error {
  constructor(what: string, detail: string) {
    super(`Raft log store is corrupt at ${what}: ${detail}; restore the node from a peer`);
    this.name = "KvLogCorruptError";
  }
}

const KINDS: readonly EntryKind[] = ["normal", "conf_change", "empty"];

/** An entry as stored: inline data, or the number of parts holding it. */
export type StoredEntry =
  | { readonly kind: "inline"; readonly entry: Entry }
  | {
    readonly kind: "parts";
    readonly index: LogIndex;
    readonly term: Term;
    readonly entryKind: EntryKind;
    readonly parts: number;
    readonly bytes: number;
  };

/** Bytes an entry adds to a block value, roughly (for packing blocks under the value limit). */
export function entryCost(e: Entry): number {
  return e.data.byteLength + 24;
}

/**
 * Encodes consecutive entries as one block value. An entry listed in `parted` is stored as a
 * header naming its part count; its data lives under `keys.part`.
 */
export function encodeBlock(entries: readonly Entry[], parted?: number): Uint8Array {
  return encode(
    entries.map((e) =>
      parted === undefined
        ? [e.term, KINDS.indexOf(e.kind), e.data]
        : [e.term, KINDS.indexOf(e.kind), null, parted, e.data.byteLength]
    ),
  );
}

/** Decodes the block stored at key index `first`. */
export function decodeBlock(first: number, v: unknown): StoredEntry[] {
  const bad = () => new KvLogCorruptError(`the log block at ${first}`, "unexpected value");
  if (!(v instanceof Uint8Array)) throw bad();
  const rows = decode(v);
  if (!Array.isArray(rows) || rows.length === 0) throw bad();
  return rows.map((a: unknown, i: number): StoredEntry => {
    if (!Array.isArray(a) || typeof a[0] !== "number" || KINDS[a[1]] === undefined) throw bad();
    const t = term(a[0]);
    const kind = KINDS[a[1]];
    const index = logIndex(first + i);
    if (a[2] instanceof Uint8Array) {
      return { kind: "inline", entry: { term: t, index, kind, data: a[2] } };
    }
    if (a[2] !== null || typeof a[3] !== "number" || typeof a[4] !== "number") throw bad();
    return { kind: "parts", index, term: t, entryKind: kind, parts: a[3], bytes: a[4] };
  });
}

/** The term of a stored entry. */
export function storedTerm(e: StoredEntry): Term {
  return e.kind === "inline" ? e.entry.term : e.term;
}

/** Encodes hard state. */
export function encodeHardState(h: HardState): Uint8Array {
  return encode([h.term, h.vote, h.commit]);
}

/** Decodes hard state. */
export function decodeHardState(v: unknown): HardState {
  const a = v instanceof Uint8Array ? decode(v) : null;
  if (!Array.isArray(a) || a.length !== 3 || !a.every((x) => typeof x === "number")) {
    throw new KvLogCorruptError("the hard state", "unexpected value");
  }
  return { term: term(a[0]), vote: a[1] as NodeId, commit: logIndex(a[2]) };
}

/** Encodes bounds. */
export function encodeBounds(b: Bounds): Uint8Array {
  return encode([b.first, b.last]);
}

/** Decodes bounds. */
export function decodeBounds(v: unknown): Bounds {
  const a = v instanceof Uint8Array ? decode(v) : null;
  if (!Array.isArray(a) || typeof a[0] !== "number" || typeof a[1] !== "number") {
    throw new KvLogCorruptError("the log bounds", "unexpected value");
  }
  return { first: a[0], last: a[1] };
}

/** Encodes a snapshot header. */
export function encodeSnapshotHeader(h: SnapshotHeader): Uint8Array {
  const m = h.meta;
  return encode([
    m.index,
    m.term,
    m.confState.voters,
    m.confState.learners,
    h.id,
    h.chunks,
    h.bytes,
  ]);
}

/** Decodes a snapshot header. */
export function decodeSnapshotHeader(v: unknown): SnapshotHeader {
  const a = v instanceof Uint8Array ? decode(v) : null;
  if (!Array.isArray(a) || a.length !== 7 || !Array.isArray(a[2]) || !Array.isArray(a[3])) {
    throw new KvLogCorruptError("the snapshot header", "unexpected value");
  }
  const confState: ConfState = { voters: a[2] as NodeId[], learners: a[3] as NodeId[] };
  return {
    meta: { index: logIndex(a[0]), term: term(a[1]), confState },
    id: a[4],
    chunks: a[5],
    bytes: a[6],
  };
}
