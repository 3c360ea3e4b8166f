/**
 * Record framing and payloads of the raft WAL (used by WalLogStore). Pure: no I/O.
 *
 * A segment is a run of records `[u32 LE payload length][u32 LE crc32(payload)][payload]`,
 * followed by zeros (segments are preallocated). A length of 0 ends the records. Payloads
 * are msgpack arrays whose first element names the record:
 * - head    `[0, hardState, snapshot | null, first, rows]`: the whole stored state; every
 *           segment starts with one, so the newest segment alone rebuilds the store.
 * - batch   `[1, hardState | null, snapshot | null, first, rows]`: one `LogStore.append`.
 * - compact `[2, upTo]`: one `LogStore.compact`.
 * `rows` are `[term, kind, data]` of consecutive entries from index `first`. A snapshot is
 * its metadata only; its data lives in a file of its own (see `snapshotFileName`).
 */
import { decode, encode } from "@msgpack/msgpack";
import {
  type Entry,
  type EntryKind,
  type HardState,
  type LogIndex,
  logIndex,
  type NodeId,
  type SnapshotMeta,
  term,
} from "../raft/mod.ts";
import { crc32 } from "../storage/codecs/crc32.ts";

/** Bytes of a record's length and checksum. */
export const RECORD_HEADER_BYTES = 8;

/** One decoded record. */
export type WalRecord =
  | {
    readonly kind: "head";
    readonly hardState: HardState;
    readonly snapshot: SnapshotMeta | null;
    readonly entries: Entry[];
  }
  | {
    readonly kind: "batch";
    readonly hardState?: HardState;
    readonly snapshot?: SnapshotMeta;
    readonly entries: Entry[];
  }
  | { readonly kind: "compact"; readonly upTo: LogIndex };

/** A WAL file is damaged somewhere other than a torn tail; the message says where. */
export class WalCorruptError extends Error {
  override readonly name = "WalCorruptError";
  constructor(file: string, offset: number, detail: string) {
    super(
      `Raft WAL ${file} is corrupt at byte ${offset}: ${detail}; ` +
        "restore this meta node from a peer (empty its raft_dir and join again)",
    );
  }
}

const KINDS: readonly EntryKind[] = ["normal", "conf_change", "empty"];
const TAGS = { head: 0, batch: 1, compact: 2 } as const;

/** Frames `r` as one record: header and payload in one buffer. */
export function encodeRecord(r: WalRecord): Uint8Array {
  const payload = encode(recordArray(r));
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.byteLength, true);
  view.setUint32(4, crc32(payload), true);
  out.set(payload, RECORD_HEADER_BYTES);
  return out;
}

function recordArray(r: WalRecord): unknown[] {
  if (r.kind === "compact") return [TAGS.compact, r.upTo];
  const rows = r.entries.map((e) => [e.term, KINDS.indexOf(e.kind), e.data]);
  return [
    TAGS[r.kind],
    r.hardState === undefined ? null : [r.hardState.term, r.hardState.vote, r.hardState.commit],
    r.snapshot == null ? null : [
      r.snapshot.index,
      r.snapshot.term,
      r.snapshot.confState.voters,
      r.snapshot.confState.learners,
    ],
    r.entries[0]?.index ?? 0,
    rows,
  ];
}

/** What `readRecords` found in one segment. */
export interface SegmentScan {
  readonly records: WalRecord[];
  /** Offset just past the last valid record. */
  readonly end: number;
  /** Why reading stopped before the zeros, when a torn record ended it. */
  readonly torn?: string;
}

/**
 * Reads the records of a segment. A record cut short or failing its checksum ends the scan
 * (a write torn by a crash; it was never acknowledged); a checksummed payload that does not
 * decode is corruption and throws.
 */
export function readRecords(file: string, bytes: Uint8Array): SegmentScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: WalRecord[] = [];
  let off = 0;
  while (off + RECORD_HEADER_BYTES <= bytes.byteLength) {
    const len = view.getUint32(off, true);
    if (len === 0) return { records, end: off };
    const start = off + RECORD_HEADER_BYTES;
    const torn = start + len > bytes.byteLength
      ? `the record at byte ${off} is cut short`
      : crc32(bytes, start, start + len) !== view.getUint32(off + 4, true)
      ? `the record at byte ${off} fails its checksum`
      : undefined;
    if (torn !== undefined) {
      // A torn write is the last thing in the file: only the preallocated zeros follow it.
      // Data after a bad record means a record in the middle was damaged.
      if (!zeroFrom(bytes, Math.min(start + len, bytes.byteLength))) {
        throw new WalCorruptError(file, off, `${torn} and records follow it`);
      }
      return { records, end: off, torn };
    }
    records.push(decodePayload(file, off, bytes.subarray(start, start + len)));
    off = start + len;
  }
  return { records, end: off };
}

