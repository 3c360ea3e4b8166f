import type { HardState, Ready, Role } from "./types.ts";

/**
 * True when a Ready's messages may leave before its entries are persisted: a leader's appends
 * carry entries it has not written yet, which is safe (Raft thesis §10.2.1) as long as its
 * term and vote are on disk. As a conservative guard, no message may claim a commit index
 * that counts one of this Ready's new entries (followers alone can commit an entry once they
 * hold it; then the Ready is persisted before it is sent). `stored` is the hard state on disk.
 */
export function canSendBeforePersist(role: Role, rd: Ready, stored: HardState): boolean {
  if (role !== "leader" || rd.snapshot !== undefined) return false;
  const hs = rd.hardState;
  if (hs !== undefined && (hs.term !== stored.term || hs.vote !== stored.vote)) return false;
  if (rd.entries.length === 0) return true;
  const firstNew = rd.entries[0].index;
  return rd.messages.every((m) =>
    (m.kind !== "append" && m.kind !== "heartbeat") || m.commit < firstNew
  );
}
