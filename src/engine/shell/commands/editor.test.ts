import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../cluster/headless.ts';
import { Lab } from '../../cluster/lab.ts';
import type { EditorHost, EditRequest } from './editor.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run `script` in a laptop shell whose editor host answers each request with `answer`, stepping the clock while it waits. */
async function runWithEditor(lab: Lab, script: string, answer: (request: EditRequest) => string | undefined | Promise<string | undefined>) {
  const requests: EditRequest[] = [];
  const host: EditorHost = {
    edit: async (request) => {
      requests.push(request);
      await yieldToHost();
      return answer(request);
    },
  };
  const session = lab.openSession({ tty: false, editor: host });
  let stdout = '';
  let stderr = '';
  session.onDidWrite((c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)));
  let status: number | undefined;
  void session.run(script).then((s) => (status = s));
  for (let i = 0; status === undefined; i++) {
    if (i > 10_000) throw new Error('the script did not finish');
    await yieldToHost();
    if (status === undefined && lab.clock.nextDueAt() !== undefined) lab.clock.step();
  }
  return { status, stdout, stderr, requests };
}

async function labWithDeployment(): Promise<Lab> {
  const lab = new Lab({ seed: 3 });
  const status = await runHeadless(lab, 'kubectl create deployment web --image=nginx >/dev/null', { yieldToHost, onOutput: () => {} });
  expect(status).toBe(0);
  return lab;
}

