/**
 * The controllers kube-controller-manager runs (app.NewControllerDescriptors), by name. The manager
 * never switches on a controller's name: it starts what this list holds.
 */
import type { ControllerDescriptor } from './controllerContext.ts';
import { persistentVolumeControllerDescriptor } from './persistentvolume/pvController.ts';
import { clusterRoleAggregationControllerDescriptor } from './clusterroleaggregation/clusterRoleAggregation.ts';
import { disruptionControllerDescriptor } from './disruption/disruption.ts';
import { endpointsControllerDescriptor } from './endpoint/endpoints.ts';
import { endpointSliceControllerDescriptor } from './endpointslice/endpointSlice.ts';
import { cronJobControllerDescriptor } from './cronjob/cronJobController.ts';
import { daemonSetControllerDescriptor } from './daemonset/daemonSet.ts';
import { deploymentControllerDescriptor } from './deployment/deploymentController.ts';
import { taintEvictionControllerDescriptor } from './tainteviction/taintEviction.ts';
import { horizontalPodAutoscalerControllerDescriptor } from './podautoscaler/horizontal.ts';
import { garbageCollectorControllerDescriptor } from './garbagecollector/garbageCollector.ts';
import { jobControllerDescriptor } from './job/jobController.ts';
import { nodeLifecycleControllerDescriptor } from './nodelifecycle/nodeLifecycle.ts';
import { nodeIpamControllerDescriptor } from './nodeipam/nodeIpamController.ts';
import { namespaceControllerDescriptor } from './namespace/namespace.ts';
import { podGCControllerDescriptor } from './podgc/podGC.ts';
import { resourceQuotaControllerDescriptor } from './resourcequota/resourceQuota.ts';
import { replicaSetControllerDescriptor } from './replicaset/replicaSet.ts';
import { rootCACertPublisherDescriptor } from './rootcacertpublisher/publisher.ts';
import { serviceAccountsControllerDescriptor } from './serviceaccount/serviceAccounts.ts';
import { statefulSetControllerDescriptor } from './statefulset/statefulSet.ts';
import { ttlAfterFinishedControllerDescriptor } from './ttlafterfinished/ttlAfterFinished.ts';

export const CONTROLLERS: readonly ControllerDescriptor[] = [
  garbageCollectorControllerDescriptor,
  namespaceControllerDescriptor,
  nodeIpamControllerDescriptor,
  nodeLifecycleControllerDescriptor,
  taintEvictionControllerDescriptor,
  podGCControllerDescriptor,
  resourceQuotaControllerDescriptor,
  disruptionControllerDescriptor,
  endpointsControllerDescriptor,
  endpointSliceControllerDescriptor,
  clusterRoleAggregationControllerDescriptor,
  persistentVolumeControllerDescriptor,
  deploymentControllerDescriptor,
  replicaSetControllerDescriptor,
  statefulSetControllerDescriptor,
  daemonSetControllerDescriptor,
  jobControllerDescriptor,
  cronJobControllerDescriptor,
  ttlAfterFinishedControllerDescriptor,
  horizontalPodAutoscalerControllerDescriptor,
  serviceAccountsControllerDescriptor,
  rootCACertPublisherDescriptor,
];
