import { describe, expect, it } from 'vitest';
import { Clock, DEFAULT_EPOCH } from './clock.ts';
import { RealTimeDriver, type WallHost } from './realTimeDriver.ts';

function fakeWall() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const host: WallHost = {
    now: () => now,
    setTimer(fn, ms) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => (t.live = false);
    },
  };
  return {
    host,
    pending: () => timers.filter((t) => t.live).length,
    pass(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        due.live = false;
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

describe('RealTimeDriver', () => {
  it('moves virtual time with wall time × speed while playing', () => {
    const wall = fakeWall();
    const clock = new Clock({ paused: false });
    new RealTimeDriver(clock, wall.host, () => {}, 10);
    wall.pass(1000);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 1000);
    clock.setSpeed(10);
    wall.pass(1000);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 11_000);
  });

  it('wakes when the next timer is due if that is sooner than a tick', () => {
    const wall = fakeWall();
    const clock = new Clock({ paused: false });
    let ranAt: number | undefined;
    clock.after(5, () => (ranAt = clock.now()));
    new RealTimeDriver(clock, wall.host, () => {}, 1000);
    wall.pass(5);
    expect(ranAt).toBe(DEFAULT_EPOCH + 5);
  });

  it('picks up a timer scheduled between wakes at the next tick at the latest', () => {
    const wall = fakeWall();
    const clock = new Clock({ paused: false });
    new RealTimeDriver(clock, wall.host, () => {}, 16);
    wall.pass(16);
    let ranAt: number | undefined;
    clock.after(1, () => (ranAt = clock.now()));
    wall.pass(15);
    expect(ranAt).toBeUndefined();
    wall.pass(1);
    // It runs at its own virtual due time, even though the wake came later.
    expect(ranAt).toBe(DEFAULT_EPOCH + 17);
  });

  it('sleeps while paused and resumes from the moment of play', () => {
    const wall = fakeWall();
    const clock = new Clock({ paused: false });
    new RealTimeDriver(clock, wall.host, () => {}, 16);
    wall.pass(100);
    clock.pause();
    wall.pass(50);
    expect(wall.pending()).toBe(0);
    wall.pass(10_000);
    // Ticks came every 16 wall ms; the pause at 100 froze the clock at the last tick, 96.
    expect(clock.now()).toBe(DEFAULT_EPOCH + 96);
    const frozen = clock.now();
    clock.play();
    wall.pass(208);
    expect(clock.now()).toBe(frozen + 208);
  });

  it('stops and reports when a timer callback throws', () => {
    const wall = fakeWall();
    const clock = new Clock({ paused: false });
    const errors: unknown[] = [];
    const driver = new RealTimeDriver(clock, wall.host, (e) => errors.push(e));
    clock.after(10, () => {
      throw new Error('controller bug');
    });
    wall.pass(100);
    expect(String(errors[0])).toContain('controller bug');
    expect(driver.failure).toBeDefined();
    expect(wall.pending()).toBe(0);
  });

  it('stops ticking when disposed', () => {
    const wall = fakeWall();
    const clock = new Clock({ paused: false });
    const driver = new RealTimeDriver(clock, wall.host, () => {});
    driver.dispose();
    wall.pass(1000);
    expect(clock.now()).toBe(DEFAULT_EPOCH);
  });

  it('keeps one wake-up when the clock changes state during a tick, and none after dispose', () => {
    const wall = fakeWall();
    const clock = new Clock({ paused: false });
    // A timer that changes the clock's state while the driver is advancing it.
    clock.after(5, () => clock.setSpeed(2));
    const driver = new RealTimeDriver(clock, wall.host, () => {}, 10);
    wall.pass(20);
    expect(wall.pending()).toBe(1);
    driver.dispose();
    expect(wall.pending()).toBe(0);
  });
});
