import { describe, expect, it } from 'vitest';
import { settle } from '../../../runtime/dockerd/testing.ts';
import { bootCriNode, podSandboxConfig, within } from '../../../runtime/cri/testing.ts';
import { scriptRunner } from '../../../testing/hostScripts.ts';

const UID = '7d0c1f0e-2b1a-4c3d-9e8f-0a1b2c3d4e5f';

async function lab() {
  const node = bootCriNode();
  const { cri, clock } = node;
  const run = scriptRunner(node.shell, clock);
  await settle(clock, cri.pullImage({ image: 'busybox' }));
  const sandbox = podSandboxConfig('web', UID);
  const { podSandboxId } = await settle(clock, cri.runPodSandbox({ config: sandbox }));
  const { containerId } = await cri.createContainer({
    podSandboxId,
    sandboxConfig: sandbox,
    config: { metadata: { name: 'app' }, image: { image: 'busybox' }, command: ['sh', '-c', 'echo one; echo two; sleep 3600'], logPath: 'app/0.log', labels: { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default' } },
  });
  await cri.startContainer(containerId);
  await within(clock, new Promise<void>((resolve) => clock.after(120_000, resolve)), 121_000);
  return { ...node, run, podSandboxId, containerId };
}

describe('crictl', () => {
  it('lists pods, containers and images as crictl does', async () => {
    const { run, podSandboxId, containerId } = await lab();
    expect((await run('crictl pods')).stdout).toBe(
      table([['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'], [podSandboxId.slice(0, 13), '2 minutes ago', 'Ready', 'web', 'default', '0', '(default)']]),
    );
    expect((await run('crictl ps')).stdout).toBe(
      table([['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE'], [containerId.slice(0, 13), 'docker.io/library/busybox:latest', '2 minutes ago', 'Running', 'app', '0', podSandboxId.slice(0, 13), 'web', 'default']]),
    );
    const images = (await run('crictl images')).stdout.split('\n');
    expect(images[0]).toBe('IMAGE                       TAG                 IMAGE ID            SIZE');
    expect(images.slice(1, 3).map((l) => l.split(/ +/).slice(0, 2).join(' '))).toEqual(['docker.io/library/busybox latest', 'registry.k8s.io/pause 3.10']);
    expect((await run('crictl ps --name app -q')).stdout).toBe(`${containerId}\n`);
    expect((await run('crictl ps --name ^ap -q')).stdout).toBe(`${containerId}\n`);
    expect((await run('crictl ps --name web -q')).stdout).toBe('');
    expect((await run('crictl pods --name web -q')).stdout).toBe(`${podSandboxId}\n`);
    expect((await run('crictl ps --namespace ^def -q; crictl pods --namespace default -q')).stdout).toBe(`${containerId}\n${podSandboxId}\n`);
    expect((await run('crictl ps --namespace kube-system -q; crictl pods --namespace kube -q')).stdout).toBe('');
    expect((await run(`crictl logs ${containerId.slice(0, 6)}`)).stdout).toBe('one\ntwo\n');
    expect((await run(`crictl logs --tail 1 ${containerId.slice(0, 6)}`)).stdout).toBe('two\n');
    expect((await run(`crictl exec ${containerId.slice(0, 6)} hostname`)).stdout).toBe('web\n');
    expect((await run('crictl version')).stdout).toBe('Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.7.22\nRuntimeApiVersion:  v1\n');
  });

  it('lists only the containers of the sandbox --pod names, by its id or a unique prefix', async () => {
    const { run, cri, clock, podSandboxId, containerId } = await lab();
    const other = podSandboxConfig('db', '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d');
    const { podSandboxId: otherPod } = await settle(clock, cri.runPodSandbox({ config: other }));
    const { containerId: otherContainer } = await cri.createContainer({
      podSandboxId: otherPod,
      sandboxConfig: other,
      config: { metadata: { name: 'db' }, image: { image: 'busybox' }, command: ['sleep', '3600'], logPath: 'db/0.log', labels: { 'io.kubernetes.pod.name': 'db', 'io.kubernetes.pod.namespace': 'default' } },
    });
    await cri.startContainer(otherContainer);
    expect((await run('crictl ps -q')).stdout.split('\n').filter(Boolean).sort()).toEqual([containerId, otherContainer].sort());
    expect((await run(`crictl ps --pod ${podSandboxId} -q`)).stdout).toBe(`${containerId}\n`);
    expect((await run(`crictl ps -p ${otherPod.slice(0, 13)} -q`)).stdout).toBe(`${otherContainer}\n`);
    expect((await run('crictl ps --pod nope -q')).stdout).toBe('');
  });

  it('prints the CRI’s errors and stops and removes pods', async () => {
    const { run, clock, podSandboxId } = await lab();
    const missing = await run('crictl inspect nope');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`time="${new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z')}" level=fatal msg="rpc error: code = NotFound desc = an error occurred when try to find container \\"nope\\": not found"\n`);
    const stopped = run(`crictl stopp ${podSandboxId.slice(0, 13)}`);
    expect((await within(clock, stopped)).stdout).toBe(`Stopped sandbox ${podSandboxId.slice(0, 13)}\n`);
    expect((await run('crictl pods')).stdout).toContain('NotReady');
    expect((await within(clock, run(`crictl rmp ${podSandboxId.slice(0, 13)}`))).stdout).toBe(`Removed sandbox ${podSandboxId.slice(0, 13)}\n`);
    expect((await run('crictl pods -q')).stdout).toBe('');
  });
});

function table(rows: string[][]): string {
  const widths = rows[0]!.slice(0, -1).map((_, i) => Math.max(20, ...rows.map((r) => r[i]!.length + 3)));
  return rows.map((r) => `${r.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join('')}\n`).join('');
}
