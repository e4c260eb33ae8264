/**
 * The kubelet's container garbage collection (pkg/kubelet/kuberuntime/kuberuntime_gc.go, Kubernetes 1.32),
 * working from what the runtime lists, as upstream does:
 * - containers: the dead containers (not running, created before MinAge) grouped by pod UID and
 *   container name (their `io.kubernetes.*` labels); every one of a pod whose content should be removed
 *   (gone from the kubelet — or, for `deleteAllUnusedContainers` under disk pressure, terminated), and
 *   beyond that the oldest past MaxPerPodContainer per group and MaxContainers in all;
 * - sandboxes: those of removed pods, and for a pod still there all but the newest, a sandbox being kept
 *   while it is ready or still has containers;
 * - log directories under /var/log/pods of removed pods.
 * Removing a container removes its logs first, rotated ones included (the log manager's Clean).
 *
 * Left out: the legacy /var/log/containers symlinks, the internal lifecycle's PostStopContainer.
 */
import type { Clock } from '../../base/clock.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { CriService } from '../../runtime/cri/criService.ts';
import { removeAll } from '../../runtime/snapshots/archive/removeAll.ts';
import { cleanContainerLogs } from '../logs/containerLogManager.ts';

/** The kubelet's default GC policy: no minimum age, one dead container per container, no global cap. */
export interface ContainerGCPolicy {
  minAgeMs: number;
  /** Dead containers kept per (pod, container); negative: no limit. */
  maxPerPodContainer: number;
  /** Dead containers kept on the node; negative: no limit. */
  maxContainers: number;
}

export const DEFAULT_CONTAINER_GC_POLICY: ContainerGCPolicy = { minAgeMs: 0, maxPerPodContainer: 1, maxContainers: -1 };

/** What the kubelet knows of a pod's life (podStateProvider). */
export interface PodStateProvider {
  /** The pod is gone, or terminated and deleted: nothing of it needs keeping. */
  shouldPodContentBeRemoved(uid: string): boolean;
  /** The pod's containers need not run any more (gone or terminated). */
  shouldPodRuntimeBeRemoved(uid: string): boolean;
}

/** The directory of /var/log/pods holding a pod's logs. */
export const POD_LOGS_ROOT = '/var/log/pods';

interface GCInfo {
  id: string;
  createdAt: number;
  logPath?: string;
}

interface SandboxGCInfo extends GCInfo {
  active: boolean;
}

const newestFirst = (a: GCInfo, b: GCInfo) => b.createdAt - a.createdAt;

export class ContainerGC {
  constructor(
    private readonly cri: CriService,
    /** The kubelet's view of the node's files (logs). */
    private readonly vfs: Vfs,
    private readonly clock: Clock,
    private readonly pods: PodStateProvider,
    private readonly policy: ContainerGCPolicy = DEFAULT_CONTAINER_GC_POLICY,
  ) {}

  /** GarbageCollect: containers, sandboxes, then pod log directories. */
  async garbageCollect(evictNonDeletedPods = false): Promise<void> {
    await this.evictContainers(evictNonDeletedPods);
    await this.evictSandboxes(evictNonDeletedPods);
    this.evictPodLogsDirectories();
  }

  /** DeleteAllUnusedContainers: what the eviction manager asks for under disk pressure. */
  deleteAllUnusedContainers(): Promise<void> {
    return this.garbageCollect(true);
  }

  private removable(uid: string, evictNonDeletedPods: boolean): boolean {
    return this.pods.shouldPodContentBeRemoved(uid) || (evictNonDeletedPods && this.pods.shouldPodRuntimeBeRemoved(uid));
  }

  /** evictableContainers: dead containers by `<pod uid>/<container name>`, newest first. */
  private async evictableContainers(): Promise<Map<string, { uid: string; containers: GCInfo[] }>> {
    const { containers } = await this.cri.listContainers();
    const newest = this.clock.now() - this.policy.minAgeMs;
    const units = new Map<string, { uid: string; containers: GCInfo[] }>();
    for (const c of containers) {
      if (c.state === 'CONTAINER_RUNNING' || c.createdAt / 1e6 > newest) continue;
      const uid = c.labels['io.kubernetes.pod.uid'] ?? '';
      const key = `${uid}/${c.labels['io.kubernetes.container.name'] ?? c.metadata.name}`;
      let unit = units.get(key);
      if (!unit) units.set(key, (unit = { uid, containers: [] }));
      unit.containers.push({ id: c.id, createdAt: c.createdAt });
    }
    for (const unit of units.values()) unit.containers.sort(newestFirst);
    return units;
  }

