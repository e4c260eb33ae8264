/**
 * What the student is told about saving: whether the lab can be saved at all (IndexedDB may be
 * unavailable), when it was last saved, and the notices that follow a restore, a restarted engine, an
 * import, a reset or a failed save. PersistenceBanners.tsx shows the notices, each dismissible; the
 * Lab menu shows the last save.
 *
 * One notice per kind: a newer one of the same kind replaces the older one.
 */
import { create } from 'zustand';

export type Notice =
  /** The autosave was loaded at startup. */
  | { kind: 'restored'; savedAt: number; lost: string[] }
  /** The autosave could not be loaded (the engine refused it, or storage failed): a fresh lab runs. */
  | { kind: 'restoreFailed'; message: string }
  /** The engine crashed and a new one runs, from the autosave of `savedAt` (none: a fresh lab). */
  | { kind: 'restarted'; crash: string; savedAt?: number; lost: string[] }
  | { kind: 'imported'; file: string; lost: string[] }
  | { kind: 'importRefused'; file: string; message: string }
  | { kind: 'reset' }
  | { kind: 'resetFailed'; message: string }
  | { kind: 'exportFailed'; message: string }
  /** Saving failed; `quota` when the browser's storage is full (QuotaExceededError). */
  | { kind: 'saveFailed'; quota: boolean; message: string }
  /** IndexedDB is unavailable: nothing survives a reload. */
  | { kind: 'noStorage'; reason: string };

export type NoticeKind = Notice['kind'];

export interface PersistenceState {
  /** Where saves go: not known yet, IndexedDB, or nowhere that survives a reload. */
  storage: 'opening' | 'indexeddb' | 'memory';
  /** Wall time of the last successful autosave. */
  lastSavedAt: number | undefined;
  notices: Array<Notice & { id: number }>;
  show(notice: Notice): void;
  dismiss(id: number): void;
  /** Take away the notice of `kind`, if shown (a later success makes it stale). */
  clear(kind: NoticeKind): void;
  setStorage(storage: PersistenceState['storage']): void;
  saved(at: number): void;
}

let nextId = 1;

export const usePersistence = create<PersistenceState>()((set) => ({
  storage: 'opening',
  lastSavedAt: undefined,
  notices: [],
  show: (notice) => set((s) => ({ notices: [...s.notices.filter((n) => n.kind !== notice.kind), { ...notice, id: nextId++ }] })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  clear: (kind) => set((s) => (s.notices.some((n) => n.kind === kind) ? { notices: s.notices.filter((n) => n.kind !== kind) } : s)),
  setStorage: (storage) => set({ storage }),
  saved: (at) => set({ lastSavedAt: at }),
}));

/** A failure's message, with the DOMException's name when it has one (`QuotaExceededError: …`). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

/** Whether `error` says the browser's storage is full. */
export function isQuotaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
}
