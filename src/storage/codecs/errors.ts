/**
 * A block or column buffer that cannot be decoded: truncated, a flipped bit caught by the
 * CRC, or a field outside its valid range. `codec` names the decoder and `offset` the byte
 * where decoding stopped, so a log line can point at the damaged KV value.
 */
export class CorruptBlockError extends Error {
  override readonly name = "CorruptBlockError";
  readonly kind = "corrupt_block";
  /** Which decoder failed, e.g. `"floats"` or `"block"`. */
  readonly codec: string;
  /** Byte offset in the buffer at which the problem was found. */
  readonly offset: number;

  constructor(codec: string, offset: number, detail: string) {
    super(
      `Corrupt ${codec} block at byte ${offset}: ${detail}. ` +
        "The stored value is damaged; restore the shard from a replica or backup.",
    );
    this.codec = codec;
    this.offset = offset;
  }
}

/** An encoder was given input it cannot store (e.g. times and values of different lengths). */
export class CodecInputError extends Error {
  override readonly name = "CodecInputError";
  readonly kind = "codec_input";

  constructor(detail: string) {
    super(`Cannot encode block: ${detail}.`);
  }
}
