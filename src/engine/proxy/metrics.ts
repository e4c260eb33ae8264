/**
 * kube-proxy's own metrics (pkg/proxy/metrics/metrics.go, 1.32), kept as the proxier syncs and served
 * on metricsBindAddress (127.0.0.1:10249) at /metrics in Prometheus' text format 0.0.4 as
 * client_golang gathers it (families sorted by name, `# HELP … [ALPHA] …`, floats as Go's 'g' format):
 *
 * - kubeproxy_sync_proxy_rules_duration_seconds, kubeproxy_sync_full_proxy_rules_duration_seconds,
 *   kubeproxy_sync_partial_proxy_rules_duration_seconds: histograms of sync time (ExponentialBuckets
 *   0.001 × 2, 15 buckets); a sync takes no virtual time here, so they land in the first bucket;
 * - kubeproxy_network_programming_duration_seconds: from an EndpointSlice's
 *   endpoints.kubernetes.io/last-change-trigger-time to the sync that programmed it;
 * - kubeproxy_sync_proxy_rules_last_timestamp_seconds, kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds;
 * - kubeproxy_sync_proxy_rules_iptables_restore_failures_total, kubeproxy_sync_proxy_rules_iptables_total{table}.
 *
 * /healthz on this port answers `ok`, as the metrics server's mux does. Left out: the go_*, process_*,
 * rest_client_* and the remaining kubeproxy_* families.
 */
import type { HttpRequest, HttpResponse } from '../kernel/net/http1.ts';

/** Go's strconv.FormatFloat(v, 'g', -1, 64), as Prometheus prints sample values. */
export function goFloat(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = v.toExponential().split('e');
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(v);
}

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    this.buckets.forEach((b, i) => {
      if (v <= b) this.counts[i]!++;
    });
  }

  lines(name: string): string[] {
    return [
      ...this.buckets.map((b, i) => `${name}_bucket{le="${goFloat(b)}"} ${this.counts[i]}`),
      `${name}_bucket{le="+Inf"} ${this.count}`,
      `${name}_sum ${goFloat(this.sum)}`,
      `${name}_count ${this.count}`,
    ];
  }
}

const exponential = (start: number, factor: number, n: number) => Array.from({ length: n }, (_, i) => Number((start * factor ** i).toPrecision(12)));
const linear = (start: number, width: number, n: number) => Array.from({ length: n }, (_, i) => start + width * i);

/** The registry of kube-proxy's metrics. */
export class ProxyMetrics {
  readonly syncProxyRules = new Histogram(exponential(0.001, 2, 15));
  readonly syncFullProxyRules = new Histogram(exponential(0.001, 2, 15));
  readonly syncPartialProxyRules = new Histogram(exponential(0.001, 2, 15));
  readonly networkProgramming = new Histogram([...linear(0.25, 0.25, 2), ...linear(1, 1, 59), ...linear(60, 5, 12), ...linear(120, 30, 7)]);
  lastTimestampSeconds = 0;
  lastQueuedTimestampSeconds = 0;
  restoreFailures = 0;
  readonly iptablesRules: Record<'filter' | 'nat', number> = { filter: 0, nat: 0 };

  /** The exposition text. */
  expose(): string {
    const family = (name: string, help: string, type: string, lines: string[]) => [`# HELP ${name} [ALPHA] ${help}`, `# TYPE ${name} ${type}`, ...lines];
    const out = [
      ...family('kubeproxy_network_programming_duration_seconds', 'In Cluster Network Programming Latency in seconds', 'histogram', this.networkProgramming.lines('kubeproxy_network_programming_duration_seconds')),
      ...family('kubeproxy_sync_full_proxy_rules_duration_seconds', 'SyncProxyRules latency in seconds for full resyncs', 'histogram', this.syncFullProxyRules.lines('kubeproxy_sync_full_proxy_rules_duration_seconds')),
      ...family('kubeproxy_sync_partial_proxy_rules_duration_seconds', 'SyncProxyRules latency in seconds for partial resyncs', 'histogram', this.syncPartialProxyRules.lines('kubeproxy_sync_partial_proxy_rules_duration_seconds')),
      ...family('kubeproxy_sync_proxy_rules_duration_seconds', 'SyncProxyRules latency in seconds', 'histogram', this.syncProxyRules.lines('kubeproxy_sync_proxy_rules_duration_seconds')),
      ...family('kubeproxy_sync_proxy_rules_iptables_restore_failures_total', 'Cumulative proxy iptables restore failures', 'counter', [`kubeproxy_sync_proxy_rules_iptables_restore_failures_total ${this.restoreFailures}`]),
      ...family('kubeproxy_sync_proxy_rules_iptables_total', 'Total number of iptables rules owned by kube-proxy', 'gauge', [
        `kubeproxy_sync_proxy_rules_iptables_total{table="filter"} ${this.iptablesRules.filter}`,
        `kubeproxy_sync_proxy_rules_iptables_total{table="nat"} ${this.iptablesRules.nat}`,
      ]),
      ...family('kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds', 'The last time a sync of proxy rules was queued', 'gauge', [`kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds ${goFloat(this.lastQueuedTimestampSeconds)}`]),
      ...family('kubeproxy_sync_proxy_rules_last_timestamp_seconds', 'The last time proxy rules were successfully synced', 'gauge', [`kubeproxy_sync_proxy_rules_last_timestamp_seconds ${goFloat(this.lastTimestampSeconds)}`]),
    ];
    return `${out.join('\n')}\n`;
  }

  /** The metrics server's mux: /metrics, /healthz. */
  handle(request: HttpRequest, now: number): HttpResponse {
    const path = request.target.split('?')[0];
    const date = new Date(now).toUTCString();
    if (path === '/metrics') {
      const body = this.expose();
      return { status: 200, headers: [['Content-Type', 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores'], ['Date', date], ['Content-Length', String(body.length)]], body };
    }
    if (path === '/healthz') return { status: 200, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], ['Date', date], ['Content-Length', '2']], body: 'ok' };
    const body = '404 page not found\n';
    return { status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], ['Date', date], ['Content-Length', String(body.length)]], body };
  }
}
