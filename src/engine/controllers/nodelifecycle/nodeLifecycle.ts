/**
 * The node lifecycle controller — pkg/controller/nodelifecycle/node_lifecycle_controller.go: how the
 * control plane notices a node is gone. Every 5s (--node-monitor-period) it looks at each node's
 * heartbeats — its Lease in kube-node-lease and its Ready condition's lastHeartbeatTime — as seen on
 * the controller's own clock. A node silent for longer than --node-monitor-grace-period (50s in 1.32)
 * has its conditions set to Unknown (`NodeStatusUnknown`, `Kubelet stopped posting node status.`), an
 * event `NodeNotReady`, its pods marked not Ready, and the taints that drive the rest:
 *
 * - NoSchedule taints by condition (the scheduler stops placing pods there):
 *   node.kubernetes.io/unreachable (Ready Unknown), not-ready (Ready False), memory-/disk-/pid-pressure,
 *   and unschedulable for a cordoned node;
 * - NoExecute taints node.kubernetes.io/unreachable or not-ready (with timeAdded), at most one node per
 *   10s per zone (--node-eviction-rate 0.1), none when more than 55% of a zone is unhealthy in a small
 *   cluster or every node is (the controller then assumes the problem is its own, not the nodes');
 *   the taint-eviction controller evicts the pods that do not tolerate them.
 *
 * A node heard from again loses the taints. Left out: zones from topology labels other than
 * topology.kubernetes.io/zone, the large-cluster secondary eviction rate (clusters here are small or
 * simulated), CIDR allocation.
 */
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Timer } from '../../base/clock.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { EVENT_TYPE_NORMAL, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';

export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
export const NODE_EVICTION_INTERVAL_MS = 10_000;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
};
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
const CONTROLLER_TAINT_KEYS = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY, TAINT_UNSCHEDULABLE, ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m))]);

type NodeObject = Node & KubeObject;
type LeaseObject = Lease & KubeObject;
type PodObject = Pod & KubeObject;

interface NodeHealth {
  /** When this controller last saw a heartbeat change, on its clock. */
  probeTimestamp: number;
  heartbeat: string;
  leaseRenewTime: string;
}

