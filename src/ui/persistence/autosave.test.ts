import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver } from './autosave.ts';

describe('Autosaver', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A saver whose saves are recorded by the (fake) time they started, each taking `ms`. */
  function setup(ms = 100, fail?: () => boolean) {
    const starts: number[] = [];
    const errors: unknown[] = [];
    const saver = new Autosaver({
      save: async () => {
        starts.push(Date.now());
        await new Promise((r) => setTimeout(r, ms));
        if (fail?.()) throw new DOMException('the disk is full', 'QuotaExceededError');
      },
      onError: (e) => errors.push(e),
    });
    return { saver, starts, errors, t0: Date.now() };
  }

  it('saves once, a couple of seconds after a burst of changes', async () => {
    const { saver, starts, t0 } = setup();
    for (let i = 0; i < 50; i++) {
      saver.changed();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(1_500);
    expect(starts).toEqual([t0 + 2_000]);
    expect(saver.pending).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts).toHaveLength(1);
  });

  it('saves at most every 5 s while changes keep coming (a running clock)', async () => {
    const { saver, starts, t0 } = setup();
    for (let i = 0; i < 1_000; i++) {
      saver.changed();
      await vi.advanceTimersByTimeAsync(16);
    }
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts[0]).toBe(t0 + 2_000);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(5_000);
  });

  it('keeps a change made during a save for the next save', async () => {
    const { saver, starts, t0 } = setup(1_000);
    saver.changed();
    await vi.advanceTimersByTimeAsync(2_500); // the save runs from 2 s to 3 s
    saver.changed();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(starts).toEqual([t0 + 2_000, t0 + 7_000]);
  });

  it('flush saves at once whatever the interval, and only if something is unsaved', async () => {
    const { saver, starts, t0 } = setup();
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(200);
    await flushed;
    expect(starts).toEqual([]);
    saver.changed();
    await vi.advanceTimersByTimeAsync(2_200);
    saver.changed();
    const again = saver.flush();
    await vi.advanceTimersByTimeAsync(200);
    await again;
    // The scheduled save at 2.2 s; the flushed one at once (2.4 s), not 5 s after it.
    expect(starts).toEqual([t0 + 2_200, t0 + 2_400]);
    const forced = saver.flush(true);
    await vi.advanceTimersByTimeAsync(200);
    await forced;
    expect(starts).toHaveLength(3);
  });

  it('reports a failed save and tries again later', async () => {
    let full = true;
    const { saver, starts, errors } = setup(100, () => full);
    saver.changed();
    await vi.advanceTimersByTimeAsync(2_200);
    expect(errors).toHaveLength(1);
    expect((errors[0] as DOMException).name).toBe('QuotaExceededError');
    expect(saver.pending).toBe(true);
    full = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(starts).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(saver.pending).toBe(false);
  });

  it('does nothing once disposed', async () => {
    const { saver, starts } = setup();
    saver.changed();
    saver.dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    await saver.flush(true);
    expect(starts).toEqual([]);
  });
});
