/**
 * PrioritySort (pkg/scheduler/framework/plugins/queuesort): activeQ's order — higher spec.priority first,
 * then the pod that has waited longer (earlier queue timestamp; pods queued in the same virtual
 * millisecond in the order they were queued, as upstream's nanosecond timestamps would order them).
 */
import type { QueueSortPlugin, QueuedPodInfoLike } from '../../framework/interface.ts';

export class PrioritySort implements QueueSortPlugin {
  static readonly NAME = 'PrioritySort';
  readonly name = PrioritySort.NAME;

  less(a: QueuedPodInfoLike, b: QueuedPodInfoLike): boolean {
    const p1 = a.podInfo.priority;
    const p2 = b.podInfo.priority;
    if (p1 !== p2) return p1 > p2;
    return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.timestampSeq < b.timestampSeq);
  }
}
