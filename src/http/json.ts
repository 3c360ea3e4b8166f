/** JSON with bigints: safe ones become numbers, others strings (JSON has no 64-bit ints). */
export function jsonBody(value: unknown, status = 200, headers: HeadersInit = {}): Response {
  const text = JSON.stringify(
    value,
    (_k, v) =>
      typeof v === "bigint"
        ? (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v)
          : v.toString())
        : v instanceof Uint8Array
        ? Array.from(v)
        : v,
  );
  return new Response(text + "\n", {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** The admin API's error body: `{"error": "..."}`. */
export function jsonError(status: number, message: string): Response {
  return jsonBody({ error: message }, status);
}
