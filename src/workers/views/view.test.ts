import { afterEach, describe, expect, it } from 'vitest';
import { createEngineApi, type WorkerHost } from '../engineApi.ts';
import { VIEWS } from './index.ts';
import { defineView, type AnyViewProvider, type ViewUpdate } from './view.ts';

/** A host whose frames run when the test says. */
function setup() {
  const frames: Array<() => void> = [];
  const host: WorkerHost = { now: () => 0, setTimer: () => () => {}, onNextFrame: (fn) => frames.push(fn) };
  const api = createEngineApi(host, { seed: 3, startTime: 1_000_000 });
  const frame = () => {
    for (const fn of frames.splice(0)) fn();
  };
  return { api, frame };
}

const registry = VIEWS as Record<string, AnyViewProvider>;
afterEach(() => {
  delete registry['test-time'];
  delete registry['test-second'];
});

describe('watchView', () => {
  it('posts the value at once, then only when it changes, and stops after unwatch', () => {
    let computed = 0;
    registry['test-second'] = defineView({
      parse: (args: unknown) => {
        if (typeof args !== 'number') throw new TypeError('test-second: expected a number');
        return args;
      },
      compute: (lab, every: number) => {
        computed++;
        return { tick: Math.floor(lab.clock.now() / every) };
      },
    });
    const { api, frame } = setup();
    const updates: Array<ViewUpdate<unknown>> = [];
    const id = api.watchView('test-second' as never, 1000 as never, (u) => updates.push(u));
    expect(updates).toEqual([{ value: { tick: 1000 } }]);
    api.advance(400);
    frame();
    expect(updates).toHaveLength(1); // recomputed, same value: not posted
    expect(computed).toBe(2);
    api.advance(700);
    frame();
    expect(updates).toEqual([{ value: { tick: 1000 } }, { value: { tick: 1001 } }]);
    api.unwatchView(id);
    api.advance(5000);
    frame();
    expect(updates).toHaveLength(2);
    expect(() => api.unwatchView(id)).toThrow(`unwatchView: no watch "${id}"`);
  });

  it('skips computing while the version is unchanged', () => {
    let computed = 0;
    registry['test-time'] = defineView({
      parse: () => undefined,
      version: (lab) => Math.floor(lab.clock.now() / 10_000),
      compute: (lab) => {
        computed++;
        return lab.clock.now();
      },
    });
    const { api, frame } = setup();
    const updates: Array<ViewUpdate<unknown>> = [];
    api.watchView('test-time' as never, undefined as never, (u) => updates.push(u));
    api.advance(1000);
    frame();
    expect(computed).toBe(1);
    api.advance(10_000);
    frame();
    expect(computed).toBe(2);
    expect(updates).toEqual([{ value: 1_000_000 }, { value: 1_011_000 }]);
  });

  it('refuses unknown views and bad arguments, and reports a failing view as an error update', () => {
    registry['test-second'] = defineView({
      parse: (args: unknown) => {
        if (typeof args !== 'number') throw new TypeError('test-second: expected a number');
        return args;
      },
      compute: () => {
        throw new Error('boom');
      },
    });
    const { api } = setup();
    expect(() => api.watchView('nope' as never, undefined as never, () => {})).toThrow(/watchView: no view named "nope"/);
    expect(() => api.watchView('test-second' as never, 'x' as never, () => {})).toThrow('test-second: expected a number');
    const updates: Array<ViewUpdate<unknown>> = [];
    api.watchView('test-second' as never, 5 as never, (u) => updates.push(u));
    expect(updates).toEqual([{ error: 'boom' }]);
  });
});
