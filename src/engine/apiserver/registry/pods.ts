/**
 * The pod registry's own rules (pkg/registry/core/pod/strategy.go): a new pod starts Pending with its QoS
 * class computed, and one created with scheduling gates also gets the condition PodScheduled=False, reason
 * SchedulingGated (applySchedulingGatedCondition), stamped with `now()`; deleting a pod that never reached
 * a node, or that already finished, is immediate, and otherwise waits its terminationGracePeriodSeconds for
 * the kubelet to stop it.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import { podQOSClass } from '../../api/qos.ts';
import type { KindHooks } from './kindStrategy.ts';
import type { KubeObject } from './strategy.ts';

export const podHooks = (now: () => string): KindHooks => ({
  prepareForCreate(object: KubeObject) {
    const pod = object as Pod;
    const status: NonNullable<Pod['status']> = { phase: 'Pending', qosClass: podQOSClass(pod) };
    if ((pod.spec?.schedulingGates ?? []).length > 0) {
      // lastProbeTime is null on the wire, as upstream's zero metav1.Time serialises.
      const gated = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now(), reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' };
      status.conditions = [gated as unknown as PodCondition];
    }
    object.status = status;
  },
  prepareForUpdate(object: KubeObject, old: KubeObject) {
    // The QoS class is fixed at creation (resources are immutable through the main resource).
    const qos = (old.status as Pod['status'])?.qosClass;
    if (qos && object.status) (object.status as NonNullable<Pod['status']>).qosClass = qos;
  },
  defaultGracePeriodSeconds(object: KubeObject) {
    const pod = object as Pod;
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    return pod.spec.terminationGracePeriodSeconds ?? 30;
  },
});
