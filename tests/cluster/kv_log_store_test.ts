import { join } from "node:path";
import { KvLogStore, type KvLogStoreOptions } from "../../src/cluster/kv_log_store.ts";
import assert from "node:assert/strict";
import {
  type Entry,
  type HardState,
  logIndex,
  type PersistedState,
  term,
} from "../../src/raft/mod.ts";
import { entries, runLogStoreConformance, snapshot } from "./log_store_conformance.ts";

runLogStoreConformance("kv", () => {
  let dir: string | undefined;
  const path = async () => {
    dir ??= await Deno.makeTempDir({ prefix: "kvlog-" });
    return join(dir, "raft.kv");
  };
  return {
    open: async () => KvLogStore.open(await path()),
    reopen: async () => KvLogStore.open(await path()),
    dispose: async () => {
      if (dir !== undefined) await Deno.remove(dir, { recursive: true });
    },
  };
});

/** Simulated crash: thrown by the commit hook. */
class Crash extends Error {}

/**
 * Opens a store whose `n`-th commit (counted from when `arm` is called) throws, runs `setup`
 * unarmed, then the armed `batch`, and returns what a reopened store loads.
 */
async function crashAt(
  n: number,
  setup: (s: KvLogStore) => Promise<void>,
  batch: (s: KvLogStore) => Promise<void>,
  limits: KvLogStoreOptions = { maxCommitBytes: 64 * 1024 },
): Promise<{ state: PersistedState; crashed: boolean }> {
  const dir = await Deno.makeTempDir({ prefix: "kvlog-crash-" });
  const path = join(dir, "raft.kv");
  let armedAt = -1;
  let seen = 0;
  const s = await KvLogStore.open(path, {
    ...limits,
    beforeCommit: () => {
      if (armedAt >= 0 && seen - armedAt === n) {
        seen++;
        throw new Crash("crash");
      }
      seen++;
    },
  });
  let crashed = false;
  try {
    await setup(s);
    armedAt = seen;
    await batch(s).catch((e) => {
      if (!(e instanceof Crash)) throw e;
      crashed = true;
    });
  } finally {
    await s.close();
  }
  const again = await KvLogStore.open(path);
  try {
    return { state: await again.load(), crashed };
  } finally {
    await again.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function checkContiguous(es: readonly Entry[]): void {
  for (let i = 1; i < es.length; i++) assert.equal(es[i].index, es[i - 1].index + 1);
}

Deno.test("kv log store: a crash between the commits of a split overwrite leaves a valid log", async () => {
  const setup = async (s: KvLogStore) => {
    await s.append({ entries: entries(1, 1500, 1, 200), hardState: hsOf(1, 0) });
  };
  const batch = (s: KvLogStore) =>
    s.append({ entries: entries(800, 1100, 2, 1024), hardState: hsOf(2, 1100) });
  let crashes = 0;
  for (let n = 0;; n++) {
    const { state, crashed } = await crashAt(n, setup, batch);
    checkContiguous(state.entries);
    const es = state.entries;
    assert.equal(es[0].index, 1);
    const firstNew = es.findIndex((e) => e.term === 2);
    if (firstNew === -1) {
      assert.deepEqual(es, entries(1, 1500, 1, 200), "nothing of the batch: the old log");
    } else {
      assert.equal(firstNew, 799);
      assert.ok(es.slice(firstNew).every((e) => e.term === 2), "no old entry after a new one");
      assert.deepEqual(es.slice(0, firstNew), entries(1, 799, 1, 200));
    }
    if (state.hardState.term === 2) assert.equal(es.length, 1100, "hard state comes last");
    if (!crashed) {
      assert.deepEqual(es, [...entries(1, 799, 1, 200), ...entries(800, 1100, 2, 1024)]);
      assert.ok(n > 3, "the batch was split into several commits");
      break;
    }
    crashes++;
  }
  assert.ok(crashes > 3);
});

Deno.test("kv log store: an overwrite of many blocks cuts the log before deleting them", async () => {
  const limits = { maxMutations: 8, maxValueBytes: 1024 };
  const setup = async (s: KvLogStore) => {
    for (let i = 1; i <= 400; i += 20) await s.append({ entries: entries(i, i + 19, 1, 100) });
  };
  const batch = (s: KvLogStore) =>
    s.append({ entries: entries(50, 120, 2, 100), hardState: hsOf(2, 120) });
  let crashes = 0;
  for (let n = 0;; n++) {
    const { state, crashed } = await crashAt(n, setup, batch, limits);
    const es = state.entries;
    checkContiguous(es);
    const firstNew = es.findIndex((e) => e.term === 2);
    if (firstNew === -1) {
      assert.ok(
        es.length === 400 || es.length === 49,
        `old log, or old log cut at the overwrite (${es.length})`,
      );
      assert.deepEqual(es, entries(1, es.length, 1, 100));
    } else {
      assert.equal(firstNew, 49);
      assert.ok(es.slice(firstNew).every((e) => e.term === 2), "no old entry after a new one");
    }
    if (!crashed) {
      assert.deepEqual(es, [...entries(1, 49, 1, 100), ...entries(50, 120, 2, 100)]);
      break;
    }
    crashes++;
  }
  assert.ok(crashes > 5, `${crashes} crash points`);
});

Deno.test("kv log store: a crash while installing a large snapshot keeps old or new, never half", async () => {
  const snap = snapshot(2000, 5, 400 * 1024);
  const setup = async (s: KvLogStore) => {
    await s.append({ entries: entries(1, 50, 1), hardState: hsOf(1, 0) });
  };
  const batch = (s: KvLogStore) =>
    s.append({ entries: entries(2001, 2300, 5, 512), snapshot: snap, hardState: hsOf(5, 2000) });
  for (let n = 0;; n++) {
    const { state, crashed } = await crashAt(n, setup, batch);
    checkContiguous(state.entries);
    if (state.snapshot === null) {
      assert.deepEqual(state.entries, entries(1, 50, 1));
    } else {
      assert.deepEqual(state.snapshot, snap);
      assert.ok(state.entries.length === 0 || state.entries[0].index === 2001);
    }
    if (!crashed) {
      assert.deepEqual(state.entries, entries(2001, 2300, 5, 512));
      assert.deepEqual(state.hardState, hsOf(5, 2000));
      assert.ok(n > 3);
      break;
    }
  }
});

Deno.test("kv log store: a batch within the limits is one commit", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kvlog-" });
  let commits = 0;
  const s = await KvLogStore.open(join(dir, "raft.kv"), { beforeCommit: () => commits++ });
  try {
    await s.load();
    const before = commits;
    await s.append({ entries: entries(1, 500, 1, 100), hardState: hsOf(1, 500) });
    assert.equal(commits - before, 1);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

function hsOf(t: number, commit: number): HardState {
  return { term: term(t), vote: 0, commit: logIndex(commit) };
}
