import { describe, expect, it } from 'vitest';
import { podProcess } from './testing.ts';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { bootHost } from '../../programs/testing.ts';
import { KernelError } from '../errno.ts';
import { Host } from '../host.ts';
import { CLONE_NEWNET } from '../ns/cloneFlags.ts';
import type { Process } from '../process/process.ts';
import { SIGKILL } from '../process/signal.ts';
import { parseCommand } from './netfilter/commandLine.ts';
import { netfilterOf } from './netfilter/netfilter.ts';
import { UDP_CONNTRACK_TIMEOUT_MS, udpOf, type Datagram, type UdpSocket } from './udp.ts';

const pod = podProcess;

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (d: Datagram) => `${new TextDecoder().decode(d.data)} from ${d.from.address}:${d.from.port}`;
const errno = (p: Promise<unknown>) => p.then(() => 'received', (e: unknown) => (e instanceof KernelError ? e.code : String(e)));
const flush = async () => {
  for (let i = 0; i < 4; i++) await Promise.resolve();
};

/** A server that answers every datagram with its upper-case text, from the socket it came to. */
function upper(socket: UdpSocket, seen: string[] = []): string[] {
  const loop = () =>
    socket.recv().then(
      (d) => {
        seen.push(text(d));
        socket.send(bytes(new TextDecoder().decode(d.data).toUpperCase()), d.from);
        loop();
      },
      () => undefined,
    );
  loop();
  return seen;
}

const iptables = (p: Process, line: string) => netfilterOf(p.nsproxy!.net).execute(parseCommand(line.split(' ')));

