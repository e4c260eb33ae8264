import { beforeEach, describe, expect, it } from 'vitest';
import type { LabImage, LoadReport } from '../../workers/engineApi.ts';
import { forgetAutosave, keepAutosave, labStorage, reportSaveFailure, restoreLab } from './labStorage.ts';
import { usePersistence } from './persistenceStore.ts';
import { MemoryStorage } from './storage.ts';

const image = (seed: number) => ({ format: 'kubelab-lab', version: 1, seed }) as unknown as LabImage;
const notices = () => usePersistence.getState().notices.map(({ id: _, ...n }) => n);

describe('opening the lab storage where there is no IndexedDB (Node)', () => {
  it('falls back to memory, once, and says the lab cannot be saved', async () => {
    const storage = await labStorage();
    expect(storage.kind).toBe('memory');
    expect(await labStorage()).toBe(storage);
    expect(usePersistence.getState().storage).toBe('memory');
    expect(notices()).toEqual([{ kind: 'noStorage', reason: 'IndexedDB is not available in this browser window' }]);
  });
});

describe('lab storage (on memory)', () => {
  beforeEach(async () => {
    await forgetAutosave();
    usePersistence.setState({ notices: [], lastSavedAt: undefined });
  });

  it('restores nothing at startup when nothing was saved', async () => {
    const loaded: unknown[] = [];
    await restoreLab(async (i) => (loaded.push(i), { lost: [] }));
    expect(loaded).toEqual([]);
    expect(notices()).toEqual([]);
  });

  it('restores the autosave at startup and says what a restore cannot bring back', async () => {
    await keepAutosave(image(1), 1_000);
    const loaded: unknown[] = [];
    await restoreLab(async (i): Promise<LoadReport> => (loaded.push(i), { lost: ['1 shell session'] }));
    expect(loaded).toEqual([image(1)]);
    expect(notices()).toEqual([{ kind: 'restored', savedAt: 1_000, lost: ['1 shell session'] }]);
    expect(usePersistence.getState().lastSavedAt).toBe(1_000);
  });

  it('after a crash, restores the last autosave and says the work since then is lost', async () => {
    await keepAutosave(image(1), 1_000);
    await keepAutosave(image(2), 2_000);
    const loaded: unknown[] = [];
    await restoreLab(async (i) => (loaded.push(i), { lost: [] }), 'Uncaught Error: boom');
    expect(loaded).toEqual([image(2)]);
    expect(notices()).toEqual([{ kind: 'restarted', crash: 'Uncaught Error: boom', savedAt: 2_000, lost: [] }]);
  });

  it('after a crash with no autosave, says all was lost', async () => {
    await restoreLab(async () => ({ lost: [] }), 'boom');
    expect(notices()).toEqual([{ kind: 'restarted', crash: 'boom', lost: [] }]);
  });

  it('an autosave the engine refuses: a fresh lab, and the reason shown', async () => {
    await keepAutosave(image(1), 1_000);
    await restoreLab(async () => {
      throw new Error('loadLab: lab image: etcd snapshot: checksum mismatch');
    });
    expect(notices()).toEqual([{ kind: 'restoreFailed', message: 'loadLab: lab image: etcd snapshot: checksum mismatch' }]);
  });

  it('shows a full disk as such, and clears it after a good save', async () => {
    reportSaveFailure(new DOMException('the quota has been exceeded', 'QuotaExceededError'));
    expect(notices()).toEqual([{ kind: 'saveFailed', quota: true, message: 'QuotaExceededError: the quota has been exceeded' }]);
    reportSaveFailure(new Error('the database connection is closing'));
    expect(notices()).toEqual([{ kind: 'saveFailed', quota: false, message: 'the database connection is closing' }]);
    await keepAutosave(image(3), 3_000);
    expect(notices()).toEqual([]);
  });
});

describe('MemoryStorage', () => {
  it('keeps copies, and replaceProgress forgets the old lessons', async () => {
    const s = new MemoryStorage();
    const settings = { language: 'en' };
    await s.writeSettings(settings);
    settings.language = 'zh-CN';
    expect(await s.readSettings()).toEqual({ language: 'en' });
    await s.writeProgress([{ lessonId: 'a', done: ['1'], updatedAt: 1 }]);
    await s.writeProgress([{ lessonId: 'b', done: ['2'], updatedAt: 2 }]);
    expect((await s.readProgress()).map((p) => p.lessonId)).toEqual(['a', 'b']);
    await s.replaceProgress([{ lessonId: 'c', done: [], updatedAt: 3 }]);
    expect((await s.readProgress()).map((p) => p.lessonId)).toEqual(['c']);
    await s.writeAutosave({ image: image(1), savedAt: 1 });
    await s.clearAutosave();
    expect(await s.readAutosave()).toBeUndefined();
  });
});
