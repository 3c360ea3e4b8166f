/**
 * Single-key KV reads batched by tick: lookups queued in the same tick go out together, up to
 * 10 per read (the `getMany` limit), so many readers' lookups cost few KV reads.
 */

interface PendingGet {
  readonly key: Deno.KvKey;
  resolve(bytes: Uint8Array | null): void;
  reject(err: unknown): void;
}

const GET_MANY_LIMIT = 10;

/** Batches `get`s of byte values from one KV handle. */
export class BatchedGet {
  private pending: PendingGet[] = [];

  constructor(private readonly kv: Deno.Kv) {}

  /** The value at `key`, or null when absent or not bytes. */
  get(key: Deno.KvKey): Promise<Uint8Array | null> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (this.pending.length === 1) queueMicrotask(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += GET_MANY_LIMIT) {
      const part = all.slice(i, i + GET_MANY_LIMIT);
      this.kv.getMany<Uint8Array[]>(part.map((g) => g.key)).then(
        (res) =>
          res.forEach((e, k) => part[k].resolve(e.value instanceof Uint8Array ? e.value : null)),
        (err) => part.forEach((g) => g.reject(err)),
      );
    }
  }
}
