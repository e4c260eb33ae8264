import { describe, expect, it } from 'vitest';
import { bootServedNode } from '../../../../kubelet/server/testing.ts';
import { within } from '../../../../runtime/cri/testing.ts';
import { advance } from '../../../../runtime/dockerd/testing.ts';
import { kubectl } from '../kubectl.ts';
import { kubectlContext, runKubectl } from '../testing.ts';

async function cluster() {
  const node = await bootServedNode();
  await node.runPod('web', { app: ['sh', '-c', 'echo one; echo two >&2; sleep 2; echo three; sleep 3600'] });
  await node.runPod('duo', { a: ['sh', '-c', 'echo from a; sleep 3600'], b: ['sh', '-c', 'echo from b; sleep 3600'] });
  await within(node.clock, Promise.resolve(), 0);
  node.clock.advance(3000);
  await within(node.clock, Promise.resolve(), 0);
  const run = (line: string) => within(node.clock, runKubectl(node.target, line), 20_000);
  return { node, kubectl: run };
}

describe('kubectl logs', () => {
  it('prints a container’s log through the apiserver and the kubelet, with its options', async () => {
    const { kubectl } = await cluster();
    expect(await kubectl('logs web')).toEqual({ stdout: 'one\ntwo\nthree\n', stderr: '', code: 0 });
    expect(await kubectl('logs pod/web --tail=1')).toEqual({ stdout: 'three\n', stderr: '', code: 0 });
    expect(await kubectl('logs web --limit-bytes=5')).toEqual({ stdout: 'one\nt', stderr: '', code: 0 });
    expect(await kubectl('logs web --since=2s')).toEqual({ stdout: 'three\n', stderr: '', code: 0 });
    expect(await kubectl('logs web --prefix --tail=2')).toEqual({ stdout: '[pod/web/app] two\n[pod/web/app] three\n', stderr: '', code: 0 });
  });

  it('defaults the container of a pod with several, and takes -c, an inline name or --all-containers', async () => {
    const { kubectl } = await cluster();
    expect(await kubectl('logs duo')).toEqual({ stdout: 'from a\n', stderr: 'Defaulted container "a" out of: a, b\n', code: 0 });
    expect(await kubectl('logs duo -c b')).toEqual({ stdout: 'from b\n', stderr: '', code: 0 });
    expect(await kubectl('logs duo b')).toEqual({ stdout: 'from b\n', stderr: '', code: 0 });
    expect(await kubectl('logs duo --all-containers --prefix')).toEqual({ stdout: '[pod/duo/a] from a\n[pod/duo/b] from b\n', stderr: '', code: 0 });
    expect(await kubectl('logs duo -c c')).toEqual({ stdout: '', stderr: 'error: container c is not valid for pod duo out of: a, b\n', code: 1 });
  });

  it('answers with the kubelet’s and the apiserver’s refusals', async () => {
    const { kubectl } = await cluster();
    expect(await kubectl('logs web -p')).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): previous terminated container "app" in pod "web" not found\n', code: 1 });
    expect(await kubectl('logs nope')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1 });
  });

  it('follows with -f until Ctrl-C', async () => {
    const node = await bootServedNode();
    await node.runPod('ticker', { app: ['sh', '-c', 'echo 1; sleep 1; echo 2; sleep 1; echo 3; sleep 3600'] });
    const { ctx, out } = kubectlContext(node.target, 'logs -f ticker');
    const done = kubectl(ctx);
    await advance(node.clock, 1500);
    expect(out.stdout).toBe('1\n2\n');
    await advance(node.clock, 1500);
    expect(out.stdout).toBe('1\n2\n3\n');
    ctx.interrupt.fire();
    expect(await done).toBe(130);
  });

  it('checks its arguments as kubectl does', async () => {
    const { kubectl } = await cluster();
    const usage = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n";
    expect(await kubectl('logs')).toEqual({ stdout: '', stderr: usage, code: 1 });
    expect(await kubectl('logs a b c')).toEqual({ stdout: '', stderr: usage, code: 1 });
    expect(await kubectl('logs -l app=x foo')).toEqual({ stdout: '', stderr: "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n", code: 1 });
    expect(await kubectl('logs duo b -c a')).toEqual({ stdout: '', stderr: 'error: only one of -c or an inline [CONTAINER] arg is allowed\n', code: 1 });
  });
});

describe('kubectl logs of a pod whose node serves no kubelet', () => {
  it('reports the refused dial as the apiserver words it', async () => {
    const node = await bootServedNode();
    await node.client.resource({ group: '', version: 'v1', resource: 'pods', namespaced: true }).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'far' }, spec: { nodeName: 'node-9', containers: [{ name: 'c', image: 'busybox' }] } });
    const result = await within(node.clock, runKubectl(node.target, 'logs far'));
    expect(result).toEqual({ stdout: '', stderr: 'Error from server: Get "https://node-9:10250/containerLogs/default/far/c": dial tcp node-9:10250: connect: connection refused\n', code: 1 });
  });
});
