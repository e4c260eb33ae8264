import { describe, expect, it } from 'vitest';
import { bootServedNode } from '../../../../kubelet/server/testing.ts';
import { within } from '../../../../runtime/cri/testing.ts';
import { runKubectl } from '../testing.ts';

async function cluster() {
  const node = await bootServedNode();
  await node.runPod('web', { app: ['sleep', '3600'] });
  await node.runPod('duo', { a: ['sleep', '3600'], b: ['sleep', '3600'] });
  const kubectl = (line: string, stdin = '') => within(node.clock, runKubectl(node.target, line, stdin), 20_000);
  return { node, kubectl };
}

describe('kubectl exec', () => {
  it('runs a command in the container and exits with its code', async () => {
    const { kubectl } = await cluster();
    expect(await kubectl(`exec web -- sh -c 'echo out; echo err >&2; exit 2'`)).toEqual({ stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 2\n', code: 2 });
    expect(await kubectl('exec duo -- echo hi')).toEqual({ stdout: 'hi\n', stderr: 'Defaulted container "a" out of: a, b\n', code: 0 });
    expect(await kubectl('exec duo -c b -- hostname')).toEqual({ stdout: 'duo\n', stderr: '', code: 0 });
    expect(await kubectl('exec -i web -- cat', 'piped\n')).toEqual({ stdout: 'piped\n', stderr: '', code: 0 });
    expect(await kubectl('exec -it web -- true')).toEqual({ stdout: '', stderr: 'Unable to use a TTY - input is not a terminal or the right kind of file\n', code: 0 });
  });

  it('reports what refuses it in kubectl’s, the apiserver’s and the kubelet’s words', async () => {
    const { node, kubectl } = await cluster();
    expect(await kubectl('exec web ls')).toEqual({ stdout: '', stderr: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", code: 1 });
    expect(await kubectl('exec web --')).toEqual({ stdout: '', stderr: 'error: you must specify at least one command for the container\n', code: 1 });
    expect(await kubectl('exec -- ls')).toEqual({ stdout: '', stderr: 'error: pod, type/name or --filename must be specified\n', code: 1 });
    expect(await kubectl('exec web -c x -- ls')).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): container x is not valid for pod web\n', code: 1 });
    await node.runPod('brief', { app: ['true'] });
    expect(await kubectl('exec brief -- ls')).toEqual({ stdout: '', stderr: 'error: unable to upgrade connection: container not found ("app")\n', code: 1 });
    const other = await node.client.resource({ group: '', version: 'v1', resource: 'pods', namespaced: true }).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' }, spec: { nodeName: 'node-9', containers: [{ name: 'c', image: 'busybox' }] } });
    expect(other.metadata?.name).toBe('elsewhere');
    expect(await kubectl('exec elsewhere -- ls')).toEqual({ stdout: '', stderr: 'Error from server: error dialing backend: dial tcp node-9:10250: connect: connection refused\n', code: 1 });
  });
});

describe('kubectl attach', () => {
  it('streams the container’s output from now until it exits', async () => {
    const { node, kubectl } = await cluster();
    await node.runPod('talker', { app: ['sh', '-c', 'echo early; sleep 1; echo later; sleep 1'] });
    expect(await kubectl('attach talker')).toEqual({ stdout: 'later\n', stderr: "If you don't see a command prompt, try pressing enter.\n", code: 0 });
    expect(await kubectl('attach a b c')).toEqual({ stdout: '', stderr: 'error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw 3: [a b c]\n', code: 1 });
  });
});
