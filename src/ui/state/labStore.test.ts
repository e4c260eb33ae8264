import { describe, expect, it } from 'vitest';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { LabRecord } from '../../engine/cluster/lab.ts';
import { node, pod } from '../diagrams/clusterMap/testdata.ts';
import { applyLabDiff, selectClusterObjects, selectObjectList, type LabState } from './labStore.ts';

const empty: RecordsDiff<LabRecord> = { added: {}, updated: {}, removed: {} };
const clock = (now: number) => ({ typeName: 'clock', id: 'clock', now, paused: false, speed: 1 }) as unknown as LabRecord;
const state = (s: Pick<LabState, 'records' | 'objects'>): LabState => ({ ...s, engine: { kind: 'ready' }, apply: () => {}, setEngine: () => {} });

describe('the lab store', () => {
  it('keeps the objects map, and every selection made from it, when a frame moved only the clock', () => {
    const p = pod('web-1');
    const n = node('worker-1');
    const first = applyLabDiff({ records: {}, objects: {} }, { ...empty, added: { clock: clock(0), [p.id]: p, [n.id]: n } });
    expect(Object.keys(first.records)).toEqual(['clock']);
    expect(Object.keys(first.objects).sort()).toEqual([n.id, p.id].sort());
    const objects = selectClusterObjects(state(first));
    const list = selectObjectList(state(first));
    const next = applyLabDiff(first, { ...empty, updated: { clock: [clock(0), clock(16)] } });
    expect(next.objects).toBe(first.objects);
    expect(next.records).not.toBe(first.records);
    expect(selectClusterObjects(state(next))).toBe(objects);
    expect(selectObjectList(state(next))).toBe(list);
  });

  it('copies only the objects when only objects changed, and drops removed ones', () => {
    const p = pod('web-1');
    const first = applyLabDiff({ records: {}, objects: {} }, { ...empty, added: { clock: clock(0), [p.id]: p } });
    const gone = applyLabDiff(first, { ...empty, removed: { [p.id]: p } });
    expect(gone.records).toBe(first.records);
    expect(gone.objects).toEqual({});
    expect(selectClusterObjects(state(gone)).pods).toEqual([]);
  });
});
