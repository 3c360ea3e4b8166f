import assert from "node:assert/strict";
import { join } from "node:path";
import {
  RaftDirLockedError,
  WalLogStore,
  type WalLogStoreOptions,
} from "../../src/cluster/wal_log_store.ts";
import { WalCorruptError } from "../../src/cluster/raft_wal_codec.ts";
import { openRaftLogStore } from "../../src/cluster/raft_log_open.ts";
import { KvLogStore } from "../../src/cluster/kv_log_store.ts";
import {
  type HardState,
  logIndex,
  MemoryLogStore,
  nodeId,
  type PersistedState,
  term,
} from "../../src/raft/mod.ts";
import { mulberry32 } from "../../src/util/mod.ts";
import { entries, runLogStoreConformance, snapshot } from "./log_store_conformance.ts";

function harness(o: WalLogStoreOptions) {
  return () => {
    let dir: string | undefined;
    const path = async () => (dir ??= await Deno.makeTempDir({ prefix: "wallog-" }));
    return {
      open: async () => WalLogStore.open(await path(), o),
      reopen: async () => WalLogStore.open(await path(), o),
      dispose: async () => {
        if (dir !== undefined) await Deno.remove(dir, { recursive: true });
      },
    };
  };
}

runLogStoreConformance("wal", harness({ segmentBytes: 64 * 1024 }));
// Segments smaller than most records: nearly every append rolls to a new segment.
runLogStoreConformance("wal (tiny segments)", harness({ segmentBytes: 256 }));

function hs(t: number, vote: number, commit: number): HardState {
  return { term: term(t), vote: vote === 0 ? 0 : nodeId(vote), commit: logIndex(commit) };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wallog-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function segments(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(dir, "wal"))) names.push(e.name);
  return names.sort();
}

/** Writes `n` single-entry appends (the acknowledged state) and closes the store. */
async function writeAppends(dir: string, n: number): Promise<void> {
  const s = await WalLogStore.open(dir, { segmentBytes: 64 * 1024 });
  await s.load();
  for (let i = 1; i <= n; i++) {
    await s.append({ entries: entries(i, i, 1), hardState: hs(1, 1, i) });
  }
  await s.close();
}

/** Where the records of the only segment end (the first zero length after the head). */
async function recordsEnd(file: string): Promise<number> {
  const b = await Deno.readFile(file);
  const v = new DataView(b.buffer);
  let off = 0;
  while (v.getUint32(off, true) !== 0) off += 8 + v.getUint32(off, true);
  return off;
}

Deno.test("wal log store: a record torn by a crash is dropped, everything before it loads", async () => {
  await withDir(async (dir) => {
    await writeAppends(dir, 20);
    const [seg] = await segments(dir);
    const file = join(dir, "wal", seg);
    const end = await recordsEnd(file);
    // The 21st append was cut off after its header and a few payload bytes.
    const f = await Deno.open(file, { write: true });
    await f.seek(end, Deno.SeekMode.Start);
    await f.write(new Uint8Array([40, 0, 0, 0, 1, 2, 3, 4, 0x93, 1, 2]));
    f.close();
    const s = await WalLogStore.open(dir);
    const st = await s.load();
    assert.deepEqual(st.entries, entries(1, 20, 1));
    assert.deepEqual(st.hardState, hs(1, 1, 20));
    // Appends go on in a new segment; the torn one is gone.
    await s.append({ entries: entries(21, 21, 2) });
    await s.close();
    assert.equal((await segments(dir)).includes(seg), false);
    const again = await WalLogStore.open(dir);
    assert.deepEqual((await again.load()).entries, [...entries(1, 20, 1), ...entries(21, 21, 2)]);
    await again.close();
  });
});

Deno.test("wal log store: a damaged record with records after it is reported, not skipped", async () => {
  await withDir(async (dir) => {
    await writeAppends(dir, 20);
    const [seg] = await segments(dir);
    const file = join(dir, "wal", seg);
    const b = await Deno.readFile(file);
    const v = new DataView(b.buffer);
    const headLen = 8 + v.getUint32(0, true);
    b[headLen + 8 + 3] ^= 0xff; // a payload byte of the first append
    await Deno.writeFile(file, b);
    const s = await WalLogStore.open(dir);
    await assert.rejects(
      s.load(),
      (e) =>
        e instanceof WalCorruptError && e.message.includes(`wal/${seg}`) &&
        e.message.includes(`byte ${headLen}`) && e.message.includes("records follow it"),
    );
    await s.close();
  });
});

Deno.test("wal log store: a missing snapshot file is reported with its name", async () => {
  await withDir(async (dir) => {
    const s = await WalLogStore.open(dir);
    await s.append({ entries: entries(1, 5, 1) });
    await s.append({ entries: [], snapshot: snapshot(5, 1) });
    await s.close();
    for await (const e of Deno.readDir(join(dir, "snap"))) {
      await Deno.remove(join(dir, "snap", e.name));
    }
    const again = await WalLogStore.open(dir);
    await assert.rejects(
      again.load(),
      (e) => e instanceof WalCorruptError && /snap\/0+5-0+1\.snap/.test(e.message),
    );
    await again.close();
  });
});

