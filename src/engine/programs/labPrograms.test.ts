import { describe, expect, it } from 'vitest';
import { SIGUSR1 } from '../kernel/process/signal.ts';
import { bootHost, runContainer } from './testing.ts';

describe('the lab demo programs', () => {
  it('date-logger prints date\'s default format every interval', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['date-logger', '--interval', '1s']);
    host.clock.advance(2_000);
    expect(ctr.stdio.out).toBe('Thu Jan  1 00:00:01 UTC 2026\nThu Jan  1 00:00:02 UTC 2026\n');
  });

  it('crash-looper prints its line and exits with its code after the delay', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['crash-looper', '--exit-code', '3', '--after', '2s']);
    expect(ctr.stdio.out).toBe('crash-looper: started; exiting with code 3 in 2s\n');
    host.clock.advance(2_000);
    expect(ctr.process.exitStatus).toBe(3 << 8);
  });

  it('memory-hog grows in steps until the OOM killer ends it', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['memory-hog', '--total', '100Mi', '--step', '20Mi', '--interval', '1s'], { cgroupFiles: { 'memory.max': '64M' } });
    host.clock.advance(5_000);
    expect(ctr.stdio.out).toBe('memory-hog: allocated 20 MiB (total 20 MiB)\nmemory-hog: allocated 20 MiB (total 40 MiB)\nmemory-hog: allocated 20 MiB (total 60 MiB)\n');
    expect(ctr.process.exitStatus).toBe(9);
    expect(host.dmesg()).toContain('(memory-hog)');
  });

  it('cpu-burner burns its fraction of a CPU and doubles on SIGUSR1', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['cpu-burner', '--cpu', '0.25']);
    host.clock.advance(10_000);
    const usage = () => Number(/usage_usec (\d+)/.exec(host.vfsFor(host.init).readFile('/sys/fs/cgroup/ctr/cpu.stat'))![1]);
    expect(usage() / 10_000_000).toBeCloseTo(0.25, 1);
    host.table.kill(host.init, ctr.process.hostPid, SIGUSR1);
    const before = usage();
    host.clock.advance(10_000);
    expect((usage() - before) / 10_000_000).toBeCloseTo(0.5, 1);
    expect(ctr.stdio.out).toBe('cpu-burner: burning 0.25 CPU\ncpu-burner: burning 0.5 CPU\n');
  });

  it('rejects an unknown flag as Go\'s flag package does', () => {
    const host = bootHost();
    const ctr = runContainer(host, ['crash-looper', '--bogus', '1']);
    expect(ctr.stdio.err).toMatch(/^flag provided but not defined: -bogus\nUsage of crash-looper:\n/);
    expect(ctr.process.exitStatus).toBe(2 << 8);
  });
});
