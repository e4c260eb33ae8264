/**
 * The kubelet's Summary API types (k8s.io/kubelet/pkg/apis/stats/v1alpha1, Kubernetes 1.32): what
 * `/stats/summary` answers. Times are metav1.Time strings (RFC 3339, whole seconds); byte and nanosecond
 * counts are plain numbers. Only the fields the lab fills are declared: network, accelerators, swap,
 * volumes, rlimit and process stats are left out.
 */

/** CPU usage of a node, pod or container. */
export interface CPUStats {
  time: string;
  /** The rate over the last housekeeping interval, in billionths of a core; absent until two samples exist. */
  usageNanoCores?: number;
  /** Cumulative CPU time, ns. */
  usageCoreNanoSeconds: number;
}

/** Memory usage (cgroup memory.current and memory.stat). */
export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes: number;
  /** usage minus inactive_file: what the eviction manager and metrics-server look at. */
  workingSetBytes: number;
  rssBytes: number;
  pageFaults: number;
  majorPageFaults: number;
}

/** A file system's usage. */
export interface FsStats {
  time: string;
  availableBytes?: number;
  capacityBytes?: number;
  usedBytes: number;
  inodesFree?: number;
  inodes?: number;
  inodesUsed?: number;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
  rootfs?: FsStats;
}

export interface PodReference {
  name: string;
  namespace: string;
  uid: string;
}

export interface PodStats {
  podRef: PodReference;
  startTime: string;
  containers: ContainerStats[];
  cpu?: CPUStats;
  memory?: MemoryStats;
  'ephemeral-storage'?: FsStats;
}

export interface RuntimeStats {
  imageFs?: FsStats;
  containerFs?: FsStats;
}

export interface NodeStats {
  nodeName: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
  fs?: FsStats;
  runtime?: RuntimeStats;
}

/** `/stats/summary`. */
export interface Summary {
  node: NodeStats;
  pods: PodStats[];
}
