/** A request body larger than the configured limit. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor() {
    super("http: request body too large");
  }
}

/** A gzip body that does not decompress. */
export class BadGzipError extends Error {
  override readonly name = "BadGzipError";
}

/**
 * Reads a request body into one buffer, decompressing `Content-Encoding: gzip`, and stops
 * with BodyTooLargeError as soon as more than `limit` bytes (after decompression) arrive.
 */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  const gzip = (req.headers.get("content-encoding") ?? "").toLowerCase() === "gzip";
  if (!gzip && Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError();
  if (!req.body) return new Uint8Array(0);
  if (!gzip && Number.isFinite(declared)) {
    // A declared, allowed length: one native read instead of a JS loop over chunks.
    const body = new Uint8Array(await req.arrayBuffer());
    if (body.byteLength > limit) throw new BodyTooLargeError();
    return body;
  }
  let stream: ReadableStream<Uint8Array> = req.body;
  if (gzip) {
    stream = stream.pipeThrough(
      new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLargeError();
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw e;
    if (gzip) throw new BadGzipError(`invalid gzip body: ${e instanceof Error ? e.message : e}`);
    throw e;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
