import { describe, expect, it } from 'vitest';
import { SIGINT, SIGKILL, SIGTERM } from '../kernel/process/signal.ts';
import { CapturedStdio, bootHost, psLines, runContainer } from './testing.ts';

describe('pause', () => {
  it.each([
    [SIGTERM, 'Terminated'],
    [SIGINT, 'Interrupt'],
  ])('exits 0 on signal %i with psignal\'s line', (signal, text) => {
    const host = bootHost();
    const ctr = runContainer(host, ['/usr/bin/pause']);
    host.clock.advance(60_000);
    expect(ctr.process.state).toBe('S');
    host.table.kill(host.init, ctr.process.hostPid, signal);
    expect(ctr.process.exitStatus).toBe(0);
    expect(ctr.stdio.err).toBe(`Shutting down, got signal: ${text}\n`);
  });

  it('survives signals it does not handle as pid 1, but not SIGKILL from the host', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['pause']);
    host.table.kill(host.init, ctr.process.hostPid, 10);
    expect(ctr.process.exitState).toBeUndefined();
    host.table.kill(host.init, ctr.process.hostPid, SIGKILL);
    expect(ctr.process.exitState).toBeDefined();
  });

  it('reaps the orphans of its pod', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['pause']);
    const sleeper = host.spawn(['sleep', '5'], { parent: ctr.process });
    host.spawn(['zombie-maker', '--count', '1'], { parent: ctr.process });
    host.clock.advance(6_000);
    expect(sleeper.exitState).toBe('dead');
    expect(psLines(host, ctr)).toEqual(['1 S pause', '3 S zombie-maker --count 1', '4 Z [zombie-maker] <defunct>']);
  });

  it('warns when it is not pid 1, and prints its version for -v', () => {
    const host = bootHost();
    const stdio = new CapturedStdio();
    host.spawn(['pause'], { stdio });
    expect(stdio.err).toBe('Warning: pause should be the first process\n');
    const version = new CapturedStdio();
    const proc = host.spawn(['pause', '-V'], { stdio: version });
    expect(version.out).toBe('pause.c v3.10\n');
    expect(proc.exitState).toBe('dead');
  });
});
