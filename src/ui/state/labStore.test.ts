import { describe, expect, it } from 'vitest';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { LabRecord } from '../../engine/cluster/lab.ts';
import { node, pod, replicaSet } from '../diagrams/clusterMap/testdata.ts';
import { applyLabDiff, emptyMirror, selectClusterObjects, selectNodeNames, selectObject, selectObjectList, type LabState } from './labStore.ts';

const empty: RecordsDiff<LabRecord> = { added: {}, updated: {}, removed: {} };
const clock = (now: number) => ({ typeName: 'clock', id: 'clock', now, paused: false, speed: 1 }) as unknown as LabRecord;
const state = (s: Pick<LabState, 'records' | 'objects' | 'objectsVersion'>): LabState => ({ ...s, engine: { kind: 'ready' }, apply: () => {}, setEngine: () => {} });

describe('the lab store', () => {
  it('keeps the objects version, and every selection made from the objects, when a frame moved only the clock', () => {
    const p = pod('web-1');
    const n = node('worker-1');
    const first = applyLabDiff(emptyMirror(), { ...empty, added: { clock: clock(0), [p.id]: p, [n.id]: n } });
    expect(Object.keys(first.records)).toEqual(['clock']);
    expect(first.objects.list().map((r) => r.id).sort()).toEqual([n.id, p.id].sort());
    const objects = selectClusterObjects(state(first));
    const list = selectObjectList(state(first));
    const next = applyLabDiff(first, { ...empty, updated: { clock: [clock(0), clock(16)] } });
    expect(next.objectsVersion).toBe(first.objectsVersion);
    expect(next.records).not.toBe(first.records);
    expect(selectClusterObjects(state(next))).toBe(objects);
    expect(selectObjectList(state(next))).toBe(list);
  });

  it('leaves the records when only objects changed, and drops removed objects', () => {
    const p = pod('web-1');
    const first = applyLabDiff(emptyMirror(), { ...empty, added: { clock: clock(0), [p.id]: p } });
    const version = first.objectsVersion;
    const gone = applyLabDiff(first, { ...empty, removed: { [p.id]: p } });
    expect(gone.records).toBe(first.records);
    expect(gone.objectsVersion).toBe(version + 1);
    expect(selectObject(p.id)(state(gone))).toBeUndefined();
    expect(selectObjectList(state(gone))).toEqual([]);
    expect(selectClusterObjects(state(gone)).pods).toEqual([]);
  });

  it('keeps the arrays of the kinds a frame did not change', () => {
    const n = node('worker-1');
    const rs = replicaSet('web-1', 'web');
    const a = pod('web-1-a');
    const first = applyLabDiff(emptyMirror(), { ...empty, added: { [n.id]: n, [rs.id]: rs, [a.id]: a } });
    const before = selectClusterObjects(state(first));
    const names = selectNodeNames(state(first));
    const moved = { ...a, status: 'Terminating' };
    const next = applyLabDiff(first, { ...empty, updated: { [a.id]: [a, moved] } });
    const after = selectClusterObjects(state(next));
    expect(after).not.toBe(before);
    expect(after.pods).toEqual([moved]);
    expect(after.nodes).toBe(before.nodes);
    expect(after.workloads).toBe(before.workloads);
    expect(after.workloads.get(rs.id)).toBe(rs);
    expect(selectNodeNames(state(next))).toBe(names);
  });
});
