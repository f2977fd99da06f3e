// Go's text/tabwriter as istioctl configures it (minwidth 0, tabwidth 8,
// padchar ' ', flags 0): every tab-terminated cell is padded to its column's
// widest cell plus `padding`; the last cell of a line is written as is, so a
// row whose last column is empty keeps the padding of the one before.

/** Lays out rows of cells the way istioctl's tables do (all rows with the same number of cells). */
export function tabwrite(rows: readonly (readonly string[])[], padding: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, row[i]!.length);
  }
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length - 1; i++) line += row[i]!.padEnd((widths[i] ?? 0) + padding);
    out += `${line}${row[row.length - 1] ?? ''}\n`;
  }
  return out;
}
