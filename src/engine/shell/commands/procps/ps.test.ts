import { describe, expect, it } from 'vitest';
import { ps } from './ps.ts';
import { goldenCases, hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';

// Expected outputs are procps-ng 4.0.2's on the machine the fixture was copied from, at the same instant.
describe('ps against procps-ng 4.0.2 on the same /proc', () => {
  it.each(goldenCases('ps'))('%s', async (line, g) => {
    const result = await runOnHost(ps, line, hostFileSystem(HOST, { self: SELF, files: g.files }));
    expect(result.stdout).toBe(g.stdout);
    expect(result.status).toBe(g.status);
  });
});

const USAGE_TAIL = "\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n";

describe('ps', () => {
  it.each([
    ['ps --bogus', 'unknown gnu long option'],
    ['ps -K', 'unsupported SysV option'],
    ['ps K', 'unsupported option (BSD syntax)'],
    ['ps -o bogus', 'unknown user-defined format specifier "bogus"'],
    ['ps -p abc', 'process ID list syntax error'],
    ['ps -u nosuchuser', 'user name does not exist'],
    ['ps --sort=bogus', 'unknown sort specifier'],
    ['ps -q', 'List of process IDs must follow -q.'],
    ['ps -y', 'modifier -y without format -l makes no sense'],
  ])('%s fails with procps’ words', async (line, message) => {
    const result = await runOnHost(ps, line, hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: 1, stdout: '', stderr: `error: ${message}\n${USAGE_TAIL}` });
  });

  it('shows the processes of the caller’s uid on the caller’s terminal', async () => {
    // The caller is the sleep on pts/0: only it shares that terminal.
    const result = await runOnHost(ps, 'ps', hostFileSystem(HOST, { self: 25691 }));
    expect(result.stdout).toBe('  PID TTY          TIME CMD\n25691 pts/0    00:00:00 sleep\n');
  });

  it('selects with BSD x the caller’s processes on any terminal, and renames headers with -o NAME=', async () => {
    const result = await runOnHost(ps, 'ps x -o pid=ID -o comm= -p 1', hostFileSystem(HOST, { self: 25687 }));
    expect(result.stdout).toBe('   ID \n    1 process_api\n25687 sleep\n');
  });

  it('cuts lines at $COLUMNS, as on a terminal', async () => {
    const result = await runOnHost(ps, 'ps -o pid,args -p 25689', hostFileSystem(HOST, { self: SELF }), { COLUMNS: '30' });
    expect(result.stdout).toBe('  PID COMMAND\n25689 /root/.pyenv/versions/3.\n');
  });

  it('prints the help on --help', async () => {
    const result = await runOnHost(ps, 'ps --help', hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: 0, stdout: USAGE_TAIL, stderr: '' });
  });
});