Deno.test("wal log store: a failed write refuses later calls until the store is loaded again", async () => {
  await withDir(async (dir) => {
    let fail = false;
    const s = await WalLogStore.open(dir, {
      beforeWrite: () => {
        if (fail) throw new Error("disk full");
      },
    });
    await s.append({ entries: entries(1, 3, 1) });
    fail = true;
    await assert.rejects(s.append({ entries: entries(4, 4, 1) }), /disk full/);
    fail = false;
    await assert.rejects(s.append({ entries: entries(5, 5, 1) }), /failed earlier.*disk full/);
    assert.deepEqual((await s.load()).entries, entries(1, 3, 1));
    await s.append({ entries: entries(4, 4, 2) });
    await s.close();
  });
});

Deno.test("wal log store: old segments and snapshots are deleted once superseded", async () => {
  await withDir(async (dir) => {
    const s = await WalLogStore.open(dir, { segmentBytes: 4096 });
    await s.load();
    for (let i = 1; i <= 400; i++) {
      await s.append({ entries: entries(i, i, 1, 64) });
      if (i % 100 === 0) {
        await s.append({ entries: [], snapshot: snapshot(i, 1) });
        await s.compact(logIndex(i));
      }
    }
    await s.close();
    assert.equal((await segments(dir)).length, 1);
    const snaps: string[] = [];
    for await (const e of Deno.readDir(join(dir, "snap"))) snaps.push(e.name);
    assert.deepEqual(snaps, ["0000000000000190-0000000000000001.snap"]);
    const again = await WalLogStore.open(dir);
    const st = await again.load();
    assert.deepEqual(st.snapshot, snapshot(400, 1));
    assert.deepEqual(st.entries, []);
    await again.close();
  });
});

Deno.test("raft log store: a raft_dir holding a Deno KV log is moved to the WAL with its state", async () => {
  const fill = async (dir: string) => {
    const kv = await KvLogStore.open(join(dir, "raft.kv"));
    await kv.append({ entries: entries(1, 30, 1), hardState: hs(2, 1, 25) });
    await kv.append({ entries: [], snapshot: snapshot(20, 1) });
    await kv.compact(logIndex(10));
    await kv.close();
  };
  const expectMoved = async (dir: string) => {
    const opened = await openRaftLogStore(dir);
    assert.ok(opened instanceof WalLogStore);
    const st = await opened.load();
    await opened.close();
    assert.deepEqual(st.hardState, hs(2, 1, 25));
    assert.deepEqual(st.snapshot, snapshot(20, 1));
    assert.deepEqual(st.entries, entries(21, 30, 1));
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), ["LOCK", "snap", "wal"]);
  };
  await withDir(async (dir) => {
    await fill(dir);
    await expectMoved(dir);
    await expectMoved(dir); // and it stays a WAL
  });
  // A crash while converting, before the rename: the half-written scratch is redone.
  await withDir(async (dir) => {
    await fill(dir);
    await Deno.mkdir(join(dir, "wal-migrating", "wal"), { recursive: true });
    await Deno.writeTextFile(join(dir, "wal-migrating", "wal", "0000000000000001.wal"), "half");
    await Deno.mkdir(join(dir, "snap"));
    await expectMoved(dir);
  });
  // A crash after the rename, before the KV files went: the WAL is used, the KV file deleted.
  await withDir(async (dir) => {
    await fill(dir);
    const copy = await Deno.makeTempDir({ prefix: "wallog-kvcopy-" });
    await Deno.copyFile(join(dir, "raft.kv"), join(copy, "raft.kv"));
    await expectMoved(dir);
    await Deno.copyFile(join(copy, "raft.kv"), join(dir, "raft.kv"));
    await Deno.remove(copy, { recursive: true });
    await expectMoved(dir);
  });
  await withDir(async (dir) => {
    const opened = await openRaftLogStore(dir);
    assert.ok(opened instanceof WalLogStore);
    await opened.close();
  });
});

Deno.test("wal log store: a crash after a snapshot's data is written but before its record keeps the old state", async () => {
  await withDir(async (dir) => {
    let crash = false;
    const s = await WalLogStore.open(dir, {
      beforeWrite: () => {
        if (crash) throw new Error("crash");
      },
    });
    await s.append({ entries: entries(1, 10, 1), snapshot: undefined, hardState: hs(1, 1, 10) });
    await s.append({ entries: [], snapshot: snapshot(4, 1) });
    crash = true;
    await assert.rejects(s.append({ entries: [], snapshot: snapshot(8, 1) }), /crash/);
    await s.close();
    const again = await WalLogStore.open(dir);
    const st = await again.load();
    assert.deepEqual(st.snapshot, snapshot(4, 1));
    assert.deepEqual(st.entries, entries(1, 10, 1));
    await again.close();
    const snaps: string[] = [];
    for await (const e of Deno.readDir(join(dir, "snap"))) snaps.push(e.name);
    assert.deepEqual(snaps, ["0000000000000004-0000000000000001.snap"]);
  });
});

