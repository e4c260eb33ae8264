/**
 * prober — the kubelet's container probes (pkg/kubelet/prober and pkg/probe, Kubernetes 1.32): startup,
 * liveness and readiness probes with exec, httpGet, tcpSocket and grpc (connection level) handlers, a
 * worker per container and probe type on the virtual clock, thresholds, and the results the status
 * (started, ready, the Ready and ContainersReady conditions) and the restart of a failing container
 * come from.
 *
 * Left out: the probe metrics, the gRPC health call itself, TLS for HTTPS probes, redirects, the
 * start-up jitter after a kubelet restart, and probes of sidecar init containers.
 */
export { Prober, probeSpec, resolveContainerPort, type ProbeType } from './prober.ts';
export { ProberManager, type ProberManagerOptions } from './proberManager.ts';
export { ResultsManager, type Result } from './results.ts';
