import { describe, expect, it } from 'vitest';
import { Clock, DEFAULT_EPOCH } from './clock.ts';
import { SeededRng } from './seededRng.ts';

function recorder(clock: Clock) {
  const log: string[] = [];
  const at = (name: string) => () => log.push(`${name}@${clock.now() - DEFAULT_EPOCH}`);
  return { log, at };
}

describe('Clock', () => {
  it('starts paused at the fixed epoch unless told otherwise', () => {
    expect(new Clock().state).toEqual({ now: DEFAULT_EPOCH, paused: true, speed: 1, pending: 0 });
    expect(new Clock({ startTime: 5, paused: false }).state).toMatchObject({ now: 5, paused: false });
  });

  it('runs timers in due-time order, ties in scheduling order', () => {
    const clock = new Clock();
    const { log, at } = recorder(clock);
    clock.after(30, at('c'));
    clock.after(10, at('a1'));
    clock.after(20, at('b'));
    clock.after(10, at('a2'));
    clock.after(10, at('a3'));
    clock.advance(100);
    expect(log).toEqual(['a1@10', 'a2@10', 'a3@10', 'b@20', 'c@30']);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 100);
  });

  it('runs a timer scheduled for "now" by a callback in the same advance, after those already due', () => {
    const clock = new Clock();
    const { log, at } = recorder(clock);
    clock.after(5, () => {
      log.push('first');
      clock.after(0, at('scheduled-by-first'));
    });
    clock.after(5, at('second'));
    clock.advance(5);
    expect(log).toEqual(['first', 'second@5', 'scheduled-by-first@5']);
  });

  it('never runs a cancelled timer, and cancel is idempotent', () => {
    const clock = new Clock();
    const { log, at } = recorder(clock);
    const t = clock.after(10, at('cancelled'));
    clock.after(20, at('kept'));
    expect(clock.state.pending).toBe(2);
    t.cancel();
    t.cancel();
    expect(t.cancelled).toBe(true);
    expect(clock.state.pending).toBe(1);
    clock.advance(50);
    expect(log).toEqual(['kept@20']);
    expect(clock.state.pending).toBe(0);
  });

  it('repeats `every` timers until cancelled, even from inside their own callback', () => {
    const clock = new Clock();
    const { log } = recorder(clock);
    let n = 0;
    const t = clock.every(10, () => {
      log.push(`tick${++n}@${clock.now() - DEFAULT_EPOCH}`);
      if (n === 3) t.cancel();
    });
    clock.advance(100);
    expect(log).toEqual(['tick1@10', 'tick2@20', 'tick3@30']);
    expect(clock.state.pending).toBe(0);
  });

  it('step() runs exactly the next timer and jumps time to it', () => {
    const clock = new Clock();
    const { log, at } = recorder(clock);
    clock.after(1000, at('a'));
    clock.after(5000, at('b'));
    expect(clock.step()).toBe(true);
    expect(log).toEqual(['a@1000']);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 1000);
    expect(clock.step()).toBe(true);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 5000);
    expect(clock.step()).toBe(false);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 5000);
  });

  it('advance(ms) lands exactly ms later and leaves later timers queued', () => {
    const clock = new Clock();
    const { log, at } = recorder(clock);
    clock.after(10, at('in'));
    clock.after(11, at('out'));
    clock.advance(10);
    expect(log).toEqual(['in@10']);
    expect(clock.nextDueAt()).toBe(DEFAULT_EPOCH + 11);
  });

  it('runUntil steps until the predicate holds, or stops at maxMs', () => {
    const clock = new Clock();
    let count = 0;
    clock.every(100, () => count++);
    expect(clock.runUntil(() => count === 3, 10_000)).toBe(true);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 300);
    expect(clock.runUntil(() => count === 1000, 250)).toBe(false);
    expect(clock.now()).toBe(DEFAULT_EPOCH + 550);
    expect(count).toBe(5);
  });

  it('runUntil returns at once when the predicate already holds', () => {
    const clock = new Clock();
    expect(clock.runUntil(() => true, 1000)).toBe(true);
    expect(clock.now()).toBe(DEFAULT_EPOCH);
  });

  it('refuses to advance from inside a timer callback', () => {
    const clock = new Clock();
    clock.after(1, () => clock.advance(1));
    expect(() => clock.advance(5)).toThrow(/inside a timer callback/);
  });

  it.each([[-1], [NaN], [Infinity]])('rejects the delay %s', (ms) => {
    const clock = new Clock();
    expect(() => clock.after(ms, () => {})).toThrow(RangeError);
    expect(() => clock.advance(ms)).toThrow(RangeError);
  });

  describe('real-time mode', () => {
    it('does nothing while paused', () => {
      const clock = new Clock();
      expect(clock.advanceReal(1000)).toBe(0);
      expect(clock.now()).toBe(DEFAULT_EPOCH);
    });

    it.each([
      [0.25, 1000, 250],
      [1, 1000, 1000],
      [10, 1000, 10_000],
      [100, 20, 2000],
    ])('at %s× speed, %s wall ms move virtual time by %s ms', (speed, wall, virtual) => {
      const clock = new Clock();
      clock.setSpeed(speed);
      clock.play();
      expect(clock.advanceReal(wall)).toBe(virtual);
      expect(clock.now()).toBe(DEFAULT_EPOCH + virtual);
    });

    it('keeps sub-millisecond remainders so slow speeds do not stall', () => {
      const clock = new Clock({ paused: false });
      clock.setSpeed(0.25);
      for (let i = 0; i < 8; i++) clock.advanceReal(1);
      expect(clock.now()).toBe(DEFAULT_EPOCH + 2);
    });

    it.each([[0.1], [101], [NaN]])('rejects speed %s', (speed) => {
      expect(() => new Clock().setSpeed(speed)).toThrow(/between 0.25× and 100×/);
    });

    it('reports wall time until the next timer at the current speed', () => {
      const clock = new Clock({ paused: false });
      expect(clock.wallMsUntilNext()).toBe(Infinity);
      clock.after(2000, () => {});
      clock.setSpeed(100);
      expect(clock.wallMsUntilNext()).toBe(20);
      clock.pause();
      expect(clock.wallMsUntilNext()).toBe(Infinity);
    });

    it('fires onDidChangeState for play, pause, speed and advances', () => {
      const clock = new Clock();
      const seen: string[] = [];
      clock.onDidChangeState((s) => seen.push(`${s.paused ? 'paused' : 'playing'} ${s.speed}x +${s.now - DEFAULT_EPOCH}`));
      clock.play();
      clock.setSpeed(2);
      clock.advanceReal(10);
      clock.pause();
      clock.pause();
      expect(seen).toEqual(['playing 1x +0', 'playing 2x +0', 'playing 2x +20', 'paused 2x +20']);
    });
  });

  it('travels to another time, each queued timer keeping the delay it had left', () => {
    const clock = new Clock();
    const seen: number[] = [];
    clock.after(1000, () => seen.push(clock.now() - DEFAULT_EPOCH));
    clock.every(300, () => seen.push(clock.now() - DEFAULT_EPOCH));
    clock.advance(400);
    expect(seen).toEqual([300]);
    clock.travel(DEFAULT_EPOCH - 10_000);
    expect(clock.now()).toBe(DEFAULT_EPOCH - 10_000);
    clock.advance(600);
    expect(seen).toEqual([300, -10_000 + 200, -10_000 + 500, -10_000 + 600]);
    expect(() => clock.travel(Number.NaN)).toThrow('Clock.travel: time must be a finite number, got NaN');
  });

  it('gives the same trace for the same seed and inputs, and a different one for another seed', () => {
    function simulate(seed: number): string[] {
      const clock = new Clock();
      const rng = new SeededRng(seed);
      const trace: string[] = [];
      // A toy cluster: 5 actors that each reschedule themselves after a random delay and occasionally spawn work.
      for (let actor = 0; actor < 5; actor++) {
        const actorRng = rng.fork(`actor-${actor}`);
        const loop = () => {
          trace.push(`${clock.now() - DEFAULT_EPOCH} actor-${actor} ${actorRng.string('bcdfghjklmnpqrstvwxz2456789', 5)}`);
          if (actorRng.next() < 0.3) clock.after(0, () => trace.push(`${clock.now() - DEFAULT_EPOCH} spawned-by-${actor}`));
          clock.after(actorRng.int(1000), loop);
        };
        clock.after(actorRng.int(100), loop);
      }
      clock.advance(20_000);
      return trace;
    }
    const a = simulate(42);
    expect(a.length).toBeGreaterThan(100);
    expect(simulate(42)).toEqual(a);
    expect(simulate(43)).not.toEqual(a);
  });
});
