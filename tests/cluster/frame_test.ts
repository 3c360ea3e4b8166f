import assert from "node:assert/strict";
import { encodeFrame, encodeFrames, FrameDecoder, FrameError } from "../../src/cluster/frame.ts";

function drain(d: FrameDecoder): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let f = d.next(); f !== null; f = d.next()) out.push(f);
  return out;
}

Deno.test("frame decoder: frames split at every byte boundary come out whole", () => {
  const payloads = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(7)];
  const wire = encodeFrames(payloads);
  for (let step = 1; step <= 7; step++) {
    const d = new FrameDecoder(1024);
    const got: Uint8Array[] = [];
    for (let i = 0; i < wire.length; i += step) {
      d.push(wire.subarray(i, i + step));
      got.push(...drain(d));
    }
    assert.deepEqual(got, payloads);
    assert.equal(d.buffered, 0);
  }
});

Deno.test("frame decoder: an oversized length is refused before its body arrives", () => {
  const d = new FrameDecoder(16);
  d.push(encodeFrame(new Uint8Array(16)));
  assert.equal(drain(d).length, 1);
  d.push(new Uint8Array([0, 0, 0, 17]));
  assert.throws(() => d.next(), (e) => e instanceof FrameError && e.reason === "oversized");
});

Deno.test("frame decoder: raising the limit applies to the frames that follow", () => {
  const d = new FrameDecoder(4);
  d.push(encodeFrames([new Uint8Array(4), new Uint8Array(10)]));
  assert.equal(d.next()?.length, 4);
  d.setMaxFrameBytes(10);
  assert.equal(d.next()?.length, 10);
  assert.equal(d.next(), null);
});
