/**
 * The lab's storage at runtime, for the engine client and the persistence wiring: IndexedDB opened once
 * (or, when it cannot be, memory and a notice that nothing will survive a reload), the last autosave
 * also kept in memory (a crashed worker is restarted from it even without IndexedDB), and `restoreLab`,
 * which loads the autosave into a fresh engine at startup or after a crash and says what was lost.
 *
 * This module never imports the engine client (the client imports it): whatever talks to the engine is
 * passed in.
 */
import type { LabImage, LoadReport } from '../../workers/engineApi.ts';
import { openIdbStorage } from './idbStorage.ts';
import { describeError, isQuotaError, usePersistence } from './persistenceStore.ts';
import { MemoryStorage, type Autosave, type LabStorage } from './storage.ts';

let opened: Promise<LabStorage> | undefined;
let latest: Autosave | undefined;

/** The storage: IndexedDB, or memory after saying why IndexedDB cannot be used. Opened on first call. */
export function labStorage(): Promise<LabStorage> {
  opened ??= openIdbStorage().then(
    (storage) => {
      usePersistence.getState().setStorage('indexeddb');
      return storage;
    },
    (error: unknown) => fallBack(error),
  );
  return opened;
}

function fallBack(error: unknown): LabStorage {
  usePersistence.getState().setStorage('memory');
  usePersistence.getState().show({ kind: 'noStorage', reason: describeError(error) });
  return new MemoryStorage();
}

/** Keep `image` as the autosave: in memory at once, then in storage (rejects when storage fails). */
export async function keepAutosave(image: LabImage, savedAt: number): Promise<void> {
  latest = { image, savedAt };
  const storage = await labStorage();
  await storage.writeAutosave(latest);
  if (storage.kind === 'indexeddb') usePersistence.getState().saved(savedAt);
  usePersistence.getState().clear('saveFailed');
}

/** Show a failed save (a full disk is said as such). */
export function reportSaveFailure(error: unknown): void {
  usePersistence.getState().show({ kind: 'saveFailed', quota: isQuotaError(error), message: describeError(error) });
}

/** Forget the autosave (reset): in memory and in storage. */
export async function forgetAutosave(): Promise<void> {
  latest = undefined;
  await (await labStorage()).clearAutosave();
}

function isAutosave(value: unknown): value is Autosave {
  return typeof value === 'object' && value !== null && 'image' in value && 'savedAt' in value && typeof value.savedAt === 'number';
}

/**
 * Load the last autosave into an engine that just started, through `load` (the engine's loadLab). At
 * startup (`crash` undefined) the autosave comes from storage; after a crash, from memory first. Says
 * what happened in a notice: restored (and what a restore cannot bring back), not restorable, or — after
 * a crash — what was lost. Never rejects: a lab that cannot be restored starts fresh.
 */
export async function restoreLab(load: (image: LabImage) => Promise<LoadReport>, crash?: string): Promise<void> {
  const notices = usePersistence.getState();
  let autosave = crash !== undefined ? latest : undefined;
  if (!autosave) {
    try {
      const stored = await (await labStorage()).readAutosave();
      if (stored !== undefined && !isAutosave(stored)) throw new Error('the saved lab is not an autosave record');
      autosave = stored;
    } catch (error) {
      notices.show({ kind: 'restoreFailed', message: describeError(error) });
    }
  }
  if (!autosave) {
    if (crash !== undefined) notices.show({ kind: 'restarted', crash, lost: [] });
    return;
  }
  try {
    const report = await load(autosave.image);
    latest = autosave;
    if (crash !== undefined) notices.show({ kind: 'restarted', crash, savedAt: autosave.savedAt, lost: report.lost });
    else notices.show({ kind: 'restored', savedAt: autosave.savedAt, lost: report.lost });
    usePersistence.getState().saved(autosave.savedAt);
  } catch (error) {
    notices.show({ kind: 'restoreFailed', message: describeError(error) });
    if (crash !== undefined) notices.show({ kind: 'restarted', crash, lost: [] });
  }
}
