/**
 * A control plane with the scheduler for whole-flow tests: a Cluster on a paused virtual clock, an admin
 * client, helpers to create ready Nodes (with status) and Pods, and `settle` to let the informers, the
 * scheduling loop and the event writes run (they are promise continuations).
 */
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { ADMIN_USER } from '../../apiserver/kubeApiserver.ts';
import { Clock, DEFAULT_EPOCH } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Cluster } from '../../cluster/cluster.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RestClient, type KubeObject } from '../../client/rest/restClient.ts';
import type { SchedulerConfiguration } from '../config.ts';
import type { ScheduleExplanation } from '../explanation.ts';
import { SCHEDULER_USER, Scheduler } from '../scheduler.ts';

type Obj = KubeObject & Record<string, unknown>;

export interface NodeSpecOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
}

/** Let every ready promise continuation run (the engine's work between clock timers is all promises). */
export async function settle(rounds = 300): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

export class SchedulerTestCluster {
  readonly clock = new Clock({ startTime: DEFAULT_EPOCH, paused: true });
  readonly rng = new SeededRng(7);
  readonly cluster = new Cluster({ clock: this.clock, rng: this.rng });
  readonly admin = new RestClient(this.cluster.transportFor(ADMIN_USER, 'kubectl/v1.32.0'));
  readonly scheduler: Scheduler;
  readonly attempts: ScheduleExplanation[] = [];

  constructor(config?: SchedulerConfiguration) {
    this.scheduler = new Scheduler({ transport: this.cluster.transportFor(SCHEDULER_USER, 'kube-scheduler/v1.32.0'), clock: this.clock, rng: this.rng, config });
    this.scheduler.onDidAttemptSchedule((e) => this.attempts.push(e));
  }

  async start(): Promise<void> {
    await this.admin.resource<Obj>(RESOURCES.serviceaccounts).create('default', { metadata: { name: 'default' } });
    this.scheduler.start();
    await settle();
  }

  /** Create a Node, then set its status (capacity = allocatable, Ready), as a kubelet registers. */
  async node(name: string, o: NodeSpecOptions = {}): Promise<void> {
    const nodes = this.admin.resource<Obj>(RESOURCES.nodes);
    const labels = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...o.labels };
    const created = await nodes.create('', { metadata: { name, labels }, spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) } });
    const resources = { cpu: o.cpu ?? '4', memory: o.memory ?? '16Gi', pods: o.pods ?? '110' };
    await nodes.updateStatus('', { ...created, status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] } });
  }

  async pod(pod: Pod, namespace = 'default'): Promise<Pod> {
    const spec = { automountServiceAccountToken: false, ...pod.spec, containers: pod.spec?.containers?.length ? pod.spec.containers : [{ name: 'app', image: 'nginx:1.27' }] };
    return (await this.admin.resource<Obj>(RESOURCES.pods).create(namespace, { apiVersion: 'v1', kind: 'Pod', ...pod, spec } as unknown as Obj)) as unknown as Pod;
  }

  async get(name: string, namespace = 'default'): Promise<Pod> {
    return (await this.admin.resource<Obj>(RESOURCES.pods).get(namespace, name)) as unknown as Pod;
  }

  async events(name: string, namespace = 'default'): Promise<Event[]> {
    const list = await this.admin.resource<Obj>(RESOURCES.events).list(namespace, { fieldSelector: `involvedObject.name=${name}` });
    return list.items as unknown as Event[];
  }

  /** Advance virtual time in steps, letting everything that became ready run after each. */
  async tick(ms: number, step = 500): Promise<void> {
    for (let t = 0; t < ms; t += step) {
      this.clock.advance(Math.min(step, ms - t));
      await settle();
    }
  }

  stop(): void {
    this.scheduler.stop();
  }
}

