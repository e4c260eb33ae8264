/**
 * The Node object a full node's kubelet registers and keeps up to date (pkg/kubelet/nodestatus/setters.go
 * and kubelet_node_status.go, 1.32, on containerd): capacity read from the host (cpu, memory in Ki,
 * ephemeral-storage from the root disk, hugepages 0, pods 110), allocatable after kube-reserved,
 * system-reserved and the hard eviction thresholds (kubeadm's defaults: memory.available<100Mi and
 * nodefs.available<10%), the four conditions with the kubelet's reasons and messages (Ready False with
 * KubeletNotReady while the runtime or its network is not ready — `container runtime network not
 * ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni
 * plugin not initialized` until the node has a pod CIDR), addresses, the
 * daemon endpoint, nodeInfo (kernel and OS read from the host, containerd's version from the CRI) and
 * the images on the node, largest first, as the kubelet lists at most 50 of them. `nodeStatusHasChanged`
 * says whether a status differs from another in more than the conditions' heartbeat times (the kubelet
 * writes its status then, and otherwise only every nodeStatusReportFrequency).
 *
 * Left out: volumesAttached/InUse, IPv6 addresses, topology and device-plugin resources.
 */
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1';
import { semanticEqual } from '../../api/validation/generic.ts';
import { rfc3339 } from '../../api/time.ts';
import { KUBERNETES_VERSION } from '../../apiserver/version.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import type { Image } from '../../runtime/cri/types.ts';

/** --max-pods default. */
export const MAX_PODS = 110;
/** evictionHard memory.available default. */
export const EVICTION_HARD_MEMORY_BYTES = 100 * 1024 * 1024;
/** evictionHard nodefs.available default. */
export const EVICTION_HARD_NODEFS_FRACTION = 0.1;
/** nodeStatusMaxImages. */
export const NODE_STATUS_MAX_IMAGES = 50;

/** How the node is described beyond what the host says. */
export interface NodeStatusConfig {
  nodeName: string;
  /** The node's InternalIP. */
  address: string;
  /** `containerd://1.7.22`. */
  containerRuntimeVersion: string;
  /** --kube-reserved / --system-reserved, as quantities' byte and millicore values. */
  reserved?: { cpuMilli?: number; memoryBytes?: number };
  labels?: Record<string, string>;
  taints?: NonNullable<Node['spec']>['taints'];
  controlPlane?: boolean;
  bootID: string;
  machineID: string;
  systemUUID: string;
}

