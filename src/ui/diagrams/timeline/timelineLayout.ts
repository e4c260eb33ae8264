/**
 * Where the request timeline draws things: a d3 linear scale from virtual time to x (fitted to the width,
 * times the zoom), a row per lane, each item a bar (when it lasts) or a dot, and labels placed left to right
 * in each lane only where they do not overlap the previous one (the rest show on hover and focus). Axis
 * ticks read as time since the command (`+250 ms`, `+1.5 s`).
 *
 * With `compress`, x follows the order things happened in rather than the clock: much of a command's
 * work happens within one virtual millisecond (a request through every stage, the watch events it sends,
 * the scheduler's decision), and the rest after seconds of waiting (an image pull). Each step is one step
 * right of the one before it, a little more when time passed, and an idle stretch (over MIN_GAP_MS) is a
 * fixed-width break listed in `breaks`; ticks name the time where it changes. Pure, for its tests.
 */
import { scaleLinear } from 'd3';
import type { Item, Lane, Timeline } from './timeline.ts';

export const LANE_HEIGHT = 22;
export const LABEL_WIDTH = 164;
export const AXIS_HEIGHT = 24;
/** Bars shorter than this are drawn as dots. */
export const MIN_BAR = 4;
/** Roughly the width of one label character, px. */
const CHAR = 6.4;
const DOT = 5;
/** Room right of the plot for the last items' labels. */
const RIGHT_ROOM = 128;

export interface LaidItem {
  item: Item;
  x: number;
  /** The bar's width (0 for a dot). */
  w: number;
  y: number;
  showLabel: boolean;
}

export interface TimelineLayout {
  width: number;
  height: number;
  lanes: Array<{ lane: Lane; y: number }>;
  items: LaidItem[];
  ticks: Array<{ x: number; label: string }>;
  /** Idle stretches drawn compressed: from x0 to x1, lasting `ms`. */
  breaks: Array<{ x0: number; x1: number; ms: number }>;
}

/** Idle stretches shorter than this are never compressed. */
export const MIN_GAP_MS = 500;
/** Ticks closer than this are dropped, px. */
const TICK_SPACING = 64;
/** An idle stretch's width, in steps. */
const GAP_UNITS = 4;
/** The widest step between two consecutive points, px. */
const MAX_STEP = 36;

interface Placement {
  /** Where an item starts and ends, px. */
  x0(item: Item): number;
  x1(item: Item): number;
  ticks: Array<{ x: number; label: string }>;
  breaks: Array<{ x0: number; x1: number; ms: number }>;
}

function linearPlacement(t: Timeline, left: number, plot: number): Placement {
  const offset = scaleLinear().domain([0, t.end - t.start]).range([left, left + plot]);
  return {
    x0: (item) => offset(item.start - t.start),
    x1: (item) => offset(item.end - t.start),
    ticks: offset.ticks(Math.max(2, Math.floor(plot / 110))).map((ms) => ({ x: offset(ms), label: formatOffset(ms) })),
    breaks: [],
  };
}

/** Units of width between two consecutive points `dt` ms apart (a break when over MIN_GAP_MS). */
function unitsFor(dt: number): number {
  if (dt > MIN_GAP_MS) return GAP_UNITS;
  return dt === 0 ? 1 : 1 + (2 * dt) / MIN_GAP_MS;
}

/**
 * In order of occurrence: each item's point (its end, for what lasts) one step after the one before it —
 * events of the same virtual ms apart in the order they happened, a little more apart when time passed,
 * an idle stretch a fixed break — scaled by a d3 linear scale to fit the plot (a step at most MAX_STEP px).
 */
