/**
 * NodeName (pkg/scheduler/framework/plugins/nodename): a pod that names a node in spec.nodeName fits only
 * that node. (A pod created with spec.nodeName never reaches the scheduler; this covers the rest.)
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import { Code, Status, type EnqueueExtensions, type FilterPlugin } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/types.ts';

export const ERR_REASON = "node(s) didn't match the requested node name";

/** Fits: the pod names no node, or names this one. */
export function fits(pod: Pod, nodeName: string): boolean {
  const want = pod.spec?.nodeName ?? '';
  return want === '' || want === nodeName;
}

export class NodeName implements FilterPlugin, EnqueueExtensions {
  static readonly NAME = 'NodeName';
  readonly name = NodeName.NAME;
  private readonly rejected = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON);

  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): Status | null {
    return fits(pod, nodeInfo.name) ? null : this.rejected;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.Update },
        queueingHintFn: (pod, _old, modified) => (fits(pod, (modified as Node).metadata?.name ?? '') ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}