function zeroFrom(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.byteLength; i++) if (bytes[i] !== 0) return false;
  return true;
}

function decodePayload(file: string, offset: number, payload: Uint8Array): WalRecord {
  const bad = (why: string) => new WalCorruptError(file, offset, why);
  let a: unknown;
  try {
    a = decode(payload);
  } catch (e) {
    throw bad(`the payload does not decode (${e instanceof Error ? e.message : e})`);
  }
  if (!Array.isArray(a)) throw bad("the payload is not a record");
  if (a[0] === TAGS.compact) {
    if (typeof a[1] !== "number") throw bad("a compact record without its index");
    return { kind: "compact", upTo: logIndex(a[1]) };
  }
  if ((a[0] !== TAGS.head && a[0] !== TAGS.batch) || a.length !== 5) {
    throw bad(`unknown record type ${String(a[0])}`);
  }
  const hardState = decodeHardState(a[1], bad);
  const snapshot = decodeSnapMeta(a[2], bad);
  const first = a[3];
  const rows = a[4];
  if (typeof first !== "number" || !Array.isArray(rows)) throw bad("entries are malformed");
  const entries = rows.map((row: unknown, i: number): Entry => {
    if (
      !Array.isArray(row) || typeof row[0] !== "number" || KINDS[row[1]] === undefined ||
      !(row[2] instanceof Uint8Array)
    ) throw bad(`entry ${first + i} is malformed`);
    return { term: term(row[0]), index: logIndex(first + i), kind: KINDS[row[1]], data: row[2] };
  });
  if (a[0] === TAGS.head) {
    if (hardState === undefined) throw bad("a head record without hard state");
    return { kind: "head", hardState, snapshot: snapshot ?? null, entries };
  }
  return { kind: "batch", hardState, snapshot, entries };
}

function decodeHardState(v: unknown, bad: (why: string) => Error): HardState | undefined {
  if (v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === "number")) {
    throw bad("the hard state is malformed");
  }
  return { term: term(v[0]), vote: v[1] as NodeId, commit: logIndex(v[2]) };
}

function decodeSnapMeta(v: unknown, bad: (why: string) => Error): SnapshotMeta | undefined {
  if (v === null) return undefined;
  if (
    !Array.isArray(v) || v.length !== 4 || typeof v[0] !== "number" ||
    typeof v[1] !== "number" || !Array.isArray(v[2]) || !Array.isArray(v[3])
  ) throw bad("the snapshot metadata is malformed");
  return {
    index: logIndex(v[0]),
    term: term(v[1]),
    confState: { voters: v[2] as NodeId[], learners: v[3] as NodeId[] },
  };
}

/** Name of segment number `seq`: fixed-width hex, so names sort in segment order. */
export function segmentFileName(seq: number): string {
  return `${seq.toString(16).padStart(16, "0")}.wal`;
}

/** The segment number in a segment file name, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const m = /^([0-9a-f]{16})\.wal$/.exec(name);
  return m === null ? null : parseInt(m[1], 16);
}

/** Name of the file holding the data of the snapshot at (index, term). */
export function snapshotFileName(meta: SnapshotMeta): string {
  return `${meta.index.toString(16).padStart(16, "0")}-${
    meta.term.toString(16).padStart(16, "0")
  }.snap`;
}

/** A snapshot file: `[u32 LE crc32(data)]` then the data. */
export function encodeSnapshotFile(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.byteLength);
  new DataView(out.buffer).setUint32(0, crc32(data), true);
  out.set(data, 4);
  return out;
}

/** The data of a snapshot file; throws when the checksum does not match. */
export function decodeSnapshotFile(file: string, bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength < 4) throw new WalCorruptError(file, 0, "the snapshot file is truncated");
  const data = bytes.subarray(4);
  const want = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  if (crc32(data) !== want) throw new WalCorruptError(file, 0, "the snapshot fails its checksum");
  return data;
}
