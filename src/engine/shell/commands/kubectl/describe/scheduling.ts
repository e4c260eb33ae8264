/** The scheduling.k8s.io/v1 describer of kubectl 1.32 (pkg/describe): PriorityClass. */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { formatLabels } from '../../../../api/labels/selector.ts';
import { LEVEL_0, tabbedString } from './prefixWriter.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

/**
 * describePriorityClass: its annotations as one `k=v,…` line, last-applied-configuration included (whose
 * trailing newline leaves a blank line before the events).
 */
export function describePriorityClass(pc: PriorityClass, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${pc.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Value:\t${pc.value}\n`);
    w.write(LEVEL_0, `GlobalDefault:\t${pc.globalDefault === true}\n`);
    w.write(LEVEL_0, `PreemptionPolicy:\t${pc.preemptionPolicy ?? ''}\n`);
    w.write(LEVEL_0, `Description:\t${pc.description ?? ''}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(pc.metadata?.annotations)}\n`);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}
