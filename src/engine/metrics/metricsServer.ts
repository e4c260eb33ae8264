/**
 * metrics-server (sigs.k8s.io/metrics-server 0.7): scrapes every node's kubelet each --metric-resolution
 * (15 s), keeps the last two points (storage.ts) and serves the resource metrics API, metrics.k8s.io/v1beta1
 * NodeMetrics and PodMetrics, through the apiserver's aggregation layer (its APIService backend).
 *
 * It knows nodes and pods from its own informers, through the apiserver as any component: a node is
 * scraped when it is a Node object and its kubelet serves stats (`sources`: node name → the kubelet's
 * summary); lightweight nodes have no kubelet stats and get no metrics, as a node whose kubelet does not
 * answer gets none. Get and list, by namespace, with label selectors: each object carries the node's or
 * pod's labels, `creationTimestamp` of the request, the last point's `timestamp` and the `window` between
 * the points; usage is `cpu` in nanocores (`12345n`, `12m` when whole millicores) and `memory` in bytes
 * (`5236Ki`), as resource.Quantity prints them. A pod whose containers do not all have two points is not
 * answered (get: `podmetrics.metrics.k8s.io "ns/name" not found`).
 *
 * Left out: the /metrics/resource Prometheus format (the summary is read instead: the same numbers), TLS
 * to kubelets, field selectors, watch, protobuf, metrics-server's own /metrics and health checks.
 */
import type { Clock, Timer } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { errors } from '../api/errors.ts';
import { everything, parseSelector, type Selector } from '../api/labels/selector.ts';
import { newQuantity, newScaledQuantity } from '../api/resource/quantity.ts';
import { rfc3339 } from '../api/time.ts';
import type { ApiRequest, ApiResponse } from '../apiserver/http.ts';
import { jsonResponse } from '../apiserver/http.ts';
import type { APIServiceBackend } from '../apiserver/kubeApiserver.ts';
import { goDuration } from '../apiserver/protobuf/decode.ts';
import type { RequestInfo } from '../apiserver/requestInfo.ts';
import { SharedInformerFactory, type SharedIndexInformer } from '../client/cache/sharedInformer.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import type { Transport } from '../client/rest/transport.ts';
import { RESOURCES } from '../client/resources.ts';
import type { SummarySource } from '../kubelet/stats/summaryProvider.ts';
import { batchOf, MetricsStorage, type MetricsBatch, type ResourceUsage } from './storage.ts';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** metrics-server's default --metric-resolution. */
export const METRIC_RESOLUTION_MS = 15_000;

export interface MetricsServerOptions {
  clock: Clock;
  rng: SeededRng;
  /** Its connection to the apiserver (as system:serviceaccount:kube-system:metrics-server). */
  transport: Transport;
  /** The kubelets that serve stats, by node name. */
  sources: ReadonlyMap<string, SummarySource>;
  resolutionMs?: number;
}

/** The usage as the API prints it: cpu as a nano-scaled quantity, memory as a binary one. */
export function usageQuantities(usage: { cpu: number; memory: number }): { cpu: string; memory: string } {
  return { cpu: newScaledQuantity(usage.cpu, -9).toString(), memory: newQuantity(usage.memory, 'BinarySI').toString() };
}

function windowOf(usage: ResourceUsage): string {
  return goDuration(BigInt(Math.round(usage.windowMs)) * 1_000_000n);
}

export class MetricsServer {
  readonly storage = new MetricsStorage();
  private readonly informers: SharedInformerFactory;
  private readonly nodes: SharedIndexInformer<KubeObject>;
  private readonly pods: SharedIndexInformer<KubeObject>;
  private timer: Timer | undefined;
  private scraping: Promise<void> | undefined;

  constructor(private readonly options: MetricsServerOptions) {
    this.informers = new SharedInformerFactory(new RestClient(options.transport, { sharedObjects: true }), { clock: options.clock, rng: options.rng.fork('informers') });
    this.nodes = this.informers.informerFor(RESOURCES.nodes);
    this.pods = this.informers.informerFor(RESOURCES.pods);
  }

  /** Start the informers and scrape now and every resolution. */
  start(): void {
    this.informers.start();
    void this.nodes.waitForSync().then((synced) => {
      if (!synced) return;
      void this.scrape();
      this.timer = this.options.clock.every(this.options.resolutionMs ?? METRIC_RESOLUTION_MS, () => void this.scrape(), 'metrics-server scrape');
    });
  }

  stop(): void {
    this.timer?.cancel();
    this.informers.shutdown();
  }

  /** One scrape of every node (what the timer runs); a scrape in progress is not overlapped. */
  scrape(): Promise<void> {
    this.scraping ??= this.collect().finally(() => (this.scraping = undefined));
    return this.scraping;
  }

  private async collect(): Promise<void> {
    const batches = new Map<string, MetricsBatch>();
    for (const node of this.nodes.lister().list()) {
      const name = node.metadata?.name ?? '';
      const source = this.options.sources.get(name);
      if (!source) continue;
      batches.set(name, batchOf(await source.summary()));
    }
    this.storage.store(batches);
  }

