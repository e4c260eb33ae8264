import { describe, expect, it } from 'vitest';
import { SIGTERM } from '../kernel/process/signal.ts';
import { shellExitStatus } from '../kernel/process/waitStatus.ts';
import { CapturedStdio, bootHost } from './testing.ts';

describe('sleep', () => {
  it.each([
    [['3600'], 3_600_000],
    [['1.5'], 1_500],
    [['1m', '30s'], 90_000],
    [['.5h'], 1_800_000],
  ])('sleeps %j for %i ms and exits 0', (args, ms) => {
    const host = bootHost();
    const proc = host.spawn(['sleep', ...args]);
    host.clock.advance(ms - 1);
    expect(proc.state).toBe('S');
    host.clock.advance(1);
    expect(proc.exitState).toBe('dead');
  });

  it('sleeps forever for infinity and ends with 143 on SIGTERM', () => {
    const host = bootHost();
    let status: number | undefined;
    host.table.onDidExit((p) => (status = p.exitStatus));
    const proc = host.spawn(['sleep', 'infinity']);
    host.clock.advance(365 * 86_400_000);
    expect(proc.exitState).toBeUndefined();
    host.table.kill(host.init, proc.hostPid, SIGTERM);
    expect(shellExitStatus(status!)).toBe(143);
  });

  it.each([
    [['abc'], "sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n"],
    [['1', 'x', '2y'], "sleep: invalid time interval 'x'\nsleep: invalid time interval '2y'\nTry 'sleep --help' for more information.\n"],
    [[], "sleep: missing operand\nTry 'sleep --help' for more information.\n"],
    [['-1'], "sleep: invalid option -- '1'\nTry 'sleep --help' for more information.\n"],
  ])('rejects %j with exit status 1', (args, message) => {
    const host = bootHost();
    let status: number | undefined;
    host.table.onDidExit((p) => (status = p.exitStatus));
    const stdio = new CapturedStdio();
    host.spawn(['sleep', ...args], { stdio });
    expect(stdio.err).toBe(message);
    expect(shellExitStatus(status!)).toBe(1);
  });
});
