import { describe, expect, it } from 'vitest';
import { hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';
import { top } from './top.ts';

const SUMMARY = [
  'top - 00:33:08 up  5:36,  0 user,  load average: 1.15, 1.87, 2.85',
  'Tasks:   3 total,   0 running,   2 sleeping,   1 stopped,   0 zombie',
  '%Cpu(s): 45.0 us,  6.9 sy,  0.0 ni, 47.6 id,  0.1 wa,  0.0 hi,  0.0 si,  0.4 st ',
].join('\n');

// Layout as procps-ng 4.0.2's `top -b` prints it (80 columns when not told otherwise); the values are the
// fixture's (%Cpu(s) since boot from its /proc/stat, %CPU over each task's life on the first frame).
describe('top -b', () => {
  it('prints the summary and the default columns sorted by %CPU', async () => {
    const result = await runOnHost(top, 'top -b -n 1 -p 1,2,25692', hostFileSystem(HOST, { self: SELF }));
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3).join('\n')).toBe(SUMMARY);
    expect(lines[3]).toMatch(/^MiB Mem : {2}24105\.6 total, +[\d.]+ free, +[\d.]+ used, +[\d.]+ buff\/cache {5}$/);
    expect(lines[4]).toBe('MiB Swap:      0.0 total,      0.0 free,      0.0 used. ' + lines[4]!.slice(56, 64) + ' avail Mem ');
    expect(lines.slice(5)).toEqual([
      '',
      '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND',
      '25692 root      20   0    4360   3176   2908 T   2.4   0.0   0:02.89 bash',
      '    1 root      10 -10   42952  13696   6532 S   0.4   0.1   1:12.76 process_a+',
      '    2 root      20   0       0      0      0 S   0.0   0.0   0:00.01 kthreadd',
      '',
    ]);
    expect(result.status).toBe(0);
  });

  it.each([
    ['top -b -n 1 -p 2 -c', '    2 root      20   0       0      0      0 S   0.0   0.0   0:00.01 [kthreadd]'],
    ['top -b -n 1 -p 2 -w 60', '    2 root      20   0       0      0      0 S   0.0   0.0'],
    ['top -b -n 1 -p 25689 -o RES', '25689 root      20   0  164076  13580   6680 S   0.0   0.1   0:00.04 python3'],
  ])('%s', async (line, row) => {
    const result = await runOnHost(top, line, hostFileSystem(HOST, { self: SELF }));
    expect(result.stdout.split('\n').at(-2)).toBe(row);
  });

  it('measures %CPU over the interval between frames', async () => {
    const host = hostFileSystem(HOST, { self: SELF });
    const running = runOnHost(top, 'top -b -n 2 -d 1 -p 25692', host);
    const stat = HOST.files['/proc/25692/stat']!.replace(' 288 1 ', ' 338 1 ');
    host.fs.writeFile('/proc/25692/stat', stat);
    host.fs.writeFile('/proc/uptime', '20164.79 19071.31\n');
    host.clock.advance(1000);
    const result = await running;
    expect(result.stdout.split('\n').filter((l) => l.startsWith('25692'))).toEqual([
      '25692 root      20   0    4360   3176   2908 T   2.4   0.0   0:02.89 bash',
      '25692 root      20   0    4360   3176   2908 T  50.0   0.0   0:03.39 bash',
    ]);
  });

  it.each([
    ['top -b -n 1 -p abc', 1, "top: bad pid 'abc'\n"],
    ['top -b -n 1 -o BOGUS', 1, "top: unrecognized field name 'BOGUS'\n"],
    ['top -b -n 1 -u nosuch', 1, 'top: Invalid user\n'],
    ['top -x', 0, "top: invalid option -- 'x'\n"],
  ])('%s', async (line, status, stderr) => {
    expect(await runOnHost(top, line, hostFileSystem(HOST, { self: SELF }))).toEqual({ status, stdout: '', stderr });
  });
});
