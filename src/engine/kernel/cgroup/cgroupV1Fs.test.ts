import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { CgroupHierarchy, type Cgroup, type CgroupTask } from './cgroup.ts';
import { Cgroup2Fs, cgroup2Files } from './cgroup2Fs.ts';
import { CgroupV1Fs, V1_MOUNTS } from './cgroupV1Fs.ts';

function setup() {
  const killed: number[] = [];
  const h = new CgroupHierarchy({ version: 1, cpus: 2, totalRamBytes: 2 ** 32, kill: (t) => killed.push(t.pid), log: () => {} });
  const cpu = new CgroupV1Fs(h, 'cpu,cpuacct');
  const memory = new CgroupV1Fs(h, 'memory');
  cpu.mkdir('/docker');
  return { h, cpu, memory, killed };
}

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('CgroupV1Fs', () => {
  it('mounts cpu,cpuacct with the cpu and cpuacct links, and mirrors one tree in every hierarchy', () => {
    expect(V1_MOUNTS.find((m) => m.name === 'cpu,cpuacct')?.links).toEqual(['cpu', 'cpuacct']);
    const { memory } = setup();
    expect(memory.readdir('/').some((e) => e.name === 'docker' && e.type === 'dir')).toBe(true);
    expect(memory.readdir('/').map((e) => e.name)).toContain('release_agent');
    expect(memory.readdir('/docker').map((e) => e.name)).not.toContain('release_agent');
  });

  it.each([
    ['cpu,cpuacct', '/docker/cpu.shares', '1024\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_period_us', '100000\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_quota_us', '-1\n'],
    ['cpu,cpuacct', '/docker/cpu.stat', 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\nnr_bursts 0\nburst_time 0\n'],
    ['cpu,cpuacct', '/docker/cpuacct.usage', '0\n'],
    ['cpu,cpuacct', '/docker/cpuacct.stat', 'user 0\nsystem 0\n'],
    ['cpu,cpuacct', '/docker/cpuacct.usage_percpu', '0 0 \n'],
    ['cpu,cpuacct', '/docker/cpuacct.usage_all', 'cpu user system\n0 0 0\n1 0 0\n'],
    ['memory', '/docker/memory.limit_in_bytes', '9223372036854771712\n'],
    ['memory', '/docker/memory.usage_in_bytes', '0\n'],
    ['memory', '/docker/memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n'],
    ['memory', '/docker/memory.failcnt', '0\n'],
    ['pids', '/docker/pids.max', 'max\n'],
    ['cpuset', '/docker/cpuset.cpus', '0-1\n'],
    ['devices', '/docker/devices.list', 'a *:* rwm\n'],
    ['freezer', '/docker/freezer.state', 'THAWED\n'],
    ['systemd', '/docker/tasks', ''],
  ])('%s %s reads %j', (mount, path, text) => expect(new CgroupV1Fs(setup().h, mount).read(path)).toBe(text));

  it.each([
    ['cpu,cpuacct', '/docker/cpu.shares', '512', 'ok', '512\n'],
    ['cpu,cpuacct', '/docker/cpu.shares', '1', 'ok', '2\n'],
    ['cpu,cpuacct', '/docker/cpu.shares', '999999', 'ok', '262144\n'],
    ['cpu,cpuacct', '/cpu.shares', '512', 'EINVAL', '1024\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_quota_us', '50000', 'ok', '50000\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_quota_us', '-5', 'ok', '-1\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_quota_us', '999', 'EINVAL', '-1\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_quota_us', '0', 'EINVAL', '-1\n'],
    ['cpu,cpuacct', '/cpu.cfs_quota_us', '50000', 'EINVAL', '-1\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_period_us', '999', 'EINVAL', '100000\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_period_us', '1000001', 'EINVAL', '100000\n'],
    ['cpu,cpuacct', '/docker/cpu.cfs_period_us', '50000', 'ok', '50000\n'],
    ['cpu,cpuacct', '/docker/cpuacct.usage', '5', 'EINVAL', '0\n'],
    ['memory', '/docker/memory.limit_in_bytes', '100000', 'ok', '98304\n'],
    ['memory', '/docker/memory.limit_in_bytes', '64M', 'ok', '67108864\n'],
    ['memory', '/docker/memory.limit_in_bytes', '-1', 'ok', '9223372036854771712\n'],
    ['memory', '/docker/memory.limit_in_bytes', 'max', 'EINVAL', '9223372036854771712\n'],
    ['memory', '/memory.limit_in_bytes', '1G', 'EINVAL', '9223372036854771712\n'],
    ['memory', '/docker/memory.oom_control', '1', 'ok', 'oom_kill_disable 1\nunder_oom 0\noom_kill 0\n'],
    ['memory', '/docker/memory.oom_control', '2', 'EINVAL', 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n'],
    ['memory', '/docker/memory.swappiness', '201', 'EINVAL', '60\n'],
    ['memory', '/docker/memory.usage_in_bytes', '0', 'EACCES', '0\n'],
    ['cpuset', '/docker/cpuset.cpus', '1', 'ok', '1\n'],
    ['cpuset', '/docker/cpuset.cpus', '5', 'EINVAL', '0-1\n'],
    ['cpuset', '/cpuset.cpus', '0', 'EACCES', '0-1\n'],
    ['freezer', '/docker/freezer.state', 'FROZEN', 'ok', 'FROZEN\n'],
    ['freezer', '/docker/freezer.state', 'COLD', 'EINVAL', 'THAWED\n'],
    ['blkio', '/docker/blkio.throttle.read_bps_device', '8:0 1048576', 'ok', '8:0 1048576\n'],
    ['blkio', '/docker/blkio.throttle.read_bps_device', '8:0', 'EINVAL', ''],
  ])('%s write %s %j → %s, reads %j', (mount, path, text, result, after) => {
    const fs = new CgroupV1Fs(setup().h, mount);
    expect(code(() => fs.write(path, text))).toBe(result);
    expect(fs.read(path)).toBe(after);
  });

  it('refuses a child quota above a limited parent’s, and a limit below the usage (EBUSY)', () => {
    const { h, cpu, memory } = setup();
    cpu.write('/docker/cpu.cfs_quota_us', '50000');
    cpu.mkdir('/docker/c1');
    expect(code(() => cpu.write('/docker/c1/cpu.cfs_quota_us', '80000'))).toBe('EINVAL');
    expect(code(() => cpu.write('/docker/c1/cpu.cfs_quota_us', '20000'))).toBe('ok');
    const t: CgroupTask = { pid: 9, tgid: 9, comm: 'x', uid: 0, nice: 0, oomScoreAdj: 0, cgroup: undefined as unknown as Cgroup };
    h.attach(t, h.lookup('/docker')!);
    h.memory.charge(t, 8 * 2 ** 20);
    expect(code(() => memory.write('/docker/memory.limit_in_bytes', '4M'))).toBe('EBUSY');
  });

  it('is one model with two views: v1 quota and shares are v2 cpu.max and cpu.weight', () => {
    const { h, cpu } = setup();
    cpu.write('/docker/cpu.cfs_quota_us', '50000');
    cpu.write('/docker/cpu.shares', '512');
    const docker = h.lookup('/docker')!;
    const read = (name: string) => cgroup2Files(docker).find((f) => f.name === name)!.read!(docker, {});
    expect(read('cpu.max')).toBe('50000 100000\n');
    expect(read('cpu.weight')).toBe('50\n');
    const v2 = new CgroupHierarchy({ version: 2, cpus: 1, totalRamBytes: 2 ** 30, kill: () => {}, log: () => {} });
    const fs2 = new Cgroup2Fs(v2);
    fs2.write('/cgroup.subtree_control', '+cpu');
    fs2.mkdir('/x');
    fs2.write('/x/cpu.weight', '50');
    expect(v2.lookup('/x')!.cpu.shares).toBe(512);
  });

  it('v1 oom_kill_disable leaves a charge waiting under_oom instead of killing', () => {
    const { h, memory, killed } = setup();
    memory.write('/docker/memory.limit_in_bytes', '4M');
    memory.write('/docker/memory.oom_control', '1');
    const t: CgroupTask = { pid: 9, tgid: 9, comm: 'x', uid: 0, nice: 0, oomScoreAdj: 0, cgroup: undefined as unknown as Cgroup };
    h.attach(t, h.lookup('/docker')!);
    expect(h.memory.charge(t, 8 * 2 ** 20)).toEqual({ ok: false, reason: 'oom-blocked' });
    expect(killed).toEqual([]);
    expect(memory.read('/docker/memory.oom_control')).toBe('oom_kill_disable 1\nunder_oom 1\noom_kill 0\n');
    expect(memory.read('/docker/memory.failcnt')).toBe('1\n');
  });
});
