/**
 * One conformance suite for every raft LogStore (src/raft/storage.ts states the contract).
 * Each case runs on a fresh store from the harness.
 */
import assert from "node:assert/strict";
import {
  type Entry,
  type EntryKind,
  type HardState,
  logIndex,
  type LogStore,
  nodeId,
  RaftError,
  type Snapshot,
  term,
} from "../../src/raft/mod.ts";

/** Opens stores of one implementation. */
export interface LogStoreHarness {
  /** A fresh, empty store. */
  open(): Promise<LogStore>;
  /** The same store again after `close` (only for durable stores). */
  reopen?(): Promise<LogStore>;
  /** Releases what the harness created (temp dirs). */
  dispose(): Promise<void>;
}

/** Builds entries `from..to` of term `t`, with data derived from index and term. */
export function entries(from: number, to: number, t: number, size = 8): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) {
    const data = new Uint8Array(size);
    for (let j = 0; j < size; j++) data[j] = (i * 31 + t * 7 + j) & 0xff;
    const kind: EntryKind = i % 7 === 0 ? "empty" : i % 11 === 0 ? "conf_change" : "normal";
    out.push({ term: term(t), index: logIndex(i), kind, data });
  }
  return out;
}

function hs(t: number, vote: number, commit: number): HardState {
  return { term: term(t), vote: vote === 0 ? 0 : nodeId(vote), commit: logIndex(commit) };
}

/** A snapshot at (index, term) with `size` bytes of data. */
export function snapshot(index: number, t: number, size = 100): Snapshot {
  const data = new Uint8Array(size);
  for (let j = 0; j < size; j++) data[j] = (j * 13 + index) & 0xff;
  return {
    meta: {
      index: logIndex(index),
      term: term(t),
      confState: { voters: [nodeId(1), nodeId(2), nodeId(3)], learners: [nodeId(4)] },
    },
    data,
  };
}

function indexes(es: readonly Entry[]): number[] {
  return es.map((e) => e.index);
}

async function rejectsWith(p: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(p, (e) => e instanceof RaftError && e.kind === kind);
}

type Case = (store: LogStore, h: LogStoreHarness) => Promise<LogStore | void>;

