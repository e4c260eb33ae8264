/**
 * Defaulting for apps/v1 (k8s.io/kubernetes/pkg/apis/apps/v1/defaults.go and its generated defaulters):
 * replicas, update strategies and history limits of Deployment, ReplicaSet, StatefulSet and DaemonSet,
 * and the core defaults of every pod template (the pod spec's, not the Pod's: no enableServiceLinks, no
 * requests from limits) and of a StatefulSet's volume claim templates.
 *
 * A volume claim template also shows `apiVersion: v1` and `kind: PersistentVolumeClaim`: upstream's
 * conversion to apps/v1 sets them (issue 87583), so they appear on everything the apiserver returns.
 *
 * Left out: ControllerRevision has no defaults. Selectors and labels are not defaulted in apps/v1.
 */
import type { DaemonSet, DaemonSetSpec, Deployment, DeploymentSpec, ReplicaSet, ReplicaSetSpec, StatefulSet, StatefulSetSpec } from 'kubernetes-types/apps/v1';
import { setDefaultsEmbeddedObjectMeta, setDefaultsPersistentVolumeClaim, setDefaultsPodTemplateSpec } from './core.ts';
import type { Defaulter } from './index.ts';

/** SetDefaults_Deployment: one replica, RollingUpdate 25%/25%, ten old ReplicaSets, ten minutes to progress. */
function setDefaultsDeployment(deployment: Deployment): void {
  const spec = (deployment.spec ??= {} as DeploymentSpec);
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = (strategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= '25%';
    rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  setDefaultsPodTemplateSpec(spec.template);
}

/** SetDefaults_ReplicaSet: one replica. */
function setDefaultsReplicaSet(replicaSet: ReplicaSet): void {
  const spec = (replicaSet.spec ??= {} as ReplicaSetSpec);
  spec.replicas ??= 1;
  setDefaultsPodTemplateSpec(spec.template);
}

/**
 * SetDefaults_StatefulSet: OrderedReady, RollingUpdate from partition 0 (only when the type was left out:
 * an explicit RollingUpdate without rollingUpdate stays so), claims retained, one replica, ten revisions.
 */
function setDefaultsStatefulSet(statefulSet: StatefulSet): void {
  const spec = (statefulSet.spec ??= {} as StatefulSetSpec);
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const updateStrategy = (spec.updateStrategy ??= {});
  if (!updateStrategy.type) {
    updateStrategy.type = 'RollingUpdate';
    updateStrategy.rollingUpdate ??= {};
  }
  if (updateStrategy.type === 'RollingUpdate' && updateStrategy.rollingUpdate) updateStrategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  setDefaultsPodTemplateSpec(spec.template);
  for (const claim of spec.volumeClaimTemplates ?? []) {
    const c = claim as { apiVersion?: string; kind?: string };
    c.apiVersion = 'v1';
    c.kind = 'PersistentVolumeClaim';
    setDefaultsEmbeddedObjectMeta(claim);
    setDefaultsPersistentVolumeClaim(claim);
  }
}

/** SetDefaults_DaemonSet: RollingUpdate one node at a time without surge, ten revisions. */
function setDefaultsDaemonSet(daemonSet: DaemonSet): void {
  const spec = (daemonSet.spec ??= {} as DaemonSetSpec);
  const updateStrategy = (spec.updateStrategy ??= {});
  if (!updateStrategy.type) updateStrategy.type = 'RollingUpdate';
  if (updateStrategy.type === 'RollingUpdate') {
    const rollingUpdate = (updateStrategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= 1;
    rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  setDefaultsPodTemplateSpec(spec.template);
}

export const appsDefaulters: Readonly<Record<string, Defaulter>> = {
  'Deployment.apps': (o) => setDefaultsDeployment(o as Deployment),
  'ReplicaSet.apps': (o) => setDefaultsReplicaSet(o as ReplicaSet),
  'StatefulSet.apps': (o) => setDefaultsStatefulSet(o as StatefulSet),
  'DaemonSet.apps': (o) => setDefaultsDaemonSet(o as DaemonSet),
};
