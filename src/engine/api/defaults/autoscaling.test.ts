import { describe, expect, it } from 'vitest';
import { applyDefaults } from './index.ts';

type Json = Record<string, unknown>;

function defaulted(object: Json): Json {
  const copy = structuredClone(object);
  applyDefaults('HorizontalPodAutoscaler.autoscaling', copy);
  return copy;
}

const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu80 = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
const scaleUp = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const scaleDown = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

describe('autoscaling/v2 HorizontalPodAutoscaler', () => {
  it.each<[string, Json, Json]>([
    [
      'no metrics: CPU at 80%, one replica minimum, no behavior',
      { metadata: { name: 'web' }, spec: { scaleTargetRef, maxReplicas: 10 } },
      { metadata: { name: 'web' }, spec: { scaleTargetRef, maxReplicas: 10, minReplicas: 1, metrics: cpu80 } },
    ],
    [
      'its own metrics and minimum are kept',
      {
        metadata: { name: 'web' },
        spec: { scaleTargetRef, minReplicas: 2, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }] },
      },
      {
        metadata: { name: 'web' },
        spec: { scaleTargetRef, minReplicas: 2, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }] },
      },
    ],
    [
      'an empty behavior gets both rules in full, scale-down without a window',
      { metadata: { name: 'web' }, spec: { scaleTargetRef, maxReplicas: 10, behavior: {} } },
      { metadata: { name: 'web' }, spec: { scaleTargetRef, maxReplicas: 10, minReplicas: 1, metrics: cpu80, behavior: { scaleUp, scaleDown } } },
    ],
    [
      'a partial rule keeps what it says and takes the rest',
      {
        metadata: { name: 'web' },
        spec: { scaleTargetRef, maxReplicas: 10, behavior: { scaleDown: { stabilizationWindowSeconds: 60 }, scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } },
      },
      {
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef,
          maxReplicas: 10,
          minReplicas: 1,
          metrics: cpu80,
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
            scaleDown: { ...scaleDown, stabilizationWindowSeconds: 60 },
          },
        },
      },
    ],
  ])('%s', (_name, manifest, expected) => {
    expect(defaulted(manifest)).toStrictEqual(expected);
  });

  it('gives each object its own copy of the default policies', () => {
    const a = defaulted({ spec: { behavior: {} } });
    const b = defaulted({ spec: { behavior: {} } });
    const policiesOf = (o: Json) => ((o.spec as { behavior: { scaleUp: { policies: unknown[] } } }).behavior.scaleUp.policies);
    expect(policiesOf(a)).not.toBe(policiesOf(b));
  });
});
