/**
 * kubelet — the node agent of full nodes (pkg/kubelet, Kubernetes 1.32, over containerd 1.7's CRI):
 * Node registration and status, the node Lease, pod admission, pod workers syncing each pod (cgroups,
 * volumes, sandbox, images, init containers, containers, restarts with CrashLoopBackOff), the pod
 * status, probes (prober/: startup, liveness, readiness), graceful deletion and container GC.
 * server/ is the kubelet's API (logs, exec, attach), stats/ its summary API.
 *
 * Static pods come from config/ (the manifests on the node) with their mirror pods from pod/.
 *
 * Left out: eviction, sidecars, in-place resize, image GC, log rotation, Service
 * environment variables, pull secrets, projected service account tokens.
 */
export { formatPod, Kubelet, KUBELET_BINARY, type KubeletOptions, type ResolvedPodView } from './kubelet.ts';
export { canAdmitPod } from './lifecycle/predicate.ts';
export { PodWorkers } from './podWorkers.ts';
export { generateAPIPodStatus, getPhase } from './status/generateAPIPodStatus.ts';
