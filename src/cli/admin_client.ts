/** A failed admin API call: which node refused and why, in one line. */
export class CtlError extends Error {
  override readonly name = "CtlError";
}

/** Calls a meta node's admin API and returns its JSON answer; errors name the node and reason. */
export async function adminRequest<T>(
  meta: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  const url = `http://${meta}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new CtlError(`cannot reach meta node ${meta}: ${why.split("\n")[0]}`);
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch { /* not JSON: reported below */ }
  if (!res.ok) {
    const err = typeof json === "object" && json !== null && "error" in json
      ? String((json as { error: unknown }).error)
      : text.trim() || res.statusText;
    throw new CtlError(`meta node ${meta} refused ${method} ${path} (${res.status}): ${err}`);
  }
  if (json === undefined && text) {
    throw new CtlError(`meta node ${meta} answered ${path} with something that is not JSON`);
  }
  return json as T;
}