describe('vi and nano with an editor host', () => {
  it('kubectl edit hands the object to the editor and patches what it saved', async () => {
    const lab = await labWithDeployment();
    const { status, stdout, stderr, requests } = await runWithEditor(lab, 'kubectl edit deploy/web\nkubectl get deploy web -o jsonpath={.spec.replicas}', (r) => r.content.replace(/^ {2}replicas: 1$/m, '  replicas: 4'));
    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: 'deployment.apps/web edited\n4', stderr: '' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toMatch(/^\/tmp\/kubectl-edit-\d+\.yaml$/);
    expect(requests[0]!.content).toMatch(/^# Please edit the object below\./);
    expect(requests[0]!.content).toContain('kind: Deployment\n');
    // kubectl removes its file once the edit is done.
    expect(lab.fs.readdir('/tmp')).toEqual([]);
  });

  it('kubectl edit with the editor quit without saving changes nothing', async () => {
    const lab = await labWithDeployment();
    const { status, stdout, stderr } = await runWithEditor(lab, 'kubectl edit deploy web; kubectl get deploy web -o jsonpath={.spec.replicas}', () => undefined);
    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: '1', stderr: 'Edit cancelled, no changes made.\n' });
  });

  it('runs $EDITOR=nano as it runs vi', async () => {
    const lab = await labWithDeployment();
    const { stdout, requests } = await runWithEditor(lab, 'EDITOR=nano kubectl edit deploy web', (r) => r.content.replace('image: nginx', 'image: nginx:1.27'));
    expect(stdout).toBe('deployment.apps/web edited\n');
    expect(requests).toHaveLength(1);
  });

  it('vi creates a new file with what was saved, relative to the working directory', async () => {
    const lab = new Lab({ seed: 1 });
    const { status, stdout, requests } = await runWithEditor(lab, 'vi notes.txt && cat notes.txt', () => 'remember the selector\n');
    expect({ status, stdout }).toEqual({ status: 0, stdout: 'remember the selector\n' });
    expect(requests).toEqual([{ path: '/home/student/notes.txt', content: '' }]);
    expect(lab.fs.readFile('/home/student/notes.txt')).toBe('remember the selector\n');
  });

  it('ends the last line with a newline, as vim and nano write it', async () => {
    const lab = new Lab({ seed: 1 });
    await runWithEditor(lab, 'vi a.txt; nano b.txt; vi c.txt', (r) => (r.path.endsWith('c.txt') ? '' : 'no newline'));
    expect([lab.fs.readFile('/home/student/a.txt'), lab.fs.readFile('/home/student/b.txt'), lab.fs.readFile('/home/student/c.txt')]).toEqual(['no newline\n', 'no newline\n', '']);
  });

  it('vim quit without saving leaves no file; nano edits an existing one; several files in turn', async () => {
    const lab = new Lab({ seed: 1 });
    expect((await runWithEditor(lab, 'vim +3 new.txt; ls', () => undefined)).stdout).toBe('');
    const { requests, stdout } = await runWithEditor(lab, 'echo a > a.txt; echo b > /tmp/b.txt; nano -l -- a.txt /tmp/b.txt; cat a.txt /tmp/b.txt', (r) => r.content.toUpperCase());
    expect(requests).toEqual([
      { path: '/home/student/a.txt', content: 'a\n' },
      { path: '/tmp/b.txt', content: 'b\n' },
    ]);
    expect(stdout).toBe('A\nB\n');
  });

  it.each([
    ['vi /tmp', 1, '"/tmp" is a directory\n'],
    ['vi nodir/x.txt', 1, '"nodir/x.txt" E212: Can\'t open file for writing\n'],
    ['nano nodir/x.txt', 1, '[ Error writing nodir/x.txt: No such file or directory ]\n'],
    ['vi', 1, 'E32: No file name\n'],
    ['nano', 1, 'kubelab: nano needs a file name here (nano FILE)\n'],
  ])('%s', async (script, want, wantStderr) => {
    const { status, stderr } = await runWithEditor(new Lab({ seed: 1 }), script, () => 'text\n');
    expect({ status, stderr }).toEqual({ status: want, stderr: wantStderr });
  });

  it('stops waiting when interrupted, withdrawing the request from the host', async () => {
    const lab = new Lab({ seed: 1 });
    const withdrawn: EditRequest[] = [];
    const session = lab.openSession({ tty: false, editor: { edit: () => new Promise(() => {}), withdraw: (r) => withdrawn.push(r) } });
    const done = session.run('vi notes.txt');
    await yieldToHost();
    session.close();
    await done;
    expect(withdrawn).toEqual([{ path: '/home/student/notes.txt', content: '' }]);
    expect(lab.fs.stat('/home/student/notes.txt')).toBeUndefined();
  });

  it('reports a host that cannot show the file', async () => {
    const { status, stderr } = await runWithEditor(new Lab({ seed: 1 }), 'vi x', () => Promise.reject(new Error('the editor panel is gone')));
    expect({ status, stderr }).toEqual({ status: 1, stderr: 'vi: the editor panel is gone\n' });
  });
});

describe('vi and nano without an editor host', () => {
  async function headless(script: string) {
    let stdout = '';
    let stderr = '';
    const status = await runHeadless(new Lab({ seed: 1 }), script, { yieldToHost, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
    return { status, stdout, stderr };
  }

  it('vi fails as vim does with stdin at its end and no terminal', async () => {
    expect(await headless('vi notes.txt; echo $?; ls')).toEqual({
      status: 0,
      stdout: 'Vim: Error reading input, exiting...\nVim: Finished.\n1\n',
      stderr: 'Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n',
    });
  });

  it('nano dies as nano does', async () => {
    expect(await headless('nano notes.txt')).toEqual({ status: 1, stdout: '', stderr: 'Too many errors from stdin\n' });
  });

  it('so kubectl edit reports a problem with the editor', async () => {
    const { status, stderr } = await headless('kubectl create cm c --from-literal=a=b >/dev/null; kubectl edit cm c');
    expect(status).toBe(1);
    expect(stderr).toBe('Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\nerror: there was a problem with the editor "vi"\n');
  });

  it('the editors are on the laptop’s PATH', async () => {
    expect((await headless('which vi vim nano')).stdout).toBe('/usr/bin/vi\n/usr/bin/vim\n/usr/bin/nano\n');
  });
});
