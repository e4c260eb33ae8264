/**
 * metrics-server 0.7: kubelet summaries scraped every 15 s into the resource metrics API
 * (metrics.k8s.io/v1beta1). Left out: the Prometheus /metrics/resource format, TLS, field selectors, watch.
 */
export { METRIC_RESOLUTION_MS, METRICS_GROUP, METRICS_VERSION, MetricsServer, metricsServerRbac, usageQuantities, type MetricsServerOptions } from './metricsServer.ts';
export { MetricsStorage, batchOf, type MetricsBatch, type MetricsPoint, type ResourceUsage } from './storage.ts';
