/**
 * What the clock's buttons and keys do, in one place: play/pause, step, slower/faster, advance. Step and
 * advance report what happened (the time the clock moved to, and by how much) through `useClockNote`,
 * which the controls show in a live region: the instructor presses `.` and reads where the cluster is.
 * Errors from the worker are shown there too, not swallowed.
 */
import { create } from 'zustand';
import type { ClockRecord } from '../../engine/cluster/lab.ts';
import { engine } from '../engine/client.ts';
import { selectClock, useLab } from '../state/labStore.ts';
import { neighbourSpeed } from './clockModel.ts';

export type ClockNote =
  | { kind: 'stepped'; to: number; by: number }
  | { kind: 'advanced'; to: number; by: number }
  | { kind: 'nothingQueued' }
  | { kind: 'error'; message: string };

export const useClockNote = create<{ note: ClockNote | null; seq: number; set(note: ClockNote | null): void }>()((set) => ({
  note: null,
  seq: 0,
  set: (note) => set((s) => ({ note, seq: s.seq + 1 })),
}));

const say = (note: ClockNote) => useClockNote.getState().set(note);
const fail = (error: unknown) => say({ kind: 'error', message: error instanceof Error ? error.message : String(error) });

/**
 * The first clock record the worker sends that `done` accepts (or the current one after `ms`). Asked after
 * the engine's call returned: the worker answers a call before it sends that frame's diff.
 */
function clockWhen(done: (clock: ClockRecord) => boolean, ms = 2_000): Promise<ClockRecord | undefined> {
  return new Promise((resolve) => {
    const finish = (clock: ClockRecord | undefined) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(clock);
    };
    const unsubscribe = useLab.subscribe((s) => {
      const clock = selectClock(s);
      if (clock && done(clock)) finish(clock);
    });
    const timer = setTimeout(() => finish(selectClock(useLab.getState())), ms);
  });
}

export function togglePlay(): void {
  const clock = selectClock(useLab.getState());
  if (!clock) return;
  (clock.paused ? engine.play() : engine.pause()).catch(fail);
}

export async function step(): Promise<void> {
  const before = selectClock(useLab.getState());
  if (!before) return;
  try {
    if (!(await engine.step())) {
      say({ kind: 'nothingQueued' });
      return;
    }
  } catch (error) {
    fail(error);
    return;
  }
  const after = (await clockWhen((c) => c !== before)) ?? before;
  say({ kind: 'stepped', to: after.now, by: after.now - before.now });
}

export async function advance(ms: number): Promise<void> {
  const before = selectClock(useLab.getState());
  if (!before) return;
  try {
    await engine.advance(ms);
  } catch (error) {
    fail(error);
    return;
  }
  const after = (await clockWhen((c) => c.now >= before.now + ms)) ?? before;
  say({ kind: 'advanced', to: after.now, by: after.now - before.now });
}

export function setSpeed(speed: number): void {
  engine.setSpeed(speed).catch(fail);
}

export function nudgeSpeed(direction: -1 | 1): void {
  const clock = selectClock(useLab.getState());
  if (clock) setSpeed(neighbourSpeed(clock.speed, direction));
}
