import { describe, expect, it } from 'vitest';
import { goQuote, Klog, klogHeader, klogStructured } from './klog.ts';

const T = Date.UTC(2026, 2, 20, 14, 32, 47, 7);

describe('klog', () => {
  it('writes the header as klog does: severity, mmdd, time in µs, a 7-wide thread id, file:line', () => {
    expect(klogHeader('I', T, 1, 'server.go:698')).toBe('I0320 14:32:47.007000       1 server.go:698] ');
    expect(klogHeader('E', T, 12292, 'run.go:72')).toBe('E0320 14:32:47.007000   12292 run.go:72] ');
  });

  it.each([
    ['Using iptables proxy', {}, '"Using iptables proxy"'],
    ['Successfully retrieved node IP(s)', { IPs: ['172.18.0.3'] }, '"Successfully retrieved node IP(s)" IPs=["172.18.0.3"]'],
    ['Golang settings', { GOGC: '', GOMAXPROCS: '' }, '"Golang settings" GOGC="" GOMAXPROCS=""'],
    ['Reloading', { numServices: 3, ok: true }, '"Reloading" numServices=3 ok=true'],
    ['Failed', { err: 'nodes "a" not found' }, '"Failed" err="nodes \\"a\\" not found"'],
    ['Restoring', { rules: 'a\nb\n' }, '"Restoring" rules=<\n\ta\n\tb\n >'],
  ])('formats %s', (msg, pairs, text) => {
    expect(klogStructured(msg, pairs)).toBe(text);
  });

  it('quotes as strconv.Quote', () => {
    expect(goQuote('a\tb"\\\u0001')).toBe('"a\\tb\\"\\\\\\x01"');
  });

  it('prints V(n) lines only at --v=n and puts err first in ErrorS', () => {
    let out = '';
    const log = new Klog({ write: (l) => (out += l), now: () => T, threadId: 1, verbosity: 2 });
    log.vInfoS(2, 'a.go:1', 'shown');
    log.vInfoS(4, 'a.go:2', 'hidden');
    log.errorS('b.go:3', 'boom', 'Failed', { table: 'nat' });
    log.infof('c.go:4', 'Waiting for caches to sync for service config');
    expect(out).toBe(
      'I0320 14:32:47.007000       1 a.go:1] "shown"\n' +
        'E0320 14:32:47.007000       1 b.go:3] "Failed" err="boom" table="nat"\n' +
        'I0320 14:32:47.007000       1 c.go:4] Waiting for caches to sync for service config\n',
    );
  });
});
