import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../cluster/index.ts';
import { runHeadless } from '../../../../cluster/headless.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run a script in a lab holding Deployment web (1 replica) and ConfigMaps c1 and c2. */
async function run(script: string) {
  const lab = new Lab({ seed: 5 });
  let stdout = '';
  let stderr = '';
  const setup = 'kubectl create deployment web --image=nginx > log\nkubectl create cm c1 --from-literal=a=b > log\nkubectl create cm c2 --from-literal=a=b > log\n';
  await runHeadless(lab, setup, { yieldToHost, onOutput: () => {} });
  const status = await runHeadless(lab, script, { yieldToHost, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
  const tmp = lab.fs.readdir('/tmp');
  return { status, stdout, stderr, tmp, lab };
}

const EDIT_FILE = /\/tmp\/kubectl-edit-\d+\.yaml/g;

describe('kubectl edit', () => {
  it('patches what the editor changed and removes its file', async () => {
    const { status, stdout, stderr, tmp } = await run("KUBE_EDITOR='sed -i /replicas:/s/1$/3/' kubectl edit deploy web\nkubectl get deploy web -o jsonpath={.spec.replicas}");
    expect({ status, stdout, stderr, tmp }).toEqual({ status: 0, stdout: 'deployment.apps/web edited\n3', stderr: '', tmp: [] });
  });

  it.each([
    ['KUBE_EDITOR=true kubectl edit cm c1', 0, 'Edit cancelled, no changes made.\n', 0],
    ["KUBE_EDITOR='sed -i s/.*//' kubectl edit cm c1 --validate=false", 0, 'Edit cancelled, saved file was empty.\n', 0],
    ['KUBE_EDITOR=no-such-editor kubectl edit cm c1', 1, 'error: unable to launch the editor "no-such-editor"\n', 1],
    // With no terminal (no editor panel), vi meets the end of its input (../../editor.test.ts).
    ['kubectl edit cm c1', 1, 'Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\nerror: there was a problem with the editor "vi"\n', 1],
    ['EDITOR=false kubectl edit cm c1', 1, 'error: there was a problem with the editor "false"\n', 1],
    ['kubectl edit', 1, "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 0],
    ['kubectl edit cm nope', 1, 'Error from server (NotFound): configmaps "nope" not found\n', 0],
    ['KUBE_EDITOR=true kubectl edit cm c1 -o name', 1, 'error: unable to match a printer suitable for the output format "name", allowed formats are: json,yaml\n', 0],
  ])('%s', async (script, wantStatus, wantStderr, files) => {
    const { status, stderr, tmp } = await run(script);
    expect({ status, stderr, files: tmp.length }).toEqual({ status: wantStatus, stderr: wantStderr, files });
  });

  it('reopens an invalid edit with the server’s reasons, then keeps the file when nothing more changes', async () => {
    const { status, stderr, tmp, lab } = await run("KUBE_EDITOR='sed -i /replicas:.1$/s/1$/-1/' kubectl edit deploy web");
    expect(status).toBe(1);
    expect(stderr.replace(EDIT_FILE, 'FILE')).toBe('error: deployments.apps "web" is invalid\nA copy of your changes has been stored to "FILE"\nerror: Edit cancelled, no valid changes were saved.\n');
    const kept = stderr.match(EDIT_FILE)![0];
    expect(tmp).toHaveLength(2);
    const text = lab.fs.readFile(kept);
    expect(text.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n# deployments.apps \"web\" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: apps/v1\n")).toBe(true);
    expect(text).toContain('  replicas: -1\n');
  });

  it('edits a List of several objects, skipping the unchanged ones', async () => {
    const { stdout, status } = await run("KUBE_EDITOR='sed -i 9s/b$/c/' kubectl edit cm c1 c2");
    expect({ status, stdout }).toEqual({ status: 0, stdout: 'configmap/c1 edited\nconfigmap/c2 skipped\n' });
  });

  it('edits JSON with -o json, printing the patch and the result', async () => {
    const { stdout } = await run("KUBE_EDITOR='sed -i /a.:/s/b/d/' kubectl edit cm c1 -o json --output-patch");
    expect(stdout.startsWith('Patch: {"data":{"a":"d"}}\n{\n    "apiVersion": "v1",\n    "data": {\n        "a": "d"\n    },\n')).toBe(true);
  });

  it('refuses a change of name, keeping the file', async () => {
    const { status, stderr, tmp } = await run("KUBE_EDITOR='sed -i /name:.c1/s/c1/c9/' kubectl edit cm c1");
    expect({ status, stderr: stderr.replace(EDIT_FILE, 'FILE'), files: tmp.length }).toEqual({
      status: 1,
      stderr: 'A copy of your changes has been stored to "FILE"\nerror: At least one of apiVersion, kind and name was changed\n',
      files: 1,
    });
  });

  it('records the edited object as last applied with --save-config', async () => {
    const { stdout } = await run("KUBE_EDITOR='sed -i /a:/s/b$/e/' kubectl edit cm c1 --save-config > log\nkubectl get cm c1 -o jsonpath='{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'");
    expect(JSON.parse(stdout)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'e' }, metadata: { name: 'c1', annotations: {} } });
  });
});
