/**
 * NodeUnschedulable (pkg/scheduler/framework/plugins/nodeunschedulable): a cordoned node
 * (spec.unschedulable) takes only pods that tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.
 */
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import { tolerationsTolerateTaint } from '../../../api/scheduling/helpers.ts';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import { Code, Status, type EnqueueExtensions, type FilterPlugin } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/types.ts';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';

/** v1.TaintNodeUnschedulable with effect NoSchedule. */
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

function toleratesUnschedulable(pod: Pod): boolean {
  return tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT);
}

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  static readonly NAME = 'NodeUnschedulable';
  readonly name = NodeUnschedulable.NAME;
  private readonly rejected = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_UNSCHEDULABLE);
  private readonly unknown = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_UNKNOWN_CONDITION);

  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (!nodeInfo.node) return this.unknown;
    if (!nodeInfo.unschedulable) return null;
    return toleratesUnschedulable(pod) ? null : this.rejected;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
        queueingHintFn: (pod, original, modified) => {
          const node = modified as Node;
          if (!node.spec?.unschedulable) {
            // Only a node that was unschedulable (or is new) can help.
            return original === undefined || (original as Node).spec?.unschedulable ? 'Queue' : 'QueueSkip';
          }
          return toleratesUnschedulable(pod) ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: { resource: 'Pod', actionType: ActionType.UpdatePodTolerations },
        queueingHintFn: (pod, _old, modified) => ((modified as Pod).metadata?.uid === pod.metadata?.uid && toleratesUnschedulable(modified as Pod) ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}
