/** The request timeline's layout: time scales (real and in order of occurrence), label placement, axis labels. */
import { describe, expect, it } from 'vitest';
import type { Item, Timeline } from './timeline.ts';
import { AXIS_HEIGHT, formatOffset, LABEL_WIDTH, LANE_HEIGHT, layoutTimeline } from './timelineLayout.ts';

const item = (id: string, lane: string, start: number, end: number, label = id, seq = 0): Item => ({ id, seq, lane, kind: 'cri', start, end, label, details: [], failed: false });
const timeline = (items: Item[]): Timeline => ({
  command: ['create pods default/pod1'],
  start: 0,
  end: 1000,
  lanes: [
    { id: 'kubectl', kind: 'kubectl', name: 'kubectl' },
    { id: 'cri:w1', kind: 'cri', name: 'w1' },
  ],
  items,
  objects: [],
  truncated: false,
});

describe('layoutTimeline', () => {
  it('maps virtual time to x across the plot, one row per lane, bars for what lasts and dots for instants', () => {
    const l = layoutTimeline(timeline([item('a', 'kubectl', 0, 0), item('b', 'cri:w1', 500, 1000)]), LABEL_WIDTH + 136 + 1000);
    expect(l.lanes.map((r) => r.y)).toEqual([AXIS_HEIGHT + LANE_HEIGHT / 2, AXIS_HEIGHT + LANE_HEIGHT * 1.5]);
    const [a, b] = l.items;
    expect(a).toMatchObject({ x: LABEL_WIDTH + 8, w: 0 });
    expect(b!.x).toBeCloseTo(LABEL_WIDTH + 8 + 500);
    expect(b!.w).toBeCloseTo(500);
    expect(layoutTimeline(timeline([item('b', 'cri:w1', 500, 1000)]), LABEL_WIDTH + 136 + 1000, 2).items[0]!.w).toBeCloseTo(1000);
  });

  it('labels an item only where its label overlaps neither the previous label nor the next mark in its lane', () => {
    const l = layoutTimeline(timeline([item('a', 'kubectl', 0, 0, 'create pods'), item('b', 'kubectl', 10, 10, 'x'), item('c', 'kubectl', 900, 900, 'y'), item('d', 'cri:w1', 10, 10)]), LABEL_WIDTH + 136 + 1000);
    expect(l.items.map((i) => `${i.item.id}:${i.showLabel}`)).toEqual(['a:false', 'b:true', 'c:true', 'd:true']);
  });

  it('in order of occurrence, spreads what happens in one ms by sequence and draws idle time as a break', () => {
    const t = {
      ...timeline([item('a', 'kubectl', 0, 0, 'a', 1), item('b', 'kubectl', 0, 0, 'b', 2), item('c', 'cri:w1', 0, 10_000, 'c', 5), item('d', 'cri:w1', 10_000, 10_020, 'd', 6)]),
      end: 10_020,
    };
    const width = LABEL_WIDTH + 136 + 1000;
    const linear = layoutTimeline(t, width);
    const ordered = layoutTimeline(t, width, 1, true);
    expect(linear.breaks).toEqual([]);
    const xs = (l: typeof linear) => l.items.map((i) => Math.round(i.x));
    // a and b happened in the same ms: one x in real time, apart in order.
    expect(xs(linear)[0]).toBe(xs(linear)[1]);
    expect(xs(ordered)[1]! - xs(ordered)[0]!).toBeGreaterThan(10);
    // The 10 s call is a bar from after b to its return, across one break.
    expect(ordered.breaks).toHaveLength(1);
    expect(ordered.breaks[0]!.ms).toBe(10_000);
    const c = ordered.items[2]!;
    expect(c.x).toBeGreaterThan(ordered.items[1]!.x);
    expect(c.x + c.w).toBeCloseTo(ordered.breaks[0]!.x1);
    // d ends 20 ms later: right of c's end, no break.
    expect(ordered.items[3]!.x + ordered.items[3]!.w).toBeGreaterThan(c.x + c.w);
    // Ticks where time changes, unless too close to the last one.
    expect(ordered.ticks.map((tick) => tick.label)).toEqual(['0', '+10 s']);
  });

  it.each([
    [0, '0'],
    [250, '+250 ms'],
    [1500, '+1.5 s'],
    [2000, '+2 s'],
    [12_500, '+12.5 s'],
    [10_000, '+10 s'],
    [1_234, '+1.23 s'],
  ])('prints %d ms as %s', (ms, text) => {
    expect(formatOffset(ms)).toBe(text);
  });
});
