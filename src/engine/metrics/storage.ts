/**
 * metrics-server's storage (sigs.k8s.io/metrics-server pkg/storage, 0.7): the last two scraped points of
 * every node and container, and the usage derived from them.
 *
 * A point holds cumulative CPU time, the memory working set, its timestamp and the start time of what it
 * measures. CPU usage is the rate between the two points (nanocores), memory the last point's working
 * set, the window the time between the points, the timestamp the last point's. A point no newer than the
 * last one is ignored; something that restarted since the previous point is measured from its start
 * (with zero usage then), as upstream does. A pod is answered only when every one of its containers has
 * usage. Whatever a scrape no longer reports is forgotten.
 */
import type { Summary } from '../kubelet/stats/types.ts';

/** One scraped measurement. */
export interface MetricsPoint {
  /** ms since the epoch. */
  startTime: number;
  timestamp: number;
  /** Cumulative CPU time, ns. */
  cumulativeCpuUsed: number;
  /** Working set, bytes. */
  memoryUsage: number;
}

/** Usage derived from two points. */
export interface ResourceUsage {
  /** ms since the epoch: the last point's time. */
  timestamp: number;
  /** ms between the points. */
  windowMs: number;
  /** Nanocores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

export interface ContainerUsage extends ResourceUsage {
  name: string;
}

interface Pair {
  prev?: MetricsPoint;
  last: MetricsPoint;
}

/** The points of one node's summary: the node's, and each pod's containers' by `namespace/name`. */
export interface MetricsBatch {
  node?: MetricsPoint;
  pods: Map<string, Map<string, MetricsPoint>>;
}

/** A summary as points (what the scraper's decoder does with /metrics/resource). */
export function batchOf(summary: Summary): MetricsBatch {
  const batch: MetricsBatch = { pods: new Map() };
  const node = summary.node;
  if (node.cpu && node.memory) {
    batch.node = { startTime: Date.parse(node.startTime), timestamp: Date.parse(node.cpu.time), cumulativeCpuUsed: node.cpu.usageCoreNanoSeconds, memoryUsage: node.memory.workingSetBytes };
  }
  for (const pod of summary.pods) {
    const containers = new Map<string, MetricsPoint>();
    for (const c of pod.containers) {
      if (!c.cpu || !c.memory) continue;
      containers.set(c.name, { startTime: Date.parse(c.startTime), timestamp: Date.parse(c.cpu.time), cumulativeCpuUsed: c.cpu.usageCoreNanoSeconds, memoryUsage: c.memory.workingSetBytes });
    }
    if (containers.size > 0) batch.pods.set(`${pod.podRef.namespace}/${pod.podRef.name}`, containers);
  }
  return batch;
}

function advance(pair: Pair | undefined, point: MetricsPoint): Pair {
  if (!pair) return { last: point };
  if (point.timestamp <= pair.last.timestamp) return pair;
  return { prev: pair.last, last: point };
}

function usageOf(pair: Pair | undefined): ResourceUsage | undefined {
  if (!pair?.prev) return undefined;
  const { last } = pair;
  // Restarted since the previous point: measure from the start.
  const prev = last.startTime > pair.prev.timestamp ? { timestamp: last.startTime, cumulativeCpuUsed: 0 } : pair.prev;
  const windowMs = last.timestamp - prev.timestamp;
  if (windowMs <= 0 || last.cumulativeCpuUsed < prev.cumulativeCpuUsed) return undefined;
  return { timestamp: last.timestamp, windowMs, cpu: Math.round(((last.cumulativeCpuUsed - prev.cumulativeCpuUsed) / (windowMs * 1e6)) * 1e9), memory: last.memoryUsage };
}

export class MetricsStorage {
  private nodes = new Map<string, Pair>();
  private pods = new Map<string, Map<string, Pair>>();

  /** Store one scrape of every node (node name → its batch). */
  store(batches: ReadonlyMap<string, MetricsBatch>): void {
    const nodes = new Map<string, Pair>();
    const pods = new Map<string, Map<string, Pair>>();
    for (const [name, batch] of batches) {
      if (batch.node) nodes.set(name, advance(this.nodes.get(name), batch.node));
      for (const [key, containers] of batch.pods) {
        const before = this.pods.get(key);
        const pairs = new Map<string, Pair>();
        for (const [container, point] of containers) pairs.set(container, advance(before?.get(container), point));
        pods.set(key, pairs);
      }
    }
    this.nodes = nodes;
    this.pods = pods;
  }

  nodeUsage(name: string): ResourceUsage | undefined {
    return usageOf(this.nodes.get(name));
  }

  /** Every container's usage, sorted by name; undefined unless all have one. */
  podUsage(namespace: string, name: string): ContainerUsage[] | undefined {
    const pairs = this.pods.get(`${namespace}/${name}`);
    if (!pairs) return undefined;
    const out: ContainerUsage[] = [];
    for (const [container, pair] of pairs) {
      const usage = usageOf(pair);
      if (!usage) return undefined;
      out.push({ name: container, ...usage });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
