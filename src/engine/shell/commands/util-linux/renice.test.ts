import { describe, expect, it } from 'vitest';
import { procPidSched } from '../../../kernel/proc/pidSched.ts';
import { renice } from './renice.ts';
import { bootNode } from './testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('renice (util-linux)', () => {
  it('sets the nice value: /proc/<pid>/sched shows the new scaled weight and prio', async () => {
    const node = bootNode(tick);
    const { host } = node;
    const b = node.spawn();
    const result = await node.run(renice, `renice -n 5 -p ${b.hostPid}`);
    expect(result).toMatchObject({ stdout: `${b.hostPid} (process ID) old priority 0, new priority 5\n`, stderr: '', status: 0 });
    expect(b.nice).toBe(5);
    expect(procPidSched(host, b, host.table.initNs.pid)).toContain(`${'se.load.weight'.padEnd(45)}:${'343040'.padStart(21)}\n`);
    expect(procPidSched(host, b, host.table.initNs.pid)).toContain(`${'prio'.padEnd(45)}:${'125'.padStart(21)}\n`);
  });

  it('shares one CPU 1024:335 between nice 0 and nice 5, keeping their vruntimes level', async () => {
    const node = bootNode(tick);
    const host = node.host;
    const clock = host.clock;
    const a = node.spawn();
    const b = node.spawn();
    // A one-CPU cgroup for both, so they share CPU 0.
    const vfs = host.vfsFor(host.init);
    vfs.writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpuset +cpu');
    vfs.mkdir('/sys/fs/cgroup/one');
    vfs.writeFile('/sys/fs/cgroup/one/cpuset.cpus', '0');
    for (const p of [a, b]) vfs.writeFile('/sys/fs/cgroup/one/cgroup.procs', String(p.hostPid));
    for (const p of [a, b]) host.scheduler.setDemand(host.taskOf(p), 1);
    await node.run(renice, `renice 5 -p ${b.hostPid}`);
    const before = [a, b].map((p) => host.scheduler.taskStats(host.taskOf(p))!.sumExecNs);
    clock.advance(10_000);
    const [sa, sb] = [a, b].map((p) => host.scheduler.taskStats(host.taskOf(p))!);
    const ratio = (sa!.sumExecNs - before[0]!) / (sb!.sumExecNs - before[1]!);
    expect(ratio).toBeCloseTo(1024 / 335, 1);
    expect(Math.abs(sa!.vruntimeNs - sb!.vruntimeNs)).toBeLessThan(10e6);
    const sched = procPidSched(host, a, host.table.initNs.pid);
    expect(sched.split('\n')[1]).toBe('-'.repeat(67));
    expect(sched).toMatch(/^se\.sum_exec_runtime {26}: +\d+\.\d{6}$/m);
  });

  it.each([
    ['renice', '', "renice: not enough arguments\nTry 'renice --help' for more information.\n", 1],
    ['renice -n 5 -p 99999', '', 'renice: failed to get priority for 99999 (process ID): No such process\n', 1],
    ['renice x -p 1', '', "renice: invalid priority 'x'\nTry 'renice --help' for more information.\n", 1],
  ])('%s', async (line, stdout, stderr, status) => {
    expect(await bootNode(tick).run(renice, line)).toMatchObject({ stdout, stderr, status });
  });

  it('an unprivileged user may raise its own nice value but not lower it', async () => {
    const node = bootNode(tick);
    const me = node.spawn({ uid: 1000 });
    expect((await node.run(renice, `renice -n 3 -p ${me.hostPid}`, { process: me })).status).toBe(0);
    expect((await node.run(renice, `renice -n 0 -p ${me.hostPid}`, { process: me })).stderr).toBe(`renice: failed to set priority for ${me.hostPid} (process ID): Permission denied\n`);
    expect(me.nice).toBe(3);
  });
});
