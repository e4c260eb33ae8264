/**
 * The HorizontalPodAutoscaler printer — printHorizontalPodAutoscaler and formatHPAMetrics of
 * pkg/printers/internalversion (Kubernetes 1.32): NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE.
 *
 * Contract: TARGETS shows each metric as `current/target` — `cpu: 20%/80%` for a utilization target,
 * `cpu: 250m/500m` for an average value, `<unknown>` before the controller has a reading, `<auto>` for
 * a utilization target left unset, ` (avg)` for Object and External average values — at most two, then
 * ` + N more...`; `<none>` without metrics. MINPODS is `<unset>` when minReplicas is.
 */
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import { quantityString } from './cells.ts';
import { AGE, column, DOC, NAME } from './columns.ts';
import { since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

/** Quantity.String() of a *Quantity: nil prints `<nil>`. */
function q(value: string | number | undefined): string {
  return quantityString(value, '<nil>');
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const target = spec.external?.target;
      if (target?.averageValue !== undefined) {
        const current = status?.external?.current.averageValue !== undefined ? q(status.external.current.averageValue) : '<unknown>';
        return `${current}/${q(target.averageValue)} (avg)`;
      }
      const current = status?.external ? q(status.external.current.value) : '<unknown>';
      return `${current}/${q(target?.value)}`;
    }
    case 'Pods': {
      const current = status?.pods ? q(status.pods.current.averageValue) : '<unknown>';
      return `${current}/${q(spec.pods?.target.averageValue)}`;
    }
    case 'Object': {
      const target = spec.object?.target;
      if (target?.averageValue !== undefined) {
        const current = status?.object?.current.averageValue !== undefined ? q(status.object.current.averageValue) : '<unknown>';
        return `${current}/${q(target.averageValue)} (avg)`;
      }
      const current = status?.object ? q(status.object.current.value) : '<unknown>';
      return `${current}/${q(target?.value)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const metricStatus = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const target = source?.target;
      const name = source?.name ?? '';
      if (target?.averageValue !== undefined) {
        return `${name}: ${metricStatus ? q(metricStatus.current?.averageValue) : '<unknown>'}/${q(target.averageValue)}`;
      }
      const utilization = metricStatus?.current?.averageUtilization;
      const currentText = utilization !== undefined ? `${utilization}%` : '<unknown>';
      const targetText = target?.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
      return `${name}: ${currentText}/${targetText}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: a status counts for the spec at the same index. */
export function formatHPAMetrics(specs: readonly MetricSpec[], statuses: readonly MetricStatus[]): string {
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

function printHPA(hpa: HorizontalPodAutoscaler, now: number): Cell[] {
  const ref = hpa.spec?.scaleTargetRef;
  const minReplicas = hpa.spec?.minReplicas;
  return [
    hpa.metadata?.name ?? '',
    `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
    formatHPAMetrics(hpa.spec?.metrics ?? [], hpa.status?.currentMetrics ?? []),
    minReplicas === undefined ? '<unset>' : String(minReplicas),
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    since(hpa.metadata?.creationTimestamp, now),
  ];
}

export const autoscalingHandlers = {
  'HorizontalPodAutoscaler.autoscaling': tableHandler<HorizontalPodAutoscaler>(
    [
      NAME,
      column('Reference', 'string', DOC.hpaRef),
      column('Targets', 'string', DOC.hpaMetrics),
      column('MinPods', 'string', DOC.hpaMin),
      column('MaxPods', 'string', DOC.hpaMax),
      column('Replicas', 'string', DOC.hpaCurrent),
      AGE,
    ],
    printHPA,
  ),
};
