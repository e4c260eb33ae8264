import { describe, expect, it } from 'vitest';
import { DnsFormatError, TYPE, TcpFrameReader, buildQuery, decodeMessage, encodeMessage, flags, frameTcp, presentRecord, type DnsMessage, type ResourceRecord } from './dnsMessage.ts';

const rr = (name: string, type: number, data: ResourceRecord['data'], ttl = 30): ResourceRecord => ({ name, type, class: 1, ttl, data });

describe('DNS messages', () => {
  it('packs a query byte for byte as RFC 1035 lays it out', () => {
    const bytes = encodeMessage(buildQuery(0x1234, 'a.b', TYPE.A));
    expect(Array.from(bytes)).toEqual([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 1, 0x62, 0, 0, 1, 0, 1]);
  });

  it.each<[string, ResourceRecord]>([
    ['A', rr('kubernetes.default.svc.cluster.local.', TYPE.A, { kind: 'A', address: '10.96.0.1' })],
    ['AAAA', rr('x.', TYPE.AAAA, { kind: 'AAAA', address: 'fd00::1' })],
    ['SRV', rr('_https._tcp.kubernetes.default.svc.cluster.local.', TYPE.SRV, { kind: 'SRV', priority: 0, weight: 100, port: 443, target: 'kubernetes.default.svc.cluster.local.' })],
    ['PTR', rr('1.0.96.10.in-addr.arpa.', TYPE.PTR, { kind: 'PTR', target: 'kubernetes.default.svc.cluster.local.' })],
    ['SOA', rr('cluster.local.', TYPE.SOA, { kind: 'SOA', mname: 'ns.dns.cluster.local.', rname: 'hostmaster.cluster.local.', serial: 1767225600, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 })],
    ['TXT', rr('dns-version.cluster.local.', TYPE.TXT, { kind: 'TXT', texts: ['1.1.0'] })],
  ])('round-trips %s records, compressed or not', (_name, record) => {
    const m: DnsMessage = { id: 7, flags: flags({ qr: true, aa: true, rd: true }), questions: [{ name: record.name, type: record.type, class: 1 }], answers: [record], authority: [], additional: [] };
    for (const compress of [false, true]) expect(decodeMessage(encodeMessage(m, { compress }))).toEqual(m);
    expect(encodeMessage(m, { compress: true }).length).toBeLessThan(encodeMessage(m).length);
  });

  it('prints records as dig does', () => {
    expect(presentRecord(rr('cluster.local.', TYPE.SOA, { kind: 'SOA', mname: 'ns.dns.cluster.local.', rname: 'hostmaster.cluster.local.', serial: 5, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 }))).toBe('cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 5 7200 1800 86400 30');
  });

  it('rejects cut-short messages and pointer loops', () => {
    const bytes = encodeMessage(buildQuery(1, 'example.com', TYPE.A));
    expect(() => decodeMessage(bytes.slice(0, bytes.length - 1))).toThrow(DnsFormatError);
    const loop = Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => decodeMessage(loop)).toThrow('dns: too many compression pointers');
  });

  it('frames messages for TCP and reassembles them from any chunking', () => {
    const a = encodeMessage(buildQuery(1, 'a.', TYPE.A));
    const b = encodeMessage(buildQuery(2, 'b.', TYPE.SRV));
    const stream = frameTcp(a) + frameTcp(b);
    const reader = new TcpFrameReader();
    const got = [...reader.push(stream.slice(0, 1)), ...reader.push(stream.slice(1, 20)), ...reader.push(stream.slice(20))];
    expect(got.map((m) => decodeMessage(m).id)).toEqual([1, 2]);
  });
});
