/**
 * The `node-processes` view: a full node's process table as `ps -e` and `ls -l /proc/<pid>/ns` on it show
 * it — every process's host pid, parent, command, state and the inode number of each of its namespaces
 * (pid, net, mnt, uts, ipc, cgroup, user), its cgroup, and the CRI container it runs in (matched by its
 * cgroup to a container task's init process) — plus the node's CRI containers, for the node-internals
 * diagram's process tree and container picker.
 *
 * Args: `{ node }`. A node with no kernel (lightweight) or no longer in the cluster is `{ kind: 'absent' }`:
 * the diagram tells which from the lab's Node objects. Bounded: at most MAX_PROCESSES processes (kernel
 * threads are the ones dropped first), command lines cut to MAX_ARGS characters. No timestamp: the value
 * changes (and is posted) only when the processes do.
 */
import type { Process } from '../../engine/kernel/process/process.ts';
import { fullNode, nodeContainers, type NodeContainer } from './nodeContainers.ts';
import { defineView } from './view.ts';

export const MAX_PROCESSES = 400;
export const MAX_ARGS = 160;

/** The namespace types the diagram colours by, as /proc/<pid>/ns names them. */
export const NS_TYPES = ['pid', 'net', 'mnt', 'uts', 'ipc', 'cgroup', 'user'] as const;
export type NsType = (typeof NS_TYPES)[number];

export interface ProcessInfo {
  /** Host pid (in the initial pid namespace). */
  pid: number;
  /** Parent's host pid; 0 for init and kthreadd. */
  ppid: number;
  /** Pid in its own pid namespace (1 for a container's init), when it differs from the host pid. */
  nsPid?: number;
  comm: string;
  /** The command line (argv joined), cut to MAX_ARGS; empty for kernel threads. */
  args: string;
  kthread: boolean;
  /** ps's STAT letter. */
  state: string;
  /** Namespace inode numbers by type (a zombie keeps only pid and user). */
  ns: Partial<Record<NsType, number>>;
  /** Its cgroup's path from the root ("/" for the root). */
  cgroup: string;
  /** The id of the CRI container it runs in, if any. */
  container?: string;
}

export type NodeProcesses =
  | { kind: 'absent'; node: string }
  | {
      kind: 'host';
      node: string;
      processes: ProcessInfo[];
      /** Processes left out to keep the payload bounded. */
      omitted: number;
      containers: NodeContainer[];
    };

export interface NodeArgs {
  node: string;
}

/** Check `{ node }`. */
export function parseNodeArgs(view: string, args: unknown): NodeArgs {
  if (typeof args !== 'object' || args === null) throw new TypeError(`${view}: expected { node }, got ${args === null ? 'null' : typeof args}`);
  const node = (args as { node?: unknown }).node;
  if (typeof node !== 'string' || node === '') throw new TypeError(`${view}: node must be a non-empty string`);
  return { node };
}

function processInfo(p: Process, containerOf: (p: Process) => string | undefined): ProcessInfo {
  const ns: Partial<Record<NsType, number>> = {};
  for (const link of p.nsLinks()) if ((NS_TYPES as readonly string[]).includes(link.name)) ns[link.name as NsType] = link.ns.inum;
  const nsPid = p.pidIn(p.pidNs);
  const args = p.argv.join(' ');
  const container = containerOf(p);
  return {
    pid: p.hostPid,
    ppid: p.parent?.hostPid ?? 0,
    ...(nsPid !== p.hostPid && { nsPid }),
    comm: p.comm,
    args: args.length > MAX_ARGS ? `${args.slice(0, MAX_ARGS - 1)}…` : args,
    kthread: p.kthread,
    state: p.state,
    ns,
    cgroup: p.cgroup.path || '/',
    ...(container !== undefined && { container }),
  };
}

export const nodeProcesses = defineView({
  parse: (args: unknown) => parseNodeArgs('node-processes', args),
  compute(lab, { node: name }): NodeProcesses {
    const node = fullNode(lab, name);
    if (!node) return { kind: 'absent', node: name };
    const containers = nodeContainers(node);
    const byCgroup = new Map(containers.flatMap(({ container, cgroup }) => (cgroup ? [[cgroup, container.id] as const] : [])));
    const all = node.host.table.list();
    const users = all.filter((p) => !p.kthread);
    const kthreads = all.filter((p) => p.kthread);
    const kept = [...users.slice(0, MAX_PROCESSES), ...kthreads.slice(0, Math.max(0, MAX_PROCESSES - users.length))].sort((a, b) => a.hostPid - b.hostPid);
    return {
      kind: 'host',
      node: name,
      processes: kept.map((p) => processInfo(p, (q) => byCgroup.get(q.cgroup))),
      omitted: all.length - kept.length,
      containers: containers.map((c) => c.container),
    };
  },
});
