/**
 * The `node-cgroups` view: a full node's cgroup tree with what its files say now — memory.current against
 * memory.max (and memory.peak), memory.events' oom and oom_kill, cpu.stat's usage_usec, nr_periods,
 * nr_throttled and throttled_usec, cpu.max — each cgroup named with the pod or container the kubelet
 * made it for (a container's scope is its task's cgroup; a pod's is that scope's parent).
 *
 * Like reading cpu.stat, it first brings the CPU scheduler's accounting up to now (`willReadStats`).
 * The diagram derives rates and "it grew" highlights by comparing successive values, with `time`.
 *
 * Args: `{ node }`; a node with no kernel or no longer in the cluster is `{ kind: 'absent' }`. Bounded to
 * MAX_CGROUPS cgroups in depth-first order (kubepods.slice first, as the diagram is about pods).
 */
import type { Cgroup } from '../../engine/kernel/cgroup/cgroup.ts';
import { fullNode, nodeContainers } from './nodeContainers.ts';
import { parseNodeArgs } from './nodeProcesses.ts';
import { defineView } from './view.ts';

export const MAX_CGROUPS = 300;

export interface CgroupInfo {
  /** Path from the root: "/", "/kubepods.slice", … */
  path: string;
  name: string;
  depth: number;
  /** Processes in this cgroup itself (cgroup.procs). */
  procs: number;
  memory: {
    current: number;
    /** memory.max in bytes; null for "max". */
    max: number | null;
    peak: number;
    oom: number;
    oomKill: number;
  };
  cpu: {
    usageUsec: number;
    nrPeriods: number;
    nrThrottled: number;
    throttledUsec: number;
    /** cpu.max's quota in µs; null for "max". */
    quotaUs: number | null;
    periodUs: number;
  };
  /** The pod this cgroup is for (`namespace/name`), for a pod's cgroup and its containers'. */
  pod?: string;
  /** The container (or `sandbox`) this cgroup is the scope of. */
  container?: { id: string; name: string; kind: 'sandbox' | 'container' };
}

export type NodeCgroups =
  | { kind: 'absent'; node: string }
  | {
      kind: 'host';
      node: string;
      /** Virtual time of the reading, ms. */
      time: number;
      cpus: number;
      /** The machine's RAM: the root cgroup's limit. */
      memoryBytes: number;
      cgroups: CgroupInfo[];
      omitted: number;
    };

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

export const nodeCgroups = defineView({
  parse: (args: unknown) => parseNodeArgs('node-cgroups', args),
  compute(lab, { node: name }): NodeCgroups {
    const node = fullNode(lab, name);
    if (!node) return { kind: 'absent', node: name };
    const hierarchy = node.host.hierarchy;
    hierarchy.willReadStats();
    const containerOf = new Map<Cgroup, { id: string; name: string; kind: 'sandbox' | 'container' }>();
    const podOf = new Map<Cgroup, string>();
    for (const { container, cgroup } of nodeContainers(node)) {
      if (!cgroup) continue;
      const pod = `${container.podNamespace}/${container.podName}`;
      containerOf.set(cgroup, { id: container.id, name: container.name, kind: container.kind });
      podOf.set(cgroup, pod);
      if (cgroup.parent && !cgroup.parent.isRoot) podOf.set(cgroup.parent, pod);
    }
    const cgroups: CgroupInfo[] = [];
    let total = 0;
    const visit = (cg: Cgroup) => {
      total++;
      if (cgroups.length < MAX_CGROUPS) {
        let procs = 0;
        for (const t of cg.tasks) if (t.pid === t.tgid) procs++;
        const pod = podOf.get(cg);
        const container = containerOf.get(cg);
        cgroups.push({
          path: cg.path,
          name: cg.isRoot ? '/' : cg.name,
          depth: cg.depth,
          procs,
          memory: { current: cg.memory.current, max: finite(cg.memory.max), peak: cg.memory.peak, oom: cg.memory.events.oom, oomKill: cg.memory.events.oom_kill },
          cpu: {
            usageUsec: Math.floor(cg.cpu.usageNs / 1000),
            nrPeriods: cg.cpu.nrPeriods,
            nrThrottled: cg.cpu.nrThrottled,
            throttledUsec: Math.floor(cg.cpu.throttledNs / 1000),
            quotaUs: cg.cpu.quotaUs ?? null,
            periodUs: cg.cpu.periodUs,
          },
          ...(pod !== undefined && { pod }),
          ...(container !== undefined && { container }),
        });
      }
      const children = [...cg.children.values()].sort((a, b) => (a.name === 'kubepods.slice' ? -1 : b.name === 'kubepods.slice' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) visit(child);
    };
    visit(hierarchy.root);
    return { kind: 'host', node: name, time: lab.clock.now(), cpus: node.host.cpus, memoryBytes: node.host.memoryBytes, cgroups, omitted: total - cgroups.length };
  },
});
