/**
 * NodePorts (pkg/scheduler/framework/plugins/nodeports): a pod's host ports must be free on the node.
 * 0.0.0.0 (or no hostIP) claims the port on every address; a protocol/port pair used on one address
 * conflicts with the same pair on that address and on 0.0.0.0. A pod without host ports skips the check.
 * The rejection is Unschedulable (preemption may free the port).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { CycleState, StateData } from '../../framework/cycleState.ts';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import { Code, Status, type EnqueueExtensions, type FilterPlugin, type PreFilterExtensions, type PreFilterPlugin, type PreFilterResult } from '../../framework/interface.ts';
import { hostPortsOf, type HostPort, type NodeInfo } from '../../framework/types.ts';

export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const PRE_FILTER_STATE_KEY = 'PreFilterNodePorts';

class PreFilterState implements StateData {
  constructor(readonly ports: readonly HostPort[]) {}
  clone(): StateData {
    return this;
  }
}

/** fitsPorts: none of `want` conflicts with what the node uses. */
export function fitsPorts(want: readonly HostPort[], nodeInfo: NodeInfo): boolean {
  for (const p of want) if (nodeInfo.usedPorts.checkConflict(p.hostIP, p.protocol, p.hostPort)) return false;
  return true;
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  static readonly NAME = 'NodePorts';
  readonly name = NodePorts.NAME;
  private readonly rejected = Status.of(Code.Unschedulable, ERR_REASON);

  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status | null } {
    const ports = hostPortsOf(pod);
    if (ports.length === 0) return { status: Status.of(Code.Skip) };
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(ports));
    return { status: null };
  }

  preFilterExtensions(): PreFilterExtensions | undefined {
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    const want = s ? s.ports : hostPortsOf(pod);
    return fitsPorts(want, nodeInfo) ? null : this.rejected;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        // Host ports are immutable, so only deletions of pods can free one.
        event: { resource: 'Pod', actionType: ActionType.Delete },
        queueingHintFn: (pod, deleted) => {
          const d = deleted as Pod;
          if (!d?.spec?.nodeName) return 'QueueSkip';
          const freed = hostPortsOf(d);
          const want = hostPortsOf(pod);
          const overlap = want.some((w) => freed.some((f) => (f.protocol || 'TCP') === (w.protocol || 'TCP') && f.hostPort === w.hostPort));
          return overlap ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.Update } },
    ];
  }
}
