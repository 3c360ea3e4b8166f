import { decode, encode } from "@msgpack/msgpack";
import type { Entry, StateMachine } from "../../src/raft/mod.ts";

const text = new TextDecoder();

/**
 * The simulator's replicated state machine: the ordered list of write ids it applied. Reads
 * check against it that every write acknowledged before the read began is visible.
 */
export class SimStateMachine implements StateMachine {
  ids: string[] = [];
  seen = new Set<string>();
  applied = 0;

  /** Applies one committed entry; `normal` entries carry a write id. */
  apply(entry: Entry): string | null {
    this.applied = entry.index;
    if (entry.kind !== "normal") return null;
    const id = text.decode(entry.data);
    this.ids.push(id);
    this.seen.add(id);
    return id;
  }

  /** The applied index and ids, msgpack-encoded. */
  snapshot(): Uint8Array {
    return encode([this.applied, this.ids]);
  }

  /** Replaces the state with a snapshot's. */
  restore(data: Uint8Array): void {
    const [applied, ids] = decode(data) as [number, string[]];
    this.applied = applied;
    this.ids = ids;
    this.seen = new Set(ids);
  }
}
