/**
 * The write-ahead log inside a shard's KV. One record per batch: its body is split into
 * ≤ 60 KiB chunks (`["w", seq, i]`) and a commit marker (`["wm", seq]`, holding the chunk
 * count, byte length and CRC-32) is written in the last commit, so a batch that needed several
 * commits and was torn by a crash has no marker and is never replayed.
 */

import { crc32 } from "./codecs/crc32.ts";
import { CommitBatcher, deleteMutation, type Mutation, setMutation } from "./commit_batcher.ts";
import {
  WAL_CHUNK_BYTES,
  WAL_MARKER_PREFIX,
  WAL_PREFIX,
  walChunkKey,
  type WalMarker,
  walMarkerKey,
} from "./key_layout.ts";
import type { StorageLogger } from "./logger.ts";

/**
 * Commits WAL record `seq` with `body`, plus `extra` mutations (new series and fields) that
 * must be durable together with it. Resolves once the marker is committed.
 */
export async function appendWalRecord(
  kv: Deno.Kv,
  seq: number,
  body: Uint8Array,
  extra: readonly Mutation[],
): Promise<number> {
  const muts: Mutation[] = [];
  let chunks = 0;
  for (let off = 0; off < body.length || chunks === 0; off += WAL_CHUNK_BYTES) {
    const chunk = body.slice(off, Math.min(body.length, off + WAL_CHUNK_BYTES));
    muts.push(setMutation(walChunkKey(seq, chunks), chunk, chunk.length));
    chunks++;
  }
  // Index records after the chunks, so they usually share the marker's commit: a torn batch
  // then leaves no series behind.
  muts.push(...extra);
  const marker: WalMarker = { chunks, bytes: body.length, crc: crc32(body) };
  const batcher = new CommitBatcher(kv);
  // Everything but the marker may spread over several commits; the marker goes last.
  for (const m of muts) await batcher.add([m]);
  await batcher.add([setMutation(walMarkerKey(seq), marker, 40)]);
  await batcher.flush();
  return chunks;
}

/** One WAL record read back and verified. */
export interface WalRecord {
  readonly seq: number;
  readonly body: Uint8Array;
}

/** What a replay found: good records were passed on, bad ones reported and skipped. */
export interface WalReplayResult {
  readonly records: number;
  readonly skipped: number;
  readonly lastSeq: number;
  /** Every record seen, good or bad, so compaction can delete them without reading them. */
  readonly found: WalRef[];
}

/** Where a WAL record lives: its seq and how many chunks it has. */
export interface WalRef {
  readonly seq: number;
  readonly chunks: number;
}

/**
 * Streams the verified WAL records in seq order to `apply`. A record whose marker is
 * missing (torn), whose chunks are missing, or whose CRC does not match is reported through
 * `logger.warn` and skipped. Only one record is held in memory at a time.
 */
export async function replayWal(
  kv: Deno.Kv,
  logger: StorageLogger,
  path: string,
  apply: (record: WalRecord) => void,
): Promise<WalReplayResult> {
  const chunkIter = kv.list<Uint8Array>({ prefix: WAL_PREFIX }, { batchSize: 64 });
  const markerIter = kv.list<WalMarker>({ prefix: WAL_MARKER_PREFIX }, { batchSize: 500 });
  let chunk = await chunkIter.next();
  let marker = await markerIter.next();
  let records = 0;
  let skipped = 0;
  let lastSeq = 0;
  const found: WalRef[] = [];
  const skip = (seq: number, reason: string): void => {
    skipped++;
    logger.warn(
      "Skipping a torn or corrupt WAL record; its batch was not acknowledged or is damaged",
      {
        shard: path,
        seq,
        reason,
      },
    );
  };
  while (!chunk.done || !marker.done) {
    const chunkSeq = chunk.done ? Infinity : chunk.value.key[1] as number;
    const markerSeq = marker.done ? Infinity : marker.value.key[1] as number;
    if (markerSeq < chunkSeq) {
      skip(markerSeq, "commit marker without data chunks");
      found.push({ seq: markerSeq, chunks: 0 });
      lastSeq = Math.max(lastSeq, markerSeq);
      marker = await markerIter.next();
      continue;
    }
    const seq = chunkSeq;
    lastSeq = Math.max(lastSeq, seq);
    const parts: Uint8Array[] = [];
    let badChunk = false;
    let chunks = 0;
    while (!chunk.done && chunk.value.key[1] === seq) {
      const v = chunk.value.value;
      if (!(v instanceof Uint8Array) || chunk.value.key[2] !== parts.length) badChunk = true;
      else parts.push(v);
      chunks = Math.max(chunks, (chunk.value.key[2] as number) + 1);
      chunk = await chunkIter.next();
    }
    found.push({ seq, chunks });
    if (markerSeq !== seq) {
      skip(seq, "no commit marker (batch torn by a crash before it was acknowledged)");
      continue;
    }
    const m = marker.done ? undefined : marker.value.value;
    marker = await markerIter.next();
    if (badChunk || !m || typeof m.crc !== "number" || m.chunks !== parts.length) {
      skip(seq, "missing or malformed chunks");
      continue;
    }
    const body = concat(parts);
    if (body.length !== m.bytes || crc32(body) !== m.crc) {
      skip(seq, "CRC mismatch");
      continue;
    }
    apply({ seq, body });
    records++;
  }
  return { records, skipped, lastSeq, found };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Deletes the given WAL records (chunks and markers), once their data is in blocks. */
export async function truncateWal(kv: Deno.Kv, refs: Iterable<WalRef>): Promise<void> {
  const batcher = new CommitBatcher(kv);
  for (const ref of refs) {
    const group: Mutation[] = [deleteMutation(walMarkerKey(ref.seq))];
    for (let i = 0; i < ref.chunks; i++) group.push(deleteMutation(walChunkKey(ref.seq, i)));
    await batcher.add(group);
  }
  await batcher.flush();
}
