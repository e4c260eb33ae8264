/**
 * PrioritySort (pkg/scheduler/framework/plugins/queuesort): activeQ's order — higher spec.priority first,
 * then the pod that has waited longer (earlier queue timestamp).
 */
import type { QueueSortPlugin, QueuedPodInfoLike } from '../../framework/interface.ts';

export class PrioritySort implements QueueSortPlugin {
  static readonly NAME = 'PrioritySort';
  readonly name = PrioritySort.NAME;

  less(a: QueuedPodInfoLike, b: QueuedPodInfoLike): boolean {
    const p1 = a.podInfo.priority;
    const p2 = b.podInfo.priority;
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  }
}
