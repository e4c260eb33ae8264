/**
 * The subresources beyond status (pkg/registry/*): `scale` of Deployments, ReplicaSets and StatefulSets
 * (an autoscaling/v1 Scale over spec.replicas), a pod's `binding` (the scheduler's write: spec.nodeName and
 * the PodScheduled condition, once), a pod's `eviction` (a delete that respects PodDisruptionBudgets), a
 * namespace's `finalize` (spec.finalizers), and `log`/`exec`/`attach`/`portforward`, which the apiserver
 * proxies to the pod's kubelet through a ConnectHandler.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { errors, StatusError } from '../../api/errors.ts';
import { field } from '../../api/field/errors.ts';
import { Path } from '../../api/field/path.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import type { ApiResponse } from '../http.ts';
import { jsonResponse } from '../http.ts';
import type { DeleteOptions, Store, WriteOptions } from './store.ts';
import type { KubeObject } from './strategy.ts';

/** Where `log`, `exec`, `attach` and `portforward` go: the kubelet of the pod's node (the kubelet issue). */
export type ConnectHandler = (request: { namespace: string; pod: Pod; subresource: string; query: URLSearchParams; body?: string }) => ApiResponse;

export const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward']);

const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets']);

export function isScalable(store: Store): boolean {
  return store.meta.group === 'apps' && SCALABLE.has(store.meta.resource);
}

/** The Scale an object presents: spec.replicas, status.replicas and the selector as a string. */
export function scaleOf(object: KubeObject): KubeObject {
  const spec = (object.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (object.status ?? {}) as { replicas?: number };
  const selector = selectorString(spec.selector as Parameters<typeof labelSelectorAsSelector>[0]);
  const meta = object.metadata!;
  const scaleStatus: Record<string, unknown> = { replicas: status.replicas ?? 0 };
  if (selector) scaleStatus.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: scaleStatus,
  };
}

function selectorString(selector: Parameters<typeof labelSelectorAsSelector>[0]): string {
  try {
    return labelSelectorAsSelector(selector).toString();
  } catch {
    // A selector the object could not have been stored with: the Scale shows none.
    return '';
  }
}

/** Apply a Scale to its object: only spec.replicas changes; a stale resourceVersion is a Conflict. */
export function updateScale(store: Store, namespace: string, name: string, scale: KubeObject, options: WriteOptions): ApiResponse {
  if (scale.kind !== undefined && scale.kind !== 'Scale') {
    throw errors.badRequest(`${scale.kind} in version "${String(scale.apiVersion ?? '').split('/').pop()}" cannot be handled as a Scale: no kind "${scale.kind}" is registered for version "${String(scale.apiVersion ?? '')}" in scheme "k8s.io/apimachinery@v1.32.0/pkg/runtime/scheme.go:100"`);
  }
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw errors.badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  if (replicas < 0) throw errors.invalid({ group: 'autoscaling', kind: 'Scale' }, name, [field.invalid(Path.of('spec', 'replicas'), replicas, 'must be greater than or equal to 0')]);
  const object = store.get(namespace, name);
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== object.metadata!.resourceVersion) {
    throw errors.conflict(store.groupResource, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  (object.spec as { replicas?: number }).replicas = replicas;
  const result = store.update(namespace, name, object, options);
  return jsonResponse(200, JSON.stringify(scaleOf(result.object)));
}

const SUCCESS_201 = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });

/**
 * Bind a pod to a node (pkg/registry/core/pod/storage BindingREST): only an unbound pod may be bound;
 * spec.nodeName is set and PodScheduled becomes True.
 */
export function bindPod(pods: Store, namespace: string, podName: string, binding: KubeObject, options: WriteOptions, now: string): ApiResponse {
  const target = binding.target as { kind?: string; name?: string } | undefined;
  if (!target?.name) throw errors.invalid({ group: '', kind: 'Binding' }, podName, [field.required(Path.of('target', 'name'))]);
  pods.guaranteedUpdate(
    namespace,
    podName,
    (object) => {
      const pod = object as Pod;
      if (pod.metadata?.deletionTimestamp) throw errors.conflict(pods.groupResource, podName, 'pod is being deleted, cannot be assigned to a host');
      if (pod.spec?.nodeName) throw errors.conflict(pods.groupResource, podName, `pod ${podName} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
      (pod.spec as { nodeName?: string }).nodeName = target.name;
      const conditions = [...(pod.status?.conditions ?? [])];
      const i = conditions.findIndex((c) => c.type === 'PodScheduled');
      // lastProbeTime is null on the wire, as upstream's zero metav1.Time serialises.
      const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: i >= 0 && conditions[i]!.status === 'True' ? conditions[i]!.lastTransitionTime : now } as unknown as PodCondition;
      if (i >= 0) conditions[i] = scheduled;
      else conditions.push(scheduled);
      object.status = { ...pod.status, conditions };
    },
    options,
  );
  return jsonResponse(201, SUCCESS_201);
}

/**
 * Evict a pod (pkg/registry/core/pod/storage EvictionREST): allowed when every PodDisruptionBudget that
 * selects it has disruptionsAllowed > 0 (which is then decremented), or the pod is not running; refused
 * with 429 otherwise.
 */
export function evictPod(pods: Store, pdbs: Store, namespace: string, podName: string, eviction: KubeObject, options: WriteOptions, now: string): ApiResponse {
  const pod = pods.get(namespace, podName) as Pod;
  const deleteOptions = ((eviction.deleteOptions ?? {}) as DeleteOptions);
  const running = pod.status?.phase === 'Running' || pod.status?.phase === 'Pending';
  if (running && !pod.metadata?.deletionTimestamp) {
    const budgets = pdbs.list(namespace).items.map((e) => JSON.parse(e.json) as PodDisruptionBudget);
    const matching = budgets.filter((b) => {
      try {
        const sel = labelSelectorAsSelector(b.spec?.selector ?? null);
        return !sel.empty() && sel.matches(pod.metadata?.labels ?? {});
      } catch {
        return false;
      }
    });
    if (matching.length > 1) throw tooManyRequests('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', 0);
    const pdb = matching[0];
    if (pdb) {
      const allowed = pdb.status?.disruptionsAllowed ?? 0;
      if (allowed <= 0) {
        throw tooManyRequests(`Cannot evict pod as it would violate the pod's disruption budget.`, 0, `The disruption budget ${pdb.metadata!.name} needs ${pdb.status?.desiredHealthy ?? 0} healthy pods and has ${pdb.status?.currentHealthy ?? 0} currently`);
      }
      pdbs.guaranteedUpdate(namespace, pdb.metadata!.name!, (o) => (o.status = { ...pdb.status!, disruptionsAllowed: allowed - 1, disruptedPods: { ...pdb.status?.disruptedPods, [podName]: now } }), options);
    }
  }
  pods.delete(namespace, podName, { ...deleteOptions, ...options });
  return jsonResponse(201, SUCCESS_201);
}

function tooManyRequests(message: string, retryAfterSeconds: number, cause?: string): StatusError {
  const details: Record<string, unknown> = {};
  if (cause) details.causes = [{ reason: 'DisruptionBudget', message: cause }];
  if (retryAfterSeconds) details.retryAfterSeconds = retryAfterSeconds;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'TooManyRequests', details, code: 429 });
}