function readyStatus(node: Node): string {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

function zoneOf(node: Node): string {
  return node.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '';
}

export class NodeLifecycleController implements Controller {
  private readonly nodeInformer: SharedIndexInformer<NodeObject>;
  private readonly leaseInformer: SharedIndexInformer<LeaseObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly nodes: Lister<NodeObject>;
  private readonly leases: Lister<LeaseObject>;
  private readonly health = new Map<string, NodeHealth>();
  private readonly lastEviction = new Map<string, number>();
  private readonly recorder: EventRecorder;
  private timer: Timer | undefined;
  private running = false;

  constructor(private readonly ctx: ControllerContext) {
    this.nodeInformer = ctx.informers.informerFor<NodeObject>(RESOURCES.nodes);
    this.leaseInformer = ctx.informers.informerFor<LeaseObject>(RESOURCES.leases);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.nodes = this.nodeInformer.lister();
    this.leases = this.leaseInformer.lister();
    this.recorder = ctx.recorder('node-controller');
  }

  async run(): Promise<void> {
    if (!(await this.nodeInformer.waitForSync()) || !(await this.leaseInformer.waitForSync()) || !(await this.podInformer.waitForSync())) return;
    this.timer = this.ctx.clock.every(NODE_MONITOR_PERIOD_MS, () => void this.tick(), 'node lifecycle monitor');
  }

  shutdown(): void {
    this.timer?.cancel();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.monitorNodeHealth();
    } catch (error) {
      this.ctx.handleError(new Error(`monitorNodeHealth failed: ${messageOf(error)}`));
    } finally {
      this.running = false;
    }
  }

  /** One pass: update health, then NoSchedule and NoExecute taints. */
  async monitorNodeHealth(): Promise<void> {
    const now = this.ctx.clock.now();
    const nodes = this.nodes.list();
    for (const node of nodes) await this.tryUpdateNodeHealth(node, now);
    const fresh = this.nodes.list();
    const zones = new Map<string, { total: number; notReady: number }>();
    for (const node of fresh) {
      const z = zones.get(zoneOf(node)) ?? { total: 0, notReady: 0 };
      z.total++;
      if (readyStatus(node) !== 'True') z.notReady++;
      zones.set(zoneOf(node), z);
    }
    const allNotReady = fresh.length > 0 && fresh.every((n) => readyStatus(n) !== 'True');
    for (const node of fresh) {
      const zone = zones.get(zoneOf(node))!;
      const disrupted = allNotReady || (zone.notReady > 2 && zone.notReady / zone.total >= UNHEALTHY_ZONE_THRESHOLD && zone.total <= LARGE_CLUSTER_SIZE_THRESHOLD);
      await this.reconcileTaints(node, now, disrupted);
    }
  }

  private async tryUpdateNodeHealth(node: NodeObject, now: number): Promise<void> {
    const name = node.metadata?.name ?? '';
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const heartbeat = ready?.lastHeartbeatTime ?? '';
    const leaseRenewTime = this.leases.byNamespace('kube-node-lease').get(name)?.spec?.renewTime ?? '';
    let health = this.health.get(name);
    if (!health) {
      health = { probeTimestamp: now, heartbeat, leaseRenewTime };
      this.health.set(name, health);
    }
    if (heartbeat !== health.heartbeat || leaseRenewTime !== health.leaseRenewTime) {
      health.probeTimestamp = now;
      health.heartbeat = heartbeat;
      health.leaseRenewTime = leaseRenewTime;
    }
    if (now <= health.probeTimestamp + NODE_MONITOR_GRACE_PERIOD_MS) return;
    const stamp = rfc3339(now);
    let changed = false;
    const conditions: NodeCondition[] = [...(node.status?.conditions ?? [])];
    for (const type of MONITORED_CONDITIONS) {
      const i = conditions.findIndex((c) => c.type === type);
      if (i < 0) {
        conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata?.creationTimestamp as string | undefined, lastTransitionTime: stamp });
        changed = true;
      } else if (conditions[i]!.status !== 'Unknown') {
        conditions[i] = { ...conditions[i]!, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: stamp };
        changed = true;
      }
    }
    if (!changed) return;
    try {
      await this.ctx.client.resource<NodeObject>(RESOURCES.nodes).updateStatus('', { ...node, status: { ...node.status, conditions } });
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return;
      throw error;
    }
    if (ready?.status === 'True') {
      this.recorder.eventf({ apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } }, EVENT_TYPE_NORMAL, 'NodeNotReady', 'Node %s status is now: %s', name, 'NodeNotReady');
      await this.markPodsNotReady(name, stamp);
    }
  }

  /** MarkPodsNotReady: every pod on the node gets Ready=False, and an event. */
  private async markPodsNotReady(nodeName: string, stamp: string): Promise<void> {
    const pods = this.podInformer.getStore().list().filter((p) => p.spec?.nodeName === nodeName);
    const client = this.ctx.client.resource<PodObject>(RESOURCES.pods);
    for (const pod of pods) {
      const conditions = pod.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status !== 'False')) continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: stamp } : c));
      try {
        await client.updateStatus(pod.metadata?.namespace ?? '', { ...pod, status: { ...pod.status, conditions: next } });
        this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (error) {
        if (!isConflict(error) && !isNotFound(error)) throw error;
      }
    }
  }

  private async reconcileTaints(node: NodeObject, now: number, disrupted: boolean): Promise<void> {
    const name = node.metadata?.name ?? '';
    const existing = node.spec?.taints ?? [];
    const wanted: Taint[] = [];
    for (const c of node.status?.conditions ?? []) {
      const key = CONDITION_TAINTS[c.type]?.[c.status];
      if (key) wanted.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable) wanted.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
    const ready = readyStatus(node);
    const noExecuteKey = ready === 'Unknown' ? TAINT_UNREACHABLE : ready === 'False' ? TAINT_NOT_READY : undefined;
    const currentNoExecute = existing.find((t) => t.effect === 'NoExecute' && (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY));
    if (noExecuteKey) {
      if (currentNoExecute?.key === noExecuteKey) wanted.push(currentNoExecute);
      else if (!disrupted) {
        const zone = zoneOf(node);
        const last = this.lastEviction.get(zone);
        if (last === undefined || now - last >= NODE_EVICTION_INTERVAL_MS) {
          this.lastEviction.set(zone, now);
          wanted.push({ key: noExecuteKey, effect: 'NoExecute', timeAdded: rfc3339(now) });
        } else if (currentNoExecute) wanted.push(currentNoExecute);
      } else if (currentNoExecute) wanted.push(currentNoExecute);
    }
    const others = existing.filter((t) => !CONTROLLER_TAINT_KEYS.has(t.key));
    const keep = existing.filter((t) => CONTROLLER_TAINT_KEYS.has(t.key) && wanted.some((w) => w.key === t.key && w.effect === t.effect));
    // SwapNodeControllerTaint stamps every taint it adds with timeAdded.
    const added = wanted.filter((w) => !keep.some((t) => t.key === w.key && t.effect === w.effect)).map((t) => ({ ...t, timeAdded: t.timeAdded ?? rfc3339(now) }));
    const taints = [...others, ...keep, ...added];
    if (taints.length === existing.length && added.length === 0) return;
    try {
      await this.ctx.client.resource<NodeObject>(RESOURCES.nodes).patch('', name, 'merge', { spec: { taints: taints.length ? taints : null }, metadata: { resourceVersion: node.metadata?.resourceVersion } });
    } catch (error) {
      if (!isConflict(error) && !isNotFound(error)) throw error;
    }
  }
}

export const nodeLifecycleControllerDescriptor: ControllerDescriptor = {
  name: 'node-lifecycle-controller',
  workers: 1,
  init: (ctx) => new NodeLifecycleController(ctx),
};
