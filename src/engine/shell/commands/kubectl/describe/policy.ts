/** The policy/v1 describer of kubectl 1.32 (pkg/describe): PodDisruptionBudget (its budget, selector and status). */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { formatLabelSelector } from '../../../../api/labels/selector.ts';
import { LEVEL_0, LEVEL_2, tabbedString } from './prefixWriter.ts';
import { intOrString } from './metadata.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

export function describePodDisruptionBudget(pdb: PodDisruptionBudget, ctx: DescribeContext): string {
  return tabbedString((w) => {
    const spec = pdb.spec ?? {};
    const st = pdb.status;
    w.write(LEVEL_0, `Name:\t${pdb.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${pdb.metadata?.namespace ?? ''}\n`);
    if (spec.minAvailable !== undefined) w.write(LEVEL_0, `Min available:\t${intOrString(spec.minAvailable)}\n`);
    else if (spec.maxUnavailable !== undefined) w.write(LEVEL_0, `Max unavailable:\t${intOrString(spec.maxUnavailable)}\n`);
    w.write(LEVEL_0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
    w.write(LEVEL_0, 'Status:\n');
    w.write(LEVEL_2, `Allowed disruptions:\t${st?.disruptionsAllowed ?? 0}\n`);
    w.write(LEVEL_2, `Current:\t${st?.currentHealthy ?? 0}\n`);
    w.write(LEVEL_2, `Desired:\t${st?.desiredHealthy ?? 0}\n`);
    w.write(LEVEL_2, `Total:\t${st?.expectedPods ?? 0}\n`);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}
