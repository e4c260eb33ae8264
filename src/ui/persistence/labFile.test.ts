import { describe, expect, it } from 'vitest';
import type { LabImage } from '../../workers/engineApi.ts';
import { buildLabFile, checkMigrations, labFileName, LabFileError, MIGRATIONS, LAB_FILE_VERSION, migrate, parseLabFile, progressList, type Migration } from './labFile.ts';

const image = { format: 'kubelab-lab', version: 1, seed: 7, clock: { now: 0, speed: 1, paused: true }, cluster: {}, hosts: {}, files: [], unsaved: {} } as unknown as LabImage;
const file = () => buildLabFile(image, { 'layout.theme': 'light', language: 'zh-CN' }, [{ lessonId: 'pods', done: ['create', 'delete'], updatedAt: 5 }], new Date('2026-11-24T09:00:00Z'));
const text = (doc: unknown) => JSON.stringify(doc);

function refusal(doc: string): { part: string; detail: string } {
  try {
    parseLabFile(doc);
  } catch (error) {
    if (error instanceof LabFileError) return { part: error.part, detail: error.detail };
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('lab file', () => {
  it('round-trips what buildLabFile writes', () => {
    const f = file();
    expect(f).toMatchObject({ format: 'kubelab-lab', version: LAB_FILE_VERSION, exportedAt: '2026-11-24T09:00:00.000Z' });
    expect(parseLabFile(text(f))).toEqual(f);
    expect(progressList(f.progress)).toEqual([{ lessonId: 'pods', done: ['create', 'delete'], updatedAt: 5 }]);
  });

  it('names the file by the local date', () => {
    expect(labFileName(new Date(2026, 0, 5, 23, 59))).toBe('kubelab-2026-01-05.kubelab.json');
  });

  it.each([
    ['not JSON', '{"format":', 'json', /^not valid JSON \(/],
    ['an array', '[]', 'format', /^expected a JSON object, got an array$/],
    ['another format', text({ ...file(), format: 'tldraw' }), 'format', /^expected "kubelab-lab", got "tldraw": this is not a Kubelab lab file$/],
    ['no version', text({ ...file(), version: undefined }), 'version', /^expected a whole number from 1, got nothing$/],
    ['a newer version', text({ ...file(), version: 2 }), 'version', /^the file is version 2, newer than this Kubelab reads \(up to 1\): update Kubelab to open it$/],
    ['a bad date', text({ ...file(), exportedAt: 'yesterday' }), 'exportedAt', /^expected a date and time, got "yesterday"$/],
    ['no lab', text({ ...file(), lab: null }), 'lab', /^expected the lab image \(an object\), got null$/],
    ['a lab of another format', text({ ...file(), lab: { ...image, format: 'x' } }), 'lab', /^format: expected "kubelab-lab", got "x"$/],
    ['a lab without version', text({ ...file(), lab: { ...image, version: 'one' } }), 'lab', /^version: expected a whole number from 1, got "one"$/],
    ['settings as a list', text({ ...file(), settings: ['dark'] }), 'settings', /^expected an object of settings, got an array$/],
    ['a number setting', text({ ...file(), settings: { theme: 7 } }), 'settings', /^theme: expected a string, got number 7$/],
    ['a setting with a bad name', text({ ...file(), settings: { '../x': 'y' } }), 'settings', /is not a setting's name/],
    ['progress without done', text({ ...file(), progress: { pods: { updatedAt: 1 } } }), 'progress', /^pods\.done: expected an array of step ids, got nothing$/],
    ['an empty step id', text({ ...file(), progress: { pods: { done: [''], updatedAt: 1 } } }), 'progress', /^pods\.done\[0\]: expected a step id/],
    ['a bad progress time', text({ ...file(), progress: { pods: { done: [], updatedAt: -1 } } }), 'progress', /^pods\.updatedAt: expected a time in ms, got number -1$/],
  ])('refuses %s, naming the part', (_, doc, part, detail) => {
    const r = refusal(doc);
    expect(r.part).toBe(part);
    expect(r.detail).toMatch(detail);
  });

  it('says the part in the message', () => {
    expect(() => parseLabFile('{}')).toThrow('format: expected "kubelab-lab", got nothing');
  });

  it('drops repeated steps', () => {
    expect(parseLabFile(text({ ...file(), progress: { pods: { done: ['a', 'a', 'b'], updatedAt: 1 } } })).progress).toEqual({ pods: { done: ['a', 'b'], updatedAt: 1 } });
  });
});

describe('migrations', () => {
  it('the real chain is valid and ends at the current version', () => {
    expect(() => checkMigrations(MIGRATIONS, LAB_FILE_VERSION)).not.toThrow();
  });

  // A history the format might have: version 1 had `prefs` for settings and no progress; 2 renamed it.
  const history: Migration[] = [
    { from: 1, to: 2, migrate: ({ prefs, ...rest }) => ({ ...rest, settings: prefs }) },
    { from: 2, to: 3, migrate: (doc) => ({ ...doc, progress: {} }) },
  ];

  it('applies each step in order from the file version', () => {
    const v1 = { format: 'kubelab-lab', version: 1, exportedAt: '2026-01-01T00:00:00Z', lab: image, prefs: { 'layout.theme': 'dark' } };
    const parsed = parseLabFile(text(v1), history, 3);
    expect(parsed.settings).toEqual({ 'layout.theme': 'dark' });
    expect(parsed.progress).toEqual({});
    expect(migrate({ ...v1, version: 2, settings: {} }, history, 3)).toMatchObject({ version: 3, progress: {} });
    expect(migrate({ version: 3, keep: true }, history, 3)).toEqual({ version: 3, keep: true });
  });

  it('refuses a version older than the chain, and reports a failing step', () => {
    expect(() => migrate({ version: 1 }, history.slice(1), 3)).toThrow('version: version 1 is older than any this Kubelab can migrate (from 2)');
    const broken: Migration[] = [
      {
        from: 1,
        to: 2,
        migrate: () => {
          throw new Error('no prefs');
        },
      },
    ];
    expect(() => migrate({ version: 1 }, broken, 2)).toThrow('version: migrating from version 1 to 2 failed: no prefs');
  });

  it.each([
    ['a step that skips a version', [{ from: 1, to: 3, migrate: (d: Record<string, unknown>) => d }], 3, 'each step must go up by one'],
    [
      'a gap',
      [
        { from: 1, to: 2, migrate: (d: Record<string, unknown>) => d },
        { from: 3, to: 4, migrate: (d: Record<string, unknown>) => d },
      ],
      4,
      'the one before ends at 2',
    ],
    ['a chain that stops short', [{ from: 1, to: 2, migrate: (d: Record<string, unknown>) => d }], 3, 'not at the current version 3'],
  ])('checkMigrations refuses %s', (_, chain, current, message) => {
    expect(() => checkMigrations(chain, current)).toThrow(message);
  });
});
