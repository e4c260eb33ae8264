/**
 * Workloads — pkg/apis/apps/validation (Kubernetes 1.32) for Deployment, ReplicaSet, StatefulSet,
 * DaemonSet and ControllerRevision, with the apps/v1 strategies' selector immutability on update.
 *
 * Contract: each function returns the errors past ObjectMeta, with upstream's paths and messages
 * (`spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: \`selector\` does
 * not match template \`labels\``).
 *
 * A StatefulSet's pod template spec is not validated, as upstream (its TODO: volumeClaimTemplates
 * would fail the volume checks); only its labels and annotations are.
 *
 * Left out: the read-only persistent disk check for replicas > 1 (GCE PD / AWS EBS only), the
 * deprecated `rollbackTo` and `templateGeneration`, status validation.
 */
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import type { Selector } from '../labels/selector.ts';
import { isValidPercent } from './formats.ts';
import { semanticEqual, validateImmutableField, validateNonnegativeField } from './generic.ts';
import { GoValue, goIntOrString, goJSON, goLabelSelector, goStringMap } from './goSyntax.ts';
import { asSelector, selectorIsEmpty, validateLabels, validateLabelSelector } from './labels.ts';
import { validateAnnotations } from './objectMeta.ts';
import { validatePodTemplateSpec } from './pod.ts';

const specPath = Path.of('spec');

type IntOrString = number | string;

/** ValidatePositiveIntOrPercent. */
export function validatePositiveIntOrPercent(v: IntOrString | undefined, path: Path): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalid(path, goIntOrString(v), m));
  if (typeof v === 'number') return validateNonnegativeField(v, path);
  return [];
}

function getPercentValue(v: IntOrString | undefined): [number, boolean] {
  if (typeof v !== 'string' || isValidPercent(v).length > 0) return [0, false];
  return [parseInt(v.slice(0, -1), 10), true];
}

