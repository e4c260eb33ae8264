/**
 * Cgroup drivers — where the kubelet and Docker put a pod's or container's cgroup: the cgroupfs driver's
 * plain paths and the systemd driver's slices and scopes (kubelet's pkg/kubelet/cm/cgroup_manager_linux.go,
 * containerd's and runc's systemd cgroup naming, Docker's `docker-<id>.scope`). Also runc's conversion of
 * the CRI's cpu.shares into cgroup v2's cpu.weight.
 */

/** The kubelet/runtime cgroup driver (`--cgroup-driver`, Docker's native.cgroupdriver). */
export type CgroupDriver = 'cgroupfs' | 'systemd';

/** A pod's QoS class, which picks its parent cgroup under kubepods. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The QoS-level cgroup: kubepods for Guaranteed, kubepods/burstable, kubepods/besteffort. */
export function qosCgroupPath(driver: CgroupDriver, qos: QosClass): string {
  if (driver === 'cgroupfs') return qos === 'Guaranteed' ? '/kubepods' : `/kubepods/${qos.toLowerCase()}`;
  return qos === 'Guaranteed' ? '/kubepods.slice' : `/kubepods.slice/kubepods-${qos.toLowerCase()}.slice`;
}

/** A pod's cgroup: …/pod<uid> (cgroupfs) or …/kubepods-<qos>-pod<uid with _ for ->.slice (systemd). */
export function podCgroupPath(driver: CgroupDriver, qos: QosClass, podUid: string): string {
  if (driver === 'cgroupfs') return `${qosCgroupPath(driver, qos)}/pod${podUid}`;
  const prefix = qos === 'Guaranteed' ? 'kubepods' : `kubepods-${qos.toLowerCase()}`;
  return `${qosCgroupPath(driver, qos)}/${prefix}-pod${podUid.replace(/-/g, '_')}.slice`;
}

/** A CRI container's cgroup inside its pod: <id> (cgroupfs) or cri-containerd-<id>.scope (systemd). */
export function containerCgroupPath(driver: CgroupDriver, qos: QosClass, podUid: string, containerId: string): string {
  const leaf = driver === 'cgroupfs' ? containerId : `cri-containerd-${containerId}.scope`;
  return `${podCgroupPath(driver, qos, podUid)}/${leaf}`;
}

/** A `docker run` container's cgroup: /docker/<id> (cgroupfs) or /system.slice/docker-<id>.scope (systemd). */
export function dockerCgroupPath(driver: CgroupDriver, containerId: string): string {
  return driver === 'cgroupfs' ? `/docker/${containerId}` : `/system.slice/docker-${containerId}.scope`;
}

/**
 * runc's ConvertCPUSharesToCgroupV2Value: the CRI's cpu.shares (2..262144) as cgroup v2 cpu.weight
 * (1..10000); 0 means unset.
 */
export function convertCPUSharesToCgroupV2Value(cpuShares: number): number {
  if (cpuShares === 0) return 0;
  return 1 + Math.floor(((cpuShares - 2) * 9999) / 262142);
}
