import { describe, expect, it } from 'vitest';
import { bootShellHost, runIn } from '../../host/testing.ts';
import { waitStatusToShell } from '../../host/hostShell.ts';
import { hostname } from '../procps/hostname.ts';
import { kill } from './kill.ts';
import { bootNode } from './testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('kill (procps)', () => {
  it('kill -9 ends a sleeping process: its parent sees 137', async () => {
    const node = bootNode(tick);
    const parent = node.spawn();
    const sleeper = node.host.spawn(['sleep', '100'], { parent });
    let status: number | undefined;
    node.host.table.waitAsync(parent, sleeper.hostPid, 0, (result) => (status = waitStatusToShell(result.status)));
    expect(await node.run(kill, `kill -9 ${sleeper.hostPid}`)).toMatchObject({ status: 0, stderr: '' });
    expect(status).toBe(137);
  });

  it.each([
    ['kill 99999', '', 'kill: (99999): No such process\n', 1],
    ['/usr/bin/kill -s KILL 99999 99998', '', '/usr/bin/kill: (99999): No such process\n/usr/bin/kill: (99998): No such process\n', 1],
    ['kill abc', '', "kill: failed to parse argument: 'abc'\n", 1],
    ['kill -l 9', 'KILL\n', '', 0],
    ['kill -l SIGTERM', '15\n', '', 0],
    ['kill -l', 'HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\nCHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\n', '', 0],
  ])('%s', async (line, stdout, stderr, status) => {
    expect(await bootNode(tick).run(kill, line)).toMatchObject({ stdout, stderr, status });
  });

  it('-L prints the table, seven to a line', async () => {
    const { stdout } = await bootNode(tick).run(kill, 'kill -L');
    expect(stdout.split('\n')[0]).toBe(' 1 HUP      2 INT      3 QUIT     4 ILL      5 TRAP     6 ABRT     7 BUS     ');
    expect(stdout.endsWith('29 POLL    30 PWR     31 SYS     \n')).toBe(true);
  });

  it('an unprivileged user may not signal init', async () => {
    const node = bootNode(tick);
    expect((await node.run(kill, 'kill 1', { process: node.spawn({ uid: 1000 }) })).stderr).toBe('kill: (1): Operation not permitted\n');
  });
});

describe("bash's kill on a host", () => {
  it('signals any process by pid, and words a failure as bash does', async () => {
    const { clock, host, shell } = bootShellHost();
    const sleeper = host.spawn(['sleep', '100']);
    const result = await runIn(shell.openSession({ id: '1', tty: false }), clock, `kill -9 ${sleeper.hostPid}; kill 99999; sleep 1 & kill %1; wait %1; echo $?`, tick);
    expect(result.stderr).toBe('bash: line 1: kill: (99999) - No such process\n');
    expect(result.stdout).toBe('143\n');
    expect(sleeper.exitStatus !== undefined && waitStatusToShell(sleeper.exitStatus)).toBe(137);
  });
});

describe('hostname NAME', () => {
  it('sets the name in the caller\'s UTS namespace; a user may not', async () => {
    const node = bootNode(tick);
    expect(await node.run(hostname, 'hostname web-1')).toMatchObject({ status: 0, stderr: '' });
    expect(node.host.hostname).toBe('web-1');
    const user = await node.run(hostname, 'hostname evil', { process: node.spawn({ uid: 1000 }) });
    expect(user).toMatchObject({ status: 1, stderr: 'hostname: you must be root to change the host name\n' });
  });
});
