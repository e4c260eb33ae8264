import { describe, expect, it } from 'vitest';
import type { PodStatus } from 'kubernetes-types/core/v1';
import { UpgradeFailure, type ApiResponse } from '../../apiserver/http.ts';
import { advance, settle } from '../../runtime/dockerd/testing.ts';
import { bootCriNode, podSandboxConfig, within, type CriNode } from '../../runtime/cri/testing.ts';
import type { ContainerConfig } from '../../runtime/cri/types.ts';
import { KubeletServer, type ResolvedContainer } from './kubeletServer.ts';

const UID = '5f0c3c5e-1d2f-4a5b-8c9d-0e1f2a3b4c5d';

/** A node running pod default/web with the given containers (busybox), and a KubeletServer resolving it. */
async function serve(commands: Record<string, string[]>, previous: Record<string, string[]> = {}) {
  const node = bootCriNode();
  const { cri, clock } = node;
  const sandbox = podSandboxConfig('web', UID);
  await settle(clock, cri.pullImage({ image: 'busybox' }));
  const { podSandboxId } = await settle(clock, cri.runPodSandbox({ config: sandbox }));
  const start = async (name: string, command: string[], attempt: number) => {
    const config: ContainerConfig = { metadata: { name, attempt }, image: { image: 'docker.io/library/busybox:latest' }, command, logPath: `${name}/${attempt}.log` };
    const { containerId } = await cri.createContainer({ podSandboxId, config, sandboxConfig: sandbox });
    await cri.startContainer(containerId);
    return { id: containerId, logPath: (await cri.containerStatus(containerId)).status.logPath };
  };
  const containers = new Map<string, ResolvedContainer>();
  for (const [name, command] of Object.entries(previous)) containers.set(name, { ...(await start(name, command, 0)), previous: undefined });
  await settle(clock, Promise.resolve(), 1000);
  for (const [name, command] of Object.entries(commands)) {
    const before = containers.get(name);
    const current = await start(name, command, before ? 1 : 0);
    containers.set(name, before ? { ...current, previous: { id: before.id, logPath: before.logPath } } : current);
  }
  const server = new KubeletServer({ clock, cri, pods: (ns, name) => (ns === 'default' && name === 'web' ? { uid: UID, sandboxId: podSandboxId, containers } : undefined) });
  return { node, server, containers };
}

/** The text of a streamed body, collected until it ends or `maxMs` of virtual time pass. */
async function collect(node: CriNode, response: ApiResponse, maxMs: number) {
  const stream = response.stream!;
  let text = '';
  let ended = false;
  stream.onData((chunk) => (text += chunk));
  stream.onEnd(() => (ended = true));
  const end = node.clock.now() + maxMs;
  while (!ended && node.clock.now() < end) await advance(node.clock, 10);
  return { text: () => text, ended: () => ended, stream };
}

const logs = (server: KubeletServer, options: Parameters<KubeletServer['containerLogs']>[0]['options'], container = 'app', status?: PodStatus) =>
  server.containerLogs({ namespace: 'default', name: 'web', container, options, ...(status ? { status } : {}) });

