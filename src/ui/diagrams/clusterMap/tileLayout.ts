/**
 * Where the aggregated map draws each node's tile: a grid that fills the width, with tiles as large as
 * lets `count` of them fit in about `targetHeight` pixels (64 px for a few nodes, 4 px for thousands).
 */
export interface TileLayout {
  readonly size: number;
  readonly gap: number;
  readonly columns: number;
  readonly rows: number;
  readonly width: number;
  readonly height: number;
}

export function tileLayout(count: number, width: number, targetHeight: number): TileLayout {
  const area = Math.max(1, width) * Math.max(1, targetHeight);
  const size = Math.max(4, Math.min(64, Math.floor(Math.sqrt(area / Math.max(1, count))) - 2));
  const gap = size >= 16 ? 4 : size >= 8 ? 2 : 1;
  const columns = Math.max(1, Math.floor((width + gap) / (size + gap)));
  const rows = Math.ceil(count / columns);
  return { size, gap, columns, rows, width, height: Math.max(0, rows * (size + gap) - gap) };
}

/** The tile at a point of the canvas, or -1. */
export function tileAt(layout: TileLayout, count: number, x: number, y: number): number {
  const step = layout.size + layout.gap;
  const col = Math.floor(x / step);
  const row = Math.floor(y / step);
  if (x < 0 || y < 0 || col >= layout.columns || x - col * step >= layout.size || y - row * step >= layout.size) return -1;
  const index = row * layout.columns + col;
  return index < count ? index : -1;
}
