/**
 * trace — the event bus the diagrams draw from (DESIGN.md, "Trace"): one Trace per cluster, every event
 * plain data stamped with the virtual time, a ring of the recent ones, and `traceCluster` wiring the
 * apiserver's stages and each full node's kubelet server, CRI calls, CRI streaming server and exec'd
 * processes into it, with the ids that chain one `kubectl exec` across them.
 *
 * Left out: packets, informer deliveries, scheduler decisions, watch events, kernel events — other
 * emitters join the same bus later.
 */
export { Trace, TRACE_CAPACITY, type TraceOptions } from './trace.ts';
export { ClusterTrace, traceCluster, type ClusterTraceParts, type TracedApiserver, type TracedNode } from './traceCluster.ts';
export type * from './traceEvent.ts';
