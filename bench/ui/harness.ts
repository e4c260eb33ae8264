/**
 * The contract between bench/ui.bench.ts (Node, Playwright) and the page bench/ui/clusterMapHarness.tsx
 * (Chromium): the options of a run and what it returns.
 */
export interface HarnessOptions {
  nodes: number;
  pods: number;
  /** Frames of diffs to apply after the first render. */
  frames: number;
  /** The fraction of the pods each frame's diff changes (updated, or replaced by a new pod). */
  changeFraction: number;
}

export interface HarnessResult {
  nodes: number;
  pods: number;
  podsChangedPerFrame: number;
  /** The whole cluster arriving as one diff: store apply → React commit → canvas painted. */
  firstRenderMs: number;
  /** Each frame's diff, the same span. */
  renderMs: number[];
  /** requestAnimationFrame deltas over the same frames. */
  frameMs: number[];
  /** Frames whose render painted the canvas (each must). */
  draws: number;
  /** The canvas after the frames (changed tiles repainted) is pixel for pixel the canvas repainted whole. */
  incrementalMatchesFull: boolean;
}

declare global {
  interface Window {
    clusterMapBench?: { run(options: HarnessOptions): Promise<HarnessResult> };
  }
}