  /** The APIService backend for v1beta1.metrics.k8s.io. */
  readonly apiService: APIServiceBackend = {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    resources: [
      { group: METRICS_GROUP, version: METRICS_VERSION, kind: 'NodeMetrics', resource: 'nodes', singular: '', namespaced: false, verbs: ['get', 'list'] },
      { group: METRICS_GROUP, version: METRICS_VERSION, kind: 'PodMetrics', resource: 'pods', singular: '', namespaced: true, verbs: ['get', 'list'] },
    ],
    handle: (request, info) => this.handle(request, info),
  };

  private handle(request: ApiRequest, info: RequestInfo): ApiResponse {
    const gr = { group: METRICS_GROUP, resource: info.resource === 'nodes' ? 'nodemetrics' : 'podmetrics' };
    if ((info.resource !== 'nodes' && info.resource !== 'pods') || info.subresource) throw errors.notFound({ group: '', resource: '' }, '');
    if (info.verb !== 'get' && info.verb !== 'list') throw errors.methodNotSupported(gr, info.verb);
    const now = rfc3339(this.options.clock.now());
    const text = request.query.get('labelSelector');
    let selector: Selector = everything();
    if (text) {
      try {
        selector = parseSelector(text);
      } catch (e) {
        throw errors.badRequest(e instanceof Error ? e.message : String(e));
      }
    }
    if (info.resource === 'nodes') {
      if (info.verb === 'get') {
        const node = this.nodes.lister().get(info.name);
        const item = node && this.nodeMetrics(node, now);
        if (!item) throw errors.notFound(gr, info.name);
        return jsonResponse(200, JSON.stringify(item));
      }
      const items = this.nodes.lister().list(selector).map((n) => this.nodeMetrics(n, now)).filter((m) => m !== undefined).sort(byName);
      return jsonResponse(200, JSON.stringify({ kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items }));
    }
    if (info.verb === 'get') {
      const pod = this.pods.lister().byNamespace(info.namespace).get(info.name);
      if (!pod) throw errors.notFound({ group: '', resource: 'pod' }, info.name);
      const item = this.podMetrics(pod, now);
      if (!item) throw errors.notFound(gr, `${info.namespace}/${info.name}`);
      return jsonResponse(200, JSON.stringify(item));
    }
    const pods = info.namespace ? this.pods.lister().byNamespace(info.namespace).list(selector) : this.pods.lister().list(selector);
    const items = pods.map((p) => this.podMetrics(p, now)).filter((m) => m !== undefined).sort(byName);
    return jsonResponse(200, JSON.stringify({ kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items }));
  }

  private nodeMetrics(node: KubeObject, now: string): Record<string, unknown> | undefined {
    const name = node.metadata?.name ?? '';
    const usage = this.storage.nodeUsage(name);
    if (!usage) return undefined;
    return {
      kind: 'NodeMetrics',
      apiVersion: API_VERSION,
      metadata: { name, creationTimestamp: now, labels: { ...node.metadata?.labels } },
      timestamp: rfc3339(usage.timestamp),
      window: windowOf(usage),
      usage: usageQuantities(usage),
    };
  }

  private podMetrics(pod: KubeObject, now: string): Record<string, unknown> | undefined {
    const { name = '', namespace = '' } = pod.metadata ?? {};
    const containers = this.storage.podUsage(namespace, name);
    if (!containers) return undefined;
    const first = containers[0];
    if (!first) return undefined;
    return {
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: { name, namespace, creationTimestamp: now, labels: { ...pod.metadata?.labels } },
      timestamp: rfc3339(first.timestamp),
      window: windowOf(first),
      containers: containers.map((c) => ({ name: c.name, usage: usageQuantities(c) })),
    };
  }
}

function byName(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const key = (o: Record<string, unknown>) => {
    const m = o.metadata as { namespace?: string; name: string };
    return `${m.namespace ?? ''}/${m.name}`;
  };
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/**
 * The RBAC objects of metrics-server's components.yaml that the lab needs: what it reads (nodes, pods
 * and their kubelets' stats), and the aggregated reader role that lets `view` and `edit` read metrics.
 */
export function metricsServerRbac(): KubeObject[] {
  const rbac = 'rbac.authorization.k8s.io/v1';
  return [
    {
      apiVersion: rbac,
      kind: 'ClusterRole',
      metadata: { name: 'system:aggregated-metrics-reader', labels: { 'k8s-app': 'metrics-server', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: [METRICS_GROUP], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: rbac,
      kind: 'ClusterRole',
      metadata: { name: 'system:metrics-server', labels: { 'k8s-app': 'metrics-server' } },
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:metrics-server', labels: { 'k8s-app': 'metrics-server' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:metrics-server' },
      subjects: [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: 'kube-system' }],
    },
  ];
}
