import { describe, expect, it } from 'vitest';
import { AnimationTime } from './animationTime.ts';

describe('AnimationTime', () => {
  it('follows wall time while playing, stands still while paused, and resumes where it stopped', () => {
    const t = new AnimationTime();
    expect(t.now(1_000)).toBe(1_000);
    t.setPaused(true, 1_200);
    expect(t.now(1_500)).toBe(1_200);
    expect(t.now(9_000)).toBe(1_200);
    t.setPaused(true, 9_100); // pausing again changes nothing
    expect(t.now(9_200)).toBe(1_200);
    t.setPaused(false, 10_000);
    expect(t.now(10_000)).toBe(1_200);
    expect(t.now(10_080)).toBe(1_280);
    t.setPaused(false, 11_000); // playing again changes nothing
    expect(t.now(11_000)).toBe(2_200);
  });
});
