import { describe, expect, it } from 'vitest';
import { absolutePath, baseName, editorReducer, initialModel, isDirty, languageFor, shellQuote, type EditorModel } from './editorModel.ts';
import { fileSchema, manifestKinds } from './manifestSchema.ts';

const opened = (): EditorModel => {
  let s = editorReducer(initialModel, { type: 'openFile', id: 'a', path: '/home/student/web.yaml', content: 'kind: Pod\n', isNew: false });
  s = editorReducer(s, { type: 'openFile', id: 'b', path: '/home/student/new.txt', content: '', isNew: true });
  return editorReducer(s, { type: 'openEdit', id: 'c', path: '/tmp/kubectl-edit-1.yaml', content: 'x' });
};

describe('editorReducer', () => {
  it('opens files and edit requests as tabs, showing the panel and activating the newest', () => {
    const s = opened();
    expect(s.open).toBe(true);
    expect(s.tabs.map((t) => [t.id, t.kind, t.path])).toEqual([
      ['a', 'file', '/home/student/web.yaml'],
      ['b', 'file', '/home/student/new.txt'],
      ['c', 'edit', '/tmp/kubectl-edit-1.yaml'],
    ]);
    expect(s.activeId).toBe('c');
  });

  it('brings a file already open to the front instead of opening it twice, keeping its edits', () => {
    let s = editorReducer(opened(), { type: 'setText', id: 'a', text: 'kind: Service\n' });
    s = editorReducer(s, { type: 'hide' });
    s = editorReducer(s, { type: 'openFile', id: 'z', path: '/home/student/web.yaml', content: 'kind: Pod\n', isNew: false });
    expect(s.tabs).toHaveLength(3);
    expect(s.activeId).toBe('a');
    expect(s.open).toBe(true);
    expect(s.tabs[0]!.text).toBe('kind: Service\n');
  });

  it('is dirty while the text differs from the saved text, or the file does not exist yet', () => {
    let s = opened();
    expect(s.tabs.map(isDirty)).toEqual([false, true, false]);
    s = editorReducer(s, { type: 'setText', id: 'a', text: 'kind: Service\n' });
    expect(isDirty(s.tabs[0]!)).toBe(true);
    s = editorReducer(s, { type: 'saved', id: 'a', text: 'kind: Service\n' });
    s = editorReducer(s, { type: 'saved', id: 'b', text: '' });
    expect(s.tabs.map(isDirty)).toEqual([false, false, false]);
  });

  it('detaches an edit tab the shell stopped waiting on into a file tab, keeping its text', () => {
    let s = editorReducer(opened(), { type: 'setText', id: 'c', text: 'edited' });
    s = editorReducer(s, { type: 'detach', id: 'c' });
    expect(s.tabs[2]).toMatchObject({ kind: 'file', text: 'edited', saved: 'x' });
    expect(editorReducer(s, { type: 'detach', id: 'a' })).toBe(s);
  });

  it('closes a tab, giving the focus to its neighbour', () => {
    let s = editorReducer(opened(), { type: 'activate', id: 'b' });
    s = editorReducer(s, { type: 'close', id: 'b' });
    expect([s.tabs.map((t) => t.id), s.activeId]).toEqual([['a', 'c'], 'c']);
    s = editorReducer(s, { type: 'close', id: 'c' });
    expect(s.activeId).toBe('a');
    s = editorReducer(s, { type: 'close', id: 'a' });
    expect([s.tabs, s.activeId]).toEqual([[], undefined]);
  });

  it('ignores actions on tabs that do not exist, returning the same state', () => {
    const s = opened();
    expect(editorReducer(s, { type: 'close', id: 'nope' })).toBe(s);
    expect(editorReducer(s, { type: 'activate', id: 'nope' })).toBe(s);
    expect(editorReducer(s, { type: 'setText', id: 'a', text: 'kind: Pod\n' })).toBe(s);
  });
});

