/**
 * The node-internals diagram's process tree, as a pure function of the `node-processes` view: rows in
 * tree order (a parent before its children), each with its depth, the pod it belongs to and the colour
 * group of its namespace of the chosen type; the legend of those groups; and the pods' row spans so the
 * diagram can frame the processes of one pod (the container shims, the pause process and the containers'
 * processes) together.
 *
 * Order: under each parent, processes that belong to no pod first (by pid), then each pod's, grouped
 * (its sandbox's first), so a pod's rows are contiguous under init. A shim belongs to the pod of the
 * container it runs. Kernel threads (kthreadd's children) can be folded into one row.
 *
 * Colours: each distinct namespace (inode number) of the chosen type gets a group, numbered in order of
 * first appearance; group 0 is the host's (init's). Groups beyond the palette share its last colour, and
 * the legend still names every one by its inode number.
 */
import type { NodeContainer } from '../../../workers/views/nodeContainers.ts';
import type { NsType, ProcessInfo } from '../../../workers/views/nodeProcesses.ts';

export interface ProcessRow {
  process: ProcessInfo;
  depth: number;
  /** `namespace/name` of the pod it belongs to. */
  pod?: string;
  /** The container it runs in (for a shim: the one it runs). */
  container?: NodeContainer;
  /** Its namespace of the chosen type, and that namespace's colour group; undefined when it has none (a zombie). */
  inode?: number;
  group?: number;
  /** For the folded kernel-threads row: how many it stands for. */
  folded?: number;
}

export interface LegendEntry {
  group: number;
  inode: number;
  /** Who holds it: 'host', a pod (`namespace/name`), or a container (`pod/container`) when only one does. */
  holder: string;
  processes: number;
}

export interface PodSpan {
  pod: string;
  /** First and last row index (inclusive). */
  first: number;
  last: number;
}

export interface ProcessTree {
  rows: ProcessRow[];
  legend: LegendEntry[];
  pods: PodSpan[];
}

/** The shim's `-id <container id>` argument. */
function shimContainerId(p: ProcessInfo): string | undefined {
  if (!p.comm.startsWith('containerd-shim')) return undefined;
  return /(?:^| )-id ([0-9a-f]{64})(?: |$)/.exec(p.args)?.[1];
}

export function buildProcessTree(processes: readonly ProcessInfo[], containers: readonly NodeContainer[], nsType: NsType, foldKernelThreads = true): ProcessTree {
  const containerById = new Map(containers.map((c) => [c.id, c]));
  const children = new Map<number, ProcessInfo[]>();
  const pids = new Set(processes.map((p) => p.pid));
  for (const p of processes) {
    const parent = pids.has(p.ppid) ? p.ppid : 0;
    const list = children.get(parent) ?? [];
    list.push(p);
    children.set(parent, list);
  }
  const containerOf = (p: ProcessInfo): NodeContainer | undefined => {
    const id = p.container ?? shimContainerId(p);
    return id ? containerById.get(id) : undefined;
  };
  const podKey = (c: NodeContainer | undefined) => (c ? `${c.podNamespace}/${c.podName}` : undefined);
  /** The pod a subtree belongs to: its root's, else its first child's that has one (a shim's container). */
  const podOfSubtree = (p: ProcessInfo): string | undefined => {
    const own = podKey(containerOf(p));
    if (own) return own;
    for (const c of children.get(p.pid) ?? []) {
      const sub = podKey(containerOf(c));
      if (sub) return sub;
    }
    return undefined;
  };
  const sortKey = (p: ProcessInfo): [string, number, number] => {
    const pod = podOfSubtree(p);
    const c = containerOf(p);
    return [pod ?? '', c?.kind === 'sandbox' ? 0 : 1, p.pid];
  };
  const compare = (a: ProcessInfo, b: ProcessInfo) => {
    const [pa, ka, ia] = sortKey(a);
    const [pb, kb, ib] = sortKey(b);
    return pa < pb ? -1 : pa > pb ? 1 : ka - kb || ia - ib;
  };

  const rows: ProcessRow[] = [];
  const visit = (p: ProcessInfo, depth: number, inheritedPod: string | undefined) => {
    const container = containerOf(p);
    const pod = podKey(container) ?? inheritedPod;
    const inode = p.ns[nsType];
    rows.push({ process: p, depth, ...(pod !== undefined && { pod }), ...(container && { container }), ...(inode !== undefined && { inode }) });
    const kids = [...(children.get(p.pid) ?? [])].sort(compare);
    if (foldKernelThreads && p.comm === 'kthreadd' && kids.every((k) => k.kthread)) {
      if (kids.length > 0) rows.push({ process: kids[0]!, depth: depth + 1, folded: kids.length, ...(kids[0]!.ns[nsType] !== undefined && { inode: kids[0]!.ns[nsType] }) });
      return;
    }
    for (const k of kids) visit(k, depth + 1, pod);
  };
  for (const root of [...(children.get(0) ?? [])].sort((a, b) => a.pid - b.pid)) visit(root, 0, undefined);

  // Colour groups, host (init's) first.
  const groups = new Map<number, number>();
  const init = processes.find((p) => p.pid === 1);
  const hostInode = init?.ns[nsType];
  if (hostInode !== undefined) groups.set(hostInode, 0);
  for (const r of rows) if (r.inode !== undefined && !groups.has(r.inode)) groups.set(r.inode, groups.size);
  for (const r of rows) if (r.inode !== undefined) r.group = groups.get(r.inode);

  // Who holds each namespace.
  const holders = new Map<number, { pods: Set<string>; containers: Set<string>; count: number }>();
  for (const p of processes) {
    const inode = p.ns[nsType];
    if (inode === undefined) continue;
    const h = holders.get(inode) ?? { pods: new Set(), containers: new Set(), count: 0 };
    h.count++;
    const c = p.container ? containerById.get(p.container) : undefined;
    if (c) {
      h.pods.add(`${c.podNamespace}/${c.podName}`);
      h.containers.add(`${c.podNamespace}/${c.podName}/${c.kind === 'sandbox' ? 'pause' : c.name}`);
    } else h.pods.add('host');
    holders.set(inode, h);
  }
  const legend: LegendEntry[] = [...groups].map(([inode, group]) => {
    const h = holders.get(inode)!;
    const holder = inode === hostInode ? 'host' : h.containers.size === 1 ? [...h.containers][0]! : h.pods.size === 1 ? [...h.pods][0]! : [...h.pods].sort().join(', ');
    return { group, inode, holder, processes: h.count };
  });

  const pods: PodSpan[] = [];
  rows.forEach((r, i) => {
    const last = pods[pods.length - 1];
    if (r.pod === undefined) return;
    if (last && last.pod === r.pod && last.last === i - 1) last.last = i;
    else pods.push({ pod: r.pod, first: i, last: i });
  });
  return { rows, legend, pods };
}
