/**
 * describeNode (kubectl 1.32 pkg/describe): roles, labels, annotations, taints, unschedulable, the
 * node's Lease, conditions, addresses, capacity/allocatable, system info, PodCIDRs, the
 * non-terminated pods table with each pod's requests and limits as a share of allocatable, allocated
 * resources, and events.
 *
 * Pod requests and limits follow component-helpers' PodRequests/PodLimits: containers summed, the
 * largest init container (plus the sidecars started before it) taken when larger, restartable init
 * containers (sidecars) added, and overhead added. Left out: in-place resize status resources.
 */
import type { Container, Node, Pod } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { parseQuantity, type Quantity } from '../../../../api/resource/quantity.ts';
import { LEVEL_0, LEVEL_1, tabbedString } from './prefixWriter.ts';
import { byString, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, rfc1123z, since } from './metadata.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

type ResourceMap = Map<string, Quantity>;

function toMap(list: Record<string, unknown> | undefined): ResourceMap {
  const m: ResourceMap = new Map();
  for (const [k, v] of Object.entries(list ?? {})) m.set(k, parseQuantity(String(v)));
  return m;
}

function addInto(into: ResourceMap, from: ResourceMap): void {
  for (const [k, v] of from) {
    const cur = into.get(k);
    into.set(k, cur ? cur.add(v) : v);
  }
}

function maxInto(into: ResourceMap, from: ResourceMap): void {
  for (const [k, v] of from) {
    const cur = into.get(k);
    if (!cur || v.cmp(cur) > 0) into.set(k, v);
  }
}

function podResources(pod: Pod, pick: (c: Container) => Record<string, unknown> | undefined, limits: boolean): ResourceMap {
  const total: ResourceMap = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(total, toMap(pick(c)));
  const sidecars: ResourceMap = new Map();
  const initMax: ResourceMap = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = toMap(pick(c));
    if (c.restartPolicy === 'Always') {
      addInto(total, r);
      addInto(sidecars, r);
      const running: ResourceMap = new Map(sidecars);
      maxInto(initMax, running);
    } else {
      const tmp: ResourceMap = new Map(r);
      addInto(tmp, sidecars);
      maxInto(initMax, tmp);
    }
  }
  maxInto(total, initMax);
  const overhead = toMap(pod.spec?.overhead);
  for (const [k, v] of overhead) {
    if (limits && !total.has(k)) continue;
    const cur = total.get(k);
    total.set(k, cur ? cur.add(v) : v);
  }
  return total;
}

const ZERO = parseQuantity('0');

function pct(v: number, of: number): number {
  return of === 0 ? 0 : Math.trunc((v / of) * 100);
}

/** The roles of node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted. */
function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function isHugePage(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isStandardContainerResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || isHugePage(name);
}

export function describeNode(node: Node, ctx: DescribeContext): string {
  const name = node.metadata?.name ?? '';
  const pods = (ctx.related('', 'pods', '') as Pod[])
    .filter((p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
    .sort(byString((p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`));
  const lease = (ctx.related('coordination.k8s.io', 'leases', 'kube-node-lease') as Lease[]).find((l) => l.metadata?.name === name);
  return tabbedString((w) => {
    const st = node.status ?? {};
    w.write(LEVEL_0, `Name:\t${name}\n`);
    const roles = nodeRoles(node);
    w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', node.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', node.metadata?.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}\n`);
    printTaintsMultiline(w, 'Taints', node.spec?.taints);
    w.write(LEVEL_0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);
    if (lease) {
      w.write(LEVEL_0, 'Lease:\n');
      w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
      w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
      w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
    } else {
      w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${name}" not found\n`);
    }
    if ((st.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of st.conditions!) {
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of st.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
    const printList = (list: Record<string, unknown>): void => {
      for (const k of Object.keys(list).sort()) w.write(LEVEL_0, `  ${k}:\t${parseQuantity(String(list[k])).toString()}\n`);
    };
    if (Object.keys(st.capacity ?? {}).length > 0) {
      w.write(LEVEL_0, 'Capacity:\n');
      printList(st.capacity!);
    }
    if (Object.keys(st.allocatable ?? {}).length > 0) {
      w.write(LEVEL_0, 'Allocatable:\n');
      printList(st.allocatable!);
    }
    const info = st.nodeInfo;
    w.write(LEVEL_0, 'System Info:\n');
    w.write(LEVEL_0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
    w.write(LEVEL_0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
    w.write(LEVEL_0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
    w.write(LEVEL_0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
    w.write(LEVEL_0, `  OS Image:\t${info?.osImage ?? ''}\n`);
    w.write(LEVEL_0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
    w.write(LEVEL_0, `  Architecture:\t${info?.architecture ?? ''}\n`);
    w.write(LEVEL_0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
    if (node.spec?.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
    if ((node.spec?.podCIDRs ?? []).length > 0) w.write(LEVEL_0, `PodCIDRs:\t${node.spec!.podCIDRs!.join(',')}\n`);
    if (node.spec?.providerID) w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);

    w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
    w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
    w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
    const allocatable = toMap(Object.keys(st.allocatable ?? {}).length > 0 ? st.allocatable : st.capacity);
    const allocCpu = (allocatable.get('cpu') ?? ZERO).milliValue();
    const allocMem = (allocatable.get('memory') ?? ZERO).value();
    const reqs: ResourceMap = new Map();
    const lims: ResourceMap = new Map();
    for (const pod of pods) {
      const req = podResources(pod, (c) => c.resources?.requests, false);
      const lim = podResources(pod, (c) => c.resources?.limits, true);
      addInto(reqs, req);
      addInto(lims, lim);
      const cpuReq = req.get('cpu') ?? ZERO;
      const cpuLim = lim.get('cpu') ?? ZERO;
      const memReq = req.get('memory') ?? ZERO;
      const memLim = lim.get('memory') ?? ZERO;
      w.write(
        LEVEL_1,
        `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t${cpuReq} (${pct(cpuReq.milliValue(), allocCpu)}%)\t${cpuLim} (${pct(cpuLim.milliValue(), allocCpu)}%)\t${memReq} (${pct(memReq.value(), allocMem)}%)\t${memLim} (${pct(memLim.value(), allocMem)}%)\t${since(pod.metadata?.creationTimestamp, ctx.now)}\n`,
      );
    }
    w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
    w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
    w.write(LEVEL_1, '--------\t--------\t------\n');
    const row = (r: string, alloc: (q: Quantity) => number): void => {
      const req = reqs.get(r) ?? ZERO;
      const lim = lims.get(r) ?? ZERO;
      const a = alloc(allocatable.get(r) ?? ZERO);
      w.write(LEVEL_1, `${r}\t${req} (${pct(alloc(req), a)}%)\t${lim} (${pct(alloc(lim), a)}%)\n`);
    };
    row('cpu', (q) => q.milliValue());
    row('memory', (q) => q.value());
    row('ephemeral-storage', (q) => q.value());
    const names = [...allocatable.keys()];
    for (const r of names.filter(isHugePage).sort()) row(r, (q) => q.value());
    for (const r of names.filter((n) => !isStandardContainerResource(n) && n !== 'pods').sort()) {
      w.write(LEVEL_1, `${r}\t${reqs.get(r) ?? ZERO}\t${lims.get(r) ?? ZERO}\n`);
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}
