/** Errors of admin requests, and how meta errors map to HTTP statuses. */
import { type ApplyResult, MetaError } from "../meta/mod.ts";

/** An admin request refused for a reason the caller can fix; `status` is the HTTP code. */
export class MetaRequestError extends Error {
  override readonly name = "MetaRequestError";
  constructor(readonly status: 400 | 404 | 409 | 503, message: string) {
    super(message);
  }
}

/** The HTTP status that fits a meta error: 404 not found, 409 exists, else 400. */
export function metaErrorStatus(e: MetaError): 400 | 404 | 409 {
  return e.code.endsWith("NotFound") ? 404 : e.code.endsWith("Exists") ? 409 : 400;
}

/** Throws the MetaError carried by an error result; passes other results through. */
export function unwrapResult(r: ApplyResult): ApplyResult {
  if (r.kind === "error") throw MetaError.fromData(r.error);
  return r;
}
