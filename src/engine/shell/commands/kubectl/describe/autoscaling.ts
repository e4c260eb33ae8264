/**
 * The autoscaling/v2 describer of kubectl 1.32 (pkg/describe): HorizontalPodAutoscaler — its target,
 * each metric as `current / target` (`<unknown>` before the controller has measured it), replica bounds,
 * scaling behavior, the target's current and desired pods, and conditions.
 */
import type { HPAScalingRules, HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import { parseQuantity } from '../../../../api/resource/quantity.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter, tabbedString } from './prefixWriter.ts';
import { printAnnotationsMultiline, printLabelsMultiline, rfc1123z } from './metadata.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

function q(v: unknown): string {
  return v === undefined ? '0' : parseQuantity(String(v)).toString();
}

/** Go's %q of a plain string. */
function quoted(s: string): string {
  return JSON.stringify(s);
}

function describeMetric(w: PrefixWriter, m: MetricSpec, current: MetricStatus | undefined): void {
  switch (m.type) {
    case 'External': {
      const t = m.external!.target;
      if (t.averageValue !== undefined) {
        const cur = current?.external?.current.averageValue !== undefined ? q(current.external.current.averageValue) : '<unknown>';
        w.write(LEVEL_1, `${quoted(m.external!.metric.name)} (target average value):\t${cur} / ${q(t.averageValue)}\n`);
      } else {
        const cur = current?.external ? q(current.external.current.value) : '<unknown>';
        w.write(LEVEL_1, `${quoted(m.external!.metric.name)} (target value):\t${cur} / ${q(t.value)}\n`);
      }
      return;
    }
    case 'Pods': {
      const cur = current?.pods ? q(current.pods.current.averageValue) : '<unknown>';
      w.write(LEVEL_1, `${quoted(m.pods!.metric.name)} on pods:\t${cur} / ${q(m.pods!.target.averageValue)}\n`);
      return;
    }
    case 'Object': {
      const o = m.object!;
      w.write(LEVEL_1, `"${o.metric.name}" on ${o.describedObject.kind}/${o.describedObject.name} `);
      if (o.target.type === 'AverageValue') {
        const cur = current?.object ? q(current.object.current.averageValue) : '<unknown>';
        w.write(LEVEL_0, `(target average value):\t${cur} / ${q(o.target.averageValue)}\n`);
      } else {
        const cur = current?.object ? q(current.object.current.value) : '<unknown>';
        w.write(LEVEL_0, `(target value):\t${cur} / ${q(o.target.value)}\n`);
      }
      return;
    }
    case 'Resource':
    case 'ContainerResource': {
      const r = m.type === 'Resource' ? m.resource! : m.containerResource!;
      const status = m.type === 'Resource' ? current?.resource : current?.containerResource;
      w.write(LEVEL_1, m.type === 'Resource' ? `resource ${r.name} on pods` : `resource ${r.name} of container "${m.containerResource!.container}" on pods`);
      if (r.target.averageValue !== undefined) {
        const cur = status ? q(status.current.averageValue) : '<unknown>';
        w.write(LEVEL_0, `:\t${cur} / ${q(r.target.averageValue)}\n`);
      } else {
        const cur = status?.current.averageUtilization !== undefined ? `${status.current.averageUtilization}% (${q(status.current.averageValue)})` : '<unknown>';
        const target = r.target.averageUtilization !== undefined ? `${r.target.averageUtilization}%` : '<auto>';
        w.write(LEVEL_1, `(as a percentage of request):\t${cur} / ${target}\n`);
      }
      return;
    }
    default:
      w.write(LEVEL_1, `<unknown metric type ${quoted(m.type)}>\n`);
  }
}

/** printDirectionBehavior */
function describeDirection(w: PrefixWriter, direction: string, rules: HPAScalingRules | undefined): void {
  if (!rules) return;
  w.write(LEVEL_1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if ((rules.policies ?? []).length > 0) {
    w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(LEVEL_2, 'Policies:\n');
    for (const p of rules.policies!) w.write(LEVEL_3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

export function describeHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler, ctx: DescribeContext): string {
  return tabbedString((w) => {
    const spec = hpa.spec;
    const st = hpa.status;
    w.write(LEVEL_0, `Name:\t${hpa.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${hpa.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', hpa.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', hpa.metadata?.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(hpa.metadata?.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Reference:\t${spec?.scaleTargetRef.kind ?? ''}/${spec?.scaleTargetRef.name ?? ''}\n`);
    w.write(LEVEL_0, 'Metrics:\t( current / target )\n');
    (spec?.metrics ?? []).forEach((m, i) => describeMetric(w, m, st?.currentMetrics?.[i]));
    w.write(LEVEL_0, `Min replicas:\t${spec?.minReplicas ?? '<unset>'}\n`);
    w.write(LEVEL_0, `Max replicas:\t${spec?.maxReplicas ?? 0}\n`);
    if (spec?.behavior) {
      w.write(LEVEL_0, 'Behavior:\n');
      describeDirection(w, 'Scale Up', spec.behavior.scaleUp);
      describeDirection(w, 'Scale Down', spec.behavior.scaleDown);
    }
    w.write(LEVEL_0, `${spec?.scaleTargetRef.kind ?? ''} pods:\t`);
    w.write(LEVEL_0, `${st?.currentReplicas ?? 0} current / ${st?.desiredReplicas ?? 0} desired\n`);
    if ((st?.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------\t-------\n');
      for (const c of st!.conditions!) w.write(LEVEL_1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}
