import { describe, expect, it } from 'vitest';
import { CidrSet, ERR_NO_CIDRS_REMAINING } from './cidrSet.ts';

describe('CidrSet', () => {
  it.each<[string, string, number, string[]]>([
    ['a /16 in /24s, from the start', '10.244.0.0/16', 24, ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']],
    ['host bits of the cluster CIDR ignored', '10.244.7.9/16', 24, ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']],
    ['/26 blocks', '192.168.0.0/24', 26, ['192.168.0.0/26', '192.168.0.64/26', '192.168.0.128/26', '192.168.0.192/26']],
  ])('allocateNext: %s', (_, cluster, mask, want) => {
    const set = new CidrSet(cluster, mask);
    expect(want.map(() => set.allocateNext())).toEqual(want);
  });

  it('skips occupied blocks, runs out, and hands a released block out again once the cursor comes round', () => {
    const set = new CidrSet('10.244.0.0/22', 24);
    set.occupy('10.244.0.0/24');
    set.occupy('10.244.2.0/24');
    expect([set.allocateNext(), set.allocateNext()]).toEqual(['10.244.1.0/24', '10.244.3.0/24']);
    expect(() => set.allocateNext()).toThrow(ERR_NO_CIDRS_REMAINING);
    set.release('10.244.2.0/24');
    set.release('10.244.0.0/24');
    // The cursor is past 10.244.3.0: it wraps to 10.244.0.0 before 10.244.2.0.
    expect([set.allocateNext(), set.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.2.0/24']);
  });

  it('occupies every block a wider CIDR covers, and the block a narrower one lies in', () => {
    const set = new CidrSet('10.0.0.0/8', 12);
    set.occupy('10.96.0.0/12');
    set.occupy('10.0.5.0/24');
    expect(set.allocateNext()).toBe('10.16.0.0/12');
    const small = new CidrSet('10.244.0.0/22', 24);
    small.occupy('10.244.0.0/23');
    expect(small.allocateNext()).toBe('10.244.2.0/24');
  });

  it.each([
    ['a CIDR outside the cluster CIDR', '10.245.0.0/24', 'cidr 10.245.0.0/24 is out the range of cluster cidr 10.244.0.0/16'],
    ['no CIDR at all', '10.244.0.0', 'invalid CIDR address: 10.244.0.0'],
  ])('refuses %s', (_, cidr, message) => {
    expect(() => new CidrSet('10.244.0.0/16', 24).occupy(cidr)).toThrow(message);
  });
});
