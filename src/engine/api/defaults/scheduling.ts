/**
 * Defaulting for scheduling.k8s.io/v1 (k8s.io/kubernetes/pkg/apis/scheduling/v1/defaults.go): a
 * PriorityClass preempts lower-priority pods unless it says Never.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { Defaulter } from './index.ts';

/** SetDefaults_PriorityClass. */
function setDefaultsPriorityClass(priorityClass: PriorityClass): void {
  priorityClass.preemptionPolicy ??= 'PreemptLowerPriority';
}

export const schedulingDefaulters: Readonly<Record<string, Defaulter>> = {
  'PriorityClass.scheduling.k8s.io': (o) => setDefaultsPriorityClass(o as unknown as PriorityClass),
};
