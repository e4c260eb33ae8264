/**
 * The PodDisruptionBudget printer — printPodDisruptionBudget of pkg/printers/internalversion
 * (Kubernetes 1.32): NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE.
 *
 * Contract: MIN AVAILABLE and MAX UNAVAILABLE print the IntOrString as given (`2`, `50%`) or `N/A` when
 * unset; ALLOWED DISRUPTIONS is status.disruptionsAllowed.
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { AGE, column, NAME } from './columns.ts';
import { since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

function intOrString(value: number | string | undefined): string {
  return value === undefined || value === null ? 'N/A' : String(value);
}

function printPodDisruptionBudget(pdb: PodDisruptionBudget, now: number): Cell[] {
  return [
    pdb.metadata?.name ?? '',
    intOrString(pdb.spec?.minAvailable),
    intOrString(pdb.spec?.maxUnavailable),
    pdb.status?.disruptionsAllowed ?? 0,
    since(pdb.metadata?.creationTimestamp, now),
  ];
}

export const policyHandlers = {
  'PodDisruptionBudget.policy': tableHandler<PodDisruptionBudget>(
    [
      NAME,
      column('Min Available', 'string', 'The minimum number of pods that must be available.'),
      column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
      column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
      AGE,
    ],
    printPodDisruptionBudget,
  ),
};
