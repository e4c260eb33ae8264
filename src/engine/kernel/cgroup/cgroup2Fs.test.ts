import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { CgroupHierarchy, type Cgroup, type CgroupTask } from './cgroup.ts';
import { Cgroup2Fs } from './cgroup2Fs.ts';

function task(pid: number, comm = 'sh'): CgroupTask {
  return { pid, tgid: pid, comm, uid: 0, nice: 0, oomScoreAdj: 0, cgroup: undefined as unknown as Cgroup };
}

function setup() {
  const h = new CgroupHierarchy({ version: 2, cpus: 4, totalRamBytes: 2 ** 32, kill: () => {}, log: () => {} });
  const fs = new Cgroup2Fs(h);
  fs.write('/cgroup.subtree_control', '+cpuset +cpu +io +memory +pids\n');
  fs.mkdir('/pod');
  return { h, fs };
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

describe('Cgroup2Fs', () => {
  it('lists the root with the smaller set and a child with every controller file', () => {
    const { fs } = setup();
    const root = fs.readdir('/').map((e) => e.name);
    expect(root).toContain('cgroup.controllers');
    expect(root).toContain('cpu.stat');
    expect(root).toContain('memory.stat');
    expect(root).toContain('pod');
    for (const absent of ['cpu.max', 'memory.max', 'memory.current', 'pids.max', 'cgroup.events', 'cgroup.type']) expect(root).not.toContain(absent);
    const pod = fs.readdir('/pod').map((e) => e.name);
    for (const f of ['cpu.max', 'cpu.weight', 'cpu.weight.nice', 'cpuset.cpus', 'io.max', 'memory.max', 'memory.oom.group', 'memory.events', 'pids.max', 'pids.peak']) {
      expect(pod).toContain(f);
    }
    expect(fs.stat('/pod/memory.current').mode).toBe(0o444);
    expect(fs.stat('/pod/cpu.max').mode).toBe(0o644);
  });

  it.each([
    ['/cgroup.controllers', 'cpuset cpu io memory pids\n'],
    ['/cgroup.subtree_control', 'cpuset cpu io memory pids\n'],
    ['/pod/cgroup.controllers', 'cpuset cpu io memory pids\n'],
    ['/pod/cgroup.subtree_control', '\n'],
    ['/pod/cgroup.events', 'populated 0\nfrozen 0\n'],
    ['/pod/cgroup.type', 'domain\n'],
    ['/pod/cgroup.max.depth', 'max\n'],
    ['/cgroup.stat', 'nr_descendants 1\nnr_dying_descendants 0\n'],
    ['/pod/cpu.max', 'max 100000\n'],
    ['/pod/cpu.max.burst', '0\n'],
    ['/pod/cpu.weight', '100\n'],
    ['/pod/cpu.weight.nice', '0\n'],
    ['/pod/cpu.stat', 'usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n'],
    ['/pod/cpuset.cpus', '\n'],
    ['/pod/cpuset.cpus.effective', '0-3\n'],
    ['/pod/cpuset.mems.effective', '0\n'],
    ['/pod/memory.max', 'max\n'],
    ['/pod/memory.min', '0\n'],
    ['/pod/memory.current', '0\n'],
    ['/pod/memory.events', 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n'],
    ['/pod/memory.oom.group', '0\n'],
    ['/pod/memory.swap.max', 'max\n'],
    ['/pod/pids.max', 'max\n'],
    ['/pod/pids.events', 'max 0\n'],
    ['/pod/io.max', ''],
  ])('%s reads %j', (path, text) => expect(setup().fs.read(path)).toBe(text));

  it.each([
    ['/pod/cpu.max', '50000 100000\n', 'ok', '50000 100000\n'],
    ['/pod/cpu.max', '50000\n', 'ok', '50000 100000\n'],
    ['/pod/cpu.max', 'max 200000', 'ok', 'max 200000\n'],
    ['/pod/cpu.max', '999 100000', 'EINVAL', 'max 100000\n'],
    ['/pod/cpu.max', '50000 999', 'EINVAL', 'max 100000\n'],
    ['/pod/cpu.max', '50000 1000001', 'EINVAL', 'max 100000\n'],
    ['/pod/cpu.max', 'half', 'EINVAL', 'max 100000\n'],
    ['/pod/cpu.weight', '200', 'ok', '200\n'],
    ['/pod/cpu.weight', '0', 'ERANGE', '100\n'],
    ['/pod/cpu.weight', '10001', 'ERANGE', '100\n'],
    ['/pod/cpu.weight', 'lots', 'EINVAL', '100\n'],
    ['/pod/cpu.weight.nice', '5', 'ok', '5\n'],
    ['/pod/cpu.weight.nice', '20', 'ERANGE', '0\n'],
    ['/pod/memory.max', '64M', 'ok', '67108864\n'],
    ['/pod/memory.max', '100000', 'ok', '98304\n'],
    ['/pod/memory.max', 'max', 'ok', 'max\n'],
    ['/pod/memory.max', '-1', 'EINVAL', 'max\n'],
    ['/pod/memory.max', '1.5G', 'EINVAL', 'max\n'],
    ['/pod/memory.high', '1G', 'ok', '1073741824\n'],
    ['/pod/memory.oom.group', '1', 'ok', '1\n'],
    ['/pod/memory.oom.group', '2', 'EINVAL', '0\n'],
    ['/pod/pids.max', '10', 'ok', '10\n'],
    ['/pod/pids.max', '-1', 'EINVAL', 'max\n'],
    ['/pod/pids.max', 'max', 'ok', 'max\n'],
    ['/pod/cpuset.cpus', '0-1', 'ok', '0-1\n'],
    ['/pod/cpuset.cpus', '9', 'EINVAL', '\n'],
    ['/pod/cgroup.max.depth', '3', 'ok', '3\n'],
    ['/pod/cgroup.max.depth', '-3', 'EINVAL', 'max\n'],
    ['/pod/cgroup.freeze', '2', 'ERANGE', '0\n'],
    ['/pod/cgroup.type', 'domain', 'EINVAL', 'domain\n'],
    ['/pod/io.max', '8:0 rbps=1048576 wiops=120', 'ok', '8:0 rbps=1048576 wbps=max riops=max wiops=120\n'],
    ['/pod/io.max', '8:0 speed=1', 'EINVAL', ''],
    ['/pod/memory.current', '0', 'EACCES', '0\n'],
    ['/pod/cgroup.events', '0', 'EACCES', 'populated 0\nfrozen 0\n'],
  ])('write %s %j → %s, then reads %j', (path, text, result, after) => {
    const { fs } = setup();
    expect(code(() => fs.write(path, text))).toBe(result);
    expect(fs.read(path)).toBe(after);
  });

  it('cgroup.procs: moves a process, ESRCH for an unknown pid, EINVAL for garbage, EBUSY into a cgroup with controllers on', () => {
    const { h, fs } = setup();
    const t = task(42);
    h.attach(t, h.root);
    fs.write('/pod/cgroup.procs', '42\n');
    expect(fs.read('/pod/cgroup.procs')).toBe('42\n');
    expect(fs.read('/cgroup.procs')).toBe('');
    expect(fs.read('/pod/cgroup.events')).toBe('populated 1\nfrozen 0\n');
    expect(code(() => fs.write('/pod/cgroup.procs', '4242'))).toBe('ESRCH');
    expect(code(() => fs.write('/pod/cgroup.procs', 'abc'))).toBe('EINVAL');
    fs.mkdir('/busy');
    fs.write('/busy/cgroup.subtree_control', '+memory');
    expect(code(() => fs.write('/busy/cgroup.procs', '42'))).toBe('EBUSY');
    expect(code(() => fs.write('/cgroup.threads', '42'))).toBe('EOPNOTSUPP');
  });

  it('shows pids in the reader’s pid namespace and resolves written pids through it', () => {
    const { h, fs } = setup();
    const t = task(4242);
    h.attach(t, h.lookup('/pod')!);
    const ctx = { pidOf: (x: CgroupTask) => (x === t ? 1 : undefined), resolvePid: (p: number) => (p === 1 ? t : undefined) };
    expect(fs.read('/pod/cgroup.procs', ctx)).toBe('1\n');
    expect(code(() => fs.write('/pod/cgroup.procs', '1', ctx))).toBe('ok');
  });

  it('is ENOENT for missing files and directories, EISDIR for a directory, and mounts a namespace root', () => {
    const { h, fs } = setup();
    expect(code(() => fs.read('/pod/nope'))).toBe('ENOENT');
    expect(code(() => fs.read('/nope/cpu.max'))).toBe('ENOENT');
    expect(code(() => fs.read('/pod'))).toBe('EISDIR');
    expect(code(() => fs.mkdir('/pod/cpu.max'))).toBe('EEXIST');
    const inner = new Cgroup2Fs(h, h.lookup('/pod')!);
    expect(inner.read('/cpu.max')).toBe('max 100000\n');
  });

  it('cgroup.kill SIGKILLs every task of the subtree', () => {
    const killed: number[] = [];
    const h = new CgroupHierarchy({ version: 2, cpus: 1, totalRamBytes: 2 ** 30, kill: (t) => killed.push(t.pid), log: () => {} });
    const fs = new Cgroup2Fs(h);
    fs.mkdir('/a');
    fs.mkdir('/a/b');
    h.attach(task(5), h.lookup('/a/b')!);
    h.attach(task(6), h.lookup('/a')!);
    expect(code(() => fs.write('/a/cgroup.kill', '2'))).toBe('ERANGE');
    fs.write('/a/cgroup.kill', '1');
    expect(killed.sort()).toEqual([5, 6]);
  });
});
