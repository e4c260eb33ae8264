import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { CgroupHierarchy, type Cgroup, type CgroupTask } from '../cgroup/cgroup.ts';
import { Cgroup2Fs } from '../cgroup/cgroup2Fs.ts';
import { CgroupV1Fs } from '../cgroup/cgroupV1Fs.ts';
import { CfsScheduler } from './cfsScheduler.ts';
import { LoadAvg } from './loadavg.ts';

function task(pid: number, comm: string, nice = 0): CgroupTask {
  return { pid, tgid: pid, comm, uid: 0, nice, oomScoreAdj: 0, cgroup: undefined as unknown as Cgroup };
}

function host(cpus: number, version: 1 | 2 = 2) {
  const clock = new Clock();
  const h = new CgroupHierarchy({ version, cpus, totalRamBytes: 2 ** 32, kill: () => {}, log: () => {} });
  const sched = new CfsScheduler({ clock, hierarchy: h });
  return { clock, h, sched };
}

describe('CfsScheduler', () => {
  it('throttles a --cpus=0.5 busy loop to half a CPU: nr_throttled ≈ nr_periods', () => {
    const { clock, h, sched } = host(2);
    const fs = new Cgroup2Fs(h);
    fs.write('/cgroup.subtree_control', '+cpu');
    fs.mkdir('/docker-abc.scope');
    fs.write('/docker-abc.scope/cpu.max', '50000 100000');
    const loop = task(100, 'busy');
    h.attach(loop, h.lookup('/docker-abc.scope')!);
    sched.setDemand(loop, 1);
    clock.advance(10_000);
    const stat = Object.fromEntries(fs.read('/docker-abc.scope/cpu.stat').trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));
    expect(stat.usage_usec! / 10_000_000).toBeCloseTo(0.5, 2);
    expect(stat.user_usec).toBe(stat.usage_usec);
    expect(stat.nr_periods).toBeGreaterThanOrEqual(99);
    expect(stat.nr_throttled).toBeGreaterThanOrEqual(stat.nr_periods! - 1);
    expect(stat.throttled_usec! / 1e6).toBeCloseTo(5, 1);
    expect(sched.taskStats(loop)!.utimeNs / 1e9).toBeCloseTo(5, 2);
  });

  it('shares one CPU 2:1 between groups with cpu.shares 1024 and 512 (v1)', () => {
    const { clock, h, sched } = host(1, 1);
    const fs = new CgroupV1Fs(h, 'cpu,cpuacct');
    fs.mkdir('/a');
    fs.mkdir('/b');
    fs.write('/b/cpu.shares', '512');
    const [ta, tb] = [task(1, 'a'), task(2, 'b')];
    h.attach(ta, h.lookup('/a')!);
    h.attach(tb, h.lookup('/b')!);
    sched.setDemand(ta, 1);
    sched.setDemand(tb, 1);
    clock.advance(30_000);
    const ua = Number(fs.read('/a/cpuacct.usage'));
    const ub = Number(fs.read('/b/cpuacct.usage'));
    expect(ua / ub).toBeCloseTo(2, 1);
    expect((ua + ub) / 30e9).toBeCloseTo(1, 3);
  });

  it('gives nice 0 about 3× the CPU of nice 5 (1024 vs 335) with equal vruntime growth', () => {
    const { clock, h, sched } = host(1);
    const [t0, t5] = [task(1, 'n0'), task(2, 'n5', 5)];
    h.attach(t0, h.root);
    h.attach(t5, h.root);
    sched.setDemand(t0, 1);
    sched.setDemand(t5, 1);
    clock.advance(10_000);
    const [s0, s5] = [sched.taskStats(t0)!, sched.taskStats(t5)!];
    expect(s0.sumExecNs / s5.sumExecNs).toBeCloseTo(1024 / 335, 1);
    expect(Math.abs(s0.vruntimeNs - s5.vruntimeNs)).toBeLessThan(7_000_000);
    expect(sched.cpuTimes(0).niceNs / 1e9).toBeCloseTo(10 * (335 / 1359), 1);
  });

  it('lists the run queue leftmost first and runs the leftmost; a sleeper waking is placed behind by sched_latency/2', () => {
    const { clock, h, sched } = host(1);
    const fs = new Cgroup2Fs(h);
    fs.write('/cgroup.subtree_control', '+cpu');
    fs.mkdir('/g');
    const [a, b, c] = [task(1, 'a'), task(2, 'b'), task(3, 'c')];
    h.attach(a, h.root);
    h.attach(b, h.root);
    h.attach(c, h.lookup('/g')!);
    sched.setDemand(a, 1);
    sched.setDemand(b, 1);
    sched.setDemand(c, 1);
    clock.advance(500);
    sched.setDemand(b, 0);
    clock.advance(500);
    sched.setDemand(b, 1);
    const rq = sched.runQueue(0);
    expect(rq.map((e) => [e.kind, e.task?.comm ?? e.cgroup?.path, e.depth])).toEqual(
      expect.arrayContaining([
        ['task', 'b', 0],
        ['group', '/g', 0],
        ['task', 'c', 1],
      ]),
    );
    const top = rq.filter((e) => e.depth === 0);
    for (let i = 1; i < top.length; i++) expect(top[i]!.vruntimeNs).toBeGreaterThanOrEqual(top[i - 1]!.vruntimeNs);
    expect(top[0]!.task).toBe(b);
    expect(top[0]!.vruntimeNs).toBeCloseTo(top[1]!.vruntimeNs - 3_000_000, -3);
    clock.advance(1);
    expect(sched.current(0)).toBe(b);
    expect(sched.runQueue(0).find((e) => e.task === b)!.running).toBe(true);
    expect(sched.runQueue(0).find((e) => e.task === b)!.weight).toBe(1024);
  });

  it('schedules no timer while nothing is runnable, and ticks while something is', () => {
    const { clock, h, sched } = host(2);
    const t = task(1, 'web');
    h.attach(t, h.root);
    expect(clock.state.pending).toBe(0);
    sched.setDemand(t, 0.3);
    expect(sched.ticking).toBe(true);
    clock.advance(1000);
    expect(sched.taskStats(t)!.sumExecNs / 1e6).toBeCloseTo(300, 3);
    sched.setDemand(t, 0);
    clock.advance(200);
    expect(clock.state.pending).toBe(0);
    expect(sched.ticking).toBe(false);
    clock.advance(3_600_000);
    expect(sched.cpuTimes(0).idleNs + sched.cpuTimes(1).idleNs).toBeGreaterThan(7_200e9);
  });

  it('spreads busy tasks over the CPUs and splits user and system time', () => {
    const { clock, h, sched } = host(2);
    const ts = [task(1, 'a'), task(2, 'b')];
    for (const t of ts) h.attach(t, h.root);
    sched.setDemand(ts[0]!, { cpu: 1, system: 0.25 });
    sched.setDemand(ts[1]!, 1);
    clock.advance(2000);
    expect(new Set(ts.map((t) => sched.taskStats(t)!.cpu)).size).toBe(2);
    expect(sched.taskStats(ts[0]!)!.stimeNs / 1e9).toBeCloseTo(0.5, 3);
    expect(h.root.cpu.systemNs / 1e9).toBeCloseTo(0.5, 3);
    expect(sched.current(0)).toBeDefined();
    expect(sched.current(1)).toBeDefined();
  });

  it('folds runnable tasks into the load average every 5 s', () => {
    const { clock, h, sched } = host(4);
    for (let i = 0; i < 2; i++) {
      const t = task(i + 1, `busy${i}`);
      h.attach(t, h.root);
      sched.setDemand(t, 1);
    }
    clock.advance(60_100);
    const expected = new LoadAvg();
    for (let i = 0; i < 12; i++) expected.sample(2);
    expect(sched.loadavg.avenrun).toEqual(expected.avenrun);
    expect(sched.loadavg.format()).toBe('1.27 0.37 0.13');
  });

  it('stops running a frozen cgroup', () => {
    const { clock, h, sched } = host(1);
    const fs = new Cgroup2Fs(h);
    fs.mkdir('/f');
    const t = task(1, 'x');
    h.attach(t, h.lookup('/f')!);
    sched.setDemand(t, 1);
    clock.advance(1000);
    fs.write('/f/cgroup.freeze', '1');
    clock.advance(1000);
    expect(sched.taskStats(t)!.sumExecNs / 1e6).toBeCloseTo(1000, 3);
    expect(sched.ticking).toBe(false);
  });
});
