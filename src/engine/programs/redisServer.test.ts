import { describe, expect, it } from 'vitest';
import { SIGTERM } from '../kernel/process/signal.ts';
import { bootHost, runContainer } from './testing.ts';

describe('redis-server', () => {
  it('prints the start lines, holds memory, and shuts down on SIGTERM saving dump.rdb', () => {
    const host = bootHost();
    host.vfsFor(host.init).mkdir('/data');
    const ctr = runContainer(host, ['redis-server']);
    host.vfsFor(ctr.process).chdir('/data');
    const lines = ctr.stdio.out.split('\n');
    expect(lines[0]).toMatch(/^1:C 01 Jan 2026 00:00:00\.000 # WARNING Memory overcommit must be enabled!/);
    expect(lines.slice(1)).toEqual([
      '1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      '1:C 01 Jan 2026 00:00:00.000 * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started',
      '1:C 01 Jan 2026 00:00:00.000 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      '1:M 01 Jan 2026 00:00:00.000 * monotonic clock: POSIX clock_gettime',
      '1:M 01 Jan 2026 00:00:00.000 * Running mode=standalone, port=6379.',
      '1:M 01 Jan 2026 00:00:00.000 * Server initialized',
      '1:M 01 Jan 2026 00:00:00.000 * Ready to accept connections tcp',
      '',
    ]);
    expect(ctr.process.rssKb).toBeGreaterThan(10_000);
    host.clock.advance(10_050);
    ctr.stdio.out = '';
    host.table.kill(host.init, ctr.process.hostPid, SIGTERM);
    host.clock.advance(100);
    expect(ctr.stdio.out).toBe(
      '1:signal-handler (1767225610) Received SIGTERM scheduling shutdown...\n' +
        '1:M 01 Jan 2026 00:00:10.100 * User requested shutdown...\n' +
        '1:M 01 Jan 2026 00:00:10.100 * Saving the final RDB snapshot before exiting.\n' +
        '1:M 01 Jan 2026 00:00:10.100 * DB saved on disk\n' +
        '1:M 01 Jan 2026 00:00:10.100 # Redis is now ready to exit, bye bye...\n',
    );
    expect(ctr.process.exitStatus).toBe(0);
    expect(host.vfsFor(host.init).readFile('/data/dump.rdb')).toMatch(/^REDIS0012/);
  });
});
