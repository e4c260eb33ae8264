/**
 * A benchmark measures one or more figures. Figures with a budget say whether they met it; the table
 * prints them all. Benchmarks run in Node with wall time (this folder is not engine code).
 */
export interface Figure {
  /** What is measured, e.g. "clock: timers run". */
  name: string;
  value: number;
  unit: string;
  /** The budget, when it names one. */
  budget?: { max?: number; min?: number };
  /** Extra context for the table, e.g. "median of 5". */
  note?: string;
}

export interface Benchmark {
  /** Short id used with `--only`. */
  id: string;
  title: string;
  run(): Promise<Figure[]>;
}

export function withinBudget(f: Figure): boolean | undefined {
  if (!f.budget) return undefined;
  if (f.budget.max !== undefined && f.value > f.budget.max) return false;
  if (f.budget.min !== undefined && f.value < f.budget.min) return false;
  return true;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Wall ms taken by `fn`. */
export async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
