/**
 * What the kubelet's file source does to a manifest before it runs it (pkg/kubelet/config/common.go):
 * decode one pod (YAML or JSON), give it the identity of a static pod — the name `<name>-<nodeName>`,
 * the namespace `default` when it names none, spec.nodeName, a UID that is the md5 hash of the node, the
 * file and the pod (`kubernetes.io/config.hash` carries it), the NoExecute toleration that keeps it from
 * being evicted — then default and validate it as the apiserver would.
 *
 * The hash covers the pod's JSON where upstream hashes the Go object: any edit of the manifest gives a
 * new UID, as upstream, but the digits differ from a real kubelet's.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Pod } from 'kubernetes-types/core/v1';
import { parse } from 'yaml';
import { setDefaultsPod } from '../../api/defaults/core.ts';
import { aggregateMessage } from '../../api/field/errors.ts';
import { validatePod } from '../../api/validation/pod.ts';

/** kubetypes.ConfigHashAnnotationKey: the static pod's hash, which is also its UID. */
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
/** kubetypes.ConfigSourceAnnotationKey: where the kubelet got the pod (`file`, `http` or `api`). */
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
/** kubetypes.ConfigFirstSeenAnnotationKey: when the kubelet first saw the pod (RFC 3339 with nanoseconds). */
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';

const utf8 = new TextEncoder();

/** generatePodName: a name unique among nodes. */
export function generatePodName(name: string, nodeName: string): string {
  return `${name}-${nodeName.toLowerCase()}`;
}

/** applyDefaults for a file: UID from the hash, name, namespace, node, the config.hash annotation, the toleration, phase Pending. */
export function applyDefaults(pod: Pod, source: string, nodeName: string): Pod {
  const uid = pod.metadata?.uid || bytesToHex(md5(utf8.encode(`host:${nodeName}file:${source}${JSON.stringify(pod)}`)));
  const tolerations = pod.spec?.tolerations ?? [];
  // AddOrUpdateTolerationInPod: static pods are not evicted for node problems.
  const tolerated = tolerations.some((t) => t.operator === 'Exists' && t.effect === 'NoExecute' && !t.key && t.tolerationSeconds === undefined);
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      uid,
      name: generatePodName(pod.metadata?.name ?? '', nodeName),
      namespace: pod.metadata?.namespace || 'default',
      annotations: { ...pod.metadata?.annotations, [CONFIG_HASH_ANNOTATION]: uid },
    },
    spec: { ...(pod.spec ?? { containers: [] }), nodeName, tolerations: tolerated ? tolerations : [...tolerations, { operator: 'Exists', effect: 'NoExecute' }] },
    status: { phase: 'Pending' },
  };
}

/**
 * tryDecodeSinglePod: the pod in `text`, defaulted and valid, or an Error saying why not. `parsed` is
 * false when the text is not a pod at all.
 */
export function tryDecodeSinglePod(text: string, defaultFn: (pod: Pod) => Pod): { parsed: boolean; pod?: Pod; error?: Error } {
  let obj: unknown;
  try {
    obj = parse(text);
  } catch (error) {
    return { parsed: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
  const pod = (typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? obj : {}) as Pod;
  if (!pod.kind) return { parsed: false, error: new Error(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`) };
  if (pod.kind !== 'Pod' || pod.apiVersion !== 'v1') return { parsed: false, error: new Error(`invalid pod: kind ${pod.kind} of ${pod.apiVersion ?? ''}`) };
  if (!pod.metadata?.name) return { parsed: true, error: new Error('invalid pod: metadata.name: Required value: name or generateName is required') };
  const defaulted = defaultFn(pod);
  setDefaultsPod(defaulted);
  const errs = validatePod(defaulted);
  if (errs.length > 0) return { parsed: true, error: new Error(`invalid pod: ${aggregateMessage(errs)}`) };
  return { parsed: true, pod: defaulted };
}
