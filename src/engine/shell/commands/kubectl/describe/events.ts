/**
 * DescribeEvents (pkg/describe) with kubectl's event sort (pkg/util/event.SortableEvents: by
 * lastTimestamp, oldest first): `Events:  <none>`, or a table of Type, Reason, Age, From, Message,
 * where Age is `5m (x3 over 10m)` for a repeated event (count or series), From is the source
 * component (or the reporting controller) and the message is trimmed (the involved object's fieldPath
 * is not shown).
 */
import type { Event } from 'kubernetes-types/core/v1';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefixWriter.ts';
import { parseTime, since } from './metadata.ts';

export function describeEvents(events: readonly Event[], w: PrefixWriter, now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = [...events].sort((a, b) => (parseTime(a.lastTimestamp) ?? -Infinity) - (parseTime(b.lastTimestamp) ?? -Infinity));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}
