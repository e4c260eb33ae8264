/**
 * SummaryProvider — the kubelet's stats provider (pkg/kubelet/server/stats/summary.go with the cadvisor
 * stats provider of pkg/kubelet/stats, Kubernetes 1.32): what `/stats/summary` answers for one node.
 *
 * Housekeeping, as cadvisor's (10 s, its --housekeeping_interval), samples the node's root cgroup and
 * every running container (the CRI's ListPodSandbox, ListContainers and ListContainerStats) and keeps the
 * last two samples of each, so a CPU rate (`usageNanoCores`) exists from the second sample on: the
 * difference of cumulative `usageCoreNanoSeconds` over the time between the samples, as cadvisor derives
 * it. The rate is the provider's own: the CRI's usageNanoCores depends on who called it last. Memory is
 * the last sample's (usage, working set = usage − inactive_file, rss = anon). A pod's cpu and memory
 * are the sums of its containers' (as the CRI stats provider computes them), its start time its
 * sandbox's creation. `pods()` (the kubelet's pod manager) names the pods: sandboxes it does not know
 * are left out, as the kubelet leaves out terminated pods.
 *
 * The node: cpu and memory from the root cgroup (which every task of the host is charged to), fs from
 * the root file system's statfs, runtime.imageFs from the CRI's ImageFsInfo on that file system.
 *
 * Left out: system containers (kubelet, runtime, pods), network, volumes, swap, rlimit, process stats,
 * accelerators, the CRI-only stats provider (PodAndContainerStatsFromCRI), logs' fs usage.
 */
import type { Clock, Timer } from '../../base/clock.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Cgroup } from '../../kernel/cgroup/cgroup.ts';
import type { Host } from '../../kernel/host.ts';
import type { CriService } from '../../runtime/cri/criService.ts';
import type { ContainerStats as CriContainerStats, FilesystemUsage } from '../../runtime/cri/types.ts';
import type { ContainerStats, CPUStats, FsStats, MemoryStats, NodeStats, PodStats, Summary } from './types.ts';

/** cadvisor's default --housekeeping_interval. */
export const HOUSEKEEPING_INTERVAL_MS = 10_000;

/** A pod the kubelet runs, as the provider needs to know it. */
export interface PodOfNode {
  namespace: string;
  name: string;
  uid: string;
  sandboxId: string;
}

export interface SummaryProviderOptions {
  clock: Clock;
  host: Host;
  cri: CriService;
  nodeName: string;
  pods: () => ReadonlyArray<PodOfNode>;
}

/** Anything that answers `/stats/summary` (a SummaryProvider; metrics-server's tests use fakes). */
export interface SummarySource {
  summary(): Summary | Promise<Summary>;
}

interface CpuSample {
  /** Virtual time, ms. */
  time: number;
  usageNs: number;
}

interface ContainerSample {
  name: string;
  sandboxId: string;
  /** Creation time, ms. */
  createdAt: number;
  cpu: CpuSample[];
  stats: CriContainerStats;
}

interface SandboxSample {
  createdAt: number;
}

/** cadvisor's rate of two cumulative CPU samples, nanocores; undefined with fewer than two. */
function rate(samples: readonly CpuSample[]): number | undefined {
  const [prev, last] = samples.length >= 2 ? [samples[samples.length - 2]!, samples[samples.length - 1]!] : [undefined, undefined];
  if (!prev || !last || last.time <= prev.time) return undefined;
  return Math.round(((last.usageNs - prev.usageNs) / ((last.time - prev.time) * 1e6)) * 1e9);
}

function keepTwo<T>(list: T[], item: T): T[] {
  return [...list.slice(-1), item];
}

