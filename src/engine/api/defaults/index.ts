/**
 * The apiserver's defaulting (the scheme's defaulting funcs: each group's SetDefaults_* plus the
 * generated SetObjectDefaults_* that reach every nested struct), applied when a create or update is
 * decoded. One table keyed by GroupKind string (`Pod`, `Deployment.apps`); a defaulter mutates the object
 * in place, and running it twice changes nothing more.
 *
 * Kinds without defaults (ConfigMap, ServiceAccount, ResourceQuota, ControllerRevision, Ingress, Role,
 * ClusterRole, Lease, PodDisruptionBudget, Binding) have no entry. ConfigMap's SetDefaults_ConfigMap and
 * ResourceQuota's quantity rounding exist upstream but change nothing that is printed here: an empty
 * `data` map is omitted, and quantities are left as given.
 */
import { appsDefaulters } from './apps.ts';
import { autoscalingDefaulters } from './autoscaling.ts';
import { batchDefaulters } from './batch.ts';
import { coreDefaulters } from './core.ts';
import { discoveryDefaulters } from './discovery.ts';
import { networkingDefaulters } from './networking.ts';
import { rbacDefaulters } from './rbac.ts';
import { schedulingDefaulters } from './scheduling.ts';
import { storageDefaulters } from './storage.ts';

/** Fills one kind's defaults into a parsed object, in place. */
export type Defaulter = (object: Record<string, unknown>) => void;

export const defaulters: Readonly<Record<string, Defaulter>> = {
  ...coreDefaulters,
  ...appsDefaulters,
  ...batchDefaulters,
  ...discoveryDefaulters,
  ...networkingDefaulters,
  ...rbacDefaulters,
  ...storageDefaulters,
  ...schedulingDefaulters,
  ...autoscalingDefaulters,
};

/** Applies the defaults of `groupKind` (e.g. `Deployment.apps`) to `object`; kinds without defaults are left as they are. */
export function applyDefaults(groupKind: string, object: Record<string, unknown>): void {
  defaulters[groupKind]?.(object);
}

export { defaultImagePullPolicy } from './core.ts';
