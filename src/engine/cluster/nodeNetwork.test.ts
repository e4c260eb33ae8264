import { describe, expect, it } from 'vitest';
import { podProcess } from '../kernel/net/testing.ts';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { KernelError } from '../kernel/errno.ts';
import { Host } from '../kernel/host.ts';
import type { StreamEndpoint } from '../kernel/net/socket.ts';
import { TCP_SYN_TIMEOUT_MS } from '../kernel/net/tcp.ts';
import { NodeNetwork } from './nodeNetwork.ts';

function twoNodes() {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1) });
  const boot = (name: string, seed: number) => new Host({ clock, rng: new SeededRng(seed), hostname: name, cpus: 2, memoryBytes: 2 * 1024 ** 3, cgroupVersion: 2 });
  const a = boot('worker-1', 1);
  const b = boot('worker-2', 2);
  const network = new NodeNetwork();
  network.attach('worker-1', a, '172.18.0.3', '10.244.1.0/24');
  network.attach('worker-2', b, '172.18.0.4', '10.244.2.0/24');
  return { clock, a, b, network };
}

const pod = podProcess;

/** Echo what arrives, upper-cased, and note who connected. */
const upper = (seen: string[]) => (s: StreamEndpoint) => {
  seen.push(`${s.local.address}:${s.local.port} <- ${s.remote.address}`);
  s.receive({ data: (d) => s.write(d.toUpperCase()) });
};

async function roundTrip(client: StreamEndpoint, text: string): Promise<string> {
  let got = '';
  client.receive({ data: (d) => (got += d) });
  client.write(text);
  for (let i = 0; i < 4; i++) await Promise.resolve();
  return got;
}

const failure = async (p: Promise<unknown>) => p.then(() => 'connected', (e: unknown) => (e instanceof KernelError ? e.code : String(e)));

describe('NodeNetwork', () => {
  it("gives each node eth0 with its address and docker's MAC for it", () => {
    const { a } = twoNodes();
    const eth0 = a.init.nsproxy!.net.device('eth0')!;
    expect(eth0.up).toBe(true);
    expect(eth0.address).toBe('02:42:ac:12:00:03');
    expect(eth0.addresses).toEqual([expect.objectContaining({ family: 'inet', local: '172.18.0.3', prefixlen: 16, broadcast: '172.18.255.255' })]);
  });

  it("carries a connection from one node to the other's address, from eth0's address", async () => {
    const { a, b } = twoNodes();
    const seen: string[] = [];
    b.tcp.listenIn(b.init.nsproxy!.net, undefined, '0.0.0.0', 10250, upper(seen));
    const client = await a.tcp.connect(a.init.nsproxy!.net, { address: '172.18.0.4', port: 10250 });
    expect(client.local.address).toBe('172.18.0.3');
    expect(await roundTrip(client, 'hello')).toBe('HELLO');
    expect(seen).toEqual(['172.18.0.4:10250 <- 172.18.0.3']);
    // Both tables hold their end: the client on worker-1, the server on worker-2.
    expect(a.tcp.sockets(a.init.nsproxy!.net).map((s) => s.local.port)).toContain(client.local.port);
    expect(b.tcp.sockets(b.init.nsproxy!.net).some((s) => s.local.port === 10250 && 'remote' in s)).toBe(true);
  });

  it("routes a pod's connection to a pod on the other node by its pod CIDR, from the pod's own IP", async () => {
    const { a, b } = twoNodes();
    const client = pod(a, '10.244.1.5');
    const server = pod(b, '10.244.2.7');
    const seen: string[] = [];
    b.tcp.listen(server, '0.0.0.0', 80, upper(seen));
    const socket = await a.tcp.connect(client.nsproxy!.net, { address: '10.244.2.7', port: 80 });
    expect(await roundTrip(socket, 'get')).toBe('GET');
    expect(seen).toEqual(['10.244.2.7:80 <- 10.244.1.5']);
    expect(await failure(a.tcp.connect(client.nsproxy!.net, { address: '10.244.2.7', port: 81 }))).toBe('ECONNREFUSED');
  });

  it('answers served addresses, refuses their other ports, and leaves unknown ones unanswered', async () => {
    const { clock, a, network } = twoNodes();
    const seen: string[] = [];
    network.serve('172.18.0.2', 6443, upper(seen));
    const from = a.init.nsproxy!.net;
    expect(await roundTrip(await a.tcp.connect(from, { address: '172.18.0.2', port: 6443 }), 'get /')).toBe('GET /');
    expect(seen).toEqual(['172.18.0.2:6443 <- 172.18.0.3']);
    expect(await failure(a.tcp.connect(from, { address: '172.18.0.2', port: 10250 }))).toBe('ECONNREFUSED');
    const lost = failure(a.tcp.connect(from, { address: '172.18.0.99', port: 80 }));
    clock.advance(TCP_SYN_TIMEOUT_MS);
    expect(await lost).toBe('ETIMEDOUT');
  });

  it('times connections out across a partition, both ways, until it heals', async () => {
    const { clock, a, b, network } = twoNodes();
    b.tcp.listenIn(b.init.nsproxy!.net, undefined, '0.0.0.0', 10250, upper([]));
    a.tcp.listenIn(a.init.nsproxy!.net, undefined, '0.0.0.0', 10250, upper([]));
    network.partition('worker-2');
    const out = failure(b.tcp.connect(b.init.nsproxy!.net, { address: '172.18.0.3', port: 10250 }, { timeoutMs: 1000 }));
    const into = failure(a.tcp.connect(a.init.nsproxy!.net, { address: '172.18.0.4', port: 10250 }, { timeoutMs: 1000 }));
    clock.advance(1000);
    expect([await out, await into]).toEqual(['ETIMEDOUT', 'ETIMEDOUT']);
    network.partition('worker-2', false);
    expect(await failure(a.tcp.connect(a.init.nsproxy!.net, { address: '172.18.0.4', port: 10250 }))).toBe('connected');
  });
});
