/**
 * Ephemeral containers in the kubelet — pkg/kubelet/kuberuntime (Kubernetes 1.32): kuberuntime_manager.go
 * computePodActions' EphemeralContainersToStart, kuberuntime_container.go's pid namespace of a targeted
 * container, and the field path events about one carry.
 *
 * An ephemeral container added to a running pod (the pods/ephemeralcontainers subresource, `kubectl
 * debug`) is started once, in the pod's sandbox, and never restarted: one the runtime has ever seen
 * (running or exited) is left alone. With `targetContainerName` it joins that container's pid namespace
 * (the CRI's NamespaceMode TARGET with the target's container id), so `ps` in it shows the target's
 * processes; without, it gets the pod's own pid mode. They are killed with the pod.
 *
 * Left out: ephemeral containers of static pods (refused by the apiserver), of pods with a failing sandbox.
 */
import type { Container, EphemeralContainer, PodSpec } from 'kubernetes-types/core/v1';
import type { NamespaceOption } from '../../runtime/cri/types.ts';

/**
 * computePodActions' loop over spec.ephemeralContainers: those never created (no attempt), in spec
 * order, as the Containers their common fields make.
 */
export function ephemeralContainersToStart(spec: PodSpec, created: (name: string) => boolean): Container[] {
  return (spec.ephemeralContainers ?? []).filter((c) => !created(c.name)).map(asContainer);
}

/** The Container an EphemeralContainer's common fields make (upstream converts EphemeralContainerCommon the same way). */
export function asContainer(c: EphemeralContainer): Container {
  const { targetContainerName: _target, ...common } = c;
  return common;
}

/** Whether `name` is one of the pod's ephemeral containers. */
export function isEphemeralContainer(spec: PodSpec | undefined, name: string): boolean {
  return (spec?.ephemeralContainers ?? []).some((c) => c.name === name);
}

/** ObjectReference.fieldPath of a container in events: `spec.containers{web}`, `spec.ephemeralContainers{debugger-x}`. */
export function containerFieldPath(spec: PodSpec | undefined, name: string, init: boolean): string {
  const list = init ? 'initContainers' : isEphemeralContainer(spec, name) ? 'ephemeralContainers' : 'containers';
  return `spec.${list}{${name}}`;
}

/**
 * The namespaces a container joins (namespacesForPod, and for an ephemeral container with a target
 * the TARGET pid mode): `containerId` gives the CRI id of the target's newest attempt.
 */
export function containerNamespaceOptions(spec: PodSpec, name: string, containerId: (name: string) => string | undefined): NamespaceOption {
  const options: NamespaceOption = { network: spec.hostNetwork ? 'NODE' : 'POD', pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: spec.hostIPC ? 'NODE' : 'POD' };
  const target = (spec.ephemeralContainers ?? []).find((c) => c.name === name)?.targetContainerName;
  const targetId = target ? containerId(target) : undefined;
  if (options.pid === 'CONTAINER' && targetId) return { ...options, pid: 'TARGET', targetId };
  return options;
}
