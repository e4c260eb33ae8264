import { describe, expect, it } from 'vitest';
import { tileAt, tileLayout } from './tileLayout.ts';

describe('tileLayout', () => {
  it.each([
    [3, 1200, 300, 64],
    [1000, 1200, 300, 16],
    [5000, 1200, 300, 6],
    [100_000, 1200, 300, 4],
  ])('%i tiles in %ipx × %ipx are %ipx', (count, width, height, size) => {
    const layout = tileLayout(count, width, height);
    expect(layout.size).toBe(size);
    expect(layout.columns * (layout.size + layout.gap) - layout.gap).toBeLessThanOrEqual(width);
    expect(layout.rows * layout.columns).toBeGreaterThanOrEqual(count);
  });

  it('finds the tile under a point, and none in a gap or past the last', () => {
    const layout = tileLayout(5, 100, 20);
    const step = layout.size + layout.gap;
    expect(tileAt(layout, 5, 1, 1)).toBe(0);
    expect(tileAt(layout, 5, step + 1, 1)).toBe(1);
    expect(tileAt(layout, 5, layout.size + 0.5, 1)).toBe(-1);
    expect(tileAt(layout, 5, 1, step * 10)).toBe(-1);
    expect(tileAt(layout, 5, -1, 1)).toBe(-1);
  });
});
