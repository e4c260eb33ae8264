/**
 * The DaemonSet helpers — pkg/controller/daemon/util/daemonset_util.go and the pure parts of
 * daemon_controller.go: which nodes a DaemonSet should run on (NodeShouldRunDaemonPod: the template's
 * nodeName, its nodeSelector and required node affinity, and the node's NoSchedule/NoExecute taints
 * against the pod's tolerations plus the default daemon tolerations), the pod template a daemon pod is
 * made from (those tolerations, the `pod-template-generation` and `controller-revision-hash` labels),
 * the node affinity term that pins a pod to its node for the scheduler, and the rolling-update budgets.
 *
 * Node matching and taint checks are the scheduler's own (scheduler/corev1): one home.
 *
 * Left out: nothing the 1.32 controller uses.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Affinity, Node, NodeSelectorRequirement, Pod, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1';
import { findMatchingUntoleratedTaint } from '../../api/scheduling/helpers.ts';
import { getRequiredNodeAffinity } from '../../api/scheduling/nodeAffinity.ts';
import { getValueFromIntOrPercent } from '../../api/intstr.ts';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controllerHistory.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

/** extensions.DaemonSetTemplateGenerationKey. */
export const DAEMONSET_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** apps.DeprecatedTemplateGeneration: the annotation the apiserver keeps the template generation in. */
export const DEPRECATED_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
/** metav1.ObjectNameField. */
const OBJECT_NAME_FIELD = 'metadata.name';

/**
 * GetTemplateGeneration: the template generation from the deprecated annotation; undefined when there
 * is none or it does not parse (the controller then relies on the hash alone).
 */
export function getTemplateGeneration(ds: DaemonSet): number | undefined {
  const value = ds.metadata?.annotations?.[DEPRECATED_TEMPLATE_GENERATION_ANNOTATION];
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return undefined;
  return Number(value);
}

/** The tolerations every daemon pod gets, so node problems neither evict it nor keep it off a node. */
function daemonTolerations(spec: PodSpec): Toleration[] {
  const tolerations: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) tolerations.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return tolerations;
}

/** Toleration.MatchToleration: same key, operator, value and effect. */
function matchToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '');
}

/** AddOrUpdateTolerationInPodSpec: replace the matching toleration (unless identical), or append. Mutates `spec`. */
function addOrUpdateToleration(spec: PodSpec, toleration: Toleration): void {
  const existing = spec.tolerations ?? [];
  let updated = false;
  const next: Toleration[] = [];
  for (const t of existing) {
    if (matchToleration(toleration, t)) {
      if (t.tolerationSeconds === undefined) return;
      next.push(toleration);
      updated = true;
      continue;
    }
    next.push(t);
  }
  if (!updated) next.push(toleration);
  spec.tolerations = next;
}

/** AddOrUpdateDaemonPodTolerations. Mutates `spec`. */
export function addOrUpdateDaemonPodTolerations(spec: PodSpec): void {
  for (const toleration of daemonTolerations(spec)) addOrUpdateToleration(spec, toleration);
}

/** CreatePodTemplate: the template with the daemon tolerations and the generation and hash labels. */
export function createPodTemplate(template: PodTemplateSpec, generation: number | undefined, hash: string): PodTemplateSpec {
  const out = deepCopy(template);
  const spec = (out.spec ??= { containers: [] });
  addOrUpdateDaemonPodTolerations(spec);
  const meta = (out.metadata ??= {});
  const labels: Record<string, string> = { ...meta.labels };
  if (generation !== undefined) labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  meta.labels = labels;
  return out;
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes the single term
 * `matchFields metadata.name In [nodeName]`, so the scheduler can place it nowhere else. Preferred terms
 * are kept.
 */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const requirement: NodeSelectorRequirement = { key: OBJECT_NAME_FIELD, operator: 'In', values: [nodeName] };
  const out: Affinity = deepCopy(affinity ?? {});
  const nodeAffinity = (out.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [requirement] }] };
  return out;
}

/** GetTargetNodeName: spec.nodeName, or the node a pending daemon pod is pinned to; undefined if neither. */
export function getTargetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const exp of term.matchFields ?? []) {
      if (exp.key === OBJECT_NAME_FIELD && exp.operator === 'In') return exp.values?.length === 1 ? exp.values[0] : undefined;
    }
  }
  return undefined;
}

/** IsPodUpdated: the pod has the current revision's hash, or (older pods) the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches = generation !== undefined && labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash.length > 0 && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

/** SurgeCount: maxSurge of `numberToSchedule`, rounded up; 0 unless RollingUpdate asks for surge. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const strategy = ds.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate' || !strategy.rollingUpdate || strategy.rollingUpdate.maxSurge === undefined) return 0;
  return getValueFromIntOrPercent(strategy.rollingUpdate.maxSurge, numberToSchedule, true);
}

/** UnavailableCount: maxUnavailable of `numberToSchedule`, rounded up; 0 unless RollingUpdate. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const strategy = ds.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate' || !strategy.rollingUpdate) return 0;
  return getValueFromIntOrPercent(strategy.rollingUpdate.maxUnavailable ?? 0, numberToSchedule, true);
}

/** AllowsSurge: a rolling update may run an old and a new pod on a node at once. */
export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    // An unparsable maxSurge allows no surge, as upstream's error check.
    return false;
  }
}

/** NewPod: the daemon pod for `nodeName` as the checks see it: the template, the node, the tolerations. */
export function newPod(ds: DaemonSet, nodeName: string): Pod {
  const template = ds.spec?.template ?? {};
  const pod: Pod = { metadata: { ...deepCopy(template.metadata ?? {}), namespace: ds.metadata?.namespace }, spec: deepCopy(template.spec ?? { containers: [] }) };
  pod.spec!.nodeName = nodeName;
  addOrUpdateDaemonPodTolerations(pod.spec!);
  return pod;
}

/**
 * NodeShouldRunDaemonPod: `shouldRun` — a daemon pod should be started on the node; `shouldContinueRunning`
 * — one already there may stay (an untolerated NoSchedule taint keeps new pods off but lets a running one
 * stay; an untolerated NoExecute taint does not).
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const templateNodeName = ds.spec?.template?.spec?.nodeName;
  if (templateNodeName && templateNodeName !== node.metadata?.name) return { shouldRun: false, shouldContinueRunning: false };
  const pod = newPod(ds, node.metadata?.name ?? '');
  if (!getRequiredNodeAffinity(pod).match(node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  const tolerations = pod.spec?.tolerations;
  if (findMatchingUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule')) {
    return { shouldRun: false, shouldContinueRunning: !findMatchingUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute') };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

function creationTime(pod: Pod): number {
  const t = pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** podByCreationTimestampAndPhase: scheduled pods first, then oldest first, then by name. */
export function compareByCreationTimestampAndPhase(a: Pod, b: Pod): number {
  const sa = Boolean(a.spec?.nodeName);
  const sb = Boolean(b.spec?.nodeName);
  if (sa !== sb) return sa ? -1 : 1;
  const ta = creationTime(a);
  const tb = creationTime(b);
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}