/** One node condition's text when it is False (or True for Ready). */
export const CONDITION_TEXT: Readonly<Record<string, { status: string; reason: string; message: string; event: string }>> = {
  MemoryPressure: { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory' },
  DiskPressure: { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure' },
  PIDPressure: { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', event: 'NodeHasSufficientPID' },
  Ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', event: 'NodeReady' },
};

/** A byte count as the kubelet's quantities print it: Ki when it divides, else plain bytes. */
export function bytesQuantity(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024}Ki` : String(bytes);
}

/** Capacity and allocatable, in the numbers the admission check compares (millicores, bytes). */
export interface NodeResources {
  cpuMilli: number;
  memoryBytes: number;
  pods: number;
  ephemeralStorageBytes: number;
}

export function nodeCapacity(host: Host): NodeResources {
  const disk = host.partitions.find((p) => p.name === 'vda1');
  return { cpuMilli: host.cpus * 1000, memoryBytes: host.memoryBytes, pods: MAX_PODS, ephemeralStorageBytes: (disk?.blocks ?? 0) * 1024 };
}

export function nodeAllocatable(capacity: NodeResources, reserved: NodeStatusConfig['reserved'] = {}): NodeResources {
  return {
    cpuMilli: Math.max(0, capacity.cpuMilli - (reserved.cpuMilli ?? 0)),
    memoryBytes: Math.max(0, capacity.memoryBytes - (reserved.memoryBytes ?? 0) - EVICTION_HARD_MEMORY_BYTES),
    pods: capacity.pods,
    ephemeralStorageBytes: capacity.ephemeralStorageBytes - Math.floor(capacity.ephemeralStorageBytes * EVICTION_HARD_NODEFS_FRACTION),
  };
}

function resourceList(r: NodeResources): Record<string, string> {
  const cpu = r.cpuMilli % 1000 === 0 ? String(r.cpuMilli / 1000) : `${r.cpuMilli}m`;
  return { cpu, 'ephemeral-storage': bytesQuantity(r.ephemeralStorageBytes), 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: bytesQuantity(r.memoryBytes), pods: String(r.pods) };
}

/** The OS image of an emulated node that has no /etc/os-release: the Ubuntu server its kernel comes from. */
export const DEFAULT_OS_IMAGE = 'Ubuntu 24.04.1 LTS';

/** PRETTY_NAME of the host's /etc/os-release (what cAdvisor reports as the OS image). */
function osImage(host: Host): string {
  try {
    const text = host.vfsFor(host.init).readFile('/etc/os-release');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? DEFAULT_OS_IMAGE;
  } catch (error) {
    if (error instanceof KernelError) return DEFAULT_OS_IMAGE;
    throw error;
  }
}

/** The Ready condition's reason while something keeps the node from being ready. */
export const KUBELET_NOT_READY = 'KubeletNotReady';

/** utilerrors.NewAggregate(errs).Error(): one error as itself, several as `[a, b]`. */
export function aggregateMessage(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

/**
 * The node's conditions as the setters write them at `now`: the pressure conditions healthy, Ready True
 * unless `readyErrors` (the runtime's and network's errors, runtimeState) say why not — then False with
 * reason KubeletNotReady and their aggregate as the message. A condition keeps its lastTransitionTime
 * while its status stays.
 */
export function nodeConditions(now: number, previous: readonly NodeCondition[] = [], readyErrors: readonly string[] = []): NodeCondition[] {
  const time = rfc3339(now);
  return Object.entries(CONDITION_TEXT).map(([type, c]) => {
    const notReady = type === 'Ready' && readyErrors.length > 0;
    const status = notReady ? 'False' : c.status;
    const old = previous.find((p) => p.type === type);
    const transition = old && old.status === status ? (old.lastTransitionTime ?? time) : time;
    const reason = notReady ? KUBELET_NOT_READY : c.reason;
    const message = notReady ? aggregateMessage(readyErrors) : c.message;
    return { type, status, lastHeartbeatTime: time, lastTransitionTime: transition, reason, message };
  });
}

/**
 * nodeStatusHasChanged: whether `status` differs from `original` — the conditions compared by type with
 * their lastHeartbeatTime ignored, every other field as equality.Semantic.DeepEqual does.
 */
export function nodeStatusHasChanged(original: NodeStatus, status: NodeStatus): boolean {
  const withoutHeartbeats = (conditions: readonly NodeCondition[] | undefined) =>
    [...(conditions ?? [])].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)).map(({ lastHeartbeatTime: _, ...c }) => c);
  if (!semanticEqual(withoutHeartbeats(original.conditions), withoutHeartbeats(status.conditions))) return true;
  return !semanticEqual({ ...original, conditions: undefined }, { ...status, conditions: undefined });
}

/** The images entry of the node's status: largest first, at most 50, each with its names. */
export function nodeImages(images: readonly Image[]): NonNullable<NonNullable<Node['status']>['images']> {
  return [...images]
    .sort((a, b) => b.size - a.size)
    .slice(0, NODE_STATUS_MAX_IMAGES)
    .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size }));
}

/** The Node the kubelet registers (initialNode plus the first status, Ready as `readyErrors` say). */
export function initialNode(host: Host, config: NodeStatusConfig, now: number, images: readonly Image[], readyErrors: readonly string[] = []): Node {
  const capacity = nodeCapacity(host);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': config.nodeName,
    'kubernetes.io/os': 'linux',
    ...(config.controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
    ...config.labels,
  };
  const taints = [...(config.controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []), ...(config.taints ?? [])];
  const uname = host.uname();
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.nodeName,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: taints.length ? { taints } : {},
    status: {
      addresses: [
        { type: 'InternalIP', address: config.address },
        { type: 'Hostname', address: config.nodeName },
      ],
      allocatable: resourceList(nodeAllocatable(capacity, config.reserved)),
      capacity: resourceList(capacity),
      conditions: nodeConditions(now, [], readyErrors),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: nodeImages(images),
      nodeInfo: {
        architecture: 'amd64',
        bootID: config.bootID,
        containerRuntimeVersion: config.containerRuntimeVersion,
        kernelVersion: uname.release,
        kubeProxyVersion: '',
        kubeletVersion: KUBERNETES_VERSION.gitVersion,
        machineID: config.machineID,
        operatingSystem: 'linux',
        osImage: osImage(host),
        systemUUID: config.systemUUID,
      },
    },
  };
}
