/**
 * The HPA's resource metrics client (pkg/controller/podautoscaler/metrics/client.go, resourceMetricsClient):
 * PodMetrics of the pods a selector picks, read from metrics.k8s.io/v1beta1 through the apiserver, each
 * pod's usage of one resource summed over its containers (or one container's), in milli-units.
 * Left out: custom and external metrics clients.
 */
import { parseQuantity } from '../../api/resource/quantity.ts';
import type { RestClient } from '../../client/rest/restClient.ts';

/** One pod's metric: when it was measured, over which window, and its value in milli-units. */
export interface PodMetric {
  /** ms since the epoch. */
  timestamp: number;
  windowMs: number;
  value: number;
}

/** Pod name → its metric. */
export type PodMetricsInfo = Map<string, PodMetric>;

export interface MetricsClient {
  /** The pods' usage of `resource` (`container`: only that container's); the oldest timestamp too. */
  getResourceMetric(resource: string, namespace: string, selector: string, container: string): Promise<{ metrics: PodMetricsInfo; timestamp: number }>;
}

interface PodMetricsObject {
  metadata: { name: string; namespace: string };
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: Record<string, string> }>;
}

/** metav1.Duration text as metrics-server writes windows ("15s", "1m0s", "20.5s"), in ms. */
function durationMs(text: string): number {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) ms += Number(n) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[unit as 'h' | 'm' | 's' | 'ms'];
  return ms;
}

export class RestMetricsClient implements MetricsClient {
  constructor(private readonly client: RestClient) {}

  async getResourceMetric(resource: string, namespace: string, selector: string, container: string): Promise<{ metrics: PodMetricsInfo; timestamp: number }> {
    let items: PodMetricsObject[];
    try {
      const response = await this.client.raw('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`, selector ? { labelSelector: selector } : {});
      items = (JSON.parse(response.body ?? '{}') as { items?: PodMetricsObject[] }).items ?? [];
    } catch (e) {
      throw new Error(`unable to fetch metrics from resource metrics API: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
    const metrics: PodMetricsInfo = new Map();
    for (const m of items) {
      let value = 0;
      let found = false;
      for (const c of m.containers) {
        if (container && c.name !== container) continue;
        const usage = c.usage[resource];
        if (usage === undefined) throw new Error(`missing resource metric ${resource} for container ${c.name} in pod ${m.metadata.namespace}/${m.metadata.name}`);
        value += parseQuantity(usage).milliValue();
        found = true;
      }
      if (container && !found) throw new Error(`failed to get container metrics: container ${container} not present in metrics for pod ${m.metadata.namespace}/${m.metadata.name}`);
      metrics.set(m.metadata.name, { timestamp: Date.parse(m.timestamp), windowMs: durationMs(m.window), value });
    }
    const timestamp = Math.min(...[...metrics.values()].map((m) => m.timestamp));
    return { metrics, timestamp };
  }
}
