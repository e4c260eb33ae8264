import { describe, expect, it } from 'vitest';
import { NULL_STDIO } from '../../../kernel/process/stdio.ts';
import { Devpts } from '../../../kernel/tty/devpts.ts';
import { bootShellHost, runIn } from '../../../shell/host/testing.ts';
import { formatTime, smartUlltoa4, terminalWidthOf } from './ps.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A host with busybox at /opt/busybox, a `sleep 100` started 75 s ago (pid 26, the shell's child) and `script` run after it. */
async function run(script: string) {
  const { clock, shell, host } = bootShellHost();
  host.installProgram('/opt/busybox', 'busybox');
  return runIn(shell.openSession({ id: '1', tty: false }), clock, `sleep 100 & sleep 75; ${script}`, tick);
}

const USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ps [-o COL1,COL2=HEADER] [-T]

Show list of processes

\t-o COL1,COL2=HEADER\tSelect columns for display
\t-T\t\t\tShow threads
`;

describe('busybox ps', () => {
  it.each([
    // The default table: pid,user,time,args; a kernel thread is [comm]; ps itself is the last.
    ['/opt/busybox ps | head -3', 'PID   USER     TIME  COMMAND\n    1 root      0:00 /sbin/init\n    2 root      0:00 [kthreadd]\n', '', 0],
    ['/opt/busybox ps | sed -n 26,28p', '   25 root      0:00 bash\n   26 root      0:00 sleep 100\n   28 root      0:00 /opt/busybox ps\n', '', 0],
    // BSD words and POSIX letters are accepted and change nothing.
    ['/opt/busybox ps aux -ef -A | sed -n 28p', '   28 root      0:00 /opt/busybox ps aux -ef -A\n', '', 0],
    [
      '/opt/busybox ps -o pid,ppid,pgid,sid,comm,stat,vsz,rss,tty,etime,nice,group,user,ruser,rgroup,time | sed -n "1p;27p"',
      'PID   PPID  PGID  SID   COMMAND          STAT VSZ  RSS  TT     ELAPSED NI    GROUP    USER     RUSER    RGROUP   TIME\n' +
        '   26    25    25    25 sleep            R     132    0 ?       1:15       0 root     root     root     root      0:00\n',
      '',
      0,
    ],
    // args is 2048 wide: columns after it no longer fit and are dropped.
    ['/opt/busybox ps -o args,pid | head -2', 'COMMAND\n/sbin/init\n', '', 0],
    // Only the last name of a list takes =HEADER, and everything after the '=' is the header.
    ['/opt/busybox ps -o pid=ID,args= | sed -n "1p;27p"', 'ID,args=\n      26\n', '', 0],
    ['/opt/busybox ps -o pid= -o comm= | sed -n 26p', '   26 sleep\n', '', 0],
    ['/opt/busybox ps -o pid= | head -1', '    1\n', '', 0],
    // A process whose comm is not its argv[0] shows {comm} before its command line.
    [
      "bash -c 'echo renamed > /proc/$$/comm; sleep 5' & sleep 1; /opt/busybox ps -o pid,comm,args | sed -n '/^ *[0-9]* renamed/p'",
      '   28 renamed          {renamed} bash -c echo renamed > /proc/$$/comm; sleep 5\n',
      '',
      0,
    ],
    ['/opt/busybox ps -x', '', `ps: invalid option -- 'x'\n${USAGE}`, 1],
    ['/opt/busybox ps -o', '', `ps: option requires an argument -- 'o'\n${USAGE}`, 1],
    ['/opt/busybox ps -o pid,cmd', '', "ps: bad -o argument 'cmd', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss\n", 1],
  ])('%s', async (script, stdout, stderr, status) => {
    expect(await run(script)).toEqual({ stdout, stderr, status });
  });

  it.each([
    [0, ' 0:00'],
    [75, ' 1:15'],
    [3599, '59:59'],
    [3600, ' 1h00'],
    [86399, '23h59'],
    [86400 * 3 + 3600 * 5, ' 3d05'],
    [86400 * 100, ' 100d'],
  ])('TIME of %i seconds is %j', (seconds, text) => {
    expect(formatTime(seconds)).toBe(text);
  });

  it.each([
    [0, '   0'],
    [132, ' 132'],
    [9999, '9999'],
    [10000, '9.7m'],
    [12345, ' 12m'],
    [1_572_864, '1.5g'],
  ])('a size of %i KiB is %j', (kb, text) => {
    expect(smartUlltoa4(kb)).toBe(text);
  });

  it('cuts lines one short of a terminal’s width ($COLUMNS first, 80 when unknown), and not in a pipe', () => {
    const { host } = bootShellHost();
    const pty = new Devpts(host.table).openpt();
    const none = new Map<string, string>();
    expect(terminalWidthOf(pty.slave, none)).toBe(79);
    pty.resize(40, 24);
    expect([terminalWidthOf(pty.slave, none), terminalWidthOf(pty.slave, new Map([['COLUMNS', '100']]))]).toEqual([39, 99]);
    expect([terminalWidthOf({ ...pty.slave, stdout: NULL_STDIO.stdout }, none), terminalWidthOf(NULL_STDIO, none), terminalWidthOf(undefined, none)]).toEqual([2048, 2048, 2048]);
  });
});