describe('KubeletServer: container logs', () => {
  it('reads stdout and stderr in the order they were logged, with tail, timestamps, since and a byte limit', async () => {
    const { node, server } = await serve({ app: ['sh', '-c', 'echo one; echo two >&2; sleep 2; echo three; sleep 3600'] });
    await within(node.clock, Promise.resolve(), 0);
    node.clock.advance(3000);
    await within(node.clock, Promise.resolve(), 0);
    const text = (options: Parameters<typeof logs>[1]) => {
      const r = logs(server, options);
      return [r.status, r.body];
    };
    expect(text({})).toEqual([200, 'one\ntwo\nthree\n']);
    expect(text({ tailLines: 2 })).toEqual([200, 'two\nthree\n']);
    expect(text({ tailLines: 0 })).toEqual([200, '']);
    expect(text({ limitBytes: 6 })).toEqual([200, 'one\ntw']);
    expect(text({ sinceSeconds: 2 })).toEqual([200, 'three\n']);
    const stamped = logs(server, { timestamps: true }).body.split('\n');
    expect(stamped.map((l) => l.replace(/^2026-01-01T09:\d\d:\d\d\.\d{9}Z /, 'T '))).toEqual(['T one', 'T two', 'T three', '']);
    expect(stamped[2]!.slice(0, 30)).toMatch(/^2026-01-01T09:00:0\d\.\d{3}000000Z$/);
  });

  it('follows new lines as they are written and ends when the container exits', async () => {
    const { node, server } = await serve({ app: ['sh', '-c', 'echo a; sleep 1; echo b; sleep 1; echo c'] });
    const response = logs(server, { follow: true });
    expect(response.status).toBe(200);
    const { text, ended } = await collect(node, response, 10_000);
    expect([text(), ended()]).toEqual(['a\nb\nc\n', true]);
  });

  it('stops following when the reader goes away', async () => {
    const { node, server } = await serve({ app: ['sh', '-c', 'echo a; sleep 1; echo b; sleep 3600'] });
    const response = logs(server, { follow: true, tailLines: 1 });
    const { text, ended, stream } = await collect(node, response, 1500);
    expect([text(), ended()]).toEqual(['a\nb\n', false]);
    stream.stop();
    await advance(node.clock, 1000);
    expect([text(), ended()]).toEqual(['a\nb\n', true]);
  });

  it('serves the previous instance’s log, and refuses what it cannot serve with the kubelet’s words', async () => {
    const { server } = await serve({ app: ['sh', '-c', 'echo second; sleep 3600'], side: ['sleep', '3600'] }, { app: ['sh', '-c', 'echo first'] });
    expect(logs(server, { previous: true }).body).toBe('first\n');
    expect([logs(server, {}).body]).toEqual(['second\n']);
    expect([logs(server, { previous: true }, 'side').status, logs(server, { previous: true }, 'side').body]).toEqual([400, 'previous terminated container "side" in pod "web" not found']);
    expect([logs(server, {}, 'nope').status, logs(server, {}, 'nope').body]).toEqual([400, 'container "nope" in pod "web" is not available']);
    const other = server.containerLogs({ namespace: 'default', name: 'db', container: 'app', options: {} });
    expect([other.status, other.body]).toEqual([404, 'pod "db" does not exist']);
    const waiting: PodStatus = { containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] };
    expect(logs(server, {}, 'app', waiting).body).toBe('container "app" in pod "web" is waiting to start: ContainerCreating');
  });
});

describe('KubeletServer: exec and attach', () => {
  const streams = { stdin: false, stdout: true, stderr: true, tty: false };
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: { write: (t: string) => void (out.stdout += t) }, stderr: { write: (t: string) => void (out.stderr += t) } } };
  };

  it('runs a command through the CRI’s Exec and passes its exit code back as remotecommand’s Status', async () => {
    const { node, server } = await serve({ app: ['sleep', '3600'] });
    const response = server.exec({ namespace: 'default', name: 'web', container: 'app', ...streams, command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(response.status).toBe(101);
    const { out, io: sinks } = io();
    const status = await within(node.clock, response.connection!.open(sinks));
    expect({ out, status }).toEqual({
      out: { stdout: 'out\n', stderr: 'err\n' },
      status: { status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 3], exit code 3', details: { causes: [{ reason: 'ExitCode', message: '3' }] } },
    });
    const ok = server.exec({ namespace: 'default', name: 'web', container: 'app', ...streams, command: ['true'] });
    expect(await within(node.clock, ok.connection!.open(io().io))).toEqual({ status: 'Success' });
  });

  it('reports a command the runtime cannot start as an InternalError', async () => {
    const { node, server } = await serve({ app: ['sleep', '3600'] });
    const response = server.exec({ namespace: 'default', name: 'web', container: 'app', ...streams, command: ['nosuch'] });
    const status = await within(node.clock, response.connection!.open(io().io));
    expect([status.status, status.reason, status.code]).toEqual(['Failure', 'InternalError', 500]);
    // The rest of the text is the runtime's (runtime/cri): only the kubelet's wrapping is asserted here.
    expect(status.message).toMatch(/^Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: .*exec: "nosuch": executable file not found in \$PATH: unknown$/);
  });

  it('refuses a container that is unknown or not running: container not found', async () => {
    const { node, server } = await serve({ app: ['true'] });
    node.clock.advance(1000);
    await within(node.clock, Promise.resolve(), 0);
    const unknown = server.exec({ namespace: 'default', name: 'web', container: 'x', ...streams, command: ['ls'] });
    expect([unknown.status, unknown.body]).toEqual([500, 'container not found ("x")']);
    const exited = server.exec({ namespace: 'default', name: 'web', container: 'app', ...streams, command: ['ls'] });
    await expect(within(node.clock, exited.connection!.open(io().io))).rejects.toEqual(new UpgradeFailure(500, 'container not found ("app")'));
  });

  it('attaches to a container’s output until it exits', async () => {
    const { node, server } = await serve({ app: ['sh', '-c', 'echo before; sleep 1; echo after; echo oops >&2; sleep 1'] });
    const response = server.attach({ namespace: 'default', name: 'web', container: 'app', ...streams });
    const { out, io: sinks } = io();
    const status = await within(node.clock, response.connection!.open(sinks));
    expect({ out, status }).toEqual({ out: { stdout: 'after\n', stderr: 'oops\n' }, status: { status: 'Success' } });
  });
});
