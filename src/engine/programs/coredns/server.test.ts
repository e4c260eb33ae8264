import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { RCODE, TYPE, buildQuery, decodeMessage, encodeMessage, type DnsMessage } from './dnsMessage.ts';
import { Metrics } from './metrics.ts';
import { DnsServer } from './server.ts';

function server() {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1) });
  const logs: string[] = [];
  const metrics = new Metrics();
  const dns = new DnsServer(
    { address: 'dns://:53', zone: '.', errors: true, loadbalance: true, cache: { successCap: 30, denialCap: 30, disableSuccess: ['cluster.local.'], disableDenial: ['cluster.local.'] }, kubernetes: undefined, forward: { from: '.', to: ['172.18.0.1:53'] } },
    { now: () => clock.now(), after: (ms, fn) => void clock.after(ms, fn), rng: new SeededRng(1), metrics, log: (l) => logs.push(l), localIP: () => '10.244.1.3' },
  );
  return { clock, logs, metrics, dns };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('the plugin chain', () => {
  it('SERVFAILs after forward’s 5s of tries, logs it, and serves the SERVFAIL from cache for 5s', async () => {
    const { clock, logs, metrics, dns } = server();
    let reply: DnsMessage | undefined;
    void dns.handleQuery(encodeMessage(buildQuery(9, 'example.com', TYPE.A))).then((b) => (reply = decodeMessage(b)));
    clock.advance(5999);
    await settle();
    expect(reply).toBeUndefined();
    clock.advance(1);
    await settle();
    expect(reply!.flags).toMatchObject({ qr: true, rd: true, aa: false, rcode: RCODE.SERVFAIL });
    expect(logs).toEqual([expect.stringMatching(/^\[ERROR\] plugin\/errors: 2 example\.com\. A: read udp 10\.244\.1\.3:\d+->172\.18\.0\.1:53: i\/o timeout$/)]);
    expect(metrics.get('coredns_cache_misses_total', { server: 'dns://:53', view: '', zones: '.' })).toBe(1);

    const cached = await dns.handleQuery(encodeMessage(buildQuery(10, 'example.com', TYPE.A)));
    expect(decodeMessage(cached)).toMatchObject({ id: 10, flags: { rcode: RCODE.SERVFAIL } });
    expect(metrics.get('coredns_cache_hits_total', { server: 'dns://:53', type: 'denial', view: '', zones: '.' })).toBe(1);
    expect(logs).toHaveLength(1);
    clock.advance(5000);
    dns.updateCacheGauges();
    expect(metrics.get('coredns_cache_entries', { server: 'dns://:53', type: 'denial', view: '', zones: '.' })).toBe(0);
  });

  it('answers FORMERR to what it cannot read, NOTIMP to other opcodes', async () => {
    const { dns } = server();
    expect(decodeMessage(await dns.handleQuery(Uint8Array.from([0, 7, 1])))).toMatchObject({ id: 7, flags: { rcode: RCODE.FORMERR } });
    const notify = buildQuery(3, 'example.com', TYPE.SOA);
    notify.flags.opcode = 4;
    expect(decodeMessage(await dns.handleQuery(encodeMessage(notify))).flags.rcode).toBe(RCODE.NOTIMP);
  });
});
