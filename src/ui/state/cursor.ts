// A cursor over a list and a scroll offset over rows: the two movements every
// screen shares, as pure functions.

/** Moves a cursor by `delta` within `count` items (clamped, no wrap-around). */
export function moveCursor(cursor: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return Math.max(0, Math.min(count - 1, cursor + delta));
}

/** Clamps a scroll offset so that the last page is full. */
export function clampScroll(offset: number, total: number, height: number): number {
  return Math.max(0, Math.min(offset, Math.max(0, total - height)));
}

/** The offset that keeps row `row` visible in a window of `height` rows starting at `offset`. */
export function scrollToShow(offset: number, row: number, height: number): number {
  if (row < offset) return row;
  if (row >= offset + height) return row - height + 1;
  return offset;
}
