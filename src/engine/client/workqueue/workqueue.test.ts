import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { DelayingQueue } from './delayingQueue.ts';
import { Type, type GetResult } from './workqueue.ts';

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Steps on a queue: "+x" add, "get" (records the item or "shutdown"), "-x" done, "stop" shutDown. */
async function run(steps: string[]): Promise<{ got: string[]; len: number }> {
  const q = new Type<string>();
  const got: string[] = [];
  for (const step of steps) {
    if (step.startsWith('+')) q.add(step.slice(1));
    else if (step.startsWith('-')) q.done(step.slice(1));
    else if (step === 'stop') q.shutDown();
    else {
      const r = await q.get();
      got.push(r.shutdown ? 'shutdown' : r.item);
    }
  }
  return { got, len: q.len() };
}

describe('workqueue.Type', () => {
  it.each<[string, string[], string[], number]>([
    ['hands items out in the order they were added', ['+a', '+b', '+c', 'get', 'get', 'get'], ['a', 'b', 'c'], 0],
    ['dedupes items not yet handed out', ['+a', '+b', '+a', '+a', 'get', 'get'], ['a', 'b'], 0],
    ['does not hand out an item being processed; re-queues it on done', ['+a', 'get', '+a', '+b', 'get', '-a', 'get'], ['a', 'b', 'a'], 0],
    ['an item added many times while processing is queued once', ['+a', 'get', '+a', '+a', '-a'], ['a'], 1],
    ['done without a re-add does not queue', ['+a', 'get', '-a'], ['a'], 0],
    ['after shutdown, ignores adds and drains what is queued, then says shutdown', ['+a', '+b', 'stop', '+c', 'get', 'get', 'get', 'get'], ['a', 'b', 'shutdown', 'shutdown'], 0],
  ])('%s', async (_name, steps, got, len) => {
    expect(await run(steps)).toEqual({ got, len });
  });

  it('get waits for an add; shutDown wakes every waiter', async () => {
    const q = new Type<string>();
    const results: Array<GetResult<string>> = [];
    void q.get().then((r) => results.push(r));
    void q.get().then((r) => results.push(r));
    void q.get().then((r) => results.push(r));
    await flush();
    expect(results).toEqual([]);
    q.add('a');
    await flush();
    expect(results).toEqual([{ item: 'a', shutdown: false }]);
    q.shutDown();
    await flush();
    expect(results.slice(1)).toEqual([{ shutdown: true }, { shutdown: true }]);
    expect(q.shuttingDown()).toBe(true);
  });

  it('shutDownWithDrain resolves once every handed-out item is done', async () => {
    const q = new Type<string>();
    q.add('a');
    q.add('b');
    await q.get();
    await q.get();
    let drained = false;
    void q.shutDownWithDrain().then(() => (drained = true));
    q.done('a');
    await flush();
    expect(drained).toBe(false);
    q.done('b');
    await flush();
    expect(drained).toBe(true);
  });
});

describe('DelayingQueue', () => {
  it.each<[string, Array<[string, number]>, Array<[number, string[]]>]>([
    ['adds after the delay on the clock', [['a', 100], ['b', 50]], [[49, []], [50, ['b']], [100, ['b', 'a']]]],
    ['a delay ≤ 0 adds at once', [['a', 0], ['b', -5]], [[0, ['a', 'b']]]],
    ['a second addAfter keeps the earlier time', [['a', 100], ['a', 30], ['a', 500]], [[30, ['a']], [600, ['a']]]],
    ['the same due time keeps scheduling order', [['b', 10], ['a', 10]], [[10, ['b', 'a']]]],
  ])('%s', async (_name, adds, checks) => {
    const clock = new Clock();
    const start = clock.now();
    const q = new DelayingQueue<string>(clock);
    for (const [item, ms] of adds) q.addAfter(item, ms);
    const got: string[] = [];
    for (const [at, expected] of checks) {
      clock.advance(start + at - clock.now());
      while (q.len() > 0) {
        const r = await q.get();
        if (!r.shutdown) {
          got.push(r.item);
          q.done(r.item);
        }
      }
      expect(got).toEqual(expected);
    }
  });

  it('shutDown cancels waiting items', () => {
    const clock = new Clock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter('a', 100);
    q.shutDown();
    expect(clock.state.pending).toBe(0);
    q.addAfter('b', 10);
    clock.advance(200);
    expect(q.len()).toBe(0);
  });
});
