/**
 * The clock's pure parts, shared by the controls, the keyboard shortcuts and the audience window (which
 * must not load the engine client): the speeds offered, the next one up or down, and how times are shown.
 */

export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] as const;

/** The speed one notch slower (-1) or faster (+1) than `speed`, staying within SPEEDS. */
export function neighbourSpeed(speed: number, direction: -1 | 1): number {
  if (direction > 0) return SPEEDS.find((s) => s > speed) ?? SPEEDS.at(-1)!;
  return [...SPEEDS].reverse().find((s) => s < speed) ?? SPEEDS[0];
}

/** Virtual time as the clock shows it: date and time in UTC, to the second. */
export function formatVirtualTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Virtual time to the millisecond, for what a step did (steps are often less than a second apart). */
export function formatPreciseTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** The amounts the "advance by" menu offers, in ms, with the label the field would accept. */
export const ADVANCE_PRESETS: ReadonlyArray<{ ms: number; label: string }> = [
  { ms: 1_000, label: '1s' },
  { ms: 10_000, label: '10s' },
  { ms: 60_000, label: '1m' },
  { ms: 300_000, label: '5m' },
  { ms: 3_600_000, label: '1h' },
];
