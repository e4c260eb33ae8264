import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { Kmsg, timestamp } from './kmsg.ts';

describe('Kmsg', () => {
  it.each([
    [0, '[    0.000000]'],
    [4_567_890, '[    4.567890]'],
    [123_456_000_001, '[123456.000001]'],
  ])('stamps %i µs as %s', (usec, text) => {
    expect(timestamp(usec)).toBe(text);
  });

  it('stamps records with the time since boot and numbers them', () => {
    const clock = new Clock({ startTime: 1_000_000 });
    const kmsg = new Kmsg(clock, 1_000_000 - 2_000);
    kmsg.printk('info', 'first');
    clock.advance(1_500);
    kmsg.printk('err', 'second\nthird');
    expect(kmsg.devkmsg()).toBe('6,0,2000000,-;first\n3,1,3500000,-;second\n3,2,3500000,-;third\n');
    expect(kmsg.dmesg()).toBe('[    2.000000] first\n[    3.500000] second\n[    3.500000] third\n');
    expect(kmsg.syslog()).toBe('<6>[    2.000000] first\n<3>[    3.500000] second\n<3>[    3.500000] third\n');
  });

  it('never stamps a record later than now', () => {
    const clock = new Clock({ startTime: 5_000 });
    const kmsg = new Kmsg(clock, 5_000);
    kmsg.printk('info', 'boot line', 1_200_000);
    expect(kmsg.list()[0]!.usec).toBe(0);
  });

  it.each([
    ['hello', 12, 'hello'],
    ['<3>broken', 11, 'broken'],
    ['<30>daemon line', 30, 'daemon line'],
  ])('logs a /dev/kmsg write of %j with priority %i', (data, prio, text) => {
    const kmsg = new Kmsg(new Clock(), 0);
    kmsg.device().write(`${data}\n`);
    expect(kmsg.list()[0]).toMatchObject({ prio, text });
  });
});
