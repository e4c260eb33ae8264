/**
 * What the node views (node-processes, node-cgroups, container-overlay) share: a cluster's full node by
 * name, and the containers its containerd runs for the CRI (namespace `k8s.io`) as the kubelet made them —
 * each with its pod, read from the annotations the CRI puts in the OCI spec
 * (`io.kubernetes.cri.sandbox-name`…), and the cgroup its task's init process is in.
 *
 * Pure reads: nothing here calls the CRI (whose calls are traced) or a file system call that moves atime.
 */
import type { FullNode } from '../../engine/cluster/cluster.ts';
import type { Lab } from '../../engine/cluster/lab.ts';
import type { Cgroup } from '../../engine/kernel/cgroup/cgroup.ts';
import { K8S_NAMESPACE } from '../../engine/runtime/cri/criService.ts';

/** A container of a node, as the node views name it. */
export interface NodeContainer {
  /** containerd's id (the CRI's container or sandbox id), 64 hex digits. */
  id: string;
  /** `sandbox` for a pod's pause container, `container` for the others. */
  kind: 'sandbox' | 'container';
  /** The container's name in the pod spec; the pod's name for a sandbox. */
  name: string;
  podNamespace: string;
  podName: string;
  podUid: string;
  /** The image as the pod named it (`docker.io/library/nginx:latest`). */
  image: string;
  /** Its task's init process (host pid), while it has a running task. */
  pid?: number;
}

/** The cluster's full node `name`, or undefined (a lightweight node, or none). */
export function fullNode(lab: Lab, name: string): FullNode | undefined {
  return lab.cluster.fullNodes.get(name);
}

/** The node's CRI containers (sandboxes first, then by pod and name), with their cgroups. */
export function nodeContainers(node: FullNode): Array<{ container: NodeContainer; cgroup: Cgroup | undefined }> {
  const out: Array<{ container: NodeContainer; cgroup: Cgroup | undefined }> = [];
  for (const c of node.containerd.containers(K8S_NAMESPACE)) {
    const a = c.spec.annotations ?? {};
    const kind = a['io.kubernetes.cri.container-type'] === 'sandbox' ? 'sandbox' : 'container';
    const task = node.containerd.task(K8S_NAMESPACE, c.id);
    const init = task && task.pid > 0 ? node.host.table.find(task.pid) : undefined;
    const live = init && !init.exitState ? init : undefined;
    out.push({
      container: {
        id: c.id,
        kind,
        name: kind === 'sandbox' ? (a['io.kubernetes.cri.sandbox-name'] ?? '') : (a['io.kubernetes.cri.container-name'] ?? ''),
        podNamespace: a['io.kubernetes.cri.sandbox-namespace'] ?? '',
        podName: a['io.kubernetes.cri.sandbox-name'] ?? '',
        podUid: a['io.kubernetes.cri.sandbox-uid'] ?? '',
        image: a['io.kubernetes.cri.image-name'] ?? c.image,
        ...(live && { pid: live.hostPid }),
      },
      cgroup: live?.cgroup,
    });
  }
  const rank = (c: NodeContainer) => `${c.podNamespace}/${c.podName}/${c.kind === 'sandbox' ? 0 : 1}/${c.name}`;
  return out.sort((x, y) => (rank(x.container) < rank(y.container) ? -1 : rank(x.container) > rank(y.container) ? 1 : 0));
}
