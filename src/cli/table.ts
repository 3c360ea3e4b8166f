/** Renders rows as tab-separated columns like influxd-ctl's tables, under a titled rule. */
export function renderTable(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  return [title, "=".repeat(title.length), line(header), ...rows.map(line), ""].join("\n") + "\n";
}
