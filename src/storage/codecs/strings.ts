/**
 * Strings: a count, then every UTF-8 byte length (varints), then all the bytes; the lengths
 * and bytes are deflated (node:zlib, raw deflate) when that makes them smaller. Keeping
 * lengths apart from text lets deflate see the repetitive text uninterrupted.
 * Strings are stored as UTF-8, so a lone UTF-16 surrogate (not valid Unicode, and never
 * produced by the line-protocol parser) comes back as U+FFFD.
 */

import { deflateRawSync, inflateRawSync } from "node:zlib";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { CodecInputError } from "./errors.ts";
import { MAX_COLUMN_VALUES } from "./int64_column.ts";

const MODE_PLAIN = 0, MODE_DEFLATE = 1;
/** Payloads smaller than this are stored plain: deflate's framing would cost more. */
const DEFLATE_MIN_BYTES = 48;
/**
 * zlib level 3: on log-like text ~5x faster to compress than the default 6 for ~1.5x the
 * size, and inflate speed is the same (measured in bench/codecs.ts).
 */
const DEFLATE_LEVEL = 3;
/** The largest uncompressed payload a block may claim (bounds inflate's output). */
const MAX_PAYLOAD_BYTES = 1 << 30;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Encodes strings, deflating them when that helps. */
export function encodeStrings(v: readonly string[]): Uint8Array {
  const n = v.length;
  if (n > MAX_COLUMN_VALUES) {
    throw new CodecInputError(`${n} values is more than the ${MAX_COLUMN_VALUES} a column holds`);
  }
  let cap = 0;
  for (let i = 0; i < n; i++) cap += v[i].length;
  const text = new Uint8Array(3 * cap);
  const lens = new ByteWriter(n + 8);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const s = v[i];
    const len = s.length;
    // ASCII by hand: encodeInto needs a subarray per call, which costs more than the copy.
    let k = 0;
    while (k < len) {
      const ch = s.charCodeAt(k);
      if (ch >= 0x80) break;
      text[pos + k++] = ch;
    }
    const written = k === len
      ? len
      : k + encoder.encodeInto(s.slice(k), text.subarray(pos + k)).written;
    lens.uvarint(written);
    pos += written;
  }
  const payload = new Uint8Array(lens.pos + pos);
  payload.set(lens.buf.subarray(0, lens.pos));
  payload.set(text.subarray(0, pos), lens.pos);
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new CodecInputError(`${payload.length} bytes of strings is more than a block holds`);
  }
  let mode = MODE_PLAIN;
  let body: Uint8Array = payload;
  if (payload.length >= DEFLATE_MIN_BYTES) {
    const z = deflateRawSync(payload, { level: DEFLATE_LEVEL });
    if (z.length < payload.length) {
      mode = MODE_DEFLATE;
      body = new Uint8Array(z.buffer, z.byteOffset, z.length);
    }
  }
  const w = new ByteWriter(body.length + 16);
  w.u8(mode);
  w.uvarint(n);
  w.uvarint(payload.length);
  w.bytes(body);
  return w.finish();
}

/** Decodes a buffer written by `encodeStrings`; throws `CorruptBlockError` if malformed. */
export function decodeStrings(b: Uint8Array): string[] {
  const r = new ByteReader("strings", b);
  const mode = r.u8();
  const n = r.uvarint(MAX_COLUMN_VALUES);
  const rawLen = r.uvarint(MAX_PAYLOAD_BYTES);
  let payload: Uint8Array;
  if (mode === MODE_PLAIN) payload = r.take(rawLen);
  else if (mode === MODE_DEFLATE) {
    const z = r.take(r.end - r.pos);
    try {
      const out = inflateRawSync(z, { maxOutputLength: Math.max(1, rawLen) });
      payload = new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (e) {
      throw r.corrupt(`deflated strings do not inflate (${(e as Error).message})`);
    }
    if (payload.length !== rawLen) {
      throw r.corrupt(`strings inflate to ${payload.length} bytes, header says ${rawLen}`);
    }
  } else throw r.corrupt(`unknown strings mode ${mode}`);
  r.done();
  const p = new ByteReader("strings", payload);
  const lens = new Uint32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = p.uvarint(rawLen);
    lens[i] = len;
    total += len;
  }
  if (p.pos + total !== rawLen) {
    throw p.corrupt(`string lengths add up to ${total} bytes, ${rawLen - p.pos} are stored`);
  }
  // One TextDecoder call for all the text, then cheap substrings: per-string decoding costs
  // far more than the scan below.
  const start = p.pos;
  let text: string;
  try {
    text = decoder.decode(payload.subarray(start, rawLen));
  } catch {
    throw p.corrupt("strings are not valid UTF-8");
  }
  const out = new Array<string>(n);
  if (text.length === total) {
    // All ASCII: byte lengths are character lengths.
    for (let i = 0, c = 0; i < n; i++) {
      out[i] = text.substring(c, c += lens[i]);
    }
    return out;
  }
  let pos = start, c = 0;
  for (let i = 0; i < n; i++) {
    const end = pos + lens[i];
    if (pos < end && (payload[pos] & 0xc0) === 0x80) {
      p.pos = pos;
      throw p.corrupt(`string ${i} starts inside a UTF-8 sequence`);
    }
    // UTF-16 length: one unit per non-continuation byte, two for 4-byte sequences.
    let units = 0;
    for (let k = pos; k < end; k++) {
      const byte = payload[k];
      if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
    }
    out[i] = text.substring(c, c += units);
    pos = end;
  }
  return out;
}
