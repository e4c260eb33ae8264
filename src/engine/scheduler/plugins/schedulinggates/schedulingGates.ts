/**
 * SchedulingGates (pkg/scheduler/framework/plugins/schedulinggates): a pod with spec.schedulingGates
 * stays out of activeQ ("waiting for scheduling gates: [gate …]") until an update removes the last gate.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import { Code, Status, type EnqueueExtensions, type PreEnqueuePlugin } from '../../framework/interface.ts';

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  static readonly NAME = 'SchedulingGates';
  readonly name = SchedulingGates.NAME;

  preEnqueue(pod: Pod): Status | null {
    const gates = pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return null;
    return Status.of(Code.UnschedulableAndUnresolvable, `waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.UpdatePodSchedulingGatesEliminated },
        queueingHintFn: (pod, _old, modified) => ((modified as Pod | undefined)?.metadata?.uid === pod.metadata?.uid ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}
