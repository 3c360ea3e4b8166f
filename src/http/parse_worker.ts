/**
 * The line protocol parser in a worker thread: the request body comes in (transferred), the
 * columnar batch goes out with its typed arrays transferred, so the main thread spends no
 * time on the write path's hottest loop.
 */

import { batchBuffers, parsePointBatch, releaseBytes } from "../models/mod.ts";
import type { ParseReply, ParseRequest } from "./parse_pool.ts";

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ParseRequest>) => void) | null;
  postMessage(message: ParseReply, transfer: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { id, body, precision, now } = e.data;
  const { batch, errors } = parsePointBatch(body, { precision, now });
  // The body came transferred: free it now rather than at this idle isolate's next GC.
  releaseBytes(body);
  scope.postMessage({ id, batch, errors }, batchBuffers(batch));
};
