import { describe, expect, it } from 'vitest';
import { UPTIME_HELP } from './helpTexts.ts';
import { goldenCases, hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';
import { uptime } from './uptime.ts';

// procps-ng 4.0.2's uptime at the instant of the snapshot (the lab's clock stands at that instant).
describe('uptime against procps-ng on the same /proc', () => {
  it.each(goldenCases('uptime'))('%s', async (line, g) => {
    const result = await runOnHost(uptime, line, hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: g.status, stdout: g.stdout, stderr: g.stderr });
  });
});

describe('uptime', () => {
  it.each([
    ['59.5 0', ' 00:33:08 up 0 min,  0 user,  load average: 0.00, 0.00, 0.00\n', 'up 0 minutes\n'],
    ['90061 0', ' 00:33:08 up 1 day,  1:01,  0 user,  load average: 0.00, 0.00, 0.00\n', 'up 1 day, 1 hour, 1 minute\n'],
    ['1300000 0', ' 00:33:08 up 15 days,  1:06,  0 user,  load average: 0.00, 0.00, 0.00\n', 'up 2 weeks, 1 day, 1 hour, 6 minutes\n'],
  ])('up %s', async (up, line, pretty) => {
    const host = hostFileSystem(HOST, { self: SELF, files: { '/proc/uptime': `${up}\n`, '/proc/loadavg': '0.00 0.00 0.00 1/80 123\n' } });
    expect((await runOnHost(uptime, 'uptime', host)).stdout).toBe(line);
    expect((await runOnHost(uptime, 'uptime --pretty', host)).stdout).toBe(pretty);
  });

  it('prints its usage for an unknown option', async () => {
    expect(await runOnHost(uptime, 'uptime -x', hostFileSystem(HOST, { self: SELF }))).toEqual({ status: 1, stdout: '', stderr: `uptime: invalid option -- 'x'\n${UPTIME_HELP}` });
  });
});
