/**
 * HorizontalPodAutoscaler — pkg/apis/autoscaling/validation (Kubernetes 1.32, autoscaling/v2):
 * minReplicas at least 1, maxReplicas positive and not below minReplicas, the scale target reference,
 * metric sources and targets, scaling behavior policies.
 *
 * Left out: scale to zero (HPAScaleToZero, alpha), the container resource metric's container name rules.
 */
import type { HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricTarget } from 'kubernetes-types/autoscaling/v2';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isValidPathSegmentName } from './generic.ts';
import { validateLabelSelector } from './labels.ts';
import { quantityAt } from './resources.ts';

const specPath = Path.of('spec');
const metricTypes = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const targetTypes = ['AverageValue', 'Utilization', 'Value'];
const MaxPeriodSeconds = 1800;
const MaxStabilizationWindowSeconds = 3600;

function validateMetricTarget(t: MetricTarget | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!t) return [field.required(path, 'must specify a metric target')];
  if (!t.type) errs.push(field.required(path.child('type'), 'must specify a metric target type'));
  else if (!targetTypes.includes(t.type)) errs.push(field.notSupported(path.child('type'), t.type, targetTypes));
  if (t.value !== undefined) {
    const q = quantityAt(t.value, path.child('value'), errs);
    if (q && q.sign() !== 1) errs.push(field.invalid(path.child('value'), q.toString(), 'must be positive'));
  }
  if (t.averageValue !== undefined) {
    const q = quantityAt(t.averageValue, path.child('averageValue'), errs);
    if (q && q.sign() !== 1) errs.push(field.invalid(path.child('averageValue'), q.toString(), 'must be positive'));
  }
  if (t.averageUtilization != null && t.averageUtilization < 1) errs.push(field.invalid(path.child('averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetricSpec(m: MetricSpec, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!m.type) return [field.required(path.child('type'), 'must specify a metric source type')];
  if (!metricTypes.includes(m.type)) return [field.notSupported(path.child('type'), m.type, metricTypes)];
  const populated = ['object', 'pods', 'resource', 'external', 'containerResource'].filter((k) => (m as unknown as Record<string, unknown>)[k] != null);
  const expected = m.type === 'ContainerResource' ? 'containerResource' : m.type.toLowerCase();
  if (populated.length > 1 || (populated.length === 1 && populated[0] !== expected)) {
    errs.push(field.forbidden(path, 'must populate the given metric source only'));
  }
  switch (m.type) {
    case 'Resource':
      if (!m.resource) errs.push(field.required(path.child('resource'), 'must populate information for the given metric source'));
      else {
        if (!m.resource.name) errs.push(field.required(path.child('resource', 'name'), 'must specify a resource name'));
        errs.push(...validateMetricTarget(m.resource.target, path.child('resource', 'target')));
      }
      break;
    case 'ContainerResource':
      if (!m.containerResource) errs.push(field.required(path.child('containerResource'), 'must populate information for the given metric source'));
      else {
        if (!m.containerResource.name) errs.push(field.required(path.child('containerResource', 'name'), 'must specify a resource name'));
        if (!m.containerResource.container) errs.push(field.required(path.child('containerResource', 'container'), 'must specify a container'));
        errs.push(...validateMetricTarget(m.containerResource.target, path.child('containerResource', 'target')));
      }
      break;
    case 'Pods':
      if (!m.pods) errs.push(field.required(path.child('pods'), 'must populate information for the given metric source'));
      else {
        if (!m.pods.metric?.name) errs.push(field.required(path.child('pods', 'metric', 'name'), 'must specify a metric name'));
        if (m.pods.metric?.selector) errs.push(...validateLabelSelector(m.pods.metric.selector, path.child('pods', 'metric', 'selector')));
        errs.push(...validateMetricTarget(m.pods.target, path.child('pods', 'target')));
      }
      break;
    case 'Object':
      if (!m.object) errs.push(field.required(path.child('object'), 'must populate information for the given metric source'));
      else {
        if (!m.object.metric?.name) errs.push(field.required(path.child('object', 'metric', 'name'), 'must specify a metric name'));
        errs.push(...validateMetricTarget(m.object.target, path.child('object', 'target')));
      }
      break;
    case 'External':
      if (!m.external) errs.push(field.required(path.child('external'), 'must populate information for the given metric source'));
      else {
        if (!m.external.metric?.name) errs.push(field.required(path.child('external', 'metric', 'name'), 'must specify a metric name'));
        errs.push(...validateMetricTarget(m.external.target, path.child('external', 'target')));
      }
      break;
  }
  return errs;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: Path): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (w != null) {
    if (w < 0) errs.push(field.invalid(path.child('stabilizationWindowSeconds'), w, 'must be greater than or equal to zero'));
    if (w > MaxStabilizationWindowSeconds) errs.push(field.invalid(path.child('stabilizationWindowSeconds'), w, `must be less than or equal to ${MaxStabilizationWindowSeconds}`));
  }
  if (rules.selectPolicy != null && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) {
    errs.push(field.notSupported(path.child('selectPolicy'), rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(field.required(path.child('policies'), 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = path.child('policies').index(i);
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(field.notSupported(pp.child('type'), p.type, ['Percent', 'Pods']));
    if (p.value <= 0) errs.push(field.invalid(pp.child('value'), p.value, 'must be greater than zero'));
    if (p.periodSeconds <= 0) errs.push(field.invalid(pp.child('periodSeconds'), p.periodSeconds, 'must be greater than zero'));
    if (p.periodSeconds > MaxPeriodSeconds) errs.push(field.invalid(pp.child('periodSeconds'), p.periodSeconds, `must be less than or equal to ${MaxPeriodSeconds}`));
  });
  return errs;
}

export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): FieldError[] {
  const spec = hpa.spec;
  const errs: FieldError[] = [];
  const min = spec?.minReplicas;
  const max = spec?.maxReplicas ?? 0;
  if (min != null && min < 1) errs.push(field.invalid(specPath.child('minReplicas'), min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(field.invalid(specPath.child('maxReplicas'), max, 'must be greater than 0'));
  if (min != null && max < min) errs.push(field.invalid(specPath.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  const ref = spec?.scaleTargetRef;
  const rp = specPath.child('scaleTargetRef');
  if (!ref?.kind) errs.push(field.required(rp.child('kind'), ''));
  else for (const m of isValidPathSegmentName(ref.kind)) errs.push(field.invalid(rp.child('kind'), ref.kind, m));
  if (!ref?.name) errs.push(field.required(rp.child('name'), ''));
  else for (const m of isValidPathSegmentName(ref.name)) errs.push(field.invalid(rp.child('name'), ref.name, m));
  (spec?.metrics ?? []).forEach((m, i) => errs.push(...validateMetricSpec(m, specPath.child('metrics').index(i))));
  if (spec?.behavior) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, specPath.child('behavior', 'scaleUp')));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, specPath.child('behavior', 'scaleDown')));
  }
  return errs;
}
