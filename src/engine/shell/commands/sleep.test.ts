import { describe, expect, it } from 'vitest';
import { context } from './coreutils/testing.ts';
import { parseInterval, sleep } from './sleep.ts';

describe('sleep', () => {
  it.each([
    ['1', 1000],
    ['1.5m', 90_000],
    ['.5s', 500],
    ['2d', 172_800_000],
    ['inf', Infinity],
    ['infinity', Infinity],
    ['INFINITYs', Infinity],
    ['1x', undefined],
    ['infinite', undefined],
  ])('reads %s', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it('sleeps for ever on `infinity`, scheduling nothing, until interrupted (130)', async () => {
    const { ctx, interrupt, clock } = context(['sleep', 'infinity']);
    let status: number | undefined;
    void Promise.resolve(sleep(ctx)).then((s) => (status = s));
    await Promise.resolve();
    expect(clock.nextDueAt()).toBeUndefined();
    clock.advance(365 * 86_400_000);
    await Promise.resolve();
    expect(status).toBeUndefined();
    interrupt.fire();
    await new Promise((resolve) => setImmediate(resolve));
    expect(status).toBe(130);
  });
});
