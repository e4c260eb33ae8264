import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../base/seededRng.ts';
import { Loopback, type Connection } from '../../cluster/loopback.ts';
import { NGINX_INDEX_HTML } from '../registry/catalogue/nginxFiles.ts';
import { advanceSettled } from '../../base/advance.ts';
import type { Clock } from '../../base/clock.ts';
import { settle } from '../dockerd/testing.ts';
import { CriError } from './criError.ts';
import { StreamingError } from './streamingServer.ts';
import { bootCriNode, podSandboxConfig } from './testing.ts';

const UID = '7d3f0b9e-2c4a-4e1b-9f6d-5a8c0e2b1d47';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run the clock in 10 ms steps, letting the programs' shells run, until `promise` settles. */
async function within<T>(clock: Clock, promise: Promise<T>, maxMs: number): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let t = 0; !done && t < maxMs; t += 10) await advanceSettled(clock, 10, yieldToHost);
  return promise;
}

/** A node running pod `web` with nginx listening on :80 in its network namespace. */
async function nginxPod() {
  const node = bootCriNode();
  const { cri, clock } = node;
  await settle(clock, cri.pullImage({ image: 'nginx' }));
  const sandbox = podSandboxConfig('web', UID);
  const { podSandboxId } = await settle(clock, cri.runPodSandbox({ config: sandbox }));
  const config = { metadata: { name: 'web', attempt: 0 }, image: { image: 'docker.io/library/nginx:latest' }, logPath: 'web/0.log' };
  const { containerId } = await cri.createContainer({ podSandboxId, config, sandboxConfig: sandbox });
  await cri.startContainer(containerId);
  await advanceSettled(clock, 3000, yieldToHost);
  return { ...node, podSandboxId };
}

/** A client's end and the stream the forwarder gets, joined through a loopback. */
async function streamPair(): Promise<{ client: Connection; server: Connection }> {
  const loopback = new Loopback(new SeededRng(1));
  let server: Connection | undefined;
  loopback.listen('127.0.0.1', 9000, (s) => (server = s));
  const client = await loopback.connect('127.0.0.1', 9000);
  await Promise.resolve();
  return { client, server: server! };
}

function read(conn: Connection): { text: () => string; ended: () => boolean } {
  let text = '';
  let ended = false;
  conn.receive({ data: (c) => void (text += c), end: () => void (ended = true) });
  return { text: () => text, ended: () => ended };
}

describe('CRI PortForward', () => {
  it("forwards a stream to localhost:80 in the sandbox's network namespace, where nginx answers", async () => {
    const { cri, clock, podSandboxId } = await nginxPod();
    const { url } = await cri.portForward({ podSandboxId, port: [80] });
    expect(url).toMatch(new RegExp(`^${cri.streaming.baseUrl}/portforward/[A-Za-z0-9_-]{8}$`));
    const forward = cri.streaming.connectPortForward(url);
    const { client, server } = await streamPair();
    const reply = read(client);
    const done = forward(80, server);
    client.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await within(clock, done, 5000);
    expect(reply.text()).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\n/);
    expect(reply.text().endsWith(`\r\n\r\n${NGINX_INDEX_HTML}`)).toBe(true);
    expect(reply.ended()).toBe(true);
    // The URL is good for one connection.
    expect(() => cri.streaming.connectPortForward(url)).toThrow(StreamingError);
  });

  it('fails a stream to a port nothing listens on with containerd’s words, and refuses unknown sandboxes', async () => {
    const { cri, clock, podSandboxId, host } = await nginxPod();
    const forward = cri.streaming.connectPortForward((await cri.portForward({ podSandboxId })).url);
    const { server } = await streamPair();
    const netns = host.vfsFor(host.init).readdir('/var/run/netns')[0]?.name;
    await expect(within(clock, forward(8080, server), 1000)).rejects.toThrow(
      `failed to execute portforward in network namespace "/var/run/netns/${netns}": failed to connect to localhost:8080 inside namespace "${podSandboxId}", IPv4: dial tcp4 127.0.0.1:8080: connect: connection refused IPv6 dial tcp6 [::1]:8080: connect: connection refused `,
    );
    await expect(cri.portForward({ podSandboxId: 'nope' })).rejects.toEqual(new CriError('NotFound', 'failed to find sandbox "nope": an error occurred when try to find sandbox "nope": not found'));
    await expect(cri.portForward({ podSandboxId: '' })).rejects.toEqual(new CriError('InvalidArgument', 'missing required pod_sandbox_id'));
    await cri.stopPodSandbox(podSandboxId);
    await expect(cri.portForward({ podSandboxId })).rejects.toEqual(new CriError('Unknown', 'sandbox container is not running'));
  });
});
