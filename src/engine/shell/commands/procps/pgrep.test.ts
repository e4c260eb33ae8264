import { describe, expect, it } from 'vitest';
import { PGREP_USAGE } from './helpTexts.ts';
import { pgrep, pidof } from './pgrep.ts';
import { goldenCases, hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';

// procps-ng 4.0.2's pgrep on the same processes (narrowed there with -s to the fixture's session).
describe('pgrep against procps-ng on the same /proc', () => {
  it.each(goldenCases('pgrep'))('%s', async (line, g) => {
    const result = await runOnHost(pgrep, line, hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: g.status, stdout: g.stdout, stderr: g.stderr });
  });
});

describe('pgrep', () => {
  it.each([
    ['pgrep', 2, '', "pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n"],
    ['pgrep -u nosuch sleep', 2, '', 'pgrep: invalid user name: nosuch\n'],
    ['pgrep -Z sleep', 2, '', `pgrep: invalid option -- 'Z'\n${PGREP_USAGE}`],
    ['pgrep -n -o sleep', 2, '', PGREP_USAGE],
    ['pgrep -c sleep', 0, '8\n', ''],
    ['pgrep -d , -P 25686', 0, '25694\n', ''],
    ['pgrep -l -t pts/0', 0, '25691 sleep\n', ''],
    ['pgrep -v -l -s 0 .', 0, '25683 sleep\n25684 sleep\n25685 sleep\n25686 sleep\n25687 sleep\n25688 sleep\n25689 python3\n25690 script\n25691 sleep\n25692 bash\n25694 sleep\n', ''],
  ])('%s', async (line, status, stdout, stderr) => {
    expect(await runOnHost(pgrep, line, hostFileSystem(HOST, { self: SELF }))).toEqual({ status, stdout, stderr });
  });

  it('never lists itself', async () => {
    const result = await runOnHost(pgrep, 'pgrep tree', hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: 1, stdout: '', stderr: '' });
  });
});

describe('pidof', () => {
  it.each([
    ['pidof sleep', 0, '25694 25691 25688 25687 25686 25685 25684 25683\n'],
    ['pidof -s sleep', 0, '25694\n'],
    ['pidof -d , script python3', 0, '25690,25689\n'],
    ['pidof kthreadd', 0, '2\n'],
    ['pidof -o 25694 -o 25691 -s sleep', 0, '25688\n'],
    ['pidof nosuch', 1, ''],
    ['pidof', 1, ''],
  ])('%s', async (line, status, stdout) => {
    expect(await runOnHost(pidof, line, hostFileSystem(HOST, { self: SELF }))).toEqual({ status, stdout, stderr: '' });
  });
});
