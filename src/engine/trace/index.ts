/**
 * trace — the event bus the diagrams draw from (DESIGN.md, "Trace"): one Trace per cluster, every event
 * plain data stamped with the virtual time, a ring of the recent ones, and `traceCluster` wiring the
 * apiserver's stages and each full node's kubelet server, CRI calls, CRI streaming server and exec'd
 * processes into it, with the ids that chain one `kubectl exec` across them.
 *
 * It also carries what a write causes: the etcd revision on the storage stage, the events watch streams
 * send to informers, the scheduler's decisions, and each CRI call's and runc task's pod.
 *
 * Left out: packets and kernel events — other emitters join the same bus later.
 */
export { Trace, TRACE_CAPACITY, type TraceOptions } from './trace.ts';
export { ClusterTrace, traceCluster, type ClusterTraceParts, type TracedApiserver, type TracedNode, type TracedScheduler } from './traceCluster.ts';
export type * from './traceEvent.ts';
