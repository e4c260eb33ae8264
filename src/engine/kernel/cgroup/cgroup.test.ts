import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { CgroupHierarchy, type Cgroup, type CgroupTask } from './cgroup.ts';

function task(pid: number, comm = 'sh', extra: Partial<CgroupTask> = {}): CgroupTask {
  return { pid, tgid: pid, comm, uid: 0, nice: 0, oomScoreAdj: 0, cgroup: undefined as unknown as Cgroup, ...extra };
}

function host(version: 1 | 2 = 2) {
  const log: string[] = [];
  const h = new CgroupHierarchy({ version, cpus: 2, totalRamBytes: 2 ** 30, kill: () => {}, log: (l) => log.push(l) });
  return { h, log };
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

describe('CgroupHierarchy', () => {
  it('gives paths from the root and finds cgroups by path', () => {
    const { h } = host();
    const pod = h.mkdirp('/kubepods.slice/kubepods-burstable.slice/pod1.slice');
    expect(h.root.path).toBe('/');
    expect(pod.path).toBe('/kubepods.slice/kubepods-burstable.slice/pod1.slice');
    expect(h.lookup('/kubepods.slice/kubepods-burstable.slice')?.children.get('pod1.slice')).toBe(pod);
    expect(pod.pathFrom(h.lookup('/kubepods.slice')!)).toBe('/kubepods-burstable.slice/pod1.slice');
    expect(h.lookup('/kubepods.slice')!.pathFrom(pod)).toBe('/../..');
  });

  it('attaches and moves tasks, keeping pids.current hierarchical', () => {
    const { h } = host();
    const a = h.mkdirp('/a');
    const b = h.mkdirp('/a/b');
    const t = task(10);
    h.attach(t, h.root);
    h.move(t, b);
    expect(t.cgroup).toBe(b);
    expect([...b.tasks]).toEqual([t]);
    expect(a.pids.current).toBe(1);
    expect(h.root.pids.current).toBe(1);
    h.exit(t);
    expect(a.pids.current).toBe(0);
    expect(a.pids.peak).toBe(1);
  });

  it.each([
    ['a cgroup with tasks', 'EBUSY'],
    ['a cgroup with children', 'EBUSY'],
    ['the root', 'EBUSY'],
  ])('refuses to rmdir %s', (what, errno) => {
    const { h } = host();
    const a = h.mkdirp('/a');
    if (what === 'a cgroup with tasks') h.attach(task(1), a);
    if (what === 'a cgroup with children') h.mkdir(a, 'b');
    expect(code(() => h.rmdir(what === 'the root' ? h.root : a))).toBe(errno);
  });

  it('mkdir: EEXIST, EINVAL for bad names, EAGAIN past cgroup.max.depth and max.descendants', () => {
    const { h } = host();
    const a = h.mkdir(h.root, 'a');
    expect(code(() => h.mkdir(h.root, 'a'))).toBe('EEXIST');
    expect(code(() => h.mkdir(h.root, 'x\ny'))).toBe('EINVAL');
    a.maxDepth = 1;
    const b = h.mkdir(a, 'b');
    expect(code(() => h.mkdir(b, 'c'))).toBe('EAGAIN');
    a.maxDescendants = 1;
    expect(code(() => h.mkdir(a, 'd'))).toBe('EAGAIN');
  });

  it('enforces the no-internal-processes rule on v2 only', () => {
    const v2 = host(2).h;
    const a = v2.mkdirp('/a');
    v2.writeSubtreeControl(v2.root, '+cpu +memory');
    v2.writeSubtreeControl(a, '+memory');
    expect(code(() => v2.attach(task(1), a))).toBe('EBUSY');
    const b = v2.mkdirp('/b');
    v2.attach(task(2), b);
    expect(code(() => v2.writeSubtreeControl(b, '+cpu'))).toBe('EBUSY');
    const v1 = host(1).h;
    const c = v1.mkdirp('/c');
    v1.attach(task(3), c);
    expect(c.tasks.size).toBe(1);
  });

  it.each([
    ['+cpu', 'ok'],
    ['+cpu -memory', 'ok'],
    ['cpu', 'EINVAL'],
    ['+bogus', 'EINVAL'],
    ['+hugetlb', 'EINVAL'],
  ])('root subtree_control %j → %s', (text, result) => {
    expect(code(() => host().h.writeSubtreeControl(host().h.root, text))).toBe(result);
  });

  it('subtree_control: ENOENT for a controller the parent does not give, EBUSY to take one a child uses', () => {
    const { h } = host();
    const a = h.mkdirp('/a');
    h.mkdirp('/a/b');
    expect(code(() => h.writeSubtreeControl(a, '+memory'))).toBe('ENOENT');
    h.writeSubtreeControl(h.root, '+memory');
    h.writeSubtreeControl(a, '+memory');
    expect(a.lookup('b')!.controllers).toEqual(['memory']);
    h.writeSubtreeControl(a.lookup('b')!, '+memory');
    expect(code(() => h.writeSubtreeControl(a, '-memory'))).toBe('EBUSY');
  });

  it('finds the css: the nearest cgroup with the controller', () => {
    const { h } = host();
    h.writeSubtreeControl(h.root, '+cpu');
    const a = h.mkdirp('/a');
    const b = h.mkdirp('/a/b');
    expect(b.css('cpu')).toBe(a);
    expect(b.css('memory')).toBe(h.root);
  });

  it('fails a fork beyond pids.max with EAGAIN, counts pids.events max and logs once', () => {
    const { h, log } = host();
    h.writeSubtreeControl(h.root, '+pids');
    const c = h.mkdirp('/c');
    c.pids.max = 2;
    const parent = task(100);
    h.attach(parent, c);
    h.fork(parent, task(101));
    expect(code(() => h.fork(parent, task(102)))).toBe('EAGAIN');
    expect(code(() => h.fork(parent, task(103)))).toBe('EAGAIN');
    expect(c.pids.current).toBe(2);
    expect(c.pids.eventsMax).toBe(2);
    expect(log).toEqual(['cgroup: fork rejected by pids controller in /c']);
  });

  it('computes effective cpusets within the parent', () => {
    const { h } = host();
    h.writeSubtreeControl(h.root, '+cpuset');
    const a = h.mkdirp('/a');
    expect(a.effectiveCpus).toEqual([0, 1]);
    a.cpuset.cpus = [1];
    expect(a.effectiveCpus).toEqual([1]);
  });
});
