/**
 * The LabStorage of the browser: IndexedDB through idb, database `kubelab`.
 *
 * Stores (version 1): `lab` (the autosave, under the key `autosave`), `settings` (the settings, under
 * `settings`), `progress` (one record per lesson, keyed by `lessonId`). The database's version grows with
 * its stores: UPGRADES[v] takes a version-v database to v+1, and `upgrade` runs every step from the
 * version found, as IndexedDB asks.
 *
 * `openIdbStorage` rejects when IndexedDB is missing (some private modes), refuses to open, or does not
 * answer within `timeoutMs` (a blocked upgrade): the caller falls back to memory and says it cannot save.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Autosave, LabStorage, LessonProgress, SettingsValues } from './storage.ts';

export const DB_NAME = 'kubelab';

interface KubelabDB extends DBSchema {
  lab: { key: 'autosave'; value: Autosave };
  settings: { key: 'settings'; value: SettingsValues };
  progress: { key: string; value: LessonProgress };
}

type Upgrade = (db: IDBPDatabase<KubelabDB>) => void;

/** UPGRADES[v]: from database version v to v+1. */
const UPGRADES: readonly Upgrade[] = [
  (db) => {
    db.createObjectStore('lab');
    db.createObjectStore('settings');
    db.createObjectStore('progress', { keyPath: 'lessonId' });
  },
];

export const DB_VERSION = UPGRADES.length;

export async function openIdbStorage(timeoutMs = 5000): Promise<LabStorage> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) throw new Error('IndexedDB is not available in this browser window');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`IndexedDB did not open within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const db = await Promise.race([
      openDB<KubelabDB>(DB_NAME, DB_VERSION, {
        upgrade(database, oldVersion) {
          for (let v = oldVersion; v < DB_VERSION; v++) UPGRADES[v]!(database);
        },
      }),
      timeout,
    ]);
    return new IdbStorage(db);
  } finally {
    clearTimeout(timer);
  }
}

class IdbStorage implements LabStorage {
  readonly kind = 'indexeddb';
  constructor(private readonly db: IDBPDatabase<KubelabDB>) {}

  readAutosave(): Promise<Autosave | undefined> {
    return this.db.get('lab', 'autosave');
  }
  async writeAutosave(autosave: Autosave): Promise<void> {
    await this.db.put('lab', autosave, 'autosave');
  }
  clearAutosave(): Promise<void> {
    return this.db.delete('lab', 'autosave');
  }
  readSettings(): Promise<SettingsValues | undefined> {
    return this.db.get('settings', 'settings');
  }
  async writeSettings(values: SettingsValues): Promise<void> {
    await this.db.put('settings', values, 'settings');
  }
  readProgress(): Promise<LessonProgress[]> {
    return this.db.getAll('progress');
  }
  async writeProgress(lessons: readonly LessonProgress[]): Promise<void> {
    const tx = this.db.transaction('progress', 'readwrite');
    await Promise.all([...lessons.map((p) => tx.store.put(p)), tx.done]);
  }
  async replaceProgress(lessons: readonly LessonProgress[]): Promise<void> {
    const tx = this.db.transaction('progress', 'readwrite');
    await Promise.all([tx.store.clear(), ...lessons.map((p) => tx.store.put(p)), tx.done]);
  }
}
