import { describe, expect, it } from 'vitest';
import { major, makedev, minor } from './makedev.ts';

describe('makedev', () => {
  it.each([
    [1, 3, 0x103],
    [252, 1, 0xfc01],
    [0, 0, 0],
    [0, 300, 0x10002c],
  ])('(%i, %i) is %i and splits back', (maj, min, dev) => {
    expect(makedev(maj, min)).toBe(dev);
    expect([major(dev), minor(dev)]).toEqual([maj, min]);
  });
});