describe('Udp', () => {
  it('carries a datagram from the host to a pod and the reply back, with the source addresses recvfrom gives', async () => {
    const host = bootHost();
    const dns = pod(host, '10.244.1.2');
    const udp = udpOf(host);
    const server = udp.socketFor(dns);
    server.bind('0.0.0.0', 53);
    const seen = upper(server);
    const client = udp.socket(host.init.nsproxy!.net);
    client.send(bytes('ping'), { address: '10.244.1.2', port: 53 });
    const reply = await client.recv();
    expect(seen).toEqual([`ping from 10.244.1.1:${client.local!.port}`]);
    expect(text(reply)).toBe('PING from 10.244.1.2:53');
    expect(client.local!.port).toBeGreaterThanOrEqual(32768);
    expect(client.local!.port).toBeLessThanOrEqual(60999);
  });

  it('reports ICMP port unreachable to a connected socket only; an address nobody holds answers nothing', async () => {
    const host = bootHost();
    pod(host, '10.244.1.2');
    const udp = udpOf(host);
    const initial = host.init.nsproxy!.net;
    const connected = udp.socket(initial);
    connected.connect({ address: '10.244.1.2', port: 53 });
    connected.send(bytes('x'));
    expect(await errno(connected.recv())).toBe('ECONNREFUSED');
    connected.send(bytes('x'));
    await flush();
    expect(() => connected.send(bytes('y'))).toThrow(expect.objectContaining({ code: 'ECONNREFUSED' }));

    const unconnected = udp.socket(initial);
    unconnected.send(bytes('x'), { address: '10.244.1.2', port: 53 });
    const waiting = errno(unconnected.recv({ timeoutMs: 5000 }));
    host.clock.advance(4999);
    await flush();
    host.clock.advance(1);
    expect(await waiting).toBe('EAGAIN');

    const lost = udp.socketFor(pod(host, '10.244.1.5'));
    lost.connect({ address: '10.244.1.99', port: 53 });
    lost.send(bytes('x'));
    const nothing = errno(lost.recv({ timeoutMs: 2000 }));
    host.clock.advance(2000);
    expect(await nothing).toBe('EAGAIN');
  });

  it('DNATs a flow to a ClusterIP, keeps the decision in conntrack and un-NATs the replies', async () => {
    const host = bootHost();
    const client = pod(host, '10.244.1.5');
    const dns = pod(host, '10.244.1.3');
    const udp = udpOf(host);
    const server = udp.socketFor(dns);
    server.bind('0.0.0.0', 53);
    const seen = upper(server);
    iptables(host.init, '-t nat -A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.1.3:53');
    const socket = udp.socketFor(client);
    socket.connect({ address: '10.96.0.10', port: 53 });
    socket.send(bytes('one'));
    expect(text(await socket.recv())).toBe('ONE from 10.96.0.10:53');
    expect(seen).toEqual([`one from 10.244.1.5:${socket.local!.port}`]);

    // The rule goes; the flow's entry still translates its datagrams while they keep coming.
    iptables(host.init, '-t nat -F PREROUTING');
    host.clock.advance(UDP_CONNTRACK_TIMEOUT_MS - 1);
    socket.send(bytes('two'));
    expect(text(await socket.recv())).toBe('TWO from 10.96.0.10:53');

    // Idle past udp_timeout_stream, the entry is gone: a new flow to an address nobody holds is lost.
    host.clock.advance(120_000);
    socket.send(bytes('three'));
    const lost = errno(socket.recv({ timeoutMs: 1000 }));
    host.clock.advance(1000);
    expect(await lost).toBe('EAGAIN');
    expect(seen).toHaveLength(2);
  });

  it('makes a filter REJECT an ICMP error and a DROP silence', async () => {
    const host = bootHost();
    const client = pod(host, '10.244.1.5');
    const udp = udpOf(host);
    iptables(host.init, '-A FORWARD -d 10.96.0.20/32 -p udp -j REJECT');
    iptables(host.init, '-A FORWARD -d 10.96.0.21/32 -p udp -j DROP');
    const rejected = udp.socketFor(client);
    rejected.connect({ address: '10.96.0.20', port: 53 });
    rejected.send(bytes('x'));
    expect(await errno(rejected.recv())).toBe('ECONNREFUSED');
    const dropped = udp.socketFor(client);
    dropped.connect({ address: '10.96.0.21', port: 53 });
    dropped.send(bytes('x'));
    const silent = errno(dropped.recv({ timeoutMs: 1000 }));
    host.clock.advance(1000);
    expect(await silent).toBe('EAGAIN');
  });

  it('checks bind, frees the ports of a process that exits, and has no route from a namespace without one', async () => {
    const host = bootHost();
    const dns = pod(host, '10.244.1.2');
    const udp = udpOf(host);
    const netns = dns.nsproxy!.net;
    const a = udp.socketFor(dns);
    a.bind('0.0.0.0', 53);
    expect(() => udp.socketFor(dns).bind('10.244.1.2', 53)).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    expect(() => udp.socketFor(dns).bind('10.244.1.7', 54)).toThrow(expect.objectContaining({ code: 'EADDRNOTAVAIL' }));
    expect(() => a.bind('0.0.0.0', 54)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    const pending = errno(a.recv());
    host.table.signalFromKernel(dns, SIGKILL);
    await flush();
    expect(await pending).toBe('EBADF');
    expect(udp.sockets(netns)).toEqual([]);
    const isolated = host.table.clone(host.init, { flags: CLONE_NEWNET });
    expect(() => udp.socketFor(isolated).send(bytes('x'), { address: '10.244.1.2', port: 53 })).toThrow(expect.objectContaining({ code: 'ENETUNREACH' }));
  });

  it('leaves through the uplink for an address the host does not hold and un-NATs the reply coming back', async () => {
    const clock = new Clock({ startTime: Date.UTC(2026, 0, 1) });
    const boot = (name: string, seed: number) => new Host({ clock, rng: new SeededRng(seed), hostname: name, cpus: 2, memoryBytes: 2 * 1024 ** 3, cgroupVersion: 2 });
    const a = boot('worker-1', 1);
    const b = boot('worker-2', 2);
    a.udp.attachUplink({ datagram: (from, to, data) => (to.address.startsWith('10.244.2.') ? b.udp.receive(from, to, data) : 'unreachable') });
    b.udp.attachUplink({ datagram: (from, to, data) => (to.address.startsWith('10.244.1.') ? a.udp.receive(from, to, data) : 'unreachable') });
    const client = pod(a, '10.244.1.5');
    const dns = pod(b, '10.244.2.3');
    const server = b.udp.socketFor(dns);
    server.bind('0.0.0.0', 53);
    const seen = upper(server);
    iptables(a.init, '-t nat -A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.2.3:53');
    const socket = a.udp.socketFor(client);
    socket.send(bytes('q'), { address: '10.96.0.10', port: 53 });
    expect(text(await socket.recv())).toBe('Q from 10.96.0.10:53');
    expect(seen).toEqual([`q from 10.244.1.5:${socket.local!.port}`]);
    const refused = a.udp.socketFor(client);
    refused.connect({ address: '10.244.2.3', port: 5353 });
    refused.send(bytes('q'));
    expect(await errno(refused.recv())).toBe('ECONNREFUSED');
  });

  it('refuses a send with nowhere to go (EDESTADDRREQ) and a payload over 65,507 bytes (EMSGSIZE)', () => {
    const host = bootHost();
    const socket = udpOf(host).socket(host.init.nsproxy!.net);
    const code = (f: () => void) => {
      try {
        f();
        return 'sent';
      } catch (e) {
        return e instanceof KernelError ? e.code : String(e);
      }
    };
    expect(code(() => socket.send(bytes('x')))).toBe('EDESTADDRREQ');
    expect(code(() => socket.send(new Uint8Array(65_508), { address: '127.0.0.1', port: 53 }))).toBe('EMSGSIZE');
    expect(code(() => socket.send(new Uint8Array(65_507), { address: '127.0.0.1', port: 53 }))).toBe('sent');
  });
});
