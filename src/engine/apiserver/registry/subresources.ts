/**
 * The subresources beyond status (pkg/registry/*): `scale` of Deployments, ReplicaSets and StatefulSets
 * (an autoscaling/v1 Scale over spec.replicas), a pod's `binding` (the scheduler's write: spec.nodeName and
 * the PodScheduled condition, once), a pod's `eviction` (a delete that respects PodDisruptionBudgets), a
 * namespace's `finalize` (spec.finalizers), a pod's `ephemeralcontainers` (what `kubectl debug` adds), and
 * `log`/`exec`/`attach`/`portforward`, which the apiserver proxies to the pod's kubelet through a
 * ConnectHandler.
 */
import type { Pod, PodCondition, PodSpec } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { errors, StatusError, type StatusReason } from '../../api/errors.ts';
import { field } from '../../api/field/errors.ts';
import { Path } from '../../api/field/path.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { validatePodEphemeralContainersUpdate } from '../../api/validation/pod.ts';
import type { ApiResponse } from '../http.ts';
import { jsonResponse } from '../http.ts';
import type { DeleteOptions, Store, WriteOptions } from './store.ts';
import type { KubeObject } from './strategy.ts';

/** A pod's log request, as the apiserver passes it on (PodLogOptions; the container already resolved). */
export interface PodLogOptions {
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
}

/** What the apiserver asks of the pod's kubelet, once its own checks passed. */
export interface ConnectRequest {
  namespace: string;
  /** The pod as stored: bound to a node, the container named valid for it. */
  pod: Pod;
  subresource: string;
  container: string;
  query: URLSearchParams;
  /** For `log`. */
  logOptions?: PodLogOptions;
  /** For `exec`: the command. */
  command?: string[];
  /** For `exec` and `attach`: which streams the client opens, and whether it wants a tty. */
  streams?: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean };
}

/**
 * Where `log`, `exec`, `attach` and `portforward` go: the kubelet of the pod's node. Its answer is the
 * kubelet's (plain-text errors with the kubelet's codes); the apiserver turns a failed log answer into a
 * Status and passes exec and attach answers (an upgrade, or its refusal) through.
 */
export type ConnectHandler = (request: ConnectRequest) => ApiResponse;

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

/**
 * Write a pod's ephemeral containers (pkg/registry/core/pod/storage EphemeralContainersREST,
 * podEphemeralContainersStrategy): of the Pod sent (a PUT's body, or the stored pod with a PATCH applied)
 * only spec.ephemeralContainers is kept — the rest is the stored pod's —, the new containers get the
 * container defaults, and ValidatePodEphemeralContainersUpdate allows only additions (and the ephemeral
 * containers' own rules: no ports, probes, lifecycle or resources; names unique in the pod). A stale
 * resourceVersion is a Conflict. The answer is the whole Pod. Left out: admission of the subresource.
 */
export function updateEphemeralContainers(pods: Store, namespace: string, podName: string, pod: KubeObject, options: WriteOptions): ApiResponse {
  const result = pods.guaranteedUpdate(
    namespace,
    podName,
    (object) => {
      const rv = pod.metadata?.resourceVersion;
      if (rv && rv !== object.metadata?.resourceVersion) throw errors.conflict(pods.groupResource, podName, 'the object has been modified; please apply your changes to the latest version and try again');
      const old = structuredClone(object) as Pod;
      const spec = object.spec as PodSpec;
      const ephemeral = (pod.spec as PodSpec | undefined)?.ephemeralContainers;
      if (ephemeral && ephemeral.length > 0) spec.ephemeralContainers = structuredClone(ephemeral);
      else delete spec.ephemeralContainers;
      pods.strategy.defaults(object);
      const problems = validatePodEphemeralContainersUpdate(object as Pod, old);
      if (problems.length > 0) throw errors.invalid({ group: '', kind: 'Pod' }, podName, problems);
    },
    options,
  );
  return jsonResponse(200, result.json);
}

function tooManyRequests(message: string, retryAfterSeconds: number, cause?: string): StatusError {
  const details: Record<string, unknown> = {};
  if (cause) details.causes = [{ reason: 'DisruptionBudget', message: cause }];
  if (retryAfterSeconds) details.retryAfterSeconds = retryAfterSeconds;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'TooManyRequests', details, code: 429 });
}

/**
 * The apiserver's part of a pod's log, exec, attach and portforward (pkg/registry/core/pod/strategy.go
 * LogLocation, streamLocation, PortForwardLocation; rest/log.go): the container named or defaulted
 * (validateContainer; portforward names none), the options read from the query, the pod bound to a node,
 * then the kubelet's answer — a log it refuses becomes a Status whose message is the kubelet's text
 * (NewGenericServerResponse), as kubectl prints it (`Error from server (BadRequest): container "x" in pod
 * "y" is waiting to start: ContainerCreating`).
 */
