/**
 * The stable time order of a cache entry's values. Writes usually arrive as a few ascending
 * runs (one per batch, interleaved by concurrent clients), so runs are found and merged
 * bottom-up: linear passes instead of a comparison sort with a callback. Times are compared
 * through 32-bit halves, since reading a BigInt64Array element allocates a bigint.
 */

/** Indexes 0..n-1 of `times` sorted by time; equal times keep their index order. */
export function timeOrder(times: BigInt64Array, n: number): Uint32Array {
  // Little endian: word 2i is the low half (unsigned), word 2i + 1 the high half (signed).
  const lo = new Uint32Array(times.buffer, times.byteOffset, n * 2);
  const hi = new Int32Array(times.buffer, times.byteOffset, n * 2);
  const before = (a: number, b: number): boolean => {
    const ha = hi[2 * a + 1];
    const hb = hi[2 * b + 1];
    return ha < hb || (ha === hb && lo[2 * a] < lo[2 * b]);
  };
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Run starts: a run continues while times do not decrease.
  const starts: number[] = [0];
  for (let i = 1; i < n; i++) if (before(i, i - 1)) starts.push(i);
  if (starts.length === 1) return order;
  let runs = starts;
  let spare = new Uint32Array(n);
  while (runs.length > 1) {
    const next: number[] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const s = runs[r];
      const m = r + 1 < runs.length ? runs[r + 1] : n;
      const e = r + 2 < runs.length ? runs[r + 2] : n;
      next.push(s);
      let i = s;
      let j = m;
      let k = s;
      // Stable: on equal times the left (earlier) run's value goes first.
      while (i < m && j < e) spare[k++] = before(order[j], order[i]) ? order[j++] : order[i++];
      while (i < m) spare[k++] = order[i++];
      while (j < e) spare[k++] = order[j++];
    }
    const t = order;
    order = spare;
    spare = t;
    runs = next;
  }
  return order;
}
