/**
 * autoscaling/v1 HorizontalPodAutoscaler, served by conversion (pkg/apis/autoscaling/v1/conversion.go):
 * HPAs are stored as autoscaling/v2, the preferred version; a request to an autoscaling/v1 path is served
 * by the v2 resource, its body converted on the way in and its answers (objects, lists, watch events) on
 * the way out.
 *
 * v1 → v2: `targetCPUUtilizationPercentage` becomes a Resource metric on cpu with a Utilization target
 * (none given: the 80 % v1 always implied), `currentCPUUtilizationPercentage` the cpu Resource metric
 * status; the `autoscaling.alpha.kubernetes.io/…` annotations a v1 reader got are read back (and dropped)
 * into the metrics, current metrics and conditions. v2 → v1: the cpu utilization target and current value,
 * and what v1 has no field for — the other metrics, every current metric, the conditions — as JSON in those
 * annotations, in v1's MetricSpec and MetricStatus shapes. A PATCH to a v1 path applies to the v1 form of
 * the object, which is then written back as v2.
 *
 * Left out: metrics other than Resource ones in the annotations (a v1 write drops them), v1 request bodies
 * in YAML (they reach the v2 resource unconverted), and Table answers, which are the same for both versions.
 */
import type {
  HorizontalPodAutoscaler as V2, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerSpec as V2Spec, HorizontalPodAutoscalerStatus as V2Status, MetricSpec, MetricStatus,
} from 'kubernetes-types/autoscaling/v2';
import type { HorizontalPodAutoscaler as V1, HorizontalPodAutoscalerSpec as V1Spec, HorizontalPodAutoscalerStatus as V1Status } from 'kubernetes-types/autoscaling/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { jsonResponse, WatchStream, type ApiRequest, type ApiResponse } from '../http.ts';
import type { DiscoveryResource } from '../discovery.ts';
import type { RequestInfo } from '../requestInfo.ts';
import type { KubeObject } from '../registry/strategy.ts';

/** autoscaling.MetricSpecsAnnotation: the metrics v1 cannot say, as v1 MetricSpecs. */
export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
/** autoscaling.MetricStatusesAnnotation: every current metric, as v1 MetricStatuses. */
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
/** autoscaling.HorizontalPodAutoscalerConditionsAnnotation. */
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
/** autoscaling.DefaultCPUUtilization: v1's implied target. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** autoscaling/v1's MetricSpec for a Resource metric (the only kind converted here). */
interface V1MetricSpec {
  type: string;
  resource?: { name: string; targetAverageUtilization?: number; targetAverageValue?: string };
}

/** autoscaling/v1's MetricStatus for a Resource metric. */
interface V1MetricStatus {
  type: string;
  resource?: { name: string; currentAverageUtilization?: number; currentAverageValue: string };
}

const isCpuUtilization = (m: MetricSpec): boolean => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.averageUtilization !== undefined;

