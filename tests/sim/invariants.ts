import type { Entry, NodeId, Raft } from "../../src/raft/mod.ts";

/** An invariant the simulation found broken. */
export class Violation extends Error {
  /** `invariant` names the rule; `detail` says where. */
  constructor(readonly invariant: string, detail: string) {
    super(`${invariant}: ${detail}`);
    this.name = "Violation";
  }
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a === b) return true;
  if (a.term !== b.term || a.index !== b.index || a.kind !== b.kind) return false;
  if (a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

function entryAt(r: Raft, i: number): Entry {
  return r.log.entries[i - r.log.snapIndex() - 1];
}

/**
 * The safety checks of Raft (Figure 3 of the paper), run after every simulation step:
 * election safety, leader append-only, log matching, leader completeness and state-machine
 * safety; "a committed entry is never lost" follows from the last two plus the final check
 * that every acknowledged write is applied everywhere.
 */
export class Checker {
  /** The leader seen for each term. */
  readonly leaderOfTerm = new Map<number, NodeId>();
  /** The entry applied at each index, as first seen by any node. */
  readonly committed = new Map<number, Entry>();
  /** An upper bound of the term in which each index was committed (the highest term seen). */
  readonly commitTerm = new Map<number, number>();
  maxCommitted = 0;
  #leaderTail = new Map<string, { checked: number; last: Entry | null; lastIndex: number }>();

  /** Called for every entry a node applies: state-machine safety and in-order application. */
  checkApply(node: NodeId, e: Entry, expectedIndex: number, termNow: number): void {
    if (e.index !== expectedIndex) {
      throw new Violation(
        "in-order apply",
        `node ${node} applied index ${e.index}, expected ${expectedIndex}`,
      );
    }
    const seen = this.committed.get(e.index);
    if (seen === undefined) {
      this.committed.set(e.index, e);
      this.commitTerm.set(e.index, termNow);
      this.maxCommitted = Math.max(this.maxCommitted, e.index);
    } else if (!sameEntry(seen, e)) {
      throw new Violation(
        "state machine safety",
        `node ${node} applied (index ${e.index}, term ${e.term}) but another node applied ` +
          `term ${seen.term} there`,
      );
    }
  }

  /** Runs the per-step checks over the live nodes. */
  checkNodes(rafts: readonly Raft[]): void {
    for (const r of rafts) if (r.role === "leader") this.#checkLeader(r);
    for (let a = 0; a < rafts.length; a++) {
      for (let b = a + 1; b < rafts.length; b++) this.#checkLogMatching(rafts[a], rafts[b]);
    }
    for (const r of rafts) this.#checkCommittedPrefix(r);
  }

  #checkLeader(r: Raft): void {
    const other = this.leaderOfTerm.get(r.term);
    if (other !== undefined && other !== r.id) {
      throw new Violation("election safety", `nodes ${other} and ${r.id} both led term ${r.term}`);
    }
    this.leaderOfTerm.set(r.term, r.id);
    const key = `${r.id}@${r.term}`;
    let tail = this.#leaderTail.get(key);
    if (tail === undefined) {
      tail = { checked: 0, last: null, lastIndex: 0 };
      this.#leaderTail.set(key, tail);
    }
    // Leader append-only: the last entry we saw must still be there, unchanged.
    if (tail.last !== null && tail.lastIndex > r.log.snapIndex()) {
      const now = tail.lastIndex <= r.log.lastIndex() ? entryAt(r, tail.lastIndex) : undefined;
      if (now === undefined || !sameEntry(now, tail.last)) {
        throw new Violation(
          "leader append-only",
          `leader ${r.id} of term ${r.term} lost or changed its entry at ${tail.lastIndex}`,
        );
      }
    }
    const last = r.log.lastIndex();
    tail.lastIndex = last;
    tail.last = last > r.log.snapIndex() ? entryAt(r, last) : null;
    // Leader completeness: an entry committed in term T is in the log of every leader of a
    // term > T. We only know an upper bound of T (the highest term seen when it was applied).
    for (let i = tail.checked + 1; i <= this.maxCommitted; i++) {
      const e = this.committed.get(i);
      if (e === undefined || i <= r.log.snapIndex() || this.commitTerm.get(i)! >= r.term) continue;
      if (i > last || !sameEntry(entryAt(r, i), e)) {
        throw new Violation(
          "leader completeness",
          `leader ${r.id} of term ${r.term} lacks committed entry ${i} (term ${e.term})`,
        );
      }
    }
    tail.checked = this.maxCommitted;
  }

  #checkLogMatching(a: Raft, b: Raft): void {
    const lo = Math.max(a.log.snapIndex(), b.log.snapIndex()) + 1;
    let i = Math.min(a.log.lastIndex(), b.log.lastIndex());
    while (i >= lo && entryAt(a, i).term !== entryAt(b, i).term) i--;
    for (; i >= lo; i--) {
      if (!sameEntry(entryAt(a, i), entryAt(b, i))) {
        throw new Violation(
          "log matching",
          `nodes ${a.id} and ${b.id} agree on a later entry but differ at index ${i}`,
        );
      }
    }
  }

  #checkCommittedPrefix(r: Raft): void {
    // What a node believes committed must be what every other node applied there.
    const from = Math.max(r.log.snapIndex() + 1, r.log.committed - 8);
    for (let i = from; i <= r.log.committed; i++) {
      const e = this.committed.get(i);
      if (e !== undefined && !sameEntry(entryAt(r, i), e)) {
        throw new Violation(
          "committed entry lost",
          `node ${r.id} holds (index ${i}, term ${entryAt(r, i).term}) as committed, ` +
            `but term ${e.term} was applied there`,
        );
      }
    }
  }
}
