/**
 * Validation — what the apiserver's strategies run before an object is stored (pkg/apis/<group>/validation
 * and the apps/v1 and batch/v1 strategies' extra checks, Kubernetes 1.32): ObjectMeta with each kind's
 * name rule, then the kind's own rules, with upstream's field paths and messages.
 *
 * Contract: `validators[groupKind]` validates a kind's content past ObjectMeta; `validateObject` and
 * `validateObjectUpdate` add ObjectMeta (create: name rule, namespace presence, labels, annotations,
 * owners, finalizers; update: the immutable identity fields and a required resourceVersion) and work
 * for any GroupKind string (`Pod`, `Deployment.apps`); an unknown kind gets ObjectMeta checks only.
 * Objects are plain, already-defaulted v1 JSON. Validation never throws on malformed shapes it can read
 * around, compiles no regular expression per call and copies nothing.
 *
 * Left out: status subresource validation, feature-gated alpha fields; see each
 * module's doc comment for its own omissions.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { FieldError } from '../field/errors.ts';
import * as apps from './apps.ts';
import { validateHorizontalPodAutoscaler } from './autoscaling.ts';
import * as batch from './batch.ts';
import { validateLease } from './coordination.ts';
import * as core from './core.ts';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './discovery.ts';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, pathSegmentName, type NameFn } from './generic.ts';
import * as networking from './networking.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectMeta.ts';
import { validatePod, validatePodUpdate } from './pod.ts';
import { validatePodDisruptionBudget } from './policy.ts';
import * as rbac from './rbac.ts';
import { validatePriorityClass, validatePriorityClassUpdate } from './scheduling.ts';
import { validateService, validateServiceUpdate } from './service.ts';
import { validateStorageClass, validateStorageClassUpdate } from './storage.ts';

/** An object as validation sees it: JSON with metadata. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind's validator reads its own typed shape; the table holds them all.
type AnyObject = any;

export interface KindValidator {
  /** The kind's checks past ObjectMeta on create. */
  validate(object: AnyObject): FieldError[];
  /** The kind's checks past ObjectMeta on update. */
  validateUpdate(object: AnyObject, old: AnyObject): FieldError[];
}

interface KindRules extends KindValidator {
  /** The ValidateXName function for metadata.name and generateName; undefined skips ObjectMeta (Binding). */
  readonly nameFn: NameFn | undefined;
}

function kind<T>(nameFn: NameFn | undefined, validate: (o: T) => FieldError[], validateUpdate?: (o: T, old: T) => FieldError[]): KindRules {
  return { nameFn, validate, validateUpdate: validateUpdate ?? ((o: T) => validate(o)) };
}

const sub = nameIsDNSSubdomain;

const rules: Readonly<Record<string, KindRules>> = {
  Pod: kind(sub, validatePod, validatePodUpdate),
  Service: kind(nameIsDNS1035Label, validateService, validateServiceUpdate),
  Endpoints: kind(sub, core.validateEndpoints),
  Namespace: kind(nameIsDNSLabel, core.validateNamespace),
  Node: kind(sub, core.validateNode, core.validateNodeUpdate),
  ConfigMap: kind(sub, core.validateConfigMap, core.validateConfigMapUpdate),
  Secret: kind(sub, core.validateSecret, core.validateSecretUpdate),
  ServiceAccount: kind(sub, core.validateServiceAccount),
  Event: kind(sub, core.validateEvent),
  PersistentVolume: kind(pathSegmentName, core.validatePersistentVolume, core.validatePersistentVolumeUpdate),
  PersistentVolumeClaim: kind(sub, core.validatePersistentVolumeClaim, core.validatePersistentVolumeClaimUpdate),
  LimitRange: kind(sub, core.validateLimitRange),
  ResourceQuota: kind(sub, core.validateResourceQuota),
  Binding: kind(undefined, core.validateBinding),
  'Deployment.apps': kind(sub, apps.validateDeployment, apps.validateDeploymentUpdate),
  'ReplicaSet.apps': kind(sub, apps.validateReplicaSet, apps.validateReplicaSetUpdate),
  'StatefulSet.apps': kind(sub, apps.validateStatefulSet, apps.validateStatefulSetUpdate),
  'DaemonSet.apps': kind(sub, apps.validateDaemonSet, apps.validateDaemonSetUpdate),
  'ControllerRevision.apps': kind(sub, apps.validateControllerRevision, apps.validateControllerRevisionUpdate),
  'Job.batch': kind(sub, batch.validateJob, batch.validateJobUpdate),
  'CronJob.batch': kind(sub, batch.validateCronJob, batch.validateCronJobUpdate),
  'EndpointSlice.discovery.k8s.io': kind(sub, validateEndpointSlice, validateEndpointSliceUpdate),
  'Ingress.networking.k8s.io': kind(sub, networking.validateIngress),
  'IngressClass.networking.k8s.io': kind(sub, networking.validateIngressClass, networking.validateIngressClassUpdate),
  'NetworkPolicy.networking.k8s.io': kind(sub, networking.validateNetworkPolicy),
  'Role.rbac.authorization.k8s.io': kind(pathSegmentName, rbac.validateRole),
  'ClusterRole.rbac.authorization.k8s.io': kind(pathSegmentName, rbac.validateClusterRole),
  'RoleBinding.rbac.authorization.k8s.io': kind(pathSegmentName, rbac.validateRoleBinding, rbac.validateRoleBindingUpdate),
  'ClusterRoleBinding.rbac.authorization.k8s.io': kind(pathSegmentName, rbac.validateClusterRoleBinding, rbac.validateClusterRoleBindingUpdate),
  'StorageClass.storage.k8s.io': kind(sub, validateStorageClass, validateStorageClassUpdate),
  'Lease.coordination.k8s.io': kind(sub, validateLease),
  'PriorityClass.scheduling.k8s.io': kind(sub, validatePriorityClass, validatePriorityClassUpdate),
  'PodDisruptionBudget.policy': kind(sub, validatePodDisruptionBudget),
  'HorizontalPodAutoscaler.autoscaling': kind(sub, validateHorizontalPodAutoscaler),
};

/** Each served kind's own validation (past ObjectMeta), keyed by GroupKind string. */
export const validators: Readonly<Record<string, KindValidator>> = rules;

function metaOf(object: unknown): ObjectMeta | undefined {
  return (object as { metadata?: ObjectMeta } | null)?.metadata;
}

/** Create-time validation: ObjectMeta with the kind's name rule, then the kind's own checks. */
export function validateObject(groupKind: string, object: unknown, namespaced: boolean): FieldError[] {
  const r = rules[groupKind];
  if (r && !r.nameFn) return r.validate(object);
  const errs = validateObjectMeta(metaOf(object), namespaced, r?.nameFn ?? nameIsDNSSubdomain);
  if (r) errs.push(...r.validate(object));
  return errs;
}

/** Update-time validation: ObjectMetaUpdate, then the kind's own update checks. */
export function validateObjectUpdate(groupKind: string, object: unknown, old: unknown, _namespaced: boolean): FieldError[] {
  const r = rules[groupKind];
  if (r && !r.nameFn) return r.validateUpdate(object, old);
  const errs = validateObjectMetaUpdate(metaOf(object), metaOf(old));
  if (r) errs.push(...r.validateUpdate(object, old));
  return errs;
}
