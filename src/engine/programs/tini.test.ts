import { describe, expect, it } from 'vitest';
import { SIGHUP, SIGKILL, SIGTERM, SIGUSR1 } from '../kernel/process/signal.ts';
import { CapturedStdio, bootHost, psLines, runContainer } from './testing.ts';

describe('tini', () => {
  it('as pid 1 reaps the orphans a zombie-maker leaves, where a non-reaping init keeps them Z', () => {
    const host = bootHost();
    const withTini = runContainer(host, ['tini', '--', 'zombie-maker', '--count', '2'], { name: 'a' });
    const without = runContainer(host, ['zombie-maker', '--count', '2'], { name: 'b' });
    host.clock.advance(5_000);
    expect(psLines(host, withTini)).toEqual(['1 S tini -- zombie-maker --count 2', '2 S zombie-maker --count 2', '3 Z [zombie-maker] <defunct>', '5 Z [zombie-maker] <defunct>']);
    expect(psLines(host, without)).toEqual([
      '1 S zombie-maker --count 2',
      '2 Z [zombie-maker] <defunct>',
      '3 Z [zombie-maker] <defunct>',
      '4 Z [zombie-maker] <defunct>',
      '5 Z [zombie-maker] <defunct>',
    ]);
    expect(withTini.stdio.err).toBe('');
  });

  it('forwards a signal to its child and exits with 128 + the signal', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['tini', '-v', '-v', '--', 'sleep', 'infinity']);
    const child = host.table.list(ctr.process.pidNs).find((p) => p.comm === 'sleep')!;
    expect(child.pgidIn(ctr.process.pidNs)).toBe(2);
    host.table.kill(host.init, ctr.process.hostPid, SIGTERM);
    expect(ctr.process.exitStatus).toBe(143 << 8);
    expect(ctr.stdio.out).toBe(
      "[INFO  tini (1)] Spawned child process 'sleep' with pid '2'\n" +
        "[DEBUG tini (1)] Passing signal: 'Terminated'\n" +
        "[INFO  tini (1)] Main child exited with signal (with signal 'Terminated')\n",
    );
  });

  it.each([
    [[], 0, 0],
    [['-e', '3'], 3, 0],
    [[], 3, 3],
  ])('with %j exits %i from the child as %i', (flags, code, status) => {
    const host = bootHost();
    const ctr = runContainer(host, ['tini', ...flags, '--', 'crash-looper', '--exit-code', String(code), '--after', '2s']);
    host.clock.advance(1_000);
    expect(ctr.process.exitState).toBeUndefined();
    host.clock.advance(1_000);
    expect(ctr.process.exitStatus).toBe(status << 8);
  });

  it('sends to the process group with -g', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['tini', '-g', '--', 'zombie-maker', '--count', '1']);
    host.clock.advance(100);
    host.table.kill(host.init, ctr.process.hostPid, SIGUSR1);
    expect(ctr.process.exitStatus).toBe((128 + SIGUSR1) << 8);
  });

  it('warns when it is neither pid 1 nor a subreaper, and not with -s', () => {
    const host = bootHost();
    const stdio = new CapturedStdio();
    const tini = host.spawn(['tini', 'sleep', '10'], { stdio });
    const pid = tini.hostPid;
    expect(stdio.err).toBe(
      `[WARN  tini (${pid})] Tini is not running as PID 1 and isn't registered as a child subreaper.\n` +
        "Zombie processes will not be re-parented to Tini, so zombie reaping won't work.\n" +
        'To fix the problem, use the -s option or set the environment variable TINI_SUBREAPER to register Tini as a child subreaper, or run Tini as PID 1.\n',
    );
    host.clock.advance(10_000);
    expect(tini.exitState).toBe('dead');
    const quiet = new CapturedStdio();
    const subreaper = host.spawn(['tini', '-s', '--', 'sleep', '10'], { stdio: quiet });
    expect(quiet.err).toBe('');
    expect(subreaper.isChildSubreaper).toBe(true);
  });

  it('reports a program it cannot run and exits 127', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['tini', '--', 'no-such-program']);
    host.clock.advance(10);
    expect(ctr.stdio.err).toBe('[FATAL tini (2)] exec no-such-program failed: No such file or directory\n');
    expect(ctr.process.exitStatus).toBe(127 << 8);
  });

  it('prints its usage without a program, and its version', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['tini']);
    expect(ctr.stdio.err).toMatch(/^tini \(tini version 0\.19\.0 - git\.de40ad0\)\nUsage: tini \[OPTIONS\] PROGRAM -- \[ARGS\] \| --version\n/);
    expect(ctr.process.exitStatus).toBe(1 << 8);
    const version = new CapturedStdio();
    host.spawn(['tini', '--version'], { stdio: version });
    expect(version.out).toBe('tini version 0.19.0 - git.de40ad0\n');
  });

  it('dies with SIGKILL like anything else, taking its namespace with it', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['tini', '--', 'sleep', 'infinity']);
    host.table.kill(host.init, ctr.process.hostPid, SIGHUP);
    expect(ctr.process.exitStatus).toBe((128 + SIGHUP) << 8);
    const other = runContainer(host, ['tini', '--', 'sleep', 'infinity'], { name: 'other' });
    host.table.kill(host.init, other.process.hostPid, SIGKILL);
    expect(host.table.list(other.process.pidNs)).toEqual([]);
  });
});