function getIntOrPercentValue(v: IntOrString | undefined): number {
  const [value, isPercent] = getPercentValue(v);
  if (isPercent) return value;
  if (typeof v === 'number') return v;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

/** IsNotMoreThan100Percent. */
export function isNotMoreThan100Percent(v: IntOrString | undefined, path: Path): FieldError[] {
  const [value, isPercent] = getPercentValue(v);
  return !isPercent || value <= 100 ? [] : [field.invalid(path, goIntOrString(v), 'must not be greater than 100%')];
}

/** The selector/template-labels check and ValidatePodTemplateSpec, as ValidatePodTemplateSpecForReplicaSet runs them. */
function validateTemplateForSelector(template: PodTemplateSpec | undefined, selector: Selector, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const labels = template?.metadata?.labels ?? {};
  if (!selector.empty() && !selector.matches(labels)) {
    errs.push(field.invalid(path.child('metadata', 'labels'), goStringMap(template?.metadata?.labels), '`selector` does not match template `labels`'));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet (Deployments and ReplicaSets). */
function validatePodTemplateSpecForReplicaSet(template: PodTemplateSpec | undefined, selector: Selector, path: Path, kind: string): FieldError[] {
  if (!template) return [field.required(path, '')];
  const errs = validateTemplateForSelector(template, selector, path);
  errs.push(...validatePodTemplateSpec(template, path));
  const rp = template.spec?.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(field.notSupported(path.child('spec', 'restartPolicy'), rp, ['Always']));
  if (template.spec?.activeDeadlineSeconds != null) {
    errs.push(field.forbidden(path.child('spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** The shared selector checks: required, valid, not empty. */
function validateWorkloadSelector(selector: LabelSelector | undefined, path: Path, emptyMsg: string, errs: FieldError[]): void {
  if (!selector) {
    errs.push(field.required(path, ''));
    return;
  }
  errs.push(...validateLabelSelector(selector, path));
  if (selectorIsEmpty(selector)) errs.push(field.invalid(path, goLabelSelector(selector), emptyMsg));
}

// ---- Deployment ----

function validateDeploymentStrategy(d: Deployment, path: Path): FieldError[] {
  const strategy = d.spec?.strategy ?? {};
  const errs: FieldError[] = [];
  switch (strategy.type) {
    case 'Recreate':
      if (strategy.rollingUpdate) errs.push(field.forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) {
        errs.push(field.required(path.child('rollingUpdate'), 'this should be defaulted and never be nil'));
        break;
      }
      const rp = path.child('rollingUpdate');
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, rp.child('maxUnavailable')));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, rp.child('maxSurge')));
      if (getIntOrPercentValue(ru.maxUnavailable) === 0 && getIntOrPercentValue(ru.maxSurge) === 0) {
        errs.push(field.invalid(rp.child('maxUnavailable'), goIntOrString(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, rp.child('maxUnavailable')));
      break;
    }
    default: {
      const shown = new GoValue(`apps.DeploymentStrategy{Type:${JSON.stringify(strategy.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`);
      errs.push(field.notSupported(path, shown, ['Recreate', 'RollingUpdate']));
    }
  }
  return errs;
}

/** ValidateDeploymentSpec. */
export function validateDeployment(d: Deployment): FieldError[] {
  const spec = d.spec;
  const errs = validateNonnegativeField(spec?.replicas ?? 0, specPath.child('replicas'));
  validateWorkloadSelector(spec?.selector, specPath.child('selector'), 'empty selector is invalid for deployment', errs);
  const selector = asSelector(spec?.selector);
  if (!selector) errs.push(field.invalid(specPath.child('selector'), goLabelSelector(spec?.selector), 'invalid label selector'));
  else errs.push(...validatePodTemplateSpecForReplicaSet(spec?.template, selector, specPath.child('template'), 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(d, specPath.child('strategy')));
  const minReady = spec?.minReadySeconds ?? 0;
  errs.push(...validateNonnegativeField(minReady, specPath.child('minReadySeconds')));
  if (spec?.revisionHistoryLimit != null) errs.push(...validateNonnegativeField(spec.revisionHistoryLimit, specPath.child('revisionHistoryLimit')));
  if (spec?.progressDeadlineSeconds != null) {
    const pds = spec.progressDeadlineSeconds;
    errs.push(...validateNonnegativeField(pds, specPath.child('progressDeadlineSeconds')));
    if (pds <= minReady) errs.push(field.invalid(specPath.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** ValidateDeploymentUpdate plus the apps/v1 strategy's immutable selector. */
export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldError[] {
  const errs = validateDeployment(d);
  errs.push(...validateImmutableField(d.spec?.selector, old.spec?.selector, specPath.child('selector'), goLabelSelector(d.spec?.selector)));
  return errs;
}

// ---- ReplicaSet ----

/** ValidateReplicaSetSpec. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec;
  const errs = validateNonnegativeField(spec?.replicas ?? 0, specPath.child('replicas'));
  errs.push(...validateNonnegativeField(spec?.minReadySeconds ?? 0, specPath.child('minReadySeconds')));
  // Upstream's ReplicaSet message names deployments.
  validateWorkloadSelector(spec?.selector, specPath.child('selector'), 'empty selector is invalid for deployment', errs);
  const selector = asSelector(spec?.selector);
  if (!selector) errs.push(field.invalid(specPath.child('selector'), goLabelSelector(spec?.selector), 'invalid label selector'));
  else errs.push(...validatePodTemplateSpecForReplicaSet(spec?.template, selector, specPath.child('template'), 'ReplicaSet'));
  return errs;
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  const errs = validateReplicaSet(rs);
  errs.push(...validateImmutableField(rs.spec?.selector, old.spec?.selector, specPath.child('selector'), goLabelSelector(rs.spec?.selector)));
  return errs;
}

// ---- StatefulSet ----

const pvcRetentionTypes = ['Delete', 'Retain'];

/** ValidateStatefulSetSpec. */
export function validateStatefulSet(sts: StatefulSet): FieldError[] {
  const spec = sts.spec;
  const errs: FieldError[] = [];
  const pmp = spec?.podManagementPolicy ?? '';
  if (!pmp) errs.push(field.required(specPath.child('podManagementPolicy'), ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid(specPath.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = spec?.updateStrategy ?? {};
  switch (us.type ?? '') {
    case '':
      errs.push(field.required(specPath.child('updateStrategy'), ''));
      break;
    case 'OnDelete':
      if (us.rollingUpdate) errs.push(field.invalid(specPath.child('updateStrategy', 'rollingUpdate'), goJSON(us.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (us.rollingUpdate) {
        const rp = specPath.child('updateStrategy', 'rollingUpdate');
        errs.push(...validateNonnegativeField(us.rollingUpdate.partition ?? 0, rp.child('partition')));
        if (us.rollingUpdate.maxUnavailable !== undefined) {
          errs.push(...validatePositiveIntOrPercent(us.rollingUpdate.maxUnavailable, rp.child('maxUnavailable')));
          if (getIntOrPercentValue(us.rollingUpdate.maxUnavailable) === 0) errs.push(field.invalid(rp.child('maxUnavailable'), goIntOrString(us.rollingUpdate.maxUnavailable), 'cannot be 0'));
          errs.push(...isNotMoreThan100Percent(us.rollingUpdate.maxUnavailable, rp.child('maxUnavailable')));
        }
      }
      break;
    default:
      errs.push(
        field.invalid(
          specPath.child('updateStrategy'),
          new GoValue(`apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(us.type)}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}`),
          "must be 'RollingUpdate' or 'OnDelete'",
        ),
      );
  }
  const retention = spec?.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    const rp = specPath.child('persistentVolumeClaimRetentionPolicy');
    for (const key of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[key] ?? '';
      if (!pvcRetentionTypes.includes(v)) errs.push(field.notSupported(rp.child(key), v, pvcRetentionTypes));
    }
  }
  if (spec?.ordinals) errs.push(...validateNonnegativeField(spec.ordinals.start ?? 0, specPath.child('ordinals.start')));
  errs.push(...validateNonnegativeField(spec?.replicas ?? 0, specPath.child('replicas')));
  errs.push(...validateNonnegativeField(spec?.minReadySeconds ?? 0, specPath.child('minReadySeconds')));
  validateWorkloadSelector(spec?.selector, specPath.child('selector'), 'empty selector is invalid for statefulset', errs);
  const selector = asSelector(spec?.selector);
  const tp = specPath.child('template');
  if (!selector) errs.push(field.invalid(specPath.child('selector'), goLabelSelector(spec?.selector), ''));
  else if (!spec?.template) errs.push(field.required(tp, ''));
  else {
    errs.push(...validateTemplateForSelector(spec.template, selector, tp));
    errs.push(...validateLabels(spec.template.metadata?.labels, tp.child('labels')));
    errs.push(...validateAnnotations(spec.template.metadata?.annotations, tp.child('annotations')));
  }
  const rp = spec?.template?.spec?.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(field.notSupported(tp.child('spec', 'restartPolicy'), rp, ['Always']));
  if (spec?.template?.spec?.activeDeadlineSeconds != null) {
    errs.push(field.forbidden(tp.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

const statefulSetMutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const;

/** ValidateStatefulSetUpdate: only the listed spec fields may change. */
export function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const errs = validateStatefulSet(sts);
  const next: Record<string, unknown> = { ...(sts.spec ?? {}) };
  const prev: Record<string, unknown> = { ...(old.spec ?? {}) };
  for (const k of statefulSetMutable) {
    delete next[k];
    delete prev[k];
  }
  if (!semanticEqual(next, prev)) {
    errs.push(
      field.forbidden(
        specPath,
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

// ---- DaemonSet ----

/** ValidateDaemonSetSpec. */
export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const spec = ds.spec;
  const errs = validateLabelSelector(spec?.selector, specPath.child('selector'));
  const selector = asSelector(spec?.selector);
  const labels = spec?.template?.metadata?.labels ?? {};
  if (selector && !selector.matches(labels)) {
    errs.push(field.invalid(specPath.child('template', 'metadata', 'labels'), goStringMap(spec?.template?.metadata?.labels), '`selector` does not match template `labels`'));
  }
  if (spec?.selector && selectorIsEmpty(spec.selector)) errs.push(field.invalid(specPath.child('selector'), goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  const tp = specPath.child('template');
  errs.push(...validatePodTemplateSpec(spec?.template, tp));
  const rp = spec?.template?.spec?.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(field.notSupported(tp.child('spec', 'restartPolicy'), rp, ['Always']));
  if (spec?.template?.spec?.activeDeadlineSeconds != null) {
    errs.push(field.forbidden(tp.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...validateNonnegativeField(spec?.minReadySeconds ?? 0, specPath.child('minReadySeconds')));
  const us = spec?.updateStrategy ?? {};
  const usp = specPath.child('updateStrategy');
  switch (us.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      const ru = us.rollingUpdate;
      if (!ru) {
        errs.push(field.required(usp.child('rollingUpdate'), ''));
        break;
      }
      const rup = usp.child('rollingUpdate');
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, rup.child('maxUnavailable')));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, rup.child('maxSurge')));
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, rup.child('maxUnavailable')));
      errs.push(...isNotMoreThan100Percent(ru.maxSurge, rup.child('maxSurge')));
      const hasUnavailable = getIntOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = getIntOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(field.invalid(rup.child('maxSurge'), goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(field.required(rup.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      errs.push(
        field.notSupported(
          usp,
          new GoValue(`apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(us.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}`),
          ['RollingUpdate', 'OnDelete'],
        ),
      );
  }
  if (spec?.revisionHistoryLimit != null) errs.push(...validateNonnegativeField(spec.revisionHistoryLimit, specPath.child('revisionHistoryLimit')));
  return errs;
}

export function validateDaemonSetUpdate(ds: DaemonSet, old: DaemonSet): FieldError[] {
  const errs = validateDaemonSet(ds);
  errs.push(...validateImmutableField(ds.spec?.selector, old.spec?.selector, specPath.child('selector'), goLabelSelector(ds.spec?.selector)));
  return errs;
}

// ---- ControllerRevision ----

export function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data == null) errs.push(field.required(Path.of('data'), 'data is mandatory'));
  errs.push(...validateNonnegativeField(cr.revision ?? 0, Path.of('revision')));
  return errs;
}

export function validateControllerRevisionUpdate(cr: ControllerRevision, old: ControllerRevision): FieldError[] {
  const errs = validateControllerRevision(cr);
  errs.push(...validateImmutableField(cr.data, old.data, Path.of('data'), goJSON(cr.data)));
  return errs;
}
