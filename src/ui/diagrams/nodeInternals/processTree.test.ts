import { describe, expect, it } from 'vitest';
import type { NodeContainer } from '../../../workers/views/nodeContainers.ts';
import type { ProcessInfo } from '../../../workers/views/nodeProcesses.ts';
import { buildProcessTree } from './processTree.ts';

const HOST = { pid: 4026531836, net: 4026531840, mnt: 4026531841, uts: 4026531838, ipc: 4026531839 };
const id = (c: string) => c.repeat(64);
const proc = (pid: number, ppid: number, comm: string, extra: Partial<ProcessInfo> = {}): ProcessInfo => ({ pid, ppid, comm, args: comm, kthread: false, state: 'S', ns: { ...HOST }, cgroup: '/', ...extra });
const container = (c: string, pod: string, kind: 'sandbox' | 'container', name: string, pid: number): NodeContainer => ({ id: id(c), kind, name, podNamespace: 'default', podName: pod, podUid: `uid-${pod}`, image: 'nginx', pid });
const shim = (pid: number, c: string) => proc(pid, 1, 'containerd-shim', { args: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${id(c)} -address /run/containerd/containerd.sock` });

// Two pods; the web pod's shims started before and after the db pod's, so they are not adjacent by pid.
const webNs = { ...HOST, net: 100, uts: 101, ipc: 102 };
const processes: ProcessInfo[] = [
  proc(1, 0, 'init'),
  proc(2, 0, 'kthreadd', { kthread: true, args: '' }),
  proc(3, 2, 'rcu_sched', { kthread: true, args: '' }),
  proc(4, 2, 'ksoftirqd/0', { kthread: true, args: '' }),
  proc(10, 1, 'containerd'),
  proc(11, 1, 'kubelet'),
  shim(20, 'a'),
  proc(21, 20, 'pause', { ns: { ...webNs, pid: 110, mnt: 111 }, container: id('a'), nsPid: 1 }),
  shim(30, 'c'),
  proc(31, 30, 'pause', { ns: { ...HOST, net: 200, pid: 210, mnt: 211 }, container: id('c'), nsPid: 1 }),
  shim(40, 'b'),
  proc(41, 40, 'nginx', { ns: { ...webNs, pid: 120, mnt: 121 }, container: id('b'), nsPid: 1 }),
  proc(42, 41, 'nginx', { ns: { ...webNs, pid: 120, mnt: 121 }, container: id('b'), nsPid: 2 }),
];
const containers = [container('a', 'web', 'sandbox', 'web', 21), container('b', 'web', 'container', 'web', 41), container('c', 'db', 'sandbox', 'db', 31)];

describe('buildProcessTree', () => {
  it("orders the tree with each pod's shims and processes together, and folds kernel threads", () => {
    const tree = buildProcessTree(processes, containers, 'net');
    expect(tree.rows.map((r) => [r.process.pid, r.depth, r.pod ?? '', r.folded ?? 0])).toEqual([
      [1, 0, '', 0],
      [10, 1, '', 0],
      [11, 1, '', 0],
      [30, 1, 'default/db', 0],
      [31, 2, 'default/db', 0],
      [20, 1, 'default/web', 0],
      [21, 2, 'default/web', 0],
      [40, 1, 'default/web', 0],
      [41, 2, 'default/web', 0],
      [42, 3, 'default/web', 0],
      [2, 0, '', 0],
      [3, 1, '', 2],
    ]);
    expect(tree.pods).toEqual([
      { pod: 'default/db', first: 3, last: 4 },
      { pod: 'default/web', first: 5, last: 9 },
    ]);
    expect(buildProcessTree(processes, containers, 'net', false).rows).toHaveLength(processes.length);
  });

  it('colours by the chosen namespace: the host first, then each namespace as it appears, named by its holders', () => {
    const net = buildProcessTree(processes, containers, 'net');
    const groupOf = (pid: number) => net.rows.find((r) => r.process.pid === pid && !r.folded)!.group;
    expect([1, 20, 31, 21, 41, 42].map(groupOf)).toEqual([0, 0, 1, 2, 2, 2]);
    expect(net.legend).toEqual([
      { group: 0, inode: HOST.net, holder: 'host', processes: 9 },
      { group: 1, inode: 200, holder: 'default/db/pause', processes: 1 },
      { group: 2, inode: 100, holder: 'default/web', processes: 3 },
    ]);
    // By pid namespace the pause and nginx processes of one pod part ways.
    const pid = buildProcessTree(processes, containers, 'pid');
    expect(pid.legend.map((l) => [l.inode, l.holder])).toEqual([
      [HOST.pid, 'host'],
      [210, 'default/db/pause'],
      [110, 'default/web/pause'],
      [120, 'default/web/web'],
    ]);
  });

  it('keeps a process whose parent is not listed at the top, and a zombie without a net namespace uncoloured', () => {
    const zombie = proc(50, 99, 'defunct', { state: 'Z', ns: { pid: HOST.pid } });
    const tree = buildProcessTree([proc(1, 0, 'init'), zombie], [], 'net');
    expect(tree.rows.map((r) => [r.process.pid, r.depth, r.group])).toEqual([
      [1, 0, 0],
      [50, 0, undefined],
    ]);
  });
});
