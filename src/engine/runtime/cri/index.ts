/**
 * cri — containerd 1.7's CRI plugin over the node's Containerd (namespace `k8s.io`): the RuntimeService
 * and ImageService the kubelet calls (k8s.io/cri-api v1), with containers' logs in the CRI format, the
 * streaming server Exec, Attach and PortForward URLs point at, a CNI seam with a host-local plugin, and an
 * `onDidCall` trace of every call. crictl (shell/commands/crictl) finds it with `criOn(host)`.
 *
 * Left out: checkpoints, container events, the NRI, sandboxed runtime handlers, devices,
 * seccomp/AppArmor/SELinux, user names in runAsUsername and image USERs, log rotation.
 */
export type { CniArgs, CniPlugin, CniResult } from './cni.ts';
export { codeOf, CriError, type GrpcCode } from './criError.ts';
export { CriLogger, MAX_CONTAINER_LOG_LINE_SIZE, parseCriLog, rfc3339Nano, type LogRecord } from './criLog.ts';
export {
  cgroupsPath, CRI_ROOT_DIR, CRI_STATE_DIR, CriService, criOn, DEFAULT_SANDBOX_IMAGE, K8S_NAMESPACE, NETNS_DIR, SNAPSHOTTER_ROOT, type CriCall,
  type CriServiceOptions,
} from './criService.ts';
export { HOST_LOCAL_DATA_DIR, HostLocal, parseCidr } from './hostLocal.ts';
export { STREAM_TOKEN_TTL_MS, StreamingError, StreamingServer, type PortForwarder, type PortForwardStream, type StreamHandler, type StreamIO } from './streamingServer.ts';
export type * from './types.ts';
