/**
 * kube-scheduler (pkg/scheduler of Kubernetes 1.32) for the lab: a client of the apiserver that watches
 * unscheduled pods and nodes, and binds each pod to a node through `pods/{name}/binding`, with the
 * default profile's plugins, upstream's score arithmetic, event texts and condition reasons.
 *
 * - scheduler.ts: the loop (scheduleOne: scheduling cycle, assume, binding cycle, failure handling).
 * - cache/: NodeInfos with the requests of bound and assumed pods; incremental snapshots by generation.
 * - queue/: the PriorityQueue (activeQ, podBackoffQ, unschedulablePods) with queueing hints; nominator.
 * - framework/: plugin interfaces, CycleState, Status, the runtime that runs a profile, preemption.
 * - plugins/<name>/: PrioritySort, SchedulingGates, NodeUnschedulable, NodeName, TaintToleration,
 *   NodeAffinity, NodePorts, NodeResourcesFit (LeastAllocated / MostAllocated /
 *   RequestedToCapacityRatio), NodeResourcesBalancedAllocation, PodTopologySpread, InterPodAffinity,
 *   ImageLocality, DefaultPreemption, DefaultBinder.
 * - explanation.ts: a record of every attempt (filter verdicts, raw/normalized/weighted scores, pick).
 * - Tolerations and node affinity matching (component-helpers' scheduling/corev1) live in
 *   api/scheduling/, shared with the DaemonSet and taint-eviction controllers and kubelet admission.
 *
 * Left out: the volume plugins (VolumeBinding, VolumeRestrictions, VolumeZone, NodeVolumeLimits) and
 * DynamicResources, extenders, Permit's waiting pods, asynchronous preemption (alpha in 1.32), leader
 * election (the control plane runs one scheduler), metrics, and the parallelism of filtering and
 * scoring (nodes are evaluated in order, so every run is deterministic).
 */
export { Scheduler, SCHEDULER_USER, ERR_NO_NODES_AVAILABLE, type SchedulerOptions } from './scheduler.ts';
export { DEFAULT_PLUGINS, DEFAULT_SCHEDULER_NAME, type Profile, type PluginRef, type PluginSet, type SchedulerConfiguration } from './config.ts';
export { ExplanationStore, type FilterRejection, type PluginScoreColumn, type ScheduleExplanation, type ScheduleOutcome, type ScoreTable } from './explanation.ts';
export { IN_TREE_REGISTRY, type Registry } from './plugins/registry.ts';
export { findMatchingUntoleratedTaint, podPriority, toleratesTaint, tolerationsTolerateTaint } from '../api/scheduling/helpers.ts';
export { NodeSelectorMatcher, PreferredSchedulingTerms, RequiredNodeAffinity, getRequiredNodeAffinity } from '../api/scheduling/nodeAffinity.ts';
