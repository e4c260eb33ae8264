/**
 * DefaultTolerationSeconds — every pod tolerates a node being not-ready or unreachable for 300 seconds
 * (NoExecute) unless it says otherwise, so the node lifecycle controller evicts it five minutes after
 * its node goes away.
 */
import type { Attributes, MutatingPlugin } from './admission.ts';

export const DEFAULT_TOLERATION_SECONDS = 300;

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export class DefaultTolerationSeconds implements MutatingPlugin {
  readonly name = 'DefaultTolerationSeconds';

  admit(a: Attributes): void {
    if (a.operation !== 'CREATE' || a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource !== '' || !a.object) return;
    const spec = (a.object.spec ?? {}) as { tolerations?: Toleration[] };
    const tolerations = spec.tolerations ?? [];
    const covers = (key: string) => tolerations.some((t) => (t.effect === 'NoExecute' || !t.effect) && (t.key === key || (!t.key && t.operator === 'Exists')));
    const added: Toleration[] = [];
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      if (!covers(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
    if (added.length > 0) {
      spec.tolerations = [...tolerations, ...added];
      a.object.spec = spec;
    }
  }
}
