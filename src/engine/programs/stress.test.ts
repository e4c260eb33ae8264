import { describe, expect, it } from 'vitest';
import { bootHost, psLines, runContainer } from './testing.ts';

function cpuStat(host: ReturnType<typeof bootHost>, cgroup: string): Record<string, number> {
  const text = host.vfsFor(host.init).readFile(`/sys/fs/cgroup/${cgroup}/cpu.stat`);
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.split(' ')[0]!, Number(l.split(' ')[1])]));
}

describe('stress', () => {
  it('runs --cpu 1 at the quota of cpu.max 50000 100000 and succeeds at --timeout', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['stress', '--cpu', '1', '--timeout', '10s'], { cgroupFiles: { 'cpu.max': '50000 100000' } });
    expect(psLines(host, ctr)).toEqual(['1 S stress --cpu 1 --timeout 10s', '2 S stress --cpu 1 --timeout 10s']);
    host.clock.advance(5_000);
    expect(psLines(host, ctr)[1]).toBe('2 R stress --cpu 1 --timeout 10s');
    const stat = cpuStat(host, 'ctr');
    expect(stat.usage_usec! / 5_000_000).toBeCloseTo(0.5, 1);
    expect(stat.nr_throttled).toBeGreaterThan(40);
    host.clock.advance(5_000);
    expect(ctr.stdio.all).toBe('stress: info: [1] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd\nstress: info: [1] successful run completed in 10s\n');
    expect(ctr.process.exitStatus).toBe(0);
  });

  it('loses a --vm worker to the OOM killer past memory.max and reports it', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['stress', '--vm', '1', '--vm-bytes', '100M', '--vm-hang', '1'], { cgroupFiles: { 'memory.max': '64M' } });
    let workerStatus: number | undefined;
    host.table.onDidExit((p) => {
      if (p.pidIn(ctr.process.pidNs) === 2) workerStatus = p.exitStatus;
    });
    host.clock.advance(2_500);
    expect(workerStatus).toBe(9);
    expect(host.dmesg()).toMatch(/Memory cgroup out of memory: Killed process \d+ \(stress\)/);
    expect(ctr.stdio.err).toBe(
      'stress: FAIL: [1] (415) <-- worker 2 got signal 9\n' +
        'stress: WARN: [1] (417) now reaping child worker processes\n' +
        'stress: FAIL: [1] (421) kill error: No such process\n' +
        'stress: FAIL: [1] (451) failed run completed in 0s\n',
    );
    expect(ctr.process.exitStatus).toBe(1 << 8);
  });

  it('reaps the other workers with SIGUSR1 when one fails', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['stress', '--cpu', '1', '--vm', '1', '--vm-bytes', '256M'], { cgroupFiles: { 'memory.max': '128M' } });
    host.clock.advance(2_000);
    expect(ctr.stdio.all).toBe(
      'stress: info: [1] dispatching hogs: 1 cpu, 0 io, 1 vm, 0 hdd\n' +
        'stress: FAIL: [1] (415) <-- worker 3 got signal 9\n' +
        'stress: WARN: [1] (417) now reaping child worker processes\n' +
        'stress: FAIL: [1] (451) failed run completed in 0s\n',
    );
    expect(host.table.list(ctr.process.pidNs)).toEqual([]);
  });

  it('holds --vm-bytes resident, charged to the cgroup, within memory.max', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['stress', '--vm', '1', '--vm-bytes', '150M', '--vm-hang', '0'], { cgroupFiles: { 'memory.max': '200M' } });
    host.clock.advance(1_000);
    const worker = host.table.list(ctr.process.pidNs)[1]!;
    expect(worker.rssKb).toBeGreaterThanOrEqual(150 * 1024);
    expect(worker.vszKb).toBeGreaterThan(150 * 1024);
    const current = Number(host.vfsFor(host.init).readFile('/sys/fs/cgroup/ctr/memory.current'));
    expect(current).toBeGreaterThan(150 * 1024 * 1024);
    expect(current).toBeLessThan(200 * 1024 * 1024);
  });

  it('prints its usage without arguments', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['stress']);
    expect(ctr.stdio.out).toMatch(/^`stress' imposes certain types of compute stress on your system\n\nUsage: stress \[OPTION \[ARG\]\] \.\.\.\n/);
    expect(ctr.process.exitStatus).toBe(0);
  });
});