/** An HPA as autoscaling/v1 shows it. */
export function toV1(hpa: V2): V1 {
  const spec = hpa.spec;
  const status = hpa.status;
  const annotations: Record<string, string> = { ...hpa.metadata?.annotations };
  const others = (spec?.metrics ?? []).filter((m) => !isCpuUtilization(m) && m.type === 'Resource' && m.resource);
  if (others.length) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others.map(specToV1));
  if (status?.currentMetrics?.length) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(status.currentMetrics.filter((m) => m.type === 'Resource' && m.resource).map(statusToV1));
  if (status?.conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions.map(conditionFields));
  const cpuTarget = spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target.averageUtilization;
  const cpuCurrent = status?.currentMetrics?.filter((m) => m.type === 'Resource' && m.resource?.name === 'cpu').reduce<number | undefined>((found, m) => m.resource?.current.averageUtilization ?? found, undefined);
  const v1Spec: V1Spec = {
    scaleTargetRef: spec?.scaleTargetRef ?? { kind: '', name: '' },
    ...(spec?.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
    maxReplicas: spec?.maxReplicas ?? 0,
    ...(cpuTarget !== undefined ? { targetCPUUtilizationPercentage: cpuTarget } : {}),
  };
  const { status: _status, spec: _spec, ...base } = hpa;
  const v1: V1 = { ...base, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: withAnnotations(hpa.metadata, annotations), spec: v1Spec };
  if (status) {
    const v1Status: V1Status = {
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
      ...(status.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas,
      ...(cpuCurrent !== undefined ? { currentCPUUtilizationPercentage: cpuCurrent } : {}),
    };
    v1.status = v1Status;
  }
  return v1;
}

/** An autoscaling/v1 HPA as it is stored (autoscaling/v2). */
export function fromV1(hpa: V1): V2 {
  const annotations: Record<string, string> = { ...hpa.metadata?.annotations };
  const take = <T>(key: string): T[] | undefined => {
    const text = annotations[key];
    delete annotations[key];
    if (text === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? (parsed as T[]) : undefined;
    } catch {
      return undefined;
    }
  };
  const others = (take<V1MetricSpec>(METRIC_SPECS_ANNOTATION) ?? []).flatMap(specFromV1);
  const currentMetrics = take<V1MetricStatus>(METRIC_STATUSES_ANNOTATION)?.flatMap(statusFromV1);
  const conditions = take<HorizontalPodAutoscalerCondition>(CONDITIONS_ANNOTATION);
  const spec = hpa.spec;
  const cpu = (averageUtilization: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });
  let metrics: MetricSpec[] = [...others, ...(spec?.targetCPUUtilizationPercentage !== undefined ? [cpu(spec.targetCPUUtilizationPercentage)] : [])];
  if (metrics.length === 0) metrics = [cpu(DEFAULT_CPU_UTILIZATION)];
  const v2Spec: V2Spec = {
    scaleTargetRef: spec?.scaleTargetRef ?? { kind: '', name: '' },
    ...(spec?.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
    maxReplicas: spec?.maxReplicas ?? 0,
    metrics,
  };
  const { status: _status, spec: _spec, ...base } = hpa;
  const v2: V2 = { ...base, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: withAnnotations(hpa.metadata, annotations), spec: v2Spec };
  const status = hpa.status;
  if (status) {
    const cpuCurrent: MetricStatus[] = status.currentCPUUtilizationPercentage !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }] : [];
    const current = currentMetrics ?? cpuCurrent;
    const v2Status: V2Status = {
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
      ...(status.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
      ...(status.currentReplicas !== undefined ? { currentReplicas: status.currentReplicas } : {}),
      desiredReplicas: status.desiredReplicas,
      ...(current.length ? { currentMetrics: current } : {}),
      ...(conditions?.length ? { conditions } : {}),
    };
    v2.status = v2Status;
  }
  return v2;
}

/** `metadata` with these annotations (none: no field), where ObjectMeta's field order puts them. */
function withAnnotations(metadata: ObjectMeta | undefined, annotations: Record<string, string>): ObjectMeta {
  const keys = Object.keys(annotations).sort();
  // Go writes a map's keys sorted.
  const sorted = keys.length ? Object.fromEntries(keys.map((k) => [k, annotations[k]!])) : undefined;
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (!placed && (key === 'annotations' || AFTER_ANNOTATIONS.includes(key))) {
      if (sorted) out['annotations'] = sorted;
      placed = true;
    }
    if (key !== 'annotations') out[key] = value;
  }
  if (!placed && sorted) out['annotations'] = sorted;
  return out as ObjectMeta;
}

/** The ObjectMeta fields that follow `annotations`. */
const AFTER_ANNOTATIONS = ['ownerReferences', 'finalizers', 'managedFields'];

function specToV1(m: MetricSpec): V1MetricSpec {
  const r = m.resource!;
  return {
    type: 'Resource',
    resource: { name: r.name, ...(r.target.averageUtilization !== undefined ? { targetAverageUtilization: r.target.averageUtilization } : {}), ...(r.target.averageValue !== undefined ? { targetAverageValue: r.target.averageValue } : {}) },
  };
}

function statusToV1(m: MetricStatus): V1MetricStatus {
  const r = m.resource!;
  return { type: 'Resource', resource: { name: r.name, ...(r.current.averageUtilization !== undefined ? { currentAverageUtilization: r.current.averageUtilization } : {}), currentAverageValue: r.current.averageValue ?? '0' } };
}

function specFromV1(m: V1MetricSpec): MetricSpec[] {
  const r = m.resource;
  if (m.type !== 'Resource' || !r) return [];
  const target = r.targetAverageUtilization !== undefined ? { type: 'Utilization', averageUtilization: r.targetAverageUtilization } : { type: 'AverageValue', ...(r.targetAverageValue !== undefined ? { averageValue: r.targetAverageValue } : {}) };
  return [{ type: 'Resource', resource: { name: r.name, target } }];
}

function statusFromV1(m: V1MetricStatus): MetricStatus[] {
  const r = m.resource;
  if (m.type !== 'Resource' || !r) return [];
  return [{ type: 'Resource', resource: { name: r.name, current: { ...(r.currentAverageUtilization !== undefined ? { averageUtilization: r.currentAverageUtilization } : {}), averageValue: r.currentAverageValue } } }];
}

function conditionFields(c: HorizontalPodAutoscalerCondition): HorizontalPodAutoscalerCondition {
  return { type: c.type, status: c.status, ...(c.lastTransitionTime !== undefined ? { lastTransitionTime: c.lastTransitionTime } : {}), ...(c.reason !== undefined ? { reason: c.reason } : {}), ...(c.message !== undefined ? { message: c.message } : {}) };
}

