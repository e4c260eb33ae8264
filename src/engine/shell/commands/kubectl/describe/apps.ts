/**
 * The apps/v1 describers of kubectl 1.32 (pkg/describe): Deployment (replicas line, strategy, pod
 * template, conditions, OldReplicaSets/NewReplicaSet as pkg/util/deployment finds them), ReplicaSet,
 * StatefulSet and DaemonSet (with their pods' phases).
 */
import type { Deployment, ReplicaSet, StatefulSet, DaemonSet } from 'kubernetes-types/apps/v1';
import type { KubeObject } from '../../../../apiserver/registry/strategy.ts';
import { formatLabelSelector, formatLabels } from '../../../../api/labels/selector.ts';
import { LEVEL_0, LEVEL_1, tabbedString } from './prefixWriter.ts';
import { controllerOf, intOrString, parseTime, printAnnotationsMultiline, printController, printLabelsMultiline, rfc1123z } from './metadata.ts';
import { describePodTemplate, describeVolumeClaimTemplates } from './containers.ts';
import { describeEvents } from './events.ts';
import { podStatusForController, podsStatusLine, selectorString, type DescribeContext } from './context.ts';

/** labels.Selector.String() of a LabelSelector: empty for none. */
function selectorText(ls: Parameters<typeof formatLabelSelector>[0]): string {
  const s = formatLabelSelector(ls);
  return s === '<none>' ? '' : s;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function withoutHash(t: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(t ?? {})) as { metadata?: { labels?: Record<string, string> } };
  if (copy.metadata?.labels) {
    delete copy.metadata.labels['pod-template-hash'];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/** deploymentutil.GetAllReplicaSets: the deployment's ReplicaSets, split into all old ones and the new one. */
export function replicaSetsOf(d: Deployment, ctx: DescribeContext): { old: ReplicaSet[]; new: ReplicaSet | undefined } {
  const ns = d.metadata?.namespace ?? '';
  const owned = (ctx.related('apps', 'replicasets', ns, selectorString(d.spec?.selector)) as ReplicaSet[]).filter(
    (rs) => controllerOf(rs as KubeObject)?.uid === d.metadata?.uid,
  );
  const byAge = [...owned].sort((a, b) => {
    const ta = parseTime(a.metadata?.creationTimestamp) ?? 0;
    const tb = parseTime(b.metadata?.creationTimestamp) ?? 0;
    if (ta !== tb) return ta - tb;
    const na = a.metadata?.name ?? '';
    const nb = b.metadata?.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
  const template = withoutHash(d.spec?.template);
  const newRS = byAge.find((rs) => deepEqual(withoutHash(rs.spec?.template), template));
  return { old: owned.filter((rs) => rs !== newRS), new: newRS };
}

function replicaSetsByLabels(rss: readonly ReplicaSet[]): string {
  const list = rss.map((rs) => `${rs.metadata?.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ');
  return list === '' ? '<none>' : list;
}

export function describeDeployment(d: Deployment, ctx: DescribeContext): string {
  const { old, new: newRS } = replicaSetsOf(d, ctx);
  return tabbedString((w) => {
    const st = d.status ?? {};
    w.write(LEVEL_0, `Name:\t${d.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${d.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(d.metadata?.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', d.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', d.metadata?.annotations);
    w.write(LEVEL_0, `Selector:\t${selectorText(d.spec?.selector)}\n`);
    w.write(LEVEL_0, `Replicas:\t${d.spec?.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
    w.write(LEVEL_0, `StrategyType:\t${d.spec?.strategy?.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
    const ru = d.spec?.strategy?.rollingUpdate;
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
    describePodTemplate(d.spec?.template, w);
    if ((st.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of st.conditions!) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (old.length > 0 || newRS) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetsByLabels(old)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetsByLabels(newRS ? [newRS] : [])}\n`);
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

export function describeReplicaSet(rs: ReplicaSet, ctx: DescribeContext): string {
  const ns = rs.metadata?.namespace ?? '';
  const pods = podStatusForController(ctx, ns, selectorString(rs.spec?.selector), rs.metadata?.uid);
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${rs.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
    printLabelsMultiline(w, 'Labels', rs.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', rs.metadata?.annotations);
    const controlledBy = printController(rs as KubeObject);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    w.write(LEVEL_0, `${podsStatusLine(pods)}\n`);
    describePodTemplate(rs.spec?.template, w);
    if ((rs.status?.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of rs.status!.conditions!) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

export function describeStatefulSet(ps: StatefulSet, ctx: DescribeContext): string {
  const ns = ps.metadata?.namespace ?? '';
  const pods = podStatusForController(ctx, ns, selectorString(ps.spec?.selector), ps.metadata?.uid);
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ps.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(ps.metadata?.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorText(ps.spec?.selector)}\n`);
    printLabelsMultiline(w, 'Labels', ps.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ps.metadata?.annotations);
    w.write(LEVEL_0, `Replicas:\t${ps.spec?.replicas ?? 0} desired | ${ps.status?.replicas ?? 0} total\n`);
    w.write(LEVEL_0, `Update Strategy:\t${ps.spec?.updateStrategy?.type ?? ''}\n`);
    const ru = ps.spec?.updateStrategy?.rollingUpdate;
    if (ru && ru.partition !== undefined) {
      w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
      if (ru.maxUnavailable !== undefined) w.write(LEVEL_1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
    }
    w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(pods)}\n`);
    describePodTemplate(ps.spec?.template, w);
    describeVolumeClaimTemplates(ps.spec?.volumeClaimTemplates, w);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

export function describeDaemonSet(ds: DaemonSet, ctx: DescribeContext): string {
  const ns = ds.metadata?.namespace ?? '';
  const pods = podStatusForController(ctx, ns, selectorString(ds.spec?.selector), ds.metadata?.uid);
  return tabbedString((w) => {
    const st = ds.status;
    // kubectl 1.32 prints no Namespace line for a DaemonSet.
    w.write(LEVEL_0, `Name:\t${ds.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorText(ds.spec?.selector)}\n`);
    w.write(LEVEL_0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
    printLabelsMultiline(w, 'Labels', ds.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ds.metadata?.annotations);
    w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${st?.desiredNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${st?.currentNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${st?.updatedNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${st?.numberAvailable ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Misscheduled: ${st?.numberMisscheduled ?? 0}\n`);
    w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(pods)}\n`);
    describePodTemplate(ds.spec?.template, w);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}