describe('editor helpers', () => {
  it.each([
    ['/home/student/web.yaml', 'yaml'],
    ['/tmp/kubectl-edit-12.YML', 'yaml'],
    ['/home/student/app/Dockerfile', 'dockerfile'],
    ['/home/student/app/Dockerfile.dev', 'dockerfile'],
    ['/home/student/app/web.dockerfile', 'dockerfile'],
    ['/home/student/setup.sh', 'shell'],
    ['/home/student/README.md', 'markdown'],
    ['/home/student/notes.txt', 'plaintext'],
    ['/tmp/kubectl-edit-3.json', 'plaintext'],
  ])('languageFor(%j) = %s', (path, language) => {
    expect(languageFor(path)).toBe(language);
  });

  it.each([
    ['web.yaml', '/home/student/web.yaml'],
    ['~/app/../web.yaml', '/home/student/web.yaml'],
    ['~', '/home/student'],
    ['/tmp//x.yaml', '/tmp/x.yaml'],
    ['  ./a  ', '/home/student/a'],
    ['   ', undefined],
  ])('absolutePath(%j) = %j', (typed, path) => {
    expect(absolutePath(typed)).toBe(path);
  });

  it('quotes paths for the shell and names tabs', () => {
    expect(shellQuote('/home/student/web.yaml')).toBe('/home/student/web.yaml');
    expect(shellQuote("/home/student/it's here.yaml")).toBe("'/home/student/it'\\''s here.yaml'");
    expect(baseName('/home/student/web.yaml')).toBe('web.yaml');
  });
});

describe('manifestKinds', () => {
  it('reads each document’s top-level apiVersion and kind, once per pair, while the file does not parse', () => {
    const text = [
      '# a comment',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web',
      'spec:',
      '  template:',
      '    kind: NotTopLevel',
      '---',
      'kind: "Service"   # quoted, with a comment',
      "apiVersion: 'v1'",
      '--- # another',
      'apiVersion: apps/v1',
      'kind: Deployment',
      '---',
      'kind: OnlyAKind',
    ].join('\n');
    expect(manifestKinds(text)).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'v1', kind: 'Service' },
    ]);
    expect(manifestKinds('')).toEqual([]);
  });
});

describe('fileSchema', () => {
  const schemas: Record<string, { $ref: string; title: string; definitions: Record<string, unknown> }> = {
    'apps/v1/Deployment': { $ref: '#/definitions/D', title: 'Deployment (apps/v1)', definitions: { D: { type: 'object' }, Meta: { type: 'object' } } },
    'v1/Service': { $ref: '#/definitions/S', title: 'Service (v1)', definitions: { S: { type: 'object' }, Meta: { type: 'object' } } },
  };
  const schemaOf = (k: { apiVersion: string; kind: string }) => schemas[`${k.apiVersion}/${k.kind}`];

  it('is the kind’s schema for one kind, none for unknown kinds', () => {
    expect(fileSchema([{ apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'x/v1', kind: 'Widget' }], schemaOf)).toBe(schemas['apps/v1/Deployment']);
    expect(fileSchema([{ apiVersion: 'x/v1', kind: 'Widget' }], schemaOf)).toBeUndefined();
    expect(fileSchema([], schemaOf)).toBeUndefined();
  });

  it('checks each document of a file of several kinds against its own kind’s schema', () => {
    expect(fileSchema([{ apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'v1', kind: 'Service' }], schemaOf)).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Deployment (apps/v1), Service (v1)',
      definitions: { D: { type: 'object' }, S: { type: 'object' }, Meta: { type: 'object' } },
      allOf: [
        { if: { properties: { apiVersion: { const: 'apps/v1' }, kind: { const: 'Deployment' } }, required: ['apiVersion', 'kind'] }, then: { $ref: '#/definitions/D' } },
        { if: { properties: { apiVersion: { const: 'v1' }, kind: { const: 'Service' } }, required: ['apiVersion', 'kind'] }, then: { $ref: '#/definitions/S' } },
      ],
    });
  });
});