const cases: Record<string, Case> = {
  "a new store loads empty": async (s) => {
    const st = await s.load();
    assert.deepEqual(st, { hardState: hs(0, 0, 0), snapshot: null, entries: [] });
  },

  "append then load round-trips entries and hard state": async (s) => {
    await s.append({ entries: entries(1, 30, 1), hardState: hs(1, 2, 10) });
    await s.append({ entries: entries(31, 40, 2) });
    const st = await s.load();
    assert.deepEqual(st.entries, [...entries(1, 30, 1), ...entries(31, 40, 2)]);
    assert.deepEqual(st.hardState, hs(1, 2, 10));
    assert.equal(st.snapshot, null);
  },

  "hard state alone replaces the stored one": async (s) => {
    await s.append({ entries: [], hardState: hs(3, 1, 0) });
    await s.append({ entries: [], hardState: hs(4, 0, 0) });
    assert.deepEqual((await s.load()).hardState, hs(4, 0, 0));
  },

  "an overlapping append truncates the old suffix": async (s) => {
    await s.append({ entries: entries(1, 10, 1) });
    await s.append({ entries: entries(6, 7, 2) });
    let st = await s.load();
    assert.deepEqual(st.entries, [...entries(1, 5, 1), ...entries(6, 7, 2)]);
    await s.append({ entries: entries(8, 12, 3) });
    await s.append({ entries: entries(3, 3, 4) });
    st = await s.load();
    assert.deepEqual(st.entries, [...entries(1, 2, 1), ...entries(3, 3, 4)]);
  },

  "a gap is refused and changes nothing": async (s) => {
    await s.append({ entries: entries(1, 5, 1), hardState: hs(1, 0, 0) });
    await rejectsWith(s.append({ entries: entries(7, 8, 1), hardState: hs(9, 0, 0) }), "log_gap");
    await rejectsWith(s.append({ entries: [...entries(6, 6, 1), ...entries(8, 8, 1)] }), "log_gap");
    const st = await s.load();
    assert.deepEqual(indexes(st.entries), [1, 2, 3, 4, 5]);
    assert.deepEqual(st.hardState, hs(1, 0, 0));
  },

  "a snapshot matching the log keeps entries until compact": async (s) => {
    await s.append({ entries: entries(1, 10, 1) });
    await s.append({ entries: [], snapshot: snapshot(5, 1), hardState: hs(1, 0, 5) });
    let st = await s.load();
    assert.deepEqual(st.snapshot, snapshot(5, 1));
    assert.deepEqual(indexes(st.entries), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await s.compact(logIndex(3));
    st = await s.load();
    assert.deepEqual(indexes(st.entries), [4, 5, 6, 7, 8, 9, 10]);
    await s.compact(logIndex(100)); // never past the snapshot
    st = await s.load();
    assert.deepEqual(st.entries, entries(6, 10, 1));
    await s.append({ entries: entries(11, 12, 1) });
    assert.deepEqual(indexes((await s.load()).entries), [6, 7, 8, 9, 10, 11, 12]);
  },

  "compact without a snapshot is a no-op": async (s) => {
    await s.append({ entries: entries(1, 4, 1) });
    await s.compact(logIndex(3));
    assert.deepEqual(indexes((await s.load()).entries), [1, 2, 3, 4]);
  },

  "a snapshot that does not match the log replaces it": async (s) => {
    await s.append({ entries: entries(1, 10, 1) });
    await s.append({ entries: entries(21, 22, 3), snapshot: snapshot(20, 3) });
    let st = await s.load();
    assert.deepEqual(st.snapshot, snapshot(20, 3));
    assert.deepEqual(st.entries, entries(21, 22, 3));
    await s.append({ entries: [], snapshot: snapshot(21, 2) }); // term differs: drop the log
    st = await s.load();
    assert.deepEqual(st.snapshot, snapshot(21, 2));
    assert.deepEqual(st.entries, []);
    await rejectsWith(s.append({ entries: entries(21, 21, 4) }), "log_gap");
    await rejectsWith(s.append({ entries: [], snapshot: snapshot(10, 1) }), "snapshot_out_of_date");
    await s.append({ entries: entries(22, 23, 4) });
    assert.deepEqual((await s.load()).entries, entries(22, 23, 4));
  },

  "large batches beyond one KV commit round-trip": async (s) => {
    const many = entries(1, 2500, 1, 1024); // > 1000 mutations and > 800 KiB
    await s.append({ entries: many, hardState: hs(1, 1, 2500) });
    let st = await s.load();
    assert.equal(st.entries.length, 2500);
    assert.deepEqual(st.entries, many);
    const big = entries(2501, 2503, 2, 300 * 1024); // each entry > one 64 KiB value
    await s.append({ entries: big });
    await s.append({ entries: entries(1200, 1201, 3), hardState: hs(3, 0, 1201) });
    const snap = snapshot(1201, 3, 3 * 1024 * 1024 + 17); // > 800 KiB of chunks
    await s.append({ entries: [], snapshot: snap });
    await s.compact(logIndex(1201));
    st = await s.load();
    assert.deepEqual(st.snapshot, snap);
    assert.deepEqual(st.entries, []);
    assert.deepEqual(st.hardState, hs(3, 0, 1201));
    await s.append({ entries: big.map((e) => ({ ...e, index: logIndex(e.index - 1299) })) });
    st = await s.load();
    assert.deepEqual(indexes(st.entries), [1202, 1203, 1204]);
    assert.deepEqual(st.entries[2].data, big[2].data);
  },

  "close is idempotent and later calls fail with store_closed": async (s) => {
    await s.append({ entries: entries(1, 1, 1) });
    await s.close();
    await s.close();
    await rejectsWith(s.load(), "store_closed");
    await rejectsWith(s.append({ entries: entries(2, 2, 1) }), "store_closed");
    await rejectsWith(s.compact(logIndex(1)), "store_closed");
  },

  "state survives close and reopen": async (s, h) => {
    if (h.reopen === undefined) return; // an in-memory store has nothing to reopen
    await s.append({ entries: entries(1, 1500, 1, 600), hardState: hs(2, 3, 1000) });
    await s.append({ entries: [], snapshot: snapshot(1000, 1, 200_000) });
    await s.compact(logIndex(900));
    await s.append({ entries: entries(1400, 1401, 2) });
    await s.close();
    const again = await h.reopen();
    const st = await again.load();
    assert.deepEqual(st.hardState, hs(2, 3, 1000));
    assert.deepEqual(st.snapshot, snapshot(1000, 1, 200_000));
    assert.deepEqual(st.entries, [...entries(901, 1399, 1, 600), ...entries(1400, 1401, 2)]);
    return again;
  },
};

/** Registers every case as a Deno test named `<impl> log store: <case>`. */
export function runLogStoreConformance(impl: string, harness: () => LogStoreHarness): void {
  for (const [name, body] of Object.entries(cases)) {
    Deno.test(`${impl} log store: ${name}`, async () => {
      const h = harness();
      const store = await h.open();
      let other: LogStore | void = undefined;
      try {
        other = await body(store, h);
      } finally {
        await store.close();
        if (other) await other.close();
        await h.dispose();
      }
    });
  }
}
