import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { autoscalingHandlers, formatHPAMetrics } from './autoscaling.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');

const cpu = (averageUtilization?: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', ...(averageUtilization !== undefined ? { averageUtilization } : {}) } } });
const cpuNow = (averageUtilization?: number): MetricStatus => ({ type: 'Resource', resource: { name: 'cpu', current: averageUtilization !== undefined ? { averageUtilization } : {} } });

describe('formatHPAMetrics', () => {
  // Cases after printers_test.go TestPrintHorizontalPodAutoscaler.
  it.each<[string, MetricSpec[], MetricStatus[], string]>([
    ['no metrics', [], [], '<none>'],
    ['utilization before a reading', [cpu(80)], [], 'cpu: <unknown>/80%'],
    ['utilization', [cpu(80)], [cpuNow(20)], 'cpu: 20%/80%'],
    ['a status without utilization', [cpu(80)], [cpuNow()], 'cpu: <unknown>/80%'],
    ['an unset utilization target', [cpu()], [cpuNow(20)], 'cpu: 20%/<auto>'],
    [
      'an average value',
      [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } }],
      [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '524288Ki' } } }],
      'memory: 512Mi/1Gi',
    ],
    ['a container resource', [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } }], [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 75 } } }], 'cpu: 75%/60%'],
    ['pods', [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }], [], '<unknown>/10'],
    ['pods with a reading', [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }], [{ type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '1500m' } } }], '1500m/10'],
    [
      'object, by value and by average',
      [
        { type: 'Object', object: { metric: { name: 'hits' }, describedObject: { kind: 'Service', name: 'web' }, target: { type: 'Value', value: '100' } } },
        { type: 'Object', object: { metric: { name: 'hits' }, describedObject: { kind: 'Service', name: 'web' }, target: { type: 'AverageValue', averageValue: '5' } } },
      ],
      [{ type: 'Object', object: { metric: { name: 'hits' }, describedObject: { kind: 'Service', name: 'web' }, current: { value: '50' } } }],
      '50/100, <unknown>/5 (avg)',
    ],
    ['external', [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }], [], '<unknown>/30'],
    ['more than two', [cpu(80), cpu(70), cpu(60)], [cpuNow(10), cpuNow(20), cpuNow(30)], 'cpu: 10%/80%, cpu: 20%/70% + 1 more...'],
  ])('%s', (_name, specs, statuses, expected) => {
    expect(formatHPAMetrics(specs, statuses)).toBe(expected);
  });
});

describe('HorizontalPodAutoscaler', () => {
  it.each<[string, HorizontalPodAutoscaler, Array<string | number>]>([
    [
      'scaling a deployment',
      { metadata: { name: 'web', creationTimestamp: new Date(NOW - 600_000).toISOString() }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [cpu(80)] }, status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [cpuNow(20)] } },
      ['web', 'Deployment/web', 'cpu: 20%/80%', '1', 10, 3, '10m'],
    ],
    ['minReplicas unset', { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'db' }, maxReplicas: 3 } }, ['h', 'StatefulSet/db', '<none>', '<unset>', 3, 0, '<unknown>']],
  ])('%s', (_name, object, expected) => {
    expect(autoscalingHandlers['HorizontalPodAutoscaler.autoscaling'].print(object as unknown as KubeObject, NOW)).toEqual(expected);
  });
});