  private async evictContainers(evictNonDeletedPods: boolean): Promise<void> {
    const units = await this.evictableContainers();
    for (const [key, unit] of units) {
      if (!this.removable(unit.uid, evictNonDeletedPods)) continue;
      await this.removeOldest(unit.containers, unit.containers.length);
      units.delete(key);
    }
    if (this.policy.maxPerPodContainer >= 0) for (const unit of units.values()) await this.enforceMaxPerUnit(unit.containers, this.policy.maxPerPodContainer);
    if (this.policy.maxContainers < 0) return;
    const total = () => [...units.values()].reduce((n, u) => n + u.containers.length, 0);
    if (total() <= this.policy.maxContainers) return;
    // Spread the cap over the units first, then remove the oldest across all of them.
    const perUnit = Math.max(1, Math.floor(this.policy.maxContainers / Math.max(1, units.size)));
    for (const unit of units.values()) await this.enforceMaxPerUnit(unit.containers, perUnit);
    if (total() <= this.policy.maxContainers) return;
    const all = [...units.values()].flatMap((u) => u.containers).sort(newestFirst);
    await this.removeOldest(all, all.length - this.policy.maxContainers);
  }

  private async enforceMaxPerUnit(containers: GCInfo[], max: number): Promise<void> {
    const excess = containers.length - max;
    if (excess <= 0) return;
    await this.removeOldest(containers, excess);
  }

  /** removeOldestN: the last `n` of a newest-first list, taken out of it. */
  private async removeOldest(containers: GCInfo[], n: number): Promise<void> {
    const victims = containers.splice(containers.length - n, n);
    for (const c of victims) await this.removeContainer(c.id);
  }

  /** removeContainer: its logs (rotated ones too), then the container. */
  private async removeContainer(id: string): Promise<void> {
    const status = await this.cri.containerStatus(id).catch(() => undefined);
    if (status?.status.logPath) cleanContainerLogs(this.vfs, status.status.logPath);
    await this.cri.removeContainer(id).catch(() => undefined);
  }

  private async evictSandboxes(evictNonDeletedPods: boolean): Promise<void> {
    const [{ containers }, { items }] = await Promise.all([this.cri.listContainers(), this.cri.listPodSandbox()]);
    const withContainers = new Set(containers.map((c) => c.podSandboxId));
    const byPod = new Map<string, SandboxGCInfo[]>();
    for (const s of items) {
      const list = byPod.get(s.metadata.uid) ?? [];
      list.push({ id: s.id, createdAt: s.createdAt, active: s.state === 'SANDBOX_READY' || withContainers.has(s.id) });
      byPod.set(s.metadata.uid, list);
    }
    for (const [uid, sandboxes] of byPod) {
      sandboxes.sort(newestFirst);
      // A removed pod loses every inactive sandbox; one still there keeps its newest.
      const victims = this.removable(uid, evictNonDeletedPods) ? sandboxes : sandboxes.slice(1);
      for (const s of victims) if (!s.active) await this.cri.removePodSandbox(s.id).catch(() => undefined);
    }
  }

  /** evictPodLogsDirectories: /var/log/pods/<namespace>_<name>_<uid> of removed pods. */
  private evictPodLogsDirectories(): void {
    let entries: string[];
    try {
      entries = this.vfs.readdir(POD_LOGS_ROOT).map((e) => e.name).filter((n) => n !== '.' && n !== '..');
    } catch {
      return;
    }
    for (const name of entries) {
      const uid = name.slice(name.lastIndexOf('_') + 1);
      if (this.pods.shouldPodContentBeRemoved(uid)) removeAll(this.vfs, `${POD_LOGS_ROOT}/${name}`);
    }
  }
}