export function connectPod(pod: Pod, subresource: string, query: URLSearchParams, connect: ConnectHandler | undefined): ApiResponse {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? '';
  const nodeName = pod.spec?.nodeName;
  if (subresource === 'portforward') {
    // PortForwardLocation: the pod's node, no container; the ports travel with each stream.
    if (!nodeName) throw errors.badRequest(`pod ${name} does not have a host assigned`);
    return kubelet(connect, nodeName)({ namespace, pod, subresource, container: '', query });
  }
  const container = validateContainer(pod, query.get('container') ?? '');
  if (subresource === 'log') {
    const logOptions = podLogOptions(query);
    // A pod not yet bound has no logs: an empty answer (LogLocation's nil location).
    if (!nodeName) return { status: 200, headers: { 'content-type': 'text/plain' }, body: '' };
    const response = kubelet(connect, nodeName)({ namespace, pod, subresource, container, query, logOptions });
    if (response.status >= 200 && response.status < 300) return response;
    // The apiserver's own Status (the kubelet could not be reached) goes to the client as it is.
    if (response.headers['content-type'] === 'application/json') return response;
    throw genericServerResponse(response.status, response.body.replace(/\n$/, ''), 'pods/log', name);
  }
  if (!nodeName) throw errors.badRequest(`pod ${name} does not have a host assigned`);
  const flag = (key: string, byDefault: boolean) => (query.has(key) ? query.get(key) === 'true' || query.get(key) === '1' : byDefault);
  // PodExecOptions/PodAttachOptions decoded from the query: a stream the client does not name is off.
  const streams = { stdin: flag('stdin', false), stdout: flag('stdout', false), stderr: flag('stderr', false), tty: flag('tty', false) };
  if (subresource === 'exec' || subresource === 'attach') {
    if (!streams.stdin && !streams.stdout && !streams.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
  const command = subresource === 'exec' ? query.getAll('command') : undefined;
  if (command !== undefined && command.length === 0) throw errors.badRequest('you must specify at least 1 command');
  return kubelet(connect, nodeName)({ namespace, pod, subresource, container, query, streams, ...(command ? { command } : {}) });
}

function kubelet(connect: ConnectHandler | undefined, nodeName: string): ConnectHandler {
  if (!connect) throw errors.internal(new Error(`no kubelet serves node ${JSON.stringify(nodeName)}`));
  return connect;
}

/** Every container of the pod, as VisitContainers orders them: init containers, containers, ephemeral ones. */
function containerNames(pod: Pod): string[] {
  const spec = pod.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name);
}

/** validateContainer: the container named, which must be the pod's, or the only one. */
function validateContainer(pod: Pod, container: string): string {
  const name = pod.metadata?.name ?? '';
  if (container) {
    if (!containerNames(pod).includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 1) return containers[0]!.name;
  if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
  throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
}

/** The PodLogOptions of a query (the parameter codec's conversion): booleans, integers, a time. */
function podLogOptions(query: URLSearchParams): PodLogOptions {
  const options: PodLogOptions = {};
  for (const key of ['follow', 'previous', 'timestamps'] as const) {
    const value = query.get(key);
    if (value !== null) options[key] = value === 'true' || value === '1';
  }
  for (const key of ['tailLines', 'sinceSeconds', 'limitBytes'] as const) {
    const value = query.get(key);
    if (value === null) continue;
    if (!/^-?\d+$/.test(value)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
    options[key] = Number(value);
  }
  const sinceTime = query.get('sinceTime');
  if (sinceTime !== null) {
    if (Number.isNaN(Date.parse(sinceTime))) throw errors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
    options.sinceTime = sinceTime;
  }
  const causes: ReturnType<typeof field.invalid>[] = [];
  if (options.tailLines !== undefined && options.tailLines < 0) causes.push(field.invalid(Path.of('tailLines'), options.tailLines, 'must be greater than or equal to 0'));
  if (options.limitBytes !== undefined && options.limitBytes < 1) causes.push(field.invalid(Path.of('limitBytes'), options.limitBytes, 'must be greater than 0'));
  if (options.sinceSeconds !== undefined && options.sinceSeconds < 1) causes.push(field.invalid(Path.of('sinceSeconds'), options.sinceSeconds, 'must be greater than 0'));
  if (causes.length > 0) throw errors.invalid({ group: '', kind: 'PodLogOptions' }, '', causes);
  return options;
}

/** apimachinery's NewGenericServerResponse for a backend's failed answer: the reason its code means, its text. */
function genericServerResponse(code: number, body: string, resource: string, name: string): StatusError {
  const reasons: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' };
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: body || `the server responded with the status code ${code} but did not return more information`,
    reason: (reasons[code] ?? '') as StatusReason,
    details: { name, group: '', kind: resource, causes: [{ reason: 'UnexpectedServerResponse', message: body }] },
    code,
  });
}
