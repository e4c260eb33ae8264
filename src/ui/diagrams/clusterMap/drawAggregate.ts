/**
 * Paints the aggregated map on a canvas: one tile per node, filled by how full it is (the fullest of
 * CPU, memory and pods requested against allocatable); a NotReady node is grey with a cross, a cordoned
 * one striped; the active tile is outlined; big tiles carry their pod count. A frame that changed a
 * few nodes repaints only their tiles (Aggregate.previous says which).
 */
import { interpolateYlOrRd, scaleSequential } from 'd3';
import type { Aggregate, NodeTile } from './aggregate.ts';
import type { TileLayout } from './tileLayout.ts';

/** Fullness 0 → pale yellow, 1 and beyond → dark red. */
export const fullnessColour = scaleSequential(interpolateYlOrRd).domain([-0.1, 1]).clamp(true);

export interface Palette {
  background: string;
  notReady: string;
  cross: string;
  outline: string;
  text: string;
}

/** The fill of each fullness, precomputed in steps of 0.5%: 5,000 tiles ask for theirs every paint. */
const RAMP_STEPS = 200;
const ramp = Array.from({ length: RAMP_STEPS + 1 }, (_, i) => String(fullnessColour(i / RAMP_STEPS)));
const rampColour = (fullness: number) => ramp[Math.max(0, Math.min(RAMP_STEPS, Math.round(fullness * RAMP_STEPS)))]!;

function drawTile(ctx: CanvasRenderingContext2D, tile: NodeTile, x: number, y: number, size: number, palette: Palette): void {
  ctx.fillStyle = tile.ready ? rampColour(tile.fullness) : palette.notReady;
  ctx.fillRect(x, y, size, size);
  if (!tile.ready && size >= 6) {
    ctx.strokeStyle = palette.cross;
    ctx.lineWidth = Math.max(1, size / 10);
    ctx.beginPath();
    ctx.moveTo(x + 2, y + 2);
    ctx.lineTo(x + size - 2, y + size - 2);
    ctx.moveTo(x + size - 2, y + 2);
    ctx.lineTo(x + 2, y + size - 2);
    ctx.stroke();
  } else if (tile.unschedulable && size >= 6) {
    ctx.strokeStyle = palette.background;
    ctx.lineWidth = Math.max(1, size / 12);
    ctx.beginPath();
    for (let d = -size; d < size; d += Math.max(4, size / 4)) {
      ctx.moveTo(x + Math.max(0, d), y + Math.max(0, -d));
      ctx.lineTo(x + Math.min(size, size + d), y + Math.min(size, size - d));
    }
    ctx.stroke();
  }
  if (size >= 28) {
    ctx.fillStyle = tile.ready && tile.fullness > 0.6 ? '#ffffff' : '#1a1a1a';
    ctx.font = `${Math.round(size / 3)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(String(tile.podTotal), x + size / 2, y + size / 2);
  }
}

/**
 * Paint `aggregate`; with `only`, repaint just those tiles (the canvas holds the previous paint of the
 * same layout, active tile and palette: see Aggregate.previous). A tile paints inside its own square, so
 * repainting one never touches another; the active tile's outline, in the gaps, is drawn again last.
 */
export function drawAggregate(ctx: CanvasRenderingContext2D, aggregate: Aggregate, layout: TileLayout, active: number, palette: Palette, only?: readonly number[]): void {
  const { size, gap, columns } = layout;
  const step = size + gap;
  const tiles = aggregate.tiles;
  if (only) {
    for (const i of only) {
      const x = (i % columns) * step;
      const y = Math.floor(i / columns) * step;
      ctx.clearRect(x, y, size, size);
      drawTile(ctx, tiles[i]!, x, y, size, palette);
    }
  } else {
    ctx.clearRect(0, 0, layout.width, layout.height);
    for (let i = 0; i < tiles.length; i++) drawTile(ctx, tiles[i]!, (i % columns) * step, Math.floor(i / columns) * step, size, palette);
  }
  if (active >= 0 && active < tiles.length) {
    ctx.strokeStyle = palette.outline;
    ctx.lineWidth = 2;
    ctx.strokeRect((active % columns) * step - 1, Math.floor(active / columns) * step - 1, size + 2, size + 2);
  }
}