function orderedPlacement(t: Timeline, left: number, plot: number): Placement {
  const point = (item: Item) => (item.end > item.start ? item.end : item.start);
  const keys = [...new Map(t.items.map((item) => [`${point(item)}:${item.seq}`, { time: point(item), seq: item.seq }])).values()].sort((a, b) => a.time - b.time || a.seq - b.seq);
  if (keys.length === 0) return linearPlacement(t, left, plot);
  const units = [0];
  for (let i = 1; i < keys.length; i++) units.push(units[i - 1]! + unitsFor(keys[i]!.time - keys[i - 1]!.time));
  const total = units.at(-1)!;
  const px = scaleLinear()
    .domain([0, Math.max(total, 1)])
    .range([left, left + Math.min(plot, Math.max(total, 1) * MAX_STEP)]);
  const index = new Map(keys.map((k, i) => [`${k.time}:${k.seq}`, i]));
  const xOfKey = (i: number) => px(units[i]!);
  const x1 = (item: Item) => xOfKey(index.get(`${point(item)}:${item.seq}`)!);
  /** The last point at or before `time`, or -1. */
  const lastAtOrBefore = (time: number) => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]!.time <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  const x0 = (item: Item) => {
    if (item.end <= item.start) return x1(item);
    const before = lastAtOrBefore(item.start);
    return before < 0 ? left : Math.min(x1(item), xOfKey(before) + 2);
  };
  const ticks: Placement['ticks'] = [];
  const breaks: Placement['breaks'] = [];
  keys.forEach((k, i) => {
    const x = xOfKey(i);
    const dt = i > 0 ? k.time - keys[i - 1]!.time : Infinity;
    if (i > 0 && dt > MIN_GAP_MS) breaks.push({ x0: xOfKey(i - 1), x1: x, ms: dt });
    if (dt > 0 && (ticks.length === 0 || x - ticks.at(-1)!.x >= TICK_SPACING)) ticks.push({ x, label: formatOffset(k.time - t.start) });
  });
  return { x0, x1, ticks, breaks };
}

/** Where an item's label starts: right of its dot, or of its bar's end. */
export function labelX(laid: Pick<LaidItem, 'x' | 'w'>): number {
  return laid.w > 0 ? laid.x + laid.w + 4 : laid.x + DOT + 3;
}

/** A time offset as the axis prints it. */
export function formatOffset(ms: number): string {
  if (ms === 0) return '0';
  if (Math.abs(ms) < 1000) return `+${Math.round(ms)} ms`;
  return `+${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
}

export function layoutTimeline(t: Timeline, viewWidth: number, zoom = 1, compress = false): TimelineLayout {
  const plot = Math.max(200, (viewWidth - LABEL_WIDTH - 8 - RIGHT_ROOM) * zoom);
  // The domain is time since the command, so that ticks fall on round offsets.
  const place = compress ? orderedPlacement(t, LABEL_WIDTH + 8, plot) : linearPlacement(t, LABEL_WIDTH + 8, plot);
  const rows = new Map(t.lanes.map((lane, i) => [lane.id, AXIS_HEIGHT + i * LANE_HEIGHT + LANE_HEIGHT / 2]));
  const byLane = new Map<string, LaidItem[]>();
  const items: LaidItem[] = [];
  for (const item of t.items) {
    const y = rows.get(item.lane);
    if (y === undefined) continue;
    const x0 = place.x0(item);
    const w = place.x1(item) - x0;
    const laid = { item, x: x0, w: w >= MIN_BAR ? w : 0, y, showLabel: false };
    items.push(laid);
    byLane.set(item.lane, [...(byLane.get(item.lane) ?? []), laid]);
  }
  // A label goes right of its mark, where it neither overlaps the previous label nor the next mark.
  for (const list of byLane.values()) {
    const sorted = [...list].sort((a, b) => a.x - b.x);
    let free = -Infinity;
    sorted.forEach((laid, i) => {
      const start = labelX(laid);
      const end = start + laid.item.label.length * CHAR;
      const next = sorted[i + 1];
      if (start < free || (next !== undefined && next.x < end + 4)) return;
      laid.showLabel = true;
      free = end + 8;
    });
  }
  return { width: LABEL_WIDTH + 8 + plot + RIGHT_ROOM, height: AXIS_HEIGHT + t.lanes.length * LANE_HEIGHT + 14, lanes: t.lanes.map((lane) => ({ lane, y: rows.get(lane.id)! })), items, ticks: place.ticks, breaks: place.breaks };
}
