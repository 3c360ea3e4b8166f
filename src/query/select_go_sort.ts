/**
 * Go 1.19's `sort.Sort` (pattern-defeating quicksort), ported so that functions which break
 * ties by where a value lands after InfluxDB's unstable sort (mode(), percentile()) pick the
 * same point as InfluxDB 1.6.7, which Debian builds with Go 1.19. Deterministic: Go seeds its
 * pattern breaker with the slice length.
 */

/** The three operations Go's `sort.Interface` supplies (Len is given separately). */
export interface GoSortable {
  less(i: number, j: number): boolean;
  swap(i: number, j: number): void;
}

const INCREASING = 1;
const DECREASING = 2;
const UNKNOWN = 0;

/** bits.Len: the number of bits needed to represent n. */
function bitLen(n: number): number {
  return n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1;
}

/** Sorts indices [0, n) of `data` exactly as Go 1.19's `sort.Sort` would. */
export function goSort(data: GoSortable, n: number): void {
  if (n <= 1) return;
  pdqsort(data, 0, n, bitLen(n));
}

function insertionSort(d: GoSortable, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && d.less(j, j - 1); j--) d.swap(j, j - 1);
  }
}

function siftDown(d: GoSortable, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && d.less(first + child, first + child + 1)) child++;
    if (!d.less(first + root, first + child)) return;
    d.swap(first + root, first + child);
    root = child;
  }
}

function heapSort(d: GoSortable, a: number, b: number): void {
  const hi = b - a;
  for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) siftDown(d, i, hi, a);
  for (let i = hi - 1; i >= 0; i--) {
    d.swap(a, a + i);
    siftDown(d, 0, i, a);
  }
}

function pdqsort(d: GoSortable, a: number, b: number, limit: number): void {
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) {
      insertionSort(d, a, b);
      return;
    }
    if (limit === 0) {
      heapSort(d, a, b);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(d, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(d, a, b);
    if (hint === DECREASING) {
      reverseRange(d, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING) {
      if (partialInsertionSort(d, a, b)) return;
    }
    if (a > 0 && !d.less(a - 1, pivot)) {
      a = partitionEqual(d, a, b, pivot);
      continue;
    }
    const [mid, already] = partition(d, a, b, pivot);
    wasPartitioned = already;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const threshold = Math.floor(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= threshold;
      pdqsort(d, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= threshold;
      pdqsort(d, mid + 1, b, limit);
      b = mid;
    }
  }
}

function partition(d: GoSortable, a: number, b: number, pivot: number): [number, boolean] {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && d.less(i, a)) i++;
  while (i <= j && !d.less(j, a)) j--;
  if (i > j) {
    d.swap(j, a);
    return [j, true];
  }
  d.swap(i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && d.less(i, a)) i++;
    while (i <= j && !d.less(j, a)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  d.swap(j, a);
  return [j, false];
}

function partitionEqual(d: GoSortable, a: number, b: number, pivot: number): number {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !d.less(a, i)) i++;
    while (i <= j && d.less(a, j)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort(d: GoSortable, a: number, b: number): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !d.less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    d.swap(i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
  }
  return false;
}

const U64 = (1n << 64n) - 1n;

function breakPatterns(d: GoSortable, a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  // Go's xorshift (13, 17, 5) on a uint64 seeded with the length.
  let r = BigInt(length);
  const modulus = BigInt(1 << bitLen(length));
  const base = a + Math.floor(length / 4) * 2;
  for (let idx = base - 1; idx <= base + 1; idx++) {
    r ^= (r << 13n) & U64;
    r ^= r >> 17n;
    r ^= (r << 5n) & U64;
    let other = Number(r & (modulus - 1n));
    if (other >= length) other -= length;
    d.swap(idx, a + other);
  }
}

function choosePivot(d: GoSortable, a: number, b: number): [number, number] {
  const l = b - a;
  const swaps = { n: 0 };
  const q = Math.floor(l / 4);
  let i = a + q;
  let j = a + q * 2;
  let k = a + q * 3;
  if (l >= 8) {
    if (l >= 50) {
      i = median(d, i - 1, i, i + 1, swaps);
      j = median(d, j - 1, j, j + 1, swaps);
      k = median(d, k - 1, k, k + 1, swaps);
    }
    j = median(d, i, j, k, swaps);
  }
  if (swaps.n === 0) return [j, INCREASING];
  if (swaps.n === 12) return [j, DECREASING];
  return [j, UNKNOWN];
}

function median(d: GoSortable, a: number, b: number, c: number, swaps: { n: number }): number {
  const order2 = (x: number, y: number): [number, number] => {
    if (d.less(y, x)) {
      swaps.n++;
      return [y, x];
    }
    return [x, y];
  };
  [a, b] = order2(a, b);
  [b, c] = order2(b, c);
  [a, b] = order2(a, b);
  return b;
}

function reverseRange(d: GoSortable, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) d.swap(i, j);
}

/**
 * The order in which InfluxDB's sorted merge iterator (a Go `container/heap` keyed on time)
 * yields the points of several time-ordered runs: returns the runs' elements merged, ties
 * between runs broken the way that heap breaks them.
 */
export function goHeapMerge(
  runs: readonly (readonly number[])[],
  less: (a: number, b: number) => boolean,
): number[] {
  if (runs.length === 1) return [...runs[0]];
  const h: { run: readonly number[]; at: number }[] = runs.filter((r) => r.length > 0)
    .map((run) => ({ run, at: 0 }));
  const lt = (i: number, j: number) => less(h[i].run[h[i].at], h[j].run[h[j].at]);
  const swap = (i: number, j: number) => {
    const x = h[i];
    h[i] = h[j];
    h[j] = x;
  };
  const down = (i0: number, n: number) => {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) return;
      const j = j1 + 1 < n && lt(j1 + 1, j1) ? j1 + 1 : j1;
      if (!lt(j, i)) return;
      swap(i, j);
      i = j;
    }
  };
  const up = (j: number) => {
    while (j > 0) {
      const i = Math.floor((j - 1) / 2);
      if (!lt(j, i)) return;
      swap(i, j);
      j = i;
    }
  };
  for (let i = Math.floor(h.length / 2) - 1; i >= 0; i--) down(i, h.length);
  const out: number[] = [];
  while (h.length > 0) {
    // heap.Pop: the root swaps with the last item, the rest sifts down, the last goes.
    swap(0, h.length - 1);
    down(0, h.length - 1);
    const item = h.pop()!;
    out.push(item.run[item.at++]);
    if (item.at < item.run.length) {
      h.push(item);
      up(h.length - 1);
    }
  }
  return out;
}
