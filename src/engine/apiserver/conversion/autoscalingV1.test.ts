import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler as V2 } from 'kubernetes-types/autoscaling/v2';
import type { HorizontalPodAutoscaler as V1 } from 'kubernetes-types/autoscaling/v1';
import { fromV1, toV1 } from './autoscalingV1.ts';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const condition = { type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T09:00:00Z', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };

const stored: V2 = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, managedFields: [] },
  spec: {
    scaleTargetRef: ref,
    minReplicas: 1,
    maxReplicas: 5,
    metrics: [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    ],
  },
  status: {
    observedGeneration: 1,
    currentReplicas: 2,
    desiredReplicas: 2,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42, averageValue: '21m' } } }],
    conditions: [condition],
  },
};

describe('autoscaling/v1 conversion', () => {
  it('shows the cpu target and value in v1 fields, and the rest in the alpha annotations', () => {
    expect(toV1(stored)).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'web',
        namespace: 'default',
        labels: { app: 'web' },
        annotations: {
          'autoscaling.alpha.kubernetes.io/conditions': JSON.stringify([condition]),
          'autoscaling.alpha.kubernetes.io/current-metrics': '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":42,"currentAverageValue":"21m"}}]',
          'autoscaling.alpha.kubernetes.io/metrics': '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]',
        },
        managedFields: [],
      },
      spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      status: { observedGeneration: 1, currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 42 },
    });
  });

  it('round-trips through v1 without loss, the annotations read back and dropped', () => {
    expect(fromV1(toV1(stored))).toEqual(stored);
  });

  it.each<[string, V1['spec'], V2['spec']]>([
    ['a cpu percentage as a Utilization metric', { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 70 }, { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] }],
    ['no percentage as v1’s implied 80 %', { scaleTargetRef: ref, maxReplicas: 3 }, { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }],
  ])('converts %s', (_name, spec, expected) => {
    expect(fromV1({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec }).spec).toEqual(expected);
  });
});
