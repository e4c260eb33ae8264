import { describe, expect, it } from 'vitest';
import { FIXED_1, LoadAvg, calcLoad } from './loadavg.ts';

describe('loadavg', () => {
  it('calc_load rounds up while rising, as the kernel does', () => {
    expect(calcLoad(0, 1884, FIXED_1)).toBe(164);
    expect(calcLoad(FIXED_1, 1884, 0)).toBe(1884);
  });

  it.each([
    [12, '0.63 0.18 0.06'],
    [60, '1.00 0.64 0.29'],
  ])('one busy task for %d samples prints %s', (samples, text) => {
    const l = new LoadAvg();
    for (let i = 0; i < samples; i++) l.sample(1);
    expect(l.format()).toBe(text);
  });

  it('prints the /proc/loadavg line', () => {
    expect(new LoadAvg().procLoadavg(1, 87, 4242)).toBe('0.00 0.00 0.00 1/87 4242\n');
  });
});
