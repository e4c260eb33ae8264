/**
 * client-go's watchtools.UntilWithSync as kubectl's waiting commands use it (wait, rollout status): list
 * one object by `metadata.name`, hand each item to the condition as an ADDED event, then watch from the
 * list's resourceVersion until the condition holds, the deadline passes on the virtual clock, or Ctrl-C.
 * Also Go's time.ParseDuration for `--timeout` values. Left out: re-listing after a watch expires.
 */
import type { KubeObject, WatchEvent } from '../../../../client/rest/restClient.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ApiResource } from '../restMapper.ts';
import { resourceClient } from './common.ts';

export type UntilOutcome = 'done' | 'timeout' | 'interrupted';

/** The condition: true when done; an exception ends the wait with it. */
export type WatchCondition = (event: WatchEvent<KubeObject>) => boolean;

const UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds; pflag's error wording for `--flag`. */
export function parseDuration(value: string, flag: string): number {
  const invalid = () => new KubectlError(`Error: invalid argument "${value}" for "--${flag}" flag: time: invalid duration "${JSON.stringify(value).slice(1, -1)}"`);
  let s = value;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s.length > 0) {
    const m = /^(\d*\.?\d*)(ns|us|µs|ms|s|m|h)/.exec(s);
    if (!m || m[1] === '' || m[1] === '.') {
      if (/^\d*\.?\d*$/.test(s)) throw new KubectlError(`Error: invalid argument "${value}" for "--${flag}" flag: time: missing unit in duration "${value}"`);
      throw invalid();
    }
    total += Number(m[1]) * (UNITS[m[2] ?? ''] ?? 0);
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/**
 * Watch `name` until `condition` holds. `timeoutMs` 0 means no deadline. An error thrown by the
 * condition (or by the server) rejects.
 */
export async function untilWithSync(f: Factory, mapping: ApiResource, namespace: string, name: string, timeoutMs: number, condition: WatchCondition): Promise<UntilOutcome> {
  const client = resourceClient(f, mapping);
  const fieldSelector = `metadata.name=${name}`;
  const list = await client.list(namespace, { fieldSelector });
  for (const object of list.items) if (condition({ type: 'ADDED', object })) return 'done';
  const { clock, interrupt } = f.ctx;
  if (interrupt.fired) return 'interrupted';
  const watch = await client.watch(namespace, { fieldSelector, resourceVersion: list.metadata.resourceVersion ?? '', allowWatchBookmarks: false });
  return new Promise<UntilOutcome>((resolve, reject) => {
    const subscriptions: Array<{ dispose(): void }> = [];
    const timer = timeoutMs > 0 ? clock.after(timeoutMs, () => finish(() => resolve('timeout')), 'kubectl wait timeout') : undefined;
    let finished = false;
    function finish(then: () => void) {
      if (finished) return;
      finished = true;
      timer?.cancel();
      for (const s of subscriptions) s.dispose();
      watch.stop();
      then();
    }
    subscriptions.push(interrupt.onDidFire(() => finish(() => resolve('interrupted'))));
    subscriptions.push(
      watch.onEvent((event) => {
        if (finished || event.type === 'BOOKMARK') return;
        try {
          if (condition(event)) finish(() => resolve('done'));
        } catch (e) {
          finish(() => reject(e));
        }
      }),
    );
  });
}
