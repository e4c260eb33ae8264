/**
 * Printers of scheduling.k8s.io/v1 and coordination.k8s.io/v1 — printPriorityClass and printLease of
 * pkg/printers/internalversion (Kubernetes 1.32).
 *
 * Contract: PriorityClass prints VALUE (integer), GLOBAL-DEFAULT (boolean), AGE and PREEMPTIONPOLICY
 * (empty when unset); Lease prints HOLDER (empty when nobody holds it) and AGE.
 */
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { AGE, column, DOC, NAME } from './columns.ts';
import { since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

function printPriorityClass(pc: PriorityClass, now: number): Cell[] {
  return [pc.metadata?.name ?? '', pc.value ?? 0, pc.globalDefault ?? false, since(pc.metadata?.creationTimestamp, now), pc.preemptionPolicy ?? ''];
}

export const schedulingHandlers = {
  'PriorityClass.scheduling.k8s.io': tableHandler<PriorityClass>(
    [NAME, column('Value', 'integer', DOC.pcValue), column('Global-Default', 'boolean', DOC.pcGlobalDefault), AGE, column('PreemptionPolicy', 'string', DOC.pcPreemptionPolicy)],
    printPriorityClass,
  ),
  'Lease.coordination.k8s.io': tableHandler<Lease>([NAME, column('Holder', 'string', DOC.leaseHolder), AGE], (lease, now) => [
    lease.metadata?.name ?? '',
    lease.spec?.holderIdentity ?? '',
    since(lease.metadata?.creationTimestamp, now),
  ]),
};
