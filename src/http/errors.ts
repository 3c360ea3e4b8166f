/** InfluxDB's error response: `{"error": "..."}` with the text also in `X-Influxdb-Error`. */
export function influxError(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: message }) + "\n", {
    status,
    headers: {
      "Content-Type": "application/json",
      // Header values cannot hold newlines (multi-line parse errors).
      "X-Influxdb-Error": message.replaceAll("\n", " ").slice(0, 4096),
    },
  });
}
