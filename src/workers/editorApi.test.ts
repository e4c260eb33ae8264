import { describe, expect, it } from 'vitest';
import type { EditMessage } from './editorApi.ts';
import { createEngineApi, type WorkerHost } from './engineApi.ts';

const host: WorkerHost = { now: () => 0, setTimer: () => () => {}, onNextFrame: () => {} };
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  return createEngineApi(host, { seed: 5, startTime: 1_000_000 });
}

describe('the editor’s worker API', () => {
  it('writes, lists and reads the student’s files', () => {
    const api = setup();
    api.writeFile('/home/student/web.yaml', 'kind: Deployment\n');
    api.lab.fs.mkdir('/home/student/app', { recursive: true });
    api.writeFile('/home/student/app/../app/Dockerfile', 'FROM nginx\n');
    expect(api.listFiles('/home/student')).toEqual([
      { path: '/home/student/app/Dockerfile', size: 11 },
      { path: '/home/student/web.yaml', size: 17 },
    ]);
    expect(api.readFile('/home/student/web.yaml')).toBe('kind: Deployment\n');
    expect(api.lab.fs.readFile('/home/student/app/Dockerfile')).toBe('FROM nginx\n');
  });

  it.each([
    [(api: ReturnType<typeof setup>) => api.readFile('/home/student/nope'), '/home/student/nope: No such file or directory'],
    [(api: ReturnType<typeof setup>) => api.readFile('/tmp'), '/tmp: Is a directory'],
    [(api: ReturnType<typeof setup>) => api.writeFile('/tmp', 'x'), '/tmp: Is a directory'],
    [(api: ReturnType<typeof setup>) => api.writeFile('/home/student/no/dir.txt', 'x'), '/home/student/no/dir.txt: No such file or directory'],
    [(api: ReturnType<typeof setup>) => api.writeFile('/etc/passwd', 'x'), '/etc/passwd: Permission denied'],
    [(api: ReturnType<typeof setup>) => api.writeFile('/home/student/../../etc/x', 'x'), '/etc/x: Permission denied'],
    [(api: ReturnType<typeof setup>) => api.listFiles('/nowhere'), '/nowhere: No such file or directory'],
    [(api: ReturnType<typeof setup>) => api.listFiles('/etc/passwd'), '/etc/passwd: Not a directory'],
    [(api: ReturnType<typeof setup>) => api.readFile('notes.txt'), 'readFile: path must be absolute, got "notes.txt"'],
    [(api: ReturnType<typeof setup>) => api.readFile(42 as unknown as string), 'readFile: path must be a string, got number'],
    [(api: ReturnType<typeof setup>) => api.writeFile('/tmp/x', null as unknown as string), 'writeFile: content must be a string, got object'],
  ])('refuses bad calls with what was wrong (%#)', (call, message) => {
    expect(() => call(setup())).toThrow(message);
  });

  it('runs a command line in a headless laptop shell: kubectl apply -f a saved file', async () => {
    const api = setup();
    api.writeFile('/home/student/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n');
    expect(await api.runCommand("kubectl apply -f '/home/student/cm.yaml'")).toEqual({ status: 0, stdout: 'configmap/settings created\n', stderr: '' });
    expect(await api.runCommand('kubectl apply -f /home/student/nope.yaml')).toEqual({ status: 1, stdout: '', stderr: 'error: the path "/home/student/nope.yaml" does not exist\n' });
    expect(await api.runCommand('pwd; echo $USER')).toEqual({ status: 0, stdout: '/home/student\nstudent\n', stderr: '' });
    await expect(api.runCommand('  ')).rejects.toThrow('runCommand: the command line is empty');
  });

  it('gives a kind’s JSON Schema, and none for an unknown kind', async () => {
    const api = setup();
    const schema = await api.jsonSchemaFor('apps/v1', 'Deployment');
    expect(schema).toMatchObject({ $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' });
    expect(await api.jsonSchemaFor('apps/v1', 'Deployment')).toBe(schema);
    expect(await api.jsonSchemaFor('v1', 'List')).toBeUndefined();
    await expect(api.jsonSchemaFor('v1', 3 as unknown as string)).rejects.toThrow('jsonSchemaFor: apiVersion and kind must be strings');
  });

  it('opens terminal sessions whose vi asks the UI’s edit callback', async () => {
    const api = setup();
    let output = '';
    const asked: unknown[] = [];
    const info = api.openSession({ cols: 80, rows: 24 }, (t) => (output += t), () => {}, (request) => {
      asked.push(request);
      return Promise.resolve('saved from the panel\n');
    });
    api.write(info.id, 'vi notes.txt && cat notes.txt\r');
    for (let i = 0; i < 20 && !output.includes('saved from the panel'); i++) await flush();
    expect(asked).toEqual([{ id: expect.stringMatching(/^edit-\d+$/), path: '/home/student/notes.txt', content: '' }]);
    expect(output).toContain('saved from the panel\r\n');
    expect(() => api.openSession({ cols: 80, rows: 24 }, () => {}, () => {}, 'vi' as never)).toThrow('openSession: the edit callback must be a function');
  });

  it('tells the edit callback when vi stops waiting (Ctrl-C), by the request’s id', async () => {
    const api = setup();
    let output = '';
    const messages: EditMessage[] = [];
    const info = api.openSession({ cols: 80, rows: 24 }, (t) => (output += t), () => {}, (message) => {
      messages.push(message);
      return new Promise<undefined>(() => {});
    });
    api.write(info.id, 'vi notes.txt; echo status $?\r');
    for (let i = 0; i < 20 && messages.length === 0; i++) await flush();
    api.write(info.id, '\x03');
    for (let i = 0; i < 20 && !output.includes('status 130'); i++) await flush();
    expect(messages).toEqual([
      { id: expect.stringMatching(/^edit-\d+$/), path: '/home/student/notes.txt', content: '' },
      { id: messages[0]!.id, withdrawn: true },
    ]);
  });
});
