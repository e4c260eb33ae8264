/**
 * What the Endpoints and EndpointSlice controllers share (pkg/controller/util/endpoint): which pods
 * back a Service, and how a Service port's targetPort resolves against a pod (a number as is, a name
 * through the pod's container ports — podutil.FindPort).
 */
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import { selectorFromSet } from '../../api/labels/selector.ts';
import { isPodReady } from '../../api/pod/podutil.ts';

/** The annotation both controllers stamp with the time of the change that triggered them. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** Pods the service selects, in its namespace (an empty selector selects nothing: such services are not managed). */
export function selectsPod(service: Service, pod: Pod): boolean {
  const sel = service.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return false;
  return pod.metadata?.namespace === service.metadata?.namespace && selectorFromSet(sel).matches(pod.metadata?.labels ?? {});
}

/** Services without a selector have their endpoints written by someone else. */
export function managesEndpoints(service: Service): boolean {
  return Object.keys(service.spec?.selector ?? {}).length > 0;
}

/** podutil.FindPort: the container port a targetPort names, or undefined. */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/**
 * ShouldPodBeInEndpoints: a pod with an IP that has not finished; a pod being deleted only when the
 * service publishes not-ready addresses (EndpointSlices keep terminating pods themselves, flagged).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  const phase = pod.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** Ready for the service: Ready, or the service publishes not-ready addresses. */
export function podReadyForService(service: Service, pod: Pod): boolean {
  return Boolean(service.spec?.publishNotReadyAddresses) || (isPodReady(pod) && !pod.metadata?.deletionTimestamp);
}

/**
 * The informer wiring both controllers use: a service's key on any change to it, and the keys of the
 * services that select a pod (before and after a label change) on any change to the pod.
 */
export function servicesForPod<S extends Service>(services: readonly S[], ...pods: Array<Pod | undefined>): S[] {
  return services.filter((svc) => pods.some((pod) => pod && selectsPod(svc, pod)));
}

/** The newest change among the service and its pods (for LAST_CHANGE_TRIGGER_TIME). */
export function lastChangeTime(service: Service, pods: readonly Pod[]): string | undefined {
  let latest = String(service.metadata?.creationTimestamp ?? '');
  for (const pod of pods) {
    for (const t of [pod.metadata?.creationTimestamp, pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, pod.metadata?.deletionTimestamp]) {
      if (t && String(t) > latest) latest = String(t);
    }
  }
  return latest || undefined;
}
