import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { RateLimitingQueue } from './rateLimitingQueue.ts';
import { ItemExponentialFailureRateLimiter } from './rateLimiter.ts';
import { runWorkers } from './worker.ts';

async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

describe('RateLimitingQueue', () => {
  it('addRateLimited waits longer after each failure; forget starts over', () => {
    const clock = new Clock();
    const q = new RateLimitingQueue<string>(clock, { rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000) });
    const start = clock.now();
    const addedAt: number[] = [];
    for (let i = 0; i < 3; i++) {
      q.addRateLimited('a');
      clock.runUntil(() => q.len() > 0, 10_000);
      addedAt.push(clock.now() - start);
      void q.get();
      q.done('a');
    }
    expect(addedAt).toEqual([5, 15, 35]);
    expect(q.numRequeues('a')).toBe(3);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });
});

describe('runWorkers', () => {
  it('syncs each key, retries failures with backoff, never runs one key twice at once, stops at shutdown', async () => {
    const clock = new Clock();
    const q = new RateLimitingQueue<string>(clock);
    const log: string[] = [];
    const running = new Set<string>();
    let failuresLeft = 2;
    let readdA = true;
    const done = runWorkers(q, 3, async (key) => {
      if (running.has(key)) throw new Error(`concurrent sync of ${key}`);
      running.add(key);
      await Promise.resolve();
      if (key === 'a' && readdA) {
        readdA = false;
        q.add('a');
      }
      running.delete(key);
      if (key === 'b' && failuresLeft-- > 0) {
        log.push(`fail b@${clock.now() - start}`);
        throw new Error('not yet');
      }
      log.push(`sync ${key}@${clock.now() - start}`);
    }, { onError: (key, e) => log.push(`error ${key}: ${(e as Error).message}`) });
    const start = clock.now();
    q.add('a');
    q.add('b');
    await flush();
    clock.advance(5);
    await flush();
    clock.advance(10);
    await flush();
    q.shutDown();
    await done;
    expect(log).toEqual(['sync a@0', 'fail b@0', 'error b: not yet', 'sync a@0', 'fail b@5', 'error b: not yet', 'sync b@15']);
    expect(q.numRequeues('b')).toBe(0);
  });

  it('gives up on a key after maxRetries', async () => {
    const clock = new Clock();
    const q = new RateLimitingQueue<string>(clock);
    const dropped: string[] = [];
    let attempts = 0;
    const done = runWorkers(q, 1, () => {
      attempts++;
      throw new Error('always');
    }, { maxRetries: 2, onDrop: (key) => dropped.push(key) });
    q.add('k');
    for (let i = 0; i < 5; i++) {
      await flush();
      clock.advance(1_000);
    }
    q.shutDown();
    await done;
    expect(attempts).toBe(3);
    expect(dropped).toEqual(['k']);
  });
});
