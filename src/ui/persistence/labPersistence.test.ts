import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabImage } from '../../workers/engineApi.ts';

// The engine behind the client: a stand-in that refuses or accepts an image as the worker's loadLab does.
const engine = vi.hoisted(() => ({
  loadLab: vi.fn(async (image: { seed?: number }) => {
    if (image.seed === 13) throw new Error('loadLab: lab image: etcd snapshot: checksum mismatch');
    return { lost: ['1 shell session'] };
  }),
  saveLab: vi.fn(),
  resetLab: vi.fn(async () => {}),
}));
vi.mock('../engine/client.ts', () => ({ engine, EngineStoppedError: class extends Error {} }));

const { importLab, resetLab } = await import('./labPersistence.ts');
const { buildLabFile } = await import('./labFile.ts');
const { usePersistence } = await import('./persistenceStore.ts');
const { useProgress } = await import('./progressStore.ts');
const { useSettings } = await import('../settings/settingsStore.ts');
const { keepAutosave, labStorage } = await import('./labStorage.ts');

const image = (seed: number) => ({ format: 'kubelab-lab', version: 1, seed }) as unknown as LabImage;
const fileOf = (doc: unknown, name = 'lab.kubelab.json') => new File([typeof doc === 'string' ? doc : JSON.stringify(doc)], name);
const notices = () => usePersistence.getState().notices.map(({ id: _, ...n }) => n);

describe('import and reset', () => {
  beforeEach(async () => {
    await labStorage();
    usePersistence.setState({ notices: [] });
    useProgress.getState().replaceAll([{ lessonId: 'mine', done: ['a'], updatedAt: 1 }]);
    useSettings.getState().setTheme('dark');
    engine.loadLab.mockClear();
  });

  it('imports the lab, then its settings and progress, and says what was not brought back', async () => {
    const file = buildLabFile(image(1), { 'layout.theme': 'light' }, [{ lessonId: 'pods', done: ['create'], updatedAt: 2 }], new Date());
    expect(await importLab(fileOf(file))).toBeUndefined();
    expect(engine.loadLab).toHaveBeenCalledWith(image(1));
    expect(useSettings.getState().theme).toBe('light');
    expect(Object.keys(useProgress.getState().lessons)).toEqual(['pods']);
    expect(await (await labStorage()).readProgress()).toEqual([{ lessonId: 'pods', done: ['create'], updatedAt: 2 }]);
    expect(notices()).toContainEqual({ kind: 'imported', file: 'lab.kubelab.json', lost: ['1 shell session'] });
  });

  it.each([
    ['a file that is not JSON', '{"format"', 'json', 'json: not valid JSON'],
    [
      'a file with bad progress',
      { ...buildLabFile(image(1), {}, [], new Date()), progress: { pods: { done: 'all', updatedAt: 1 } } },
      'progress',
      'progress: pods.done: expected an array of step ids, got "all"',
    ],
    ['a lab the engine refuses', buildLabFile(image(13), { 'layout.theme': 'light' }, [], new Date()), 'lab', 'lab: loadLab: lab image: etcd snapshot: checksum mismatch'],
  ])('refuses %s and changes nothing', async (_, doc, part, message) => {
    const refusal = await importLab(fileOf(doc, 'bad.kubelab.json'));
    expect(refusal?.part).toBe(part);
    expect(notices()).toEqual([{ kind: 'importRefused', file: 'bad.kubelab.json', message: expect.stringContaining(message) }]);
    expect(useSettings.getState().theme).toBe('dark');
    expect(Object.keys(useProgress.getState().lessons)).toEqual(['mine']);
    if (part !== 'lab') expect(engine.loadLab).not.toHaveBeenCalled();
  });

  it('reset forgets the saved lab', async () => {
    await keepAutosave(image(5), 5);
    await resetLab();
    expect(engine.resetLab).toHaveBeenCalled();
    expect(await (await labStorage()).readAutosave()).toBeUndefined();
    expect(notices()).toEqual([{ kind: 'reset' }]);
  });
});
