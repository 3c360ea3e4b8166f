import { ByteReader, ByteWriter } from "./bytes.ts";
import { CodecInputError } from "./errors.ts";
import { MAX_COLUMN_VALUES } from "./int64_column.ts";

/** Encodes booleans as a count followed by one bit per value, MSB first. */
export function encodeBooleans(v: readonly boolean[]): Uint8Array {
  const n = v.length;
  if (n > MAX_COLUMN_VALUES) {
    throw new CodecInputError(`${n} values is more than the ${MAX_COLUMN_VALUES} a column holds`);
  }
  const w = new ByteWriter(10 + (n >>> 3) + 1);
  w.uvarint(n);
  const start = w.pos, buf = w.buf;
  for (let i = 0; i < n; i++) {
    if (v[i]) buf[start + (i >>> 3)] |= 0x80 >>> (i & 7);
  }
  w.pos = start + ((n + 7) >>> 3);
  return w.finish();
}

/** Decodes a buffer written by `encodeBooleans`; throws `CorruptBlockError` if malformed. */
export function decodeBooleans(b: Uint8Array): boolean[] {
  const r = new ByteReader("booleans", b);
  const n = r.uvarint(MAX_COLUMN_VALUES);
  const bytes = r.take((n + 7) >>> 3);
  r.done();
  if (n & 7 && bytes[bytes.length - 1] & (0xff >>> (n & 7))) {
    throw r.corrupt("padding bits after the last boolean are set");
  }
  const out = new Array<boolean>(n);
  for (let i = 0; i < n; i++) out[i] = (bytes[i >>> 3] & (0x80 >>> (i & 7))) !== 0;
  return out;
}