/** How the v1 group version reaches the stored resource. */
export interface AutoscalingV1Options {
  /** The apiserver's handler: the converted request, as if it came for autoscaling/v2. */
  dispatch(request: ApiRequest): ApiResponse;
  /** Apply a PATCH body to the v1 form of an object (the server's patcher for HPAs). */
  patch(contentType: string, original: KubeObject, body: string): KubeObject;
  /** Decode a Kubernetes protobuf body (what kubectl's typed clients send) to its JSON object. */
  protobuf?(body: Uint8Array): Record<string, unknown>;
}

/** What discovery lists at /apis/autoscaling/v1. */
export const AUTOSCALING_V1_RESOURCES: readonly DiscoveryResource[] = [
  {
    group: 'autoscaling',
    version: 'v1',
    kind: 'HorizontalPodAutoscaler',
    resource: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    namespaced: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  },
];

/** The autoscaling/v1 group version, served by conversion to and from the autoscaling/v2 resource. */
export function autoscalingV1(options: AutoscalingV1Options): { group: string; version: string; resources: readonly DiscoveryResource[]; handle(request: ApiRequest, info: RequestInfo): ApiResponse } {
  return {
    group: 'autoscaling',
    version: 'v1',
    resources: AUTOSCALING_V1_RESOURCES,
    handle: (request, info) => {
      const path = request.path.replace(/^\/apis\/autoscaling\/v1\//, '/apis/autoscaling/v2/');
      const { rawBody: _raw, ...rest } = request;
      if (info.verb === 'patch') {
        const current = options.dispatch({ method: 'GET', path, query: new URLSearchParams(), headers: { ...request.headers, accept: 'application/json' } });
        if (current.status !== 200) return current;
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
        const patched = options.patch(contentType, toV1(JSON.parse(current.body) as V2) as KubeObject, request.body ?? '');
        const body = JSON.stringify(fromV1(patched as V1));
        return convertResponse(options.dispatch({ ...rest, method: 'PUT', path, headers: { ...request.headers, 'content-type': 'application/json' }, body }));
      }
      const writes = info.verb === 'create' || info.verb === 'update';
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (writes && request.rawBody && mediaType === 'application/vnd.kubernetes.protobuf' && options.protobuf) {
        let decoded: Record<string, unknown> | undefined;
        try {
          decoded = options.protobuf(request.rawBody);
        } catch {
          // Not a protobuf the decoder knows: the v2 resource answers with its own error.
          return convertResponse(options.dispatch({ ...request, path }));
        }
        const body = convertBody(JSON.stringify(decoded));
        return convertResponse(options.dispatch({ ...rest, path, headers: { ...request.headers, 'content-type': 'application/json' }, body }));
      }
      let body = request.body;
      if (writes && body) body = convertBody(body);
      return convertResponse(options.dispatch({ ...(request.rawBody ? request : rest), path, ...(body !== undefined ? { body } : {}) }));
    },
  };
}

/** A JSON v1 HPA body as v2; anything else as it came. */
function convertBody(body: string): string {
  let object: unknown;
  try {
    object = JSON.parse(body);
  } catch {
    return body;
  }
  const o = object as { apiVersion?: string; kind?: string } | null;
  if (!o || typeof o !== 'object' || o.apiVersion !== 'autoscaling/v1' || o.kind !== 'HorizontalPodAutoscaler') return body;
  return JSON.stringify(fromV1(o as V1));
}

/** The v2 answer as v1: an object, a list, or each event of a watch. */
function convertResponse(response: ApiResponse): ApiResponse {
  if (response.watch) {
    const inner = response.watch;
    const stream = new WatchStream();
    inner.onEvent((line) => stream.write(convertEvent(line)));
    inner.onEnd(() => stream.end());
    stream.setStopper(() => inner.stop());
    return { ...response, watch: stream };
  }
  if (response.status >= 300 || !response.body) return response;
  const object = JSON.parse(response.body) as { kind?: string; items?: V2[] };
  if (object.kind === 'HorizontalPodAutoscaler') return jsonResponse(response.status, JSON.stringify(toV1(object as V2)));
  if (object.kind === 'HorizontalPodAutoscalerList') return jsonResponse(response.status, JSON.stringify({ ...object, apiVersion: 'autoscaling/v1', items: (object.items ?? []).map(toV1) }));
  return response;
}

function convertEvent(line: string): string {
  const event = JSON.parse(line) as { type: string; object: { kind?: string } };
  if (event.object.kind !== 'HorizontalPodAutoscaler') return line;
  return JSON.stringify({ type: event.type, object: toV1(event.object as V2) });
}
