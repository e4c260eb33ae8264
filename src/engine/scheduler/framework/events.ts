/**
 * Cluster events and queueing hints (pkg/scheduler/framework/types.go and events.go, Kubernetes 1.32):
 * what changed in the cluster, so the scheduling queue can move back only the pods a change may help.
 *
 * Each plugin registers the events that may resolve its rejections (EnqueueExtensions), each with an
 * optional QueueingHintFn that looks at the change and the pod and answers Queue or QueueSkip. A pod
 * rejected by plugins P goes back to the queue on an event only if some plugin in P registered a
 * matching event and its hint says Queue. A registration for resource "Pod" matches events of assigned
 * and unscheduled pods; "*" matches every resource.
 */
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1';
import { podRequestAmounts } from './resource.ts';

/** ActionType bits. */
export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodTolerations: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  /** updatePodOther: a pod update none of the specific kinds describes. */
  UpdatePodOther: 1 << 11,
  Update: ((1 << 12) - 1) & ~0b11,
  All: (1 << 12) - 1,
} as const;

export type EventResource = 'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'Node' | '*';

/** framework.ClusterEvent. */
export interface ClusterEvent {
  resource: EventResource;
  actionType: number;
  /** The event's name in logs and traces, e.g. "NodeAdd", "AssignedPodDelete". */
  label: string;
}

/** QueueingHint. */
export type QueueingHint = 'Queue' | 'QueueSkip';

/** QueueingHintFn: may `pod` (rejected by the plugin) be schedulable after this change? */
export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  event: { resource: EventResource; actionType: number };
  /** None: always Queue. */
  queueingHintFn?: QueueingHintFn;
}

/** ClusterEvent.Match: does a registration cover this event? */
export function eventMatches(registered: { resource: EventResource; actionType: number }, event: ClusterEvent): boolean {
  if (registered.resource === '*' || event.resource === '*') return (registered.actionType & event.actionType) !== 0;
  const resourceMatches =
    registered.resource === event.resource || (registered.resource === 'Pod' && (event.resource === 'AssignedPod' || event.resource === 'UnscheduledPod'));
  return resourceMatches && (registered.actionType & event.actionType) !== 0;
}

export const EVENT_NODE_ADD: ClusterEvent = { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' };
export const EVENT_NODE_DELETE: ClusterEvent = { resource: 'Node', actionType: ActionType.Delete, label: 'NodeDelete' };
export const EVENT_ASSIGNED_POD_ADD: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Add, label: 'AssignedPodAdd' };
export const EVENT_ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };
export const EVENT_UNSCHEDULED_POD_DELETE: ClusterEvent = { resource: 'UnscheduledPod', actionType: ActionType.Delete, label: 'UnschedulablePodDelete' };
/** UnschedulableTimeout: a pod waited in unschedulablePods longer than the limit. */
export const EVENT_UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'UnschedulableTimeout' };
/** ForceActivate: a plugin asked to activate the pod. */
export const EVENT_FORCE_ACTIVATE: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'ForceActivate' };

const NODE_LABELS: Record<number, string> = {
  [ActionType.UpdateNodeAllocatable]: 'NodeAllocatableChange',
  [ActionType.UpdateNodeLabel]: 'NodeLabelChange',
  [ActionType.UpdateNodeTaint]: 'NodeTaintChange',
  [ActionType.UpdateNodeCondition]: 'NodeConditionChange',
  [ActionType.UpdateNodeAnnotation]: 'NodeAnnotationChange',
};

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function conditionStatuses(node: Node): string {
  return (node.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
}

/** NodeSchedulingPropertiesChange: the events a node update amounts to. */
export function nodeSchedulingPropertiesChange(newNode: Node, oldNode: Node): ClusterEvent[] {
  const events: number[] = [];
  // A node that became schedulable counts as a taint change (the unschedulable taint went away).
  if (!!newNode.spec?.unschedulable !== !!oldNode.spec?.unschedulable && !newNode.spec?.unschedulable) events.push(ActionType.UpdateNodeTaint);
  if (!sameJSON(newNode.status?.allocatable, oldNode.status?.allocatable)) events.push(ActionType.UpdateNodeAllocatable);
  if (!sameJSON(newNode.metadata?.labels, oldNode.metadata?.labels)) events.push(ActionType.UpdateNodeLabel);
  if (!sameJSON(newNode.spec?.taints, oldNode.spec?.taints) && !events.includes(ActionType.UpdateNodeTaint)) events.push(ActionType.UpdateNodeTaint);
  if (conditionStatuses(newNode) !== conditionStatuses(oldNode)) events.push(ActionType.UpdateNodeCondition);
  if (!sameJSON(newNode.metadata?.annotations, oldNode.metadata?.annotations)) events.push(ActionType.UpdateNodeAnnotation);
  return events.map((a) => ({ resource: 'Node', actionType: a, label: NODE_LABELS[a]! }));
}

function scaledDown(newPod: Pod, oldPod: Pod): boolean {
  const now = podRequestAmounts(newPod);
  const before = podRequestAmounts(oldPod);
  for (const [k, v] of before) if ((now.get(k) ?? 0) < v) return true;
  return false;
}

function tolerationsKey(t: readonly Toleration[] | undefined): string {
  return JSON.stringify(t ?? []);
}

/** PodSchedulingPropertiesChange: the events a pod update amounts to (resource by whether it is bound). */
export function podSchedulingPropertiesChange(newPod: Pod, oldPod: Pod): ClusterEvent[] {
  const resource: EventResource = newPod.spec?.nodeName ? 'AssignedPod' : 'UnscheduledPod';
  const events: ClusterEvent[] = [];
  const add = (actionType: number, what: string) => events.push({ resource, actionType, label: `${resource}${what}` });
  if (!sameJSON(newPod.metadata?.labels, oldPod.metadata?.labels)) add(ActionType.UpdatePodLabel, 'LabelChange');
  if (scaledDown(newPod, oldPod)) add(ActionType.UpdatePodScaleDown, 'ScaleDown');
  if ((newPod.spec?.schedulingGates?.length ?? 0) === 0 && (oldPod.spec?.schedulingGates?.length ?? 0) > 0) add(ActionType.UpdatePodSchedulingGatesEliminated, 'SchedulingGatesEliminated');
  if (tolerationsKey(newPod.spec?.tolerations) !== tolerationsKey(oldPod.spec?.tolerations)) add(ActionType.UpdatePodTolerations, 'TolerationChange');
  if (events.length === 0) add(ActionType.UpdatePodOther, 'OtherChange');
  return events;
}
