/**
 * The kubelet's container manager, as far as cgroups go (pkg/kubelet/cm: qos_container_manager_linux.go,
 * pod_container_manager_linux.go, helpers_linux.go ResourceConfigForPod): the kubepods tree made at
 * start-up — kubepods, and below it burstable and besteffort (`kubepods.slice/kubepods-burstable.slice`
 * with the systemd driver, `kubepods/burstable` with cgroupfs) — and one cgroup per pod under its QoS
 * class's, with the pod-level limits: cpu.weight from the sum of the requests (cpu.shares 2 for
 * BestEffort), cpu.max from the sum of the limits when every container sets one, memory.max likewise.
 * The containers' own cgroups go below it (the CRI puts them there from the sandbox's cgroupParent).
 *
 * Left out: the QoS cgroups' reserve updates (qosReserved), pids.max (podPidsLimit), hugepages, cpuset
 * and the memory QoS (memory.min/high) alpha feature.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { podQOSClass, type QOSClass } from '../../api/qos.ts';
import { podCgroupPath, qosCgroupPath, type CgroupDriver } from '../../kernel/cgroup/cgroupDriver.ts';
import { KernelError } from '../../kernel/errno.ts';
import { isDir } from '../../kernel/fs/inode.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { LinuxResources } from '../../runtime/oci/spec.ts';
import { CgroupManager } from '../../runtime/runc/cgroupManager.ts';
import { scaledAmount } from '../../scheduler/framework/resource.ts';

/** MinShares and the CFS period the kubelet uses. */
export const MIN_SHARES = 2;
export const QUOTA_PERIOD = 100_000;
const MIN_QUOTA_PERIOD = 1000;

/** MilliCPUToShares: millicores as cpu.shares (1024 per core), at least 2. */
export function milliCPUToShares(milli: number): number {
  if (milli === 0) return MIN_SHARES;
  return Math.max(MIN_SHARES, Math.floor((milli * 1024) / 1000));
}

/** MilliCPUToQuota: millicores as a CFS quota for `period`, at least 1ms; 0 for no limit. */
export function milliCPUToQuota(milli: number, period = QUOTA_PERIOD): number {
  if (milli === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.floor((milli * period) / 1000));
}

function amount(list: Record<string, unknown> | undefined, name: string): number | undefined {
  const v = list?.[name];
  return v === undefined ? undefined : scaledAmount(name, v);
}

/** A container's request and limit of cpu (millicores) and memory (bytes); undefined when unset. */
export function containerResources(c: Container): { cpuRequest?: number; cpuLimit?: number; memoryRequest?: number; memoryLimit?: number } {
  const requests = c.resources?.requests as Record<string, unknown> | undefined;
  const limits = c.resources?.limits as Record<string, unknown> | undefined;
  const out: ReturnType<typeof containerResources> = {};
  const cpuRequest = amount(requests, 'cpu') ?? amount(limits, 'cpu');
  const cpuLimit = amount(limits, 'cpu');
  const memoryRequest = amount(requests, 'memory') ?? amount(limits, 'memory');
  const memoryLimit = amount(limits, 'memory');
  if (cpuRequest !== undefined) out.cpuRequest = cpuRequest;
  if (cpuLimit !== undefined) out.cpuLimit = cpuLimit;
  if (memoryRequest !== undefined) out.memoryRequest = memoryRequest;
  if (memoryLimit !== undefined) out.memoryLimit = memoryLimit;
  return out;
}

/** ResourceConfigForPod: the pod cgroup's cpu shares, quota and memory limit. */
export function resourceConfigForPod(pod: Pod): LinuxResources {
  const qos = podQOSClass(pod);
  if (qos === 'BestEffort') return { cpu: { shares: MIN_SHARES } };
  let cpuRequests = 0;
  let cpuLimits = 0;
  let memoryLimits = 0;
  let cpuLimitsDeclared = true;
  let memoryLimitsDeclared = true;
  const regular = pod.spec?.containers ?? [];
  for (const c of regular) {
    const r = containerResources(c);
    cpuRequests += r.cpuRequest ?? 0;
    if (r.cpuLimit === undefined) cpuLimitsDeclared = false;
    else cpuLimits += r.cpuLimit;
    if (r.memoryLimit === undefined) memoryLimitsDeclared = false;
    else memoryLimits += r.memoryLimit;
  }
  // An init container runs alone: the pod needs the larger of the sum and each init container's own.
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerResources(c);
    cpuRequests = Math.max(cpuRequests, r.cpuRequest ?? 0);
    if (r.cpuLimit === undefined) cpuLimitsDeclared = false;
    else cpuLimits = Math.max(cpuLimits, r.cpuLimit);
    if (r.memoryLimit === undefined) memoryLimitsDeclared = false;
    else memoryLimits = Math.max(memoryLimits, r.memoryLimit);
  }
  const cpu: NonNullable<LinuxResources['cpu']> = { shares: milliCPUToShares(cpuRequests) };
  if (cpuLimitsDeclared) Object.assign(cpu, { quota: milliCPUToQuota(cpuLimits), period: QUOTA_PERIOD });
  const out: LinuxResources = { cpu };
  if (memoryLimitsDeclared) out.memory = { limit: memoryLimits };
  return out;
}

/** The cgroups of the node's pods. */
export class PodContainerManager {
  constructor(
    private readonly vfs: Vfs,
    readonly driver: CgroupDriver,
  ) {}

  private manager(path: string): CgroupManager {
    return new CgroupManager(this.vfs, CgroupManager.detectVersion(this.vfs), path);
  }

  /** The kubepods tree (setupNode's QoS cgroups). */
  createQosCgroups(): void {
    for (const qos of ['Guaranteed', 'Burstable', 'BestEffort'] as const) this.manager(qosCgroupPath(this.driver, qos)).create();
    this.manager(qosCgroupPath(this.driver, 'BestEffort')).set({ cpu: { shares: MIN_SHARES } });
  }

  /** The pod's cgroup path from the hierarchy root. */
  podCgroup(pod: Pod): string {
    return podCgroupPath(this.driver, podQOSClass(pod), pod.metadata?.uid ?? '');
  }

  /** What the sandbox config's cgroupParent says: the slice's name (systemd), or the path (cgroupfs). */
  cgroupParent(pod: Pod): string {
    const path = this.podCgroup(pod);
    return this.driver === 'systemd' ? path.slice(path.lastIndexOf('/') + 1) : path;
  }

  /** EnsureExists: the pod's cgroup with its limits. */
  ensureExists(pod: Pod): void {
    const m = this.manager(this.podCgroup(pod));
    m.create();
    m.set(resourceConfigForPod(pod));
  }

  /** Destroy: remove the pod's cgroup (its containers' are gone with their tasks). */
  destroy(pod: Pod): void {
    const m = this.manager(this.podCgroup(pod));
    for (const dir of new Set(Object.values(m.paths()))) this.removeTree(dir);
  }

  /** rmdir the cgroup and its children, deepest first (a cgroup's files go with its directory). */
  private removeTree(dir: string): void {
    try {
      for (const e of this.vfs.readdir(dir)) if (this.isDir(`${dir}/${e.name}`)) this.removeTree(`${dir}/${e.name}`);
      this.vfs.rmdir(dir);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
  }

  private isDir(path: string): boolean {
    try {
      return isDir(this.vfs.lstat(path).mode);
    } catch (error) {
      if (error instanceof KernelError) return false;
      throw error;
    }
  }
}

export type { QOSClass };
