/**
 * kubelet/server — the kubelet's API server (pkg/kubelet/server) and the apiserver's way to it: container
 * logs (follow, previous, tail, since, timestamps, limit), exec, attach and port-forward through the CRI's
 * streaming server, a registry of each node's server, and the apiserver's ConnectHandler over that registry.
 * Left out: stats and metrics (kubelet/stats), the kubelet's own authn/authz, and serving
 * these streams over SPDY/WebSocket to a real kubectl through `kubelab serve` (in-process clients only).
 */
export { connectHandler, KUBELET_PORT } from './connect.ts';
export {
  FOLLOW_POLL_MS, KubeletServer, logStatusProblem, STATE_CHECK_PERIOD_MS, type ContainerLogsRequest, type ExecRequest, type KubeletServerOptions,
  type PodResolver, type PortForwardRequest, type ResolvedContainer, type ResolvedPod, type StreamRequest,
} from './kubeletServer.ts';
export { KubeletServers } from './kubeletServers.ts';
export { formatLogTime, LogWriter } from './logs.ts';
