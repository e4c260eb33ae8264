/**
 * The Pod printer — printPod of pkg/printers/internalversion (Kubernetes 1.32): NAME READY STATUS
 * RESTARTS AGE, and wide IP NODE NOMINATED NODE READINESS GATES.
 *
 * Contract, as upstream:
 * - READY counts ready running containers (and started, ready restartable init containers — sidecars)
 *   over the containers plus sidecars.
 * - STATUS starts from the phase (or status.reason), becomes `SchedulingGated` for a gated pod, then the
 *   first unfinished init container's state (`Init:0/2`, `Init:CrashLoopBackOff`, `Init:ExitCode:1`,
 *   `Init:Signal:9`, `Init:OOMKilled`), else the last container with a waiting or terminated reason
 *   (`ContainerCreating`, `CrashLoopBackOff`, `Completed`, `ExitCode:2`…); a `Completed` pod with a
 *   container still running reads `Running` (or `NotReady` without the Ready condition). A pod being
 *   deleted reads `Terminating` (`Unknown` when its node was lost), unless its phase is terminal.
 * - RESTARTS sums restart counts and adds `(5m ago)` from the latest lastState.terminated.finishedAt.
 *   While init containers run it counts init restarts; afterwards sidecar and app container restarts.
 * - Succeeded and Failed pods carry the `Completed` row condition.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import { AGE, column, DOC, NAME, wide } from './columns.ts';
import { humanDuration, parseTime, since } from './duration.ts';
import { tableHandler, type Cell, type TableRowCondition } from './tableHandler.ts';

/** node.NodeUnreachablePodReason: the reason the node lifecycle controller gives pods of a lost node. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/** Go's zero metav1.Time: no restart seen yet. */
const NO_TIME = -Infinity;

const podColumns = [
  NAME,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  AGE,
  wide('IP', 'string', DOC.podIP),
  wide('Node', 'string', DOC.nodeName),
  wide('Nominated Node', 'string', DOC.nominatedNodeName),
  wide('Readiness Gates', 'string', DOC.readinessGates),
];

const podSuccessConditions: readonly TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const podFailedConditions: readonly TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

export function printPod(pod: Pod, now: number): Cell[] {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const containers = spec?.containers ?? [];
  const initContainerSpecs = spec?.initContainers ?? [];
  const conditions = status.conditions ?? [];

  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestart = NO_TIME;
  let lastRestartableInitRestart = NO_TIME;

  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  // Sidecars (init containers with restartPolicy Always) count as containers of the pod.
  let restartable: Set<string> | undefined;
  for (const c of initContainerSpecs) {
    if (c.restartPolicy === 'Always') {
      (restartable ??= new Set()).add(c.name);
      totalContainers++;
    }
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i]!;
    const isRestartable = restartable?.has(container.name) ?? false;
    restarts += container.restartCount ?? 0;
    const finishedAt = parseTime(container.lastState?.terminated?.finishedAt);
    if (finishedAt !== undefined && finishedAt > lastRestart) lastRestart = finishedAt;
    if (isRestartable) {
      restartableInitRestarts += container.restartCount ?? 0;
      if (finishedAt !== undefined && finishedAt > lastRestartableInitRestart) lastRestartableInitRestart = finishedAt;
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isRestartable && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainerSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || isInitialized(conditions)) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i]!;
      restarts += container.restartCount ?? 0;
      const finishedAt = parseTime(container.lastState?.terminated?.finishedAt);
      if (finishedAt !== undefined && finishedAt > lastRestart) lastRestart = finishedAt;
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== NO_TIME) restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  const podIP = status.podIP || status.podIPs?.[0]?.ip || '<none>';
  let readinessGates = '<none>';
  const gates = spec?.readinessGates;
  if (gates && gates.length > 0) {
    let trueConditions = 0;
    for (const gate of gates) {
      const condition = conditions.find((c) => c.type === gate.conditionType);
      if (condition?.status === 'True') trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }

  return [
    pod.metadata?.name ?? '',
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsText,
    since(pod.metadata?.creationTimestamp, now),
    podIP,
    spec?.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ];
}

function isInitialized(conditions: readonly PodCondition[]): boolean {
  for (const c of conditions) {
    if (c.type === 'Initialized') return c.status === 'True';
  }
  return false;
}

function hasCondition(conditions: readonly PodCondition[], type: string): boolean {
  for (const c of conditions) {
    if (c.type === type && c.status === 'True') return true;
  }
  return false;
}

function podConditions(pod: Pod): readonly TableRowCondition[] | undefined {
  switch (pod.status?.phase) {
    case 'Succeeded':
      return podSuccessConditions;
    case 'Failed':
      return podFailedConditions;
    default:
      return undefined;
  }
}

export const podHandlers = {
  Pod: tableHandler<Pod>(podColumns, printPod, podConditions),
};
