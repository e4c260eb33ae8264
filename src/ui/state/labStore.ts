/**
 * The UI's mirror of the lab: records received from the worker as RecordsDiffs, applied in order.
 * Components select what they draw from here; nothing in the UI reads engine objects directly.
 */
import { create } from 'zustand';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { ClockRecord, LabRecord } from '../../engine/cluster/lab.ts';
import { applyDiff } from './applyDiff.ts';

export type EngineStatus = { kind: 'starting' } | { kind: 'ready' } | { kind: 'crashed'; message: string };

interface LabState {
  records: Record<string, LabRecord>;
  engine: EngineStatus;
  apply(diff: RecordsDiff<LabRecord>): void;
  setEngine(status: EngineStatus): void;
}

export const useLab = create<LabState>()((set) => ({
  records: {},
  engine: { kind: 'starting' },
  apply: (diff) => set((s) => ({ records: applyDiff(s.records, diff) })),
  setEngine: (engine) => set({ engine }),
}));

export const selectClock = (s: LabState): ClockRecord | undefined => s.records.clock as ClockRecord | undefined;
