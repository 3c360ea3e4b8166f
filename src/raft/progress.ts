import type { LogIndex, Snapshot } from "./types.ts";
import { logIndex } from "./types.ts";

/**
 * How the leader replicates to one peer (etcd's tracker.Progress): `probe` sends one append
 * at a time until it finds where logs match; `replicate` pipelines appends up to the
 * in-flight window; `snapshot` streams a snapshot in chunks, one chunk outstanding.
 */
export type ProgressState = "probe" | "replicate" | "snapshot";

/** The leader's view of one peer's log. */
export class Progress {
  match: LogIndex = logIndex(0);
  next: LogIndex;
  state: ProgressState = "probe";
  /** In probe state: an append is out and unanswered, so hold further ones. */
  probeSent = false;
  /** Last index of each append in flight (replicate state), oldest first. */
  inflights: number[] = [];
  /** In snapshot state: the index of the snapshot being sent, and the next byte to send. */
  pendingSnapshot: LogIndex = logIndex(0);
  snapshotOffset = 0;
  /**
   * The snapshot being sent, kept even when the leader takes a newer one meanwhile, so a
   * slow transfer finishes instead of restarting forever.
   */
  snapshot: Snapshot | null = null;
  /** Heard from since the last check-quorum round. */
  recentActive = false;

  /** A fresh progress expecting the peer to need everything after `lastIndex`. */
  constructor(lastIndex: LogIndex, public isLearner: boolean) {
    this.next = logIndex(lastIndex + 1);
  }

  /** Switches to probing from just after what the peer is known to hold. */
  becomeProbe(): void {
    if (this.state === "snapshot") {
      this.next = logIndex(Math.max(this.match + 1, this.pendingSnapshot + 1));
    } else {
      this.next = logIndex(this.match + 1);
    }
    this.resetState("probe");
  }

  /** Switches to pipelined replication. */
  becomeReplicate(): void {
    this.next = logIndex(this.match + 1);
    this.resetState("replicate");
  }

  /** Switches to streaming `snapshot`, from its first byte. */
  becomeSnapshot(snapshot: Snapshot): void {
    this.resetState("snapshot");
    this.pendingSnapshot = snapshot.meta.index;
    this.snapshot = snapshot;
  }

  private resetState(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.inflights = [];
    this.pendingSnapshot = logIndex(0);
    this.snapshotOffset = 0;
    this.snapshot = null;
  }

  /** Records an acknowledged index; true when it moved `match` forward. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (index > this.match) {
      this.match = logIndex(index);
      updated = true;
      this.probeSent = false;
    }
    this.next = logIndex(Math.max(this.next, index + 1));
    return updated;
  }

  /**
   * Handles a rejection of the append whose prevIndex was `rejected`, moving `next` back to
   * just after `probeLimit` (derived from the follower's hint). False when the rejection is
   * stale (answers an append we no longer care about).
   */
  maybeDecrTo(rejected: number, probeLimit: number): boolean {
    if (this.state === "replicate") {
      if (rejected <= this.match) return false;
      this.next = logIndex(this.match + 1);
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = logIndex(Math.max(Math.min(rejected, probeLimit + 1), this.match + 1));
    this.probeSent = false;
    return true;
  }

  /** Records an append ending at `last` sent to the peer. */
  sentEntries(last: number, count: number, maxInflight: number): void {
    if (this.state === "replicate") {
      if (count > 0) {
        this.next = logIndex(last + 1);
        this.inflights.push(last);
        if (this.inflights.length > maxInflight) this.inflights.shift();
      }
    } else if (this.state === "probe") {
      this.probeSent = true;
    }
  }

  /** Frees in-flight slots for appends acknowledged up to `index`. */
  freeTo(index: number): void {
    while (this.inflights.length > 0 && this.inflights[0] <= index) this.inflights.shift();
  }

  /** True when no append may be sent now. */
  isPaused(maxInflight: number): boolean {
    switch (this.state) {
      case "probe":
        return this.probeSent;
      case "replicate":
        return this.inflights.length >= maxInflight;
      case "snapshot":
        return true;
    }
  }
}
