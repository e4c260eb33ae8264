/**
 * What a describer gets from its caller (kubectl describe fetches these through the API; our caller
 * prefetches what `describerNeeds` names and serves it synchronously).
 */
import type { Event, Pod } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../../../apiserver/registry/strategy.ts';
import { formatLabelSelector } from '../../../../api/labels/selector.ts';
import { controllerOf } from './metadata.ts';

export interface DescribeContext {
  /** Virtual ms: the instant ages are computed against. */
  now: number;
  /** core/v1 Events whose involvedObject is the described object. */
  events: Event[];
  /** Objects the caller prefetched: group ('' for core), plural resource, namespace ('' for all or cluster-scoped), label selector. */
  related: (group: string, resource: string, namespace: string, selector?: string) => KubeObject[];
  showEvents: boolean;
}

export interface Need {
  group: string;
  resource: string;
  namespaced: boolean;
}

/** The label selector string for `related`, or undefined when it is empty or invalid. */
export function selectorString(ls: LabelSelector | undefined): string | undefined {
  const s = formatLabelSelector(ls);
  return s === '<none>' || s === '<error>' ? undefined : s;
}

/** getPodStatusForController: phases of the pods the selector matches and `uid` controls. */
export function podStatusForController(ctx: DescribeContext, namespace: string, selector: string | undefined, uid: string | undefined): { running: number; waiting: number; succeeded: number; failed: number } {
  const r = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const obj of ctx.related('', 'pods', namespace, selector)) {
    const ref = controllerOf(obj);
    if (!ref || ref.uid !== uid) continue;
    switch ((obj as Pod).status?.phase) {
      case 'Running':
        r.running++;
        break;
      case 'Pending':
        r.waiting++;
        break;
      case 'Succeeded':
        r.succeeded++;
        break;
      case 'Failed':
        r.failed++;
        break;
    }
  }
  return r;
}

export function podsStatusLine(s: { running: number; waiting: number; succeeded: number; failed: number }): string {
  return `${s.running} Running / ${s.waiting} Waiting / ${s.succeeded} Succeeded / ${s.failed} Failed`;
}