/**
 * A crash can cut the newest segment at any byte of the record being written. For random
 * histories (appends, overwrites, snapshots, compactions) and every cut point inside the last
 * records, a reload must show exactly the state after the records that were whole.
 */
Deno.test("wal log store: a cut at any byte of the tail reloads the state of the whole records before it", async () => {
  for (const seed of [1, 2, 3]) {
    await withDir(async (dir) => {
      const rnd = mulberry32(seed);
      const ref = new MemoryLogStore();
      const s = await WalLogStore.open(dir, { segmentBytes: 1 << 20 });
      await s.load();
      const states: PersistedState[] = [ref.loadSync()];
      let last = 0;
      let t = 1;
      for (let n = 0; n < 40; n++) {
        const r = rnd();
        const snap = ref.loadSync().snapshot?.meta.index ?? 0;
        if (r < 0.1 && last > snap) {
          const at = snap + 1 + Math.floor(rnd() * (last - snap));
          const meta = snapshot(at, ref.loadSync().entries.find((e) => e.index === at)!.term);
          await s.append({ entries: [], snapshot: meta });
          ref.appendSync({ entries: [], snapshot: meta });
        } else if (r < 0.15) {
          const upTo = logIndex(Math.floor(rnd() * (last + 1)));
          await s.compact(upTo);
          ref.compactSync(upTo);
          if (snap === 0) continue; // without a snapshot, compact writes no record
        } else {
          const from = Math.max(snap + 1, last + 1 - Math.floor(rnd() * 3));
          if (from <= last) t++;
          const batch = entries(from, from + Math.floor(rnd() * 4), t, 1 + Math.floor(rnd() * 40));
          const hard = rnd() < 0.5 ? hs(t, 1, Math.max(0, from - 1)) : undefined;
          await s.append({ entries: batch, hardState: hard });
          ref.appendSync({ entries: batch, hardState: hard });
          last = batch[batch.length - 1].index;
        }
        states.push(ref.loadSync());
      }
      await s.close();
      const [seg] = await segments(dir);
      const whole = await Deno.readFile(join(dir, "wal", seg));
      const ends = recordEnds(whole);
      // Cut inside each of the last 8 records, at several bytes, plus exactly at each end.
      for (let k = ends.length - 8; k < ends.length; k++) {
        const start = ends[k - 1];
        const cuts = [start, start + 1, start + 4, start + 8, Math.floor((start + ends[k]) / 2)];
        for (const cut of cuts) {
          const copy = await Deno.makeTempDir({ prefix: "wallog-cut-" });
          try {
            await Deno.mkdir(join(copy, "wal"));
            await Deno.mkdir(join(copy, "snap"));
            const torn = whole.slice();
            torn.fill(0, cut);
            await Deno.writeFile(join(copy, "wal", seg), torn);
            for await (const e of Deno.readDir(join(dir, "snap"))) {
              await Deno.copyFile(join(dir, "snap", e.name), join(copy, "snap", e.name));
            }
            const again = await WalLogStore.open(copy);
            const got = await again.load().catch((e) => e);
            await again.close();
            // Record k-1 (0 is the head) is the last whole one.
            const want = states[k - 1];
            if (got instanceof Error) {
              // Only a snapshot whose file was already replaced may be missing.
              assert.ok(got instanceof WalCorruptError, `seed ${seed} cut ${cut}: ${got}`);
              assert.notDeepEqual(want.snapshot?.meta, states[states.length - 1].snapshot?.meta);
              continue;
            }
            assert.deepEqual(got.entries, want.entries, `seed ${seed} cut ${cut}`);
            assert.deepEqual(got.hardState, want.hardState, `seed ${seed} cut ${cut}`);
            assert.deepEqual(got.snapshot?.meta, want.snapshot?.meta, `seed ${seed} cut ${cut}`);
          } finally {
            await Deno.remove(copy, { recursive: true });
          }
        }
      }
    });
  }
});

/** Offsets where each record ends (index 0: the head). */
function recordEnds(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ends: number[] = [];
  let off = 0;
  while (off + 8 <= b.byteLength && v.getUint32(off, true) !== 0) {
    off += 8 + v.getUint32(off, true);
    ends.push(off);
  }
  return ends;
}

Deno.test("wal log store: a second store on the same raft_dir is refused while the first is open", async () => {
  await withDir(async (dir) => {
    const first = await WalLogStore.open(dir);
    await first.append({ entries: entries(1, 2, 1) });
    await assert.rejects(
      WalLogStore.open(dir),
      (e) => e instanceof RaftDirLockedError && e.message.includes(dir),
    );
    await first.close();
    const second = await WalLogStore.open(dir);
    assert.deepEqual((await second.load()).entries, entries(1, 2, 1));
    await second.close();
  });
});
