/**
 * What kubectl's logs, exec, attach and run share about a pod (k8s.io/kubectl/pkg/cmd/util/podcmd and
 * polymorphichelpers' attachablePodForObject / logsForObject): the container a command defaults to
 * (the `kubectl.kubernetes.io/default-container` annotation, else the first, saying `Defaulted container
 * "a" out of: a, b, c (init)` when there was a choice), the pod a `TYPE/NAME` stands for (the first of the
 * pods its selector matches, running and ready ones first), and the pod-subresource paths.
 */
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { labelSelectorAsSelector, selectorFromSet } from '../../../../api/labels/selector.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { resourcePath } from '../../../../client/rest/restClient.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import { resourceClient } from './common.ts';

export const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** podcmd.AllContainerNames: containers, then ephemeral ones `(ephem)`, then init ones `(init)`. */
export function allContainerNames(pod: Pod): string {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  return [
    ...(spec.containers ?? []).map((c) => c.name),
    ...(spec.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
    ...(spec.initContainers ?? []).map((c) => `${c.name} (init)`),
  ].join(', ');
}

/** Whether the pod has a container (of any kind) by that name. */
export function hasContainer(pod: Pod, name: string): boolean {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].some((c) => c.name === name);
}

/** podcmd.FindOrDefaultContainerByName: the container's name; `warn` gets the Defaulted message. */
export function containerOrDefault(pod: Pod, name: string, quiet: boolean, warn: (text: string) => void): string {
  if (name) {
    if (!hasContainer(pod, name)) throw new KubectlError(`error: container ${name} not found in pod ${pod.metadata?.name ?? ''}`);
    return name;
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    if (hasContainer(pod, annotated)) return annotated;
    warn(`Default container name "${annotated}" not found in pod ${pod.metadata?.name ?? ''}\n`);
  }
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const first = spec.containers?.[0];
  if (!first) throw new KubectlError(`error: pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} does not have any containers`);
  if (!quiet && ((spec.containers?.length ?? 0) > 1 || (spec.initContainers?.length ?? 0) > 0 || (spec.ephemeralContainers?.length ?? 0) > 0)) {
    warn(`Defaulted container ${JSON.stringify(first.name)} out of: ${allContainerNames(pod)}\n`);
  }
  return first.name;
}

/** The path of a pod's subresource. */
export function podPath(namespace: string, name: string, subresource: string): string {
  return resourcePath(PODS, namespace, name, subresource);
}

/** A pod's rank for "the first pod" (podutils.ByLogging / ActivePods): scheduled, running, ready, restarted, older first. */
function rank(pod: Pod): Array<number | string> {
  const phase = { Running: 2, Unknown: 1, Pending: 0 }[pod.status?.phase ?? 'Pending'] ?? 0;
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 1 : 0;
  const restarts = (pod.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
  return [pod.spec?.nodeName ? 0 : 1, -phase, -ready, -restarts, pod.metadata?.creationTimestamp ?? '~'];
}

function byRank(a: Pod, b: Pod): number {
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) < (rb[i] ?? 0) ? -1 : 1;
  return 0;
}

/** The label selector of a workload (or a Service's map), as a string for a pod list. */
function selectorOf(object: KubeObject, kind: string): string {
  const selector = (object.spec as { selector?: unknown } | undefined)?.selector;
  if (kind === 'Service' || kind === 'ReplicationController') return selectorFromSet(selector as Record<string, string> | undefined).toString();
  if (!selector) throw new KubectlError(`error: cannot attach to ${kind}: selector for ${kind} not implemented`);
  return labelSelectorAsSelector(selector as LabelSelector).toString();
}

/**
 * The pod `arg` names: `NAME` (a pod), `pod/NAME`, or `TYPE/NAME` of a workload whose selector picks the
 * first of its pods. `onMany` hears how many pods matched when there was more than one.
 */
export async function podFor(f: Factory, namespace: string, arg: string, onMany?: (count: number, pod: Pod) => void): Promise<Pod> {
  const slash = arg.indexOf('/');
  const pods = f.client().resource(PODS);
  if (slash < 0) return (await pods.get(namespace, arg)) as Pod;
  const mapping = (await f.mapper()).resourceFor(arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  if (mapping.group === '' && mapping.resource === 'pods') return (await pods.get(namespace, name)) as Pod;
  const object = await resourceClient(f, mapping).get(namespace, name);
  const list = await pods.list(namespace, { labelSelector: selectorOf(object, mapping.kind) });
  const sorted = (list.items as Pod[]).slice().sort(byRank);
  const first = sorted[0];
  if (!first) throw new KubectlError('error: timed out waiting for the condition');
  if (sorted.length > 1) onMany?.(sorted.length, first);
  return first;
}
