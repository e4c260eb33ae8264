/**
 * Builders for the scheduler's tests (pkg/scheduler/testing/wrappers.go): `makePod().name('p').req({cpu:
 * '1'}).obj()`, `makeNode().name('n').capacity({cpu: '4'}).obj()`. Each `req` adds a container with those
 * requests; `capacity` sets both capacity and allocatable. Pods without a name or UID get unique ones.
 */
import type {
  Container,
  Node,
  NodeSelectorRequirement,
  Pod,
  PodAffinityTerm,
  Taint,
  Toleration,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';

let seq = 0;

export class PodWrapper {
  readonly pod: Pod;

  constructor() {
    seq++;
    this.pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${seq}`, namespace: 'default', uid: `pod-uid-${seq}` }, spec: { containers: [], schedulerName: 'default-scheduler' }, status: {} };
  }

  private get spec() {
    return this.pod.spec!;
  }

  private get meta(): { name?: string; namespace?: string; uid?: string; deletionTimestamp?: string; labels?: Record<string, string> } {
    return this.pod.metadata as { name?: string; uid?: string };
  }

  name(name: string): this {
    this.meta.name = name;
    this.meta.uid = `uid-${name}-${seq}`;
    return this;
  }

  namespace(ns: string): this {
    this.pod.metadata!.namespace = ns;
    return this;
  }

  uid(uid: string): this {
    this.meta.uid = uid;
    return this;
  }

  node(name: string): this {
    this.spec.nodeName = name;
    return this;
  }

  labels(labels: Record<string, string>): this {
    this.pod.metadata!.labels = { ...this.pod.metadata!.labels, ...labels };
    return this;
  }

  priority(p: number): this {
    this.spec.priority = p;
    return this;
  }

  /** A container named `name` with no requests. */
  container(image = 'busybox', name = `c${this.spec.containers.length}`): this {
    this.spec.containers.push({ name, image });
    return this;
  }

  /** A container with these requests. */
  req(requests: Record<string, string>): this {
    const c: Container = { name: `c${this.spec.containers.length}`, image: 'busybox', resources: { requests: { ...requests } } };
    this.spec.containers.push(c);
    return this;
  }

  initReq(requests: Record<string, string>, restartPolicy?: 'Always'): this {
    const init = (this.spec.initContainers ??= []);
    init.push({ name: `init${init.length}`, image: 'busybox', resources: { requests: { ...requests } }, ...(restartPolicy ? { restartPolicy } : {}) });
    return this;
  }

  hostPort(port: number, protocol = 'TCP', hostIP?: string): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image: 'busybox', ports: [{ containerPort: port, hostPort: port, protocol, ...(hostIP ? { hostIP } : {}) }] });
    return this;
  }

  toleration(t: Toleration): this {
    (this.spec.tolerations ??= []).push(t);
    return this;
  }

  nodeSelector(sel: Record<string, string>): this {
    this.spec.nodeSelector = sel;
    return this;
  }

  /** A required node affinity term (terms added by separate calls are ORed). */
  nodeAffinityTerm(matchExpressions: NodeSelectorRequirement[], matchFields?: NodeSelectorRequirement[]): this {
    const na = ((this.spec.affinity ??= {}).nodeAffinity ??= {});
    const req = (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] });
    req.nodeSelectorTerms.push({ matchExpressions, ...(matchFields ? { matchFields } : {}) });
    return this;
  }

  preferredNodeAffinity(weight: number, matchExpressions: NodeSelectorRequirement[]): this {
    const na = ((this.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: { matchExpressions } });
    return this;
  }

  podAffinity(topologyKey: string, labelSelector: LabelSelector, extra: Partial<PodAffinityTerm> = {}): this {
    const pa = ((this.spec.affinity ??= {}).podAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector, ...extra });
    return this;
  }

  podAntiAffinity(topologyKey: string, labelSelector: LabelSelector, extra: Partial<PodAffinityTerm> = {}): this {
    const pa = ((this.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector, ...extra });
    return this;
  }

  preferredPodAffinity(weight: number, topologyKey: string, labelSelector: LabelSelector): this {
    const pa = ((this.spec.affinity ??= {}).podAffinity ??= {});
    const t: WeightedPodAffinityTerm = { weight, podAffinityTerm: { topologyKey, labelSelector } };
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push(t);
    return this;
  }

  preferredPodAntiAffinity(weight: number, topologyKey: string, labelSelector: LabelSelector): this {
    const pa = ((this.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: { topologyKey, labelSelector } });
    return this;
  }

  spreadConstraint(maxSkew: number, topologyKey: string, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway', labelSelector: LabelSelector, extra: Partial<TopologySpreadConstraint> = {}): this {
    (this.spec.topologySpreadConstraints ??= []).push({ maxSkew, topologyKey, whenUnsatisfiable, labelSelector, ...extra });
    return this;
  }

  schedulingGates(...names: string[]): this {
    this.spec.schedulingGates = names.map((name) => ({ name }));
    return this;
  }

  terminating(): this {
    this.meta.deletionTimestamp = '2026-01-01T00:00:00Z';
    return this;
  }

  obj(): Pod {
    return this.pod;
  }
}

export class NodeWrapper {
  readonly node: Node;

  constructor() {
    seq++;
    this.node = { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${seq}`, uid: `node-uid-${seq}` }, spec: {}, status: {} };
  }

  name(name: string): this {
    this.node.metadata!.name = name;
    return this;
  }

  label(key: string, value: string): this {
    this.node.metadata!.labels = { ...this.node.metadata!.labels, [key]: value };
    return this;
  }

  /** Capacity and allocatable alike. */
  capacity(resources: Record<string, string>): this {
    this.node.status!.capacity = { ...resources };
    this.node.status!.allocatable = { ...resources };
    return this;
  }

  taints(taints: Taint[]): this {
    this.node.spec!.taints = taints;
    return this;
  }

  unschedulable(u = true): this {
    this.node.spec!.unschedulable = u;
    return this;
  }

  images(images: Record<string, number>): this {
    this.node.status!.images = Object.entries(images).map(([name, sizeBytes]) => ({ names: [name], sizeBytes }));
    return this;
  }

  obj(): Node {
    return this.node;
  }
}

export function makePod(): PodWrapper {
  return new PodWrapper();
}

export function makeNode(): NodeWrapper {
  return new NodeWrapper();
}
