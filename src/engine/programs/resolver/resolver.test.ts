import { describe, expect, it } from 'vitest';
import { advanceSettled } from '../../base/advance.ts';
import { SeededRng } from '../../base/seededRng.ts';
import type { Host } from '../../kernel/host.ts';
import { CLONE_NEWNET } from '../../kernel/ns/cloneFlags.ts';
import { IFF, NetDevice } from '../../kernel/ns/netDevice.ts';
import type { Process } from '../../kernel/process/process.ts';
import { RCODE, TYPE, decodeMessage, encodeMessage } from '../coredns/dnsMessage.ts';
import { bootHost } from '../testing.ts';
import { getaddrinfo, parseResolvConf, searchList, type Libc, type Lookup, type ResolverEnv } from './resolver.ts';

function pod(host: Host, ip: string): Process {
  const p = host.table.clone(host.init, { flags: CLONE_NEWNET });
  const netns = p.nsproxy!.net;
  netns.device('lo')!.setUp(true);
  const eth = new NetDevice({ name: 'eth0', linkType: 'ether', flags: IFF.BROADCAST | IFF.MULTICAST, mtu: 1500, address: '0a:58:0a:f4:01:02', broadcast: 'ff:ff:ff:ff:ff:ff' });
  netns.addDevice(eth);
  eth.setUp(true);
  eth.addAddress({ family: 'inet', local: ip, prefixlen: 24, scope: 'global' });
  return p;
}

const POD_RESOLV_CONF = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.244.1.53\noptions ndots:5\n';

/** A nameserver on 10.244.1.53:53 that knows `records` (name → address) and logs every question. */
function world(libc: Libc, files: Record<string, string>, records: Record<string, string> = {}, serve = true) {
  const host = bootHost();
  const client = pod(host, '10.244.1.5');
  const asked: string[] = [];
  const dns = pod(host, '10.244.1.53');
  if (serve) {
    const socket = host.udp.socketFor(dns);
    socket.bind('0.0.0.0', 53);
    const loop = (): void => {
      void socket.recv().then(({ data, from }) => {
        const q = decodeMessage(data);
        const question = q.questions[0]!;
        asked.push(`${question.name} ${question.type === TYPE.A ? 'A' : 'AAAA'}`);
        const address = records[question.name];
        const answers = address && question.type === TYPE.A ? [{ name: question.name, type: TYPE.A, class: 1, ttl: 5, data: { kind: 'A' as const, address } }] : [];
        socket.send(encodeMessage({ ...q, flags: { ...q.flags, qr: true, aa: true, rcode: address ? RCODE.NOERROR : RCODE.NXDOMAIN }, answers }), from);
        loop();
      });
    };
    loop();
  }
  const env: ResolverEnv = { libc, readFile: (path) => files[path], udpSocket: () => host.udp.socketFor(client), now: () => host.clock.now(), rng: new SeededRng(3) };
  return { host, env, asked };
}

describe('resolv.conf and the names tried', () => {
  it('reads nameservers, the last search line and the options, with the defaults and caps', () => {
    expect(parseResolvConf(POD_RESOLV_CONF)).toEqual({ nameservers: ['10.244.1.53'], search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5, timeout: 5, attempts: 2 });
    expect(parseResolvConf(undefined)).toEqual({ nameservers: ['127.0.0.1'], search: [], ndots: 1, timeout: 5, attempts: 2 });
    expect(parseResolvConf('domain a.example\nsearch b.example\nnameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\nnameserver 4.4.4.4\noptions ndots:20 timeout:60 attempts:9 rotate\n')).toEqual({ nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], search: ['b.example'], ndots: 15, timeout: 30, attempts: 5 });
  });

  const conf = parseResolvConf(POD_RESOLV_CONF);
  it.each([
    ['web', 'glibc', ['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']],
    ['web', 'musl', ['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']],
    ['a.b.c.d.e.f', 'glibc', ['a.b.c.d.e.f', 'a.b.c.d.e.f.default.svc.cluster.local', 'a.b.c.d.e.f.svc.cluster.local', 'a.b.c.d.e.f.cluster.local']],
    ['a.b.c.d.e.f', 'musl', ['a.b.c.d.e.f']],
    ['example.com.', 'glibc', ['example.com']],
  ] as const)('%s under %s', (name, libc, expected) => {
    expect(searchList(name, conf, libc)).toEqual(expected);
  });
});

describe('getaddrinfo', () => {
  it('answers from /etc/hosts first, without asking DNS', async () => {
    const { env, asked } = world('glibc', { '/etc/hosts': '127.0.0.1\tlocalhost\n10.244.1.5\tbox\n', '/etc/resolv.conf': POD_RESOLV_CONF });
    expect(await getaddrinfo('box', env)).toEqual({ kind: 'found', addresses: ['10.244.1.5'], canonical: 'box' });
    expect(asked).toEqual([]);
  });

  it.each(['glibc', 'musl'] as const)('finds a short name through the search domains with ndots:5 (%s)', async (libc) => {
    const { env, asked } = world(libc, { '/etc/resolv.conf': POD_RESOLV_CONF }, { 'web.svc.cluster.local.': '10.96.0.80' });
    expect(await getaddrinfo('web', env)).toEqual({ kind: 'found', addresses: ['10.96.0.80'], canonical: 'web.svc.cluster.local' });
    expect(asked).toEqual(['web.default.svc.cluster.local. A', 'web.svc.cluster.local. A']);
  });

  it('asks A and AAAA together for AF_UNSPEC, and says EAI_NONAME after every name was NXDOMAIN', async () => {
    const { env, asked } = world('glibc', { '/etc/resolv.conf': POD_RESOLV_CONF });
    expect(await getaddrinfo('nosuch', env, { family: 'unspec' })).toEqual({ kind: 'notfound' });
    expect(asked).toEqual([
      'nosuch.default.svc.cluster.local. A', 'nosuch.default.svc.cluster.local. AAAA',
      'nosuch.svc.cluster.local. A', 'nosuch.svc.cluster.local. AAAA',
      'nosuch.cluster.local. A', 'nosuch.cluster.local. AAAA',
      'nosuch. A', 'nosuch. AAAA',
    ]);
  });

  it.each([
    ['glibc', 9_999, 10_000],
    ['musl', 4_999, 5_000],
  ] as const)('gives up on a silent nameserver with EAI_AGAIN (%s: after %i ms, not before)', async (libc, before, after) => {
    const { host, env } = world(libc, { '/etc/resolv.conf': 'nameserver 10.244.1.99\n' });
    let result: Lookup | undefined;
    void getaddrinfo('example.com', env).then((r) => (result = r));
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    await advanceSettled(host.clock, before, settle);
    expect(result).toBeUndefined();
    await advanceSettled(host.clock, after - before, settle);
    expect(result).toEqual({ kind: 'again' });
  });

  it('fails at once with EAI_AGAIN when the nameserver port is closed (ICMP port unreachable)', async () => {
    const { env } = world('glibc', { '/etc/resolv.conf': 'nameserver 10.244.1.53\n' }, {}, false);
    expect(await getaddrinfo('example.com', env)).toEqual({ kind: 'again' });
  });
});
