/**
 * kubectl events (k8s.io/kubectl/pkg/cmd/events): the namespace's (or with -A every) core/v1 Event,
 * oldest first by its last time, as `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE` (`5m (x3 over 10m)` for
 * a repeated event), `--for KIND/NAME` (a field selector on involvedObject), `--types Normal,Warning`,
 * `--no-headers`; `No events found in default namespace.` on stderr when there are none. Left out:
 * -o formats and --watch.
 */
import { EXIT } from '../../../command.ts';
import type { Event } from 'kubernetes-types/core/v1';
import { since } from '../../../../apiserver/printers/duration.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { escapeTerminal, tabwrite } from '../printers/index.ts';
import type { ApiResource } from '../restMapper.ts';
import { resourceClient } from './common.ts';

const EVENTS: ApiResource = { group: '', version: 'v1', resource: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], categories: [], verbs: [], preferred: true };

/** eventTime: what the list is sorted by. */
function eventTime(e: Event): string {
  return e.series?.lastObservedTime ?? (e.lastTimestamp || e.eventTime || '');
}

function interval(e: Event, now: number): string {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count ?? 0} over ${first})`;
  return first;
}

export async function runEvents(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const allNamespaces = flags.bool('all-namespaces');
  const types = flags.list('types').map((t) => t.trim());
  for (const t of types) if (!['normal', 'warning'].includes(t.toLowerCase())) throw new KubectlError('error: valid --types are Normal or Warning');
  let fieldSelector = '';
  const forArg = flags.string('for');
  if (forArg) {
    const slash = forArg.indexOf('/');
    if (slash < 0) throw new KubectlError('error: --for must be in resource/name form');
    const mapping = (await f.mapper()).resourceFor(forArg.slice(0, slash));
    fieldSelector = `involvedObject.kind=${mapping.kind},involvedObject.name=${forArg.slice(slash + 1)}`;
  }
  if (args.length > 0) throw new KubectlError(`error: unknown command "${args.join(' ')}"`);
  const { namespace } = f.namespace();
  const list = await resourceClient(f, EVENTS).list(allNamespaces ? '' : namespace, { fieldSelector });
  let events = list.items as unknown as Event[];
  if (types.length > 0) events = events.filter((e) => types.some((t) => t.toLowerCase() === (e.type ?? '').toLowerCase()));
  if (events.length === 0) {
    f.ctx.stderr(allNamespaces ? 'No events found.\n' : `No events found in ${namespace} namespace.\n`);
    return EXIT.ok;
  }
  events = events.map((e, i) => ({ e, i })).sort((a, b) => (eventTime(a.e) < eventTime(b.e) ? -1 : eventTime(a.e) > eventTime(b.e) ? 1 : a.i - b.i)).map(({ e }) => e);
  const now = f.ctx.clock.now();
  let text = flags.bool('no-headers') ? '' : `${allNamespaces ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`;
  for (const e of events) {
    text += `${allNamespaces ? `${e.metadata?.namespace ?? ''}\t` : ''}${interval(e, now)}\t${escapeTerminal(e.type ?? '')}\t${escapeTerminal(e.reason ?? '')}\t${escapeTerminal(e.involvedObject.kind ?? '')}/${escapeTerminal(e.involvedObject.name ?? '')}\t${escapeTerminal((e.message ?? '').trim())}\n`;
  }
  f.ctx.stdout(tabwrite(text));
  return EXIT.ok;
}
