import { describe, expect, it } from 'vitest';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { LabRecord } from '../../engine/cluster/lab.ts';
import { asAudienceMessage, asPresenterMessage, snapshotDiff, type PresenterView } from './protocol.ts';

const view: PresenterView = { diagram: 'cluster-map', highlight: 'node:worker-1', theme: 'dark', language: 'en' };
const clock = { typeName: 'clock', id: 'clock', now: 1, paused: false, speed: 1, pending: 3 } as unknown as LabRecord;
const pod = { typeName: 'object', id: 'pods/default/web-1', resource: 'pods', name: 'web-1', namespace: 'default', containers: [{ name: 'nginx' }] } as unknown as LabRecord;

describe('presenter protocol', () => {
  it('accepts each message the presenter sends, unchanged by structured clone', () => {
    const diff: RecordsDiff<LabRecord> = { added: { [pod.id]: pod }, updated: { clock: [clock, { ...clock, now: 2 } as LabRecord] }, removed: {} };
    const messages = [
      { type: 'presenting' },
      { type: 'bye' },
      { type: 'snapshot', diff, trace: [], view },
      { type: 'diff', diff },
      { type: 'trace', events: [] },
      { type: 'view', view: { ...view, highlight: null } },
      { type: 'viewUpdate', audience: 'a1', watch: 'w1', update: { value: { rows: [1, 2] } } },
      { type: 'viewUpdate', audience: 'a1', watch: 'w1', update: { error: 'no node named "x"' } },
    ];
    for (const m of messages) {
      const cloned: unknown = structuredClone(m);
      expect(asPresenterMessage(cloned)).toEqual(m);
    }
  });

  it('ignores anything else on the channel', () => {
    for (const junk of [null, 'hello', 42, [], {}, { type: 'diff' }, { type: 'diff', diff: { added: {} } }, { type: 'view', view: { diagram: 1 } }, { type: 'snapshot', diff: { added: {}, updated: {}, removed: {} }, trace: 'x', view }, { type: 'exec' }]) {
      expect(asPresenterMessage(junk)).toBeUndefined();
    }
    expect(asAudienceMessage({ type: 'hello', audience: 'a1' })).toEqual({ type: 'hello', audience: 'a1' });
    expect(asAudienceMessage({ type: 'watch', audience: 'a1', watch: 'w1', name: 'etcd', args: { prefix: '/registry' } })).toEqual({ type: 'watch', audience: 'a1', watch: 'w1', name: 'etcd', args: { prefix: '/registry' } });
    expect(asAudienceMessage({ type: 'unwatch', audience: 'a1', watch: 'w1' })).toEqual({ type: 'unwatch', audience: 'a1', watch: 'w1' });
    for (const junk of [{ type: 'hello' }, { type: 'snapshot', audience: 'a1' }, { type: 'watch', audience: 'a1', watch: 'w1' }, { type: 'unwatch', audience: 'a1' }, null]) expect(asAudienceMessage(junk)).toBeUndefined();
  });

  it('makes a snapshot of the lab as one diff of additions', () => {
    const objects = { [pod.id]: pod } as Record<string, never>;
    expect(snapshotDiff({ clock }, objects)).toEqual({ added: { clock, [pod.id]: pod }, updated: {}, removed: {} });
  });
});
