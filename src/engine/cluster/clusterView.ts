/**
 * ClusterView — what the lab's diagrams draw of the cluster, kept as the Kubernetes dashboard keeps its
 * view: a client of the apiserver (its own credentials, read-only) whose informers watch nodes, pods,
 * Deployments, ReplicaSets, DaemonSets, StatefulSets, Services and EndpointSlices, and turn each object
 * into a small plain record (`ObjectRecord`) — the fields a cluster map, an object graph or a node panel
 * shows, and nothing else, so that records cross the worker boundary cheaply and a diff says what moved.
 * A pod's READY and STATUS are kubectl's (the apiserver's own table printer computes them); requests and
 * allocatable are the scheduler's sums.
 *
 * Records are keyed `<resource>/<namespace>/<name>` (`nodes//worker-1` for cluster-scoped ones); `put` is
 * called for every add or change that alters the record, `remove` for every delete.
 *
 * Left out: events, ConfigMaps, Secrets, RBAC and the other kinds (no diagram draws them yet), and
 * field-level history.
 */
import type { Deployment, DaemonSet, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../client/rest/restClient.ts';
import { DeletedFinalStateUnknown } from '../client/cache/store.ts';
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { SharedInformerFactory } from '../client/cache/sharedInformer.ts';
import { RESOURCES } from '../client/resources.ts';
import { RestClient } from '../client/rest/restClient.ts';
import type { Transport } from '../client/rest/transport.ts';
import { printPod } from '../apiserver/printers/pod.ts';
import { podRequests, resourceFromList } from '../scheduler/framework/resource.ts';

/** The object that owns another, as its controller ownerReference names it. */
export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

interface ObjectBase {
  readonly typeName: 'object';
  readonly id: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner?: OwnerRef;
  /** creationTimestamp in epoch ms. */
  readonly created: number;
}

export interface PodView extends ObjectBase {
  readonly resource: 'pods';
  readonly node: string;
  readonly phase: string;
  /** kubectl's READY (`1/2`) and STATUS (`Running`, `CrashLoopBackOff`, `Init:0/2`, `Terminating`…). */
  readonly ready: string;
  readonly status: string;
  readonly restarts: number;
  /** The Ready condition is True. */
  readonly isReady: boolean;
  readonly ip: string;
  readonly qosClass: string;
  /** The sum of the containers' requests: millicores and bytes. */
  readonly requests: { readonly cpu: number; readonly memory: number };
}

export interface NodeView extends ObjectBase {
  readonly resource: 'nodes';
  readonly ready: boolean;
  readonly unschedulable: boolean;
  readonly roles: readonly string[];
  readonly address: string;
  readonly podCIDR: string;
  /** Allocatable: millicores, bytes and pods. */
  readonly allocatable: { readonly cpu: number; readonly memory: number; readonly pods: number };
  readonly kubeletVersion: string;
  readonly taints: readonly string[];
}

export interface WorkloadView extends ObjectBase {
  readonly resource: 'deployments' | 'replicasets' | 'daemonsets' | 'statefulsets';
  readonly selector: Readonly<Record<string, string>>;
  readonly desired: number;
  readonly ready: number;
  readonly current: number;
}

export interface ServiceView extends ObjectBase {
  readonly resource: 'services';
  readonly type: string;
  readonly clusterIP: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly string[];
}

export interface EndpointSliceView extends ObjectBase {
  readonly resource: 'endpointslices';
  readonly service: string;
  readonly endpoints: ReadonlyArray<{ readonly address: string; readonly ready: boolean; readonly pod: string }>;
}

export type ObjectRecord = PodView | NodeView | WorkloadView | ServiceView | EndpointSliceView;

export interface ClusterViewOptions {
  transport: Transport;
  clock: Clock;
  rng: SeededRng;
  put(record: ObjectRecord): void;
  remove(id: string): void;
}

/** `<resource>/<namespace>/<name>`: a record's id. */
export function objectId(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

const WATCHED = ['nodes', 'pods', 'deployments', 'replicasets', 'daemonsets', 'statefulsets', 'services', 'endpointslices'] as const;

export class ClusterView {
  private readonly informers: SharedInformerFactory;
  /** What each id's record last was, as JSON: an update that changes nothing shown is no change. */
  private readonly shown = new Map<string, string>();

  constructor(private readonly options: ClusterViewOptions) {
    this.informers = new SharedInformerFactory(new RestClient(options.transport), { clock: options.clock, rng: options.rng });
    for (const resource of WATCHED) {
      const informer = this.informers.informerFor<KubeObject>(RESOURCES[resource]);
      informer.addEventHandler({
        onAdd: (o) => this.show(resource, o),
        onUpdate: (_old, o) => this.show(resource, o),
        onDelete: (o) => this.hide(resource, o instanceof DeletedFinalStateUnknown ? o.key : `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`),
      });
    }
  }

  start(): void {
    this.informers.start();
  }

  stop(): void {
    this.informers.shutdown();
  }

  private show(resource: (typeof WATCHED)[number], o: KubeObject): void {
    const record = toRecord(resource, o, this.options.clock.now());
    const json = JSON.stringify(record);
    if (this.shown.get(record.id) === json) return;
    this.shown.set(record.id, json);
    this.options.put(record);
  }

  /** Drop the record of the object whose store key (`namespace/name`, or `name`) is `key`. */
  private hide(resource: string, key: string): void {
    const slash = key.indexOf('/');
    const id = objectId(resource, slash < 0 ? '' : key.slice(0, slash), key.slice(slash + 1));
    if (!this.shown.delete(id)) return;
    this.options.remove(id);
  }
}

function base(resource: string, o: KubeObject) {
  const md: ObjectMeta = o.metadata ?? {};
  const controller = md.ownerReferences?.find((r) => r.controller) ?? md.ownerReferences?.[0];
  return {
    typeName: 'object' as const,
    id: objectId(resource, md.namespace ?? '', md.name ?? ''),
    namespace: md.namespace ?? '',
    name: md.name ?? '',
    uid: md.uid ?? '',
    labels: { ...(md.labels ?? {}) },
    ...(controller ? { owner: { kind: controller.kind, name: controller.name, uid: controller.uid } } : {}),
    created: md.creationTimestamp ? Date.parse(md.creationTimestamp) : 0,
  };
}

function toRecord(resource: (typeof WATCHED)[number], o: KubeObject, now: number): ObjectRecord {
  switch (resource) {
    case 'pods': {
      const pod = o as Pod & KubeObject;
      const cells = printPod(pod, now);
      const requests = podRequests(pod);
      return {
        ...base(resource, o),
        resource,
        node: pod.spec?.nodeName ?? '',
        phase: pod.status?.phase ?? '',
        ready: String(cells[1] ?? ''),
        status: String(cells[2] ?? ''),
        restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
        isReady: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        ip: pod.status?.podIP ?? '',
        qosClass: pod.status?.qosClass ?? '',
        requests: { cpu: requests.milliCPU, memory: requests.memory },
      };
    }
    case 'nodes': {
      const node = o as Node & KubeObject;
      const labels = node.metadata?.labels ?? {};
      const allocatable = resourceFromList(node.status?.allocatable);
      return {
        ...base(resource, o),
        resource,
        ready: node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        unschedulable: node.spec?.unschedulable ?? false,
        roles: Object.keys(labels)
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length))
          .sort(),
        address: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
        podCIDR: node.spec?.podCIDR ?? '',
        allocatable: { cpu: allocatable.milliCPU, memory: allocatable.memory, pods: allocatable.allowedPodNumber },
        kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '',
        taints: (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
      };
    }
    case 'deployments':
    case 'replicasets':
    case 'statefulsets': {
      const w = o as (Deployment | ReplicaSet | StatefulSet) & KubeObject;
      return {
        ...base(resource, o),
        resource,
        selector: { ...(w.spec?.selector?.matchLabels ?? {}) },
        desired: w.spec?.replicas ?? 1,
        ready: w.status?.readyReplicas ?? 0,
        current: w.status?.replicas ?? 0,
      };
    }
    case 'daemonsets': {
      const ds = o as DaemonSet & KubeObject;
      return {
        ...base(resource, o),
        resource,
        selector: { ...(ds.spec?.selector?.matchLabels ?? {}) },
        desired: ds.status?.desiredNumberScheduled ?? 0,
        ready: ds.status?.numberReady ?? 0,
        current: ds.status?.currentNumberScheduled ?? 0,
      };
    }
    case 'services': {
      const svc = o as Service & KubeObject;
      return {
        ...base(resource, o),
        resource,
        type: svc.spec?.type ?? 'ClusterIP',
        clusterIP: svc.spec?.clusterIP ?? '',
        selector: { ...(svc.spec?.selector ?? {}) },
        ports: (svc.spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`),
      };
    }
    case 'endpointslices': {
      const slice = o as EndpointSlice & KubeObject;
      return {
        ...base(resource, o),
        resource,
        service: slice.metadata?.labels?.['kubernetes.io/service-name'] ?? '',
        endpoints: (slice.endpoints ?? []).flatMap((e) => e.addresses.map((address) => ({ address, ready: e.conditions?.ready ?? true, pod: e.targetRef?.kind === 'Pod' ? (e.targetRef.name ?? '') : '' }))),
      };
    }
  }
}
