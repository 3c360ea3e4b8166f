/** Bytes of the big-endian length prefix in front of every frame. */
export const FRAME_HEADER_BYTES = 4;

/** Default largest frame payload a connection accepts (16 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** A frame that cannot be accepted; the connection that carried it must be closed. */
export class FrameError extends Error {
  /** Why the frame was refused ("oversized" or "malformed"). */
  readonly reason: "oversized" | "malformed";
  constructor(reason: "oversized" | "malformed", message: string) {
    super(message);
    this.name = "FrameError";
    this.reason = reason;
  }
}

/** Writes `payload` as one length-prefixed frame into `out` at `offset`; returns the new offset. */
export function writeFrame(out: Uint8Array, offset: number, payload: Uint8Array): number {
  new DataView(out.buffer, out.byteOffset + offset, FRAME_HEADER_BYTES).setUint32(
    0,
    payload.byteLength,
  );
  out.set(payload, offset + FRAME_HEADER_BYTES);
  return offset + FRAME_HEADER_BYTES + payload.byteLength;
}

/** Returns `payload` as one length-prefixed frame. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.byteLength);
  writeFrame(out, 0, payload);
  return out;
}

/** Concatenates several payloads into one buffer of frames, so one write sends them all. */
export function encodeFrames(payloads: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of payloads) total += FRAME_HEADER_BYTES + p.byteLength;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of payloads) off = writeFrame(out, off, p);
  return out;
}

/**
 * Splits a byte stream into frame payloads. Feed it chunks as they are read; it returns every
 * complete payload. Throws FrameError on a frame larger than `maxFrameBytes`, before buffering it.
 */
export class FrameDecoder {
  #buf: Uint8Array = new Uint8Array(0);
  #start = 0;
  #end = 0;
  #maxFrameBytes: number;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Changes the limit for the frames that follow (e.g. a small one until the handshake is done). */
  setMaxFrameBytes(n: number): void {
    this.#maxFrameBytes = n;
  }

  /** Bytes received but not yet returned as a frame. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Adds bytes read from the connection; take the frames they complete with `next`. */
  push(chunk: Uint8Array): void {
    this.#append(chunk);
  }

  /**
   * The next complete frame payload (a copy the caller owns), or null when more bytes are
   * needed. Throws FrameError when the next frame is larger than the current limit.
   */
  next(): Uint8Array | null {
    if (this.#end - this.#start < FRAME_HEADER_BYTES) return null;
    const len = new DataView(this.#buf.buffer, this.#buf.byteOffset + this.#start, 4)
      .getUint32(0);
    if (len > this.#maxFrameBytes) {
      throw new FrameError(
        "oversized",
        `frame of ${len} bytes exceeds the limit of ${this.#maxFrameBytes} bytes`,
      );
    }
    if (this.#end - this.#start < FRAME_HEADER_BYTES + len) return null;
    const from = this.#start + FRAME_HEADER_BYTES;
    const frame = this.#buf.slice(from, from + len);
    this.#start = from + len;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return frame;
  }

  #append(chunk: Uint8Array): void {
    const need = this.#end + chunk.byteLength;
    if (need > this.#buf.byteLength) {
      const live = this.#end - this.#start;
      if (live + chunk.byteLength <= this.#buf.byteLength && this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        const grown = new Uint8Array(Math.max(live + chunk.byteLength, this.#buf.byteLength * 2));
        grown.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = grown;
      }
      this.#start = 0;
      this.#end = live;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.byteLength;
  }
}
