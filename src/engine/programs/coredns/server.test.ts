import { describe, expect, it } from 'vitest';
import { advanceSettled } from '../../base/advance.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { CLONE_NEWNET } from '../../kernel/ns/cloneFlags.ts';
import { IFF, NetDevice } from '../../kernel/ns/netDevice.ts';
import { bootHost } from '../testing.ts';
import { MIN_UDP_SIZE, RCODE, TYPE, buildQuery, decodeMessage, encodeMessage, packTruncated, type DnsMessage } from './dnsMessage.ts';
import { Metrics } from './metrics.ts';
import { DnsServer } from './server.ts';

/** A process in a pod's network namespace (eth0 holding 10.244.1.3) on a test host, for forward's sockets. */
function podProcess() {
  const host = bootHost();
  const p = host.table.clone(host.init, { flags: CLONE_NEWNET });
  const netns = p.nsproxy!.net;
  netns.device('lo')!.setUp(true);
  const eth = new NetDevice({ name: 'eth0', linkType: 'ether', flags: IFF.BROADCAST | IFF.MULTICAST, mtu: 1500, address: '0a:58:0a:f4:01:03', broadcast: 'ff:ff:ff:ff:ff:ff' });
  netns.addDevice(eth);
  eth.setUp(true);
  eth.addAddress({ family: 'inet', local: '10.244.1.3', prefixlen: 24, scope: 'global' });
  return { host, process: p };
}

function server(upstream = '172.18.0.1:53') {
  const { host, process } = podProcess();
  const clock = host.clock;
  const logs: string[] = [];
  const metrics = new Metrics();
  const dns = new DnsServer(
    { address: 'dns://:53', zone: '.', errors: true, loadbalance: true, cache: { successCap: 30, denialCap: 30, disableSuccess: ['cluster.local.'], disableDenial: ['cluster.local.'] }, kubernetes: undefined, forward: { from: '.', to: [upstream] } },
    { now: () => clock.now(), after: (ms, fn) => void clock.after(ms, fn), rng: new SeededRng(1), metrics, log: (l) => logs.push(l), localIP: () => '10.244.1.3', udpSocket: () => host.udp.socketFor(process) },
  );
  return { host, process, clock, logs, metrics, dns };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('the plugin chain', () => {
  it('SERVFAILs after forward’s 5s of tries, logs it, and serves the SERVFAIL from cache for 5s', async () => {
    const { clock, logs, metrics, dns } = server();
    let reply: DnsMessage | undefined;
    void dns.handleQuery(encodeMessage(buildQuery(9, 'example.com', TYPE.A))).then((b) => (reply = decodeMessage(b)));
    await advanceSettled(clock, 5999, settle);
    expect(reply).toBeUndefined();
    await advanceSettled(clock, 1, settle);
    expect(reply!.flags).toMatchObject({ qr: true, rd: true, aa: false, rcode: RCODE.SERVFAIL });
    expect(logs).toEqual([expect.stringMatching(/^\[ERROR\] plugin\/errors: 2 example\.com\. A: read udp 10\.244\.1\.3:\d+->172\.18\.0\.1:53: i\/o timeout$/)]);
    expect(metrics.get('coredns_cache_misses_total', { server: 'dns://:53', view: '', zones: '.' })).toBe(1);

    const cached = await dns.handleQuery(encodeMessage(buildQuery(10, 'example.com', TYPE.A)));
    expect(decodeMessage(cached)).toMatchObject({ id: 10, flags: { rcode: RCODE.SERVFAIL } });
    expect(metrics.get('coredns_cache_hits_total', { server: 'dns://:53', type: 'denial', view: '', zones: '.' })).toBe(1);
    expect(logs).toHaveLength(1);
    await advanceSettled(clock, 5000, settle);
    dns.updateCacheGauges();
    expect(metrics.get('coredns_cache_entries', { server: 'dns://:53', type: 'denial', view: '', zones: '.' })).toBe(0);
  });

  it('forwards over UDP: the upstream’s answer is the reply, a refusal ends the tries at once', async () => {
    const { host, process, logs, dns } = server('10.244.1.3:5353');
    const upstream = host.udp.socketFor(process);
    upstream.bind('0.0.0.0', 5353);
    void upstream.recv().then(({ data, from }) => {
      const q = decodeMessage(data);
      upstream.send(encodeMessage({ ...q, flags: { ...q.flags, qr: true, ra: true }, answers: [{ name: 'example.com.', type: TYPE.A, class: 1, ttl: 300, data: { kind: 'A', address: '93.184.216.34' } }] }), from);
    });
    const reply = decodeMessage(await dns.handleQuery(encodeMessage(buildQuery(9, 'example.com', TYPE.A))));
    expect(reply).toMatchObject({ id: 9, flags: { ra: true, rcode: RCODE.NOERROR }, answers: [{ data: { address: '93.184.216.34' } }] });
    upstream.close();
    const failed = decodeMessage(await dns.handleQuery(encodeMessage(buildQuery(10, 'example.org', TYPE.A))));
    expect(failed.flags.rcode).toBe(RCODE.SERVFAIL);
    expect(logs).toEqual([expect.stringMatching(/^\[ERROR\] plugin\/errors: 2 example\.org\. A: read udp 10\.244\.1\.3:\d+->10\.244\.1\.3:5353: read: connection refused$/)]);
  });

  it('cuts a reply to 512 bytes (or the EDNS0 size) with TC, as miekg/dns’s Truncate', () => {
    const answers = Array.from({ length: 40 }, (_, i) => ({ name: 'web.default.svc.cluster.local.', type: TYPE.A, class: 1, ttl: 5, data: { kind: 'A' as const, address: `10.244.1.${i + 1}` } }));
    const reply: DnsMessage = { ...buildQuery(1, 'web.default.svc.cluster.local', TYPE.A), answers };
    reply.flags.qr = true;
    const cut = decodeMessage(packTruncated(reply, 0));
    expect(packTruncated(reply, 0).length).toBeLessThanOrEqual(MIN_UDP_SIZE);
    expect(cut.flags.tc).toBe(true);
    expect(cut.answers.length).toBeGreaterThan(20);
    expect(cut.answers.length).toBeLessThan(40);
    const whole = decodeMessage(packTruncated(reply, 4096));
    expect(whole.flags.tc).toBe(false);
    expect(whole.answers).toHaveLength(40);
  });

  it('answers FORMERR to what it cannot read, NOTIMP to other opcodes', async () => {
    const { dns } = server();
    expect(decodeMessage(await dns.handleQuery(Uint8Array.from([0, 7, 1])))).toMatchObject({ id: 7, flags: { rcode: RCODE.FORMERR } });
    const notify = buildQuery(3, 'example.com', TYPE.SOA);
    notify.flags.opcode = 4;
    expect(decodeMessage(await dns.handleQuery(encodeMessage(notify))).flags.rcode).toBe(RCODE.NOTIMP);
  });
});