export class SummaryProvider implements SummarySource {
  private readonly options: SummaryProviderOptions;
  private nodeCpu: CpuSample[] = [];
  private containers = new Map<string, ContainerSample>();
  private sandboxes = new Map<string, SandboxSample>();
  private imageFs: FilesystemUsage | undefined;
  private timer: Timer | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  /** Starts housekeeping at once, then every HOUSEKEEPING_INTERVAL_MS until `stop()`. */
  constructor(options: SummaryProviderOptions) {
    this.options = options;
    void this.housekeeping();
    this.timer = options.clock.every(HOUSEKEEPING_INTERVAL_MS, () => void this.housekeeping(), `cadvisor housekeeping ${options.nodeName}`);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** One housekeeping pass (also what the timer runs); a pass still running is not overlapped. */
  housekeeping(): Promise<void> {
    this.running ??= this.sample().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sample(): Promise<void> {
    if (this.stopped) return;
    const { clock, host, cri } = this.options;
    const now = clock.now();
    this.nodeCpu = keepTwo(this.nodeCpu, { time: now, usageNs: host.hierarchy.root.cpu.usageNs });
    const [{ items }, { containers }, { stats }, imageFs] = await Promise.all([cri.listPodSandbox(), cri.listContainers(), cri.listContainerStats(), cri.imageFsInfo()]);
    this.imageFs = imageFs.imageFilesystems[0];
    this.sandboxes = new Map(items.map((s) => [s.id, { createdAt: s.createdAt / 1e6 }]));
    const byId = new Map(containers.map((c) => [c.id, c]));
    const next = new Map<string, ContainerSample>();
    for (const s of stats) {
      const c = byId.get(s.attributes.id);
      if (!c || c.state !== 'CONTAINER_RUNNING') continue;
      const before = this.containers.get(c.id);
      const sample = { time: now, usageNs: s.cpu.usageCoreNanoSeconds.value };
      next.set(c.id, { name: c.metadata.name, sandboxId: c.podSandboxId, createdAt: c.createdAt / 1e6, cpu: keepTwo(before?.cpu ?? [], sample), stats: s });
    }
    this.containers = next;
  }

  /** `/stats/summary` from the last housekeeping samples. */
  summary(): Summary {
    const pods: PodStats[] = [];
    for (const pod of this.options.pods()) {
      const sandbox = this.sandboxes.get(pod.sandboxId);
      if (!sandbox) continue;
      const containers = [...this.containers.values()].filter((c) => c.sandboxId === pod.sandboxId).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const stats = containers.map((c) => this.containerStats(c));
      const entry: PodStats = { podRef: { name: pod.name, namespace: pod.namespace, uid: pod.uid }, startTime: rfc3339(sandbox.createdAt), containers: stats };
      if (stats.length > 0) {
        entry.cpu = sumCpu(stats.map((s) => s.cpu!));
        entry.memory = sumMemory(stats.map((s) => s.memory!));
        entry['ephemeral-storage'] = { time: entry.cpu.time, usedBytes: stats.reduce((n, s) => n + (s.rootfs?.usedBytes ?? 0), 0) };
      }
      pods.push(entry);
    }
    return { node: this.nodeStats(), pods };
  }

  private containerStats(c: ContainerSample): ContainerStats {
    const last = c.cpu[c.cpu.length - 1]!;
    const time = rfc3339(last.time);
    const cpu: CPUStats = { time, usageCoreNanoSeconds: last.usageNs };
    const nanoCores = rate(c.cpu);
    if (nanoCores !== undefined) cpu.usageNanoCores = nanoCores;
    const m = c.stats.memory;
    const memory: MemoryStats = {
      time,
      usageBytes: m.usageBytes.value,
      workingSetBytes: m.workingSetBytes.value,
      rssBytes: m.rssBytes.value,
      pageFaults: m.pageFaults.value,
      majorPageFaults: m.majorPageFaults.value,
    };
    if (m.availableBytes.value > 0) memory.availableBytes = m.availableBytes.value;
    const rootfs: FsStats = { time, usedBytes: c.stats.writableLayer.usedBytes.value, inodesUsed: c.stats.writableLayer.inodesUsed.value };
    return { name: c.name, startTime: rfc3339(c.createdAt), cpu, memory, rootfs };
  }

  private nodeStats(): NodeStats {
    const { host, nodeName } = this.options;
    const node: NodeStats = { nodeName, startTime: rfc3339(host.bootTime) };
    const last = this.nodeCpu[this.nodeCpu.length - 1];
    if (!last) return node;
    const time = rfc3339(last.time);
    node.cpu = { time, usageCoreNanoSeconds: last.usageNs };
    const nanoCores = rate(this.nodeCpu);
    if (nanoCores !== undefined) node.cpu.usageNanoCores = nanoCores;
    node.memory = rootMemory(host.hierarchy.root, host.memoryBytes, time);
    const fs = rootFs(host, time);
    node.fs = fs;
    if (this.imageFs) node.runtime = { imageFs: { ...fs, usedBytes: this.imageFs.usedBytes.value, inodesUsed: this.imageFs.inodesUsed.value } };
    return node;
  }
}

/** The root cgroup's memory as cadvisor reports the machine's: available is what the working set leaves. */
function rootMemory(root: Cgroup, memoryBytes: number, time: string): MemoryStats {
  const m = root.memory;
  const inactiveFile = Math.max(0, m.stat.file - m.stat.shmem);
  const workingSet = Math.max(0, m.current - inactiveFile);
  return { time, availableBytes: Math.max(0, memoryBytes - workingSet), usageBytes: m.current, workingSetBytes: workingSet, rssBytes: m.stat.anon, pageFaults: m.pgfault, majorPageFaults: m.pgmajfault };
}

function rootFs(host: Host, time: string): FsStats {
  const s = host.disk.statfs();
  return { time, availableBytes: s.bavail * s.bsize, capacityBytes: s.blocks * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize, inodesFree: s.ffree, inodes: s.files, inodesUsed: s.files - s.ffree };
}

function sumCpu(list: readonly CPUStats[]): CPUStats {
  const out: CPUStats = { time: list[0]!.time, usageCoreNanoSeconds: 0 };
  let nanoCores: number | undefined = 0;
  for (const c of list) {
    out.usageCoreNanoSeconds += c.usageCoreNanoSeconds;
    nanoCores = nanoCores === undefined || c.usageNanoCores === undefined ? undefined : nanoCores + c.usageNanoCores;
  }
  if (nanoCores !== undefined) out.usageNanoCores = nanoCores;
  return out;
}

function sumMemory(list: readonly MemoryStats[]): MemoryStats {
  const out: MemoryStats = { time: list[0]!.time, usageBytes: 0, workingSetBytes: 0, rssBytes: 0, pageFaults: 0, majorPageFaults: 0 };
  for (const m of list) {
    out.usageBytes += m.usageBytes;
    out.workingSetBytes += m.workingSetBytes;
    out.rssBytes += m.rssBytes;
    out.pageFaults += m.pageFaults;
    out.majorPageFaults += m.majorPageFaults;
  }
  return out;
}
