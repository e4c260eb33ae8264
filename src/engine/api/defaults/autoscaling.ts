/**
 * Defaulting for autoscaling/v2 (k8s.io/kubernetes/pkg/apis/autoscaling/v2/defaults.go): minReplicas 1,
 * a CPU utilization target of 80% when no metric is given, and — only when spec.behavior is given — every
 * unset part of both scaling rules: scale up by at most max(4 pods, 100%) per 15s with no stabilization
 * window, scale down by at most 100% per 15s. The scale-down stabilization window stays unset (the
 * controller's --horizontal-pod-autoscaler-downscale-stabilization, 5 minutes, applies).
 *
 * Left out: fields added after 1.32 (selectionStrategy, tolerance).
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, HPAScalingRules } from 'kubernetes-types/autoscaling/v2';
import type { Defaulter } from './index.ts';

/** autoscaling.DefaultCPUUtilization. */
const DEFAULT_CPU_UTILIZATION = 80;

function defaultScaleUpRules(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

function defaultScaleDownRules(): HPAScalingRules {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: what the user set wins, field by field, over the defaults. */
function withDefaults(given: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  if (!given) return defaults;
  if (given.selectPolicy != null) defaults.selectPolicy = given.selectPolicy;
  if (given.stabilizationWindowSeconds != null) defaults.stabilizationWindowSeconds = given.stabilizationWindowSeconds;
  if (given.policies != null) defaults.policies = given.policies;
  return defaults;
}

/** SetDefaults_HorizontalPodAutoscaler and SetDefaults_HorizontalPodAutoscalerBehavior. */
function setDefaultsHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = (hpa.spec ??= {} as HorizontalPodAutoscalerSpec);
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, defaultScaleUpRules());
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, defaultScaleDownRules());
  }
}

export const autoscalingDefaulters: Readonly<Record<string, Defaulter>> = {
  'HorizontalPodAutoscaler.autoscaling': (o) => setDefaultsHorizontalPodAutoscaler(o as HorizontalPodAutoscaler),
};
