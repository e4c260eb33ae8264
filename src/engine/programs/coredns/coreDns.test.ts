import { describe, expect, it } from 'vitest';
import { addonConfigData } from '../../cluster/kubeadm.ts';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { advanceSettled } from '../../base/advance.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { ADMIN_USER, KubeApiserver } from '../../apiserver/kubeApiserver.ts';
import { Etcd3Storage } from '../../apiserver/storage/etcd3.ts';
import { Etcd } from '../../etcd/index.ts';
import { RESOURCES } from '../../client/resources.ts';
import type { ApiTransportFactory } from '../../client/rest/apiTransport.ts';
import { RestClient } from '../../client/rest/restClient.ts';
import { InProcessTransport, type Transport } from '../../client/rest/transport.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import { formatRequest, MessageReader } from '../../kernel/net/http1.ts';
import { IFF, NetDevice } from '../../kernel/ns/netDevice.ts';
import { SIGTERM } from '../../kernel/process/signal.ts';
import { bootHost, runContainer } from '../testing.ts';
import { CoreDns } from './coreDns.ts';
import { RCODE, TYPE, TcpFrameReader, buildQuery, decodeMessage, encodeMessage, frameTcp, presentRecord, type DnsMessage } from './dnsMessage.ts';

/** kubeadm's Corefile, as the coredns ConfigMap holds it. */
const COREFILE = addonConfigData('coredns', '172.18.0.2:6443')['Corefile']!;
const ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=coredns-abc', 'KUBERNETES_SERVICE_HOST=10.96.0.1', 'KUBERNETES_SERVICE_PORT=443'];

/** A host running an apiserver on its clock, with CoreDNS installed at /coredns and its files in place. */
function lab(options: { reachable?: () => boolean; corefile?: string } = {}) {
  const host = bootHost();
  const rng = new SeededRng(11);
  const api = new KubeApiserver({ clock: host.clock, rng, storage: new Etcd3Storage(new Etcd({ clock: host.clock, rng })), serverAddress: '172.18.0.2:6443' });
  api.authenticator.add('admin', ADMIN_USER);
  api.authenticator.add('sa-token', { username: 'system:serviceaccount:kube-system:coredns', groups: ['system:masters'] });
  const tokens: string[] = [];
  const factory: ApiTransportFactory = (_process, server, opts) => {
    expect(server).toEqual({ address: '10.96.0.1', port: 443 });
    const transport: Transport = {
      request: (request) => {
        if (options.reachable && !options.reachable()) {
          return new Promise((_resolve, reject) => host.clock.after(30_000, () => reject(new KernelError('ETIMEDOUT')), 'dial'));
        }
        const token = opts.token() ?? '';
        tokens.push(token);
        return new InProcessTransport(api, token, opts.userAgent).request(request);
      },
    };
    return transport;
  };
  host.programs.register('coredns', () => new CoreDns(host, factory));
  host.installProgram('/coredns', 'coredns');
  // The node's eth0 on the kind network: the upstream 172.18.0.1 is routed there, and nothing answers.
  const eth0 = new NetDevice({ name: 'eth0', linkType: 'ether', flags: IFF.BROADCAST | IFF.MULTICAST, mtu: 1500, address: '02:42:ac:12:00:03', broadcast: 'ff:ff:ff:ff:ff:ff' });
  host.init.nsproxy!.net.addDevice(eth0);
  eth0.setUp(true);
  eth0.addAddress({ family: 'inet', local: '172.18.0.3', prefixlen: 16, scope: 'global' });
  const vfs = host.vfsFor(host.init);
  vfs.mkdirAll('/etc/coredns');
  vfs.writeFile('/etc/coredns/Corefile', options.corefile ?? COREFILE);
  vfs.writeFile('/etc/resolv.conf', 'nameserver 172.18.0.1\n');
  vfs.mkdirAll('/var/run/secrets/kubernetes.io/serviceaccount');
  vfs.writeFile('/var/run/secrets/kubernetes.io/serviceaccount/token', 'sa-token\n');
  const admin = new RestClient(new InProcessTransport(api, 'admin'));
  const run = (ms: number) => advanceSettled(host.clock, ms, () => new Promise((resolve) => setImmediate(resolve)));
  return { host, api, admin, run, tokens };
}

/** One DNS query over TCP to 127.0.0.1:53, its reply decoded (or undefined while none has come). */
async function dig(host: Host, name: string, type: number): Promise<{ reply: () => DnsMessage | undefined }> {
  const socket = await host.tcp.connect(host.init.nsproxy!.net, { address: '127.0.0.1', port: 53 });
  const reader = new TcpFrameReader();
  let reply: DnsMessage | undefined;
  socket.receive({ data: (chunk) => reader.push(chunk).forEach((m) => (reply = decodeMessage(m))) });
  socket.write(frameTcp(encodeMessage(buildQuery(4242, name, type))));
  return { reply: () => reply };
}

async function query(host: Host, run: (ms: number) => Promise<unknown>, name: string, type: number): Promise<DnsMessage> {
  const q = await dig(host, name, type);
  await run(0);
  return q.reply()!;
}

async function httpGet(host: Host, port: number, path: string): Promise<{ status: number; body: string }> {
  const socket = await host.tcp.connect(host.init.nsproxy!.net, { address: '127.0.0.1', port });
  const reader = new MessageReader('response');
  const got = new Promise<{ status: number; body: string }>((resolve) => socket.receive({ data: (c) => reader.push(c).forEach((m) => resolve({ status: Number(m.start[1]), body: m.body })) }));
  socket.write(formatRequest({ method: 'GET', target: path, version: 'HTTP/1.1', headers: [['Host', `127.0.0.1:${port}`], ['User-Agent', 'kube-probe/1.32']], body: '' }));
  return got;
}

const lines = (m: DnsMessage) => [...m.answers, ...m.authority, ...m.additional].map(presentRecord);

async function withServices(admin: RestClient) {
  await admin.resource(RESOURCES.services).create('default', { metadata: { name: 'web' }, spec: { clusterIP: '10.96.100.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: 'web' } } });
  await admin.resource(RESOURCES.services).create('default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }], selector: { app: 'db' } } });
  await admin.resource(RESOURCES.endpointslices).create('default', {
    metadata: { name: 'db-abc', labels: { 'kubernetes.io/service-name': 'db' } },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.244.2.7'], conditions: { ready: true } },
      { addresses: ['10.244.2.9'], conditions: { ready: false } },
    ],
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
  });
}

describe('coredns', () => {
  it('prints its version, and the flag package’s error for an unknown flag', () => {
    const { host } = lab();
    const v = runContainer(host, ['/coredns', '-version'], { env: ENV });
    expect(v.stdio.out).toBe('CoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n');
    expect(v.process.exitStatus).toBe(0);
    const bad = runContainer(host, ['/coredns', '-foo'], { env: ENV, name: 'bad' });
    expect(bad.stdio.err).toBe(
      'flag provided but not defined: -foo\nUsage of /coredns:\n' +
        '  -conf string\n    \tCorefile to load (default "Corefile")\n' +
        '  -dns.port string\n    \tDefault port (default "53")\n' +
        '  -p string\n    \tDefault port (default "53")\n' +
        '  -pidfile string\n    \tPath to write pid file\n' +
        '  -plugins\n    \tList installed plugins\n' +
        '  -quiet\n    \tQuiet mode (no initialization output)\n' +
        '  -version\n    \tShow version\n',
    );
    expect(bad.process.exitStatus).toBe(2 << 8);
  });

  it('exits 1 with CoreDNS’s message for a Corefile error', () => {
    const { host } = lab({ corefile: '.:53 {\n    errors\n    foo\n}\n' });
    const ctr = runContainer(host, ['/coredns', '-conf', '/etc/coredns/Corefile'], { env: ENV });
    expect(ctr.stdio.err).toBe("/etc/coredns/Corefile:3 - Error during parsing: Unknown directive 'foo'\n");
    expect(ctr.process.exitStatus).toBe(1 << 8);
  });

  it('starts once the API has synced, then answers A, SRV, PTR, pods and NXDOMAIN over TCP', async () => {
    const { host, admin, run, tokens } = lab();
    await withServices(admin);
    const ctr = runContainer(host, ['/coredns', '-conf', '/etc/coredns/Corefile'], { env: ENV });
    await run(100);
    expect(ctr.stdio.out).toBe(`.:53\n[INFO] plugin/reload: Running configuration SHA512 = ${bytesToHex(sha512(new TextEncoder().encode(COREFILE)))}\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n`);
    expect(tokens.every((t) => t === 'sa-token')).toBe(true);

    const web = await query(host, run, 'web.default.svc.cluster.local', TYPE.A);
    expect(web.flags).toMatchObject({ qr: true, aa: true, rd: true, ra: false, rcode: RCODE.NOERROR });
    expect(lines(web)).toEqual(['web.default.svc.cluster.local.\t30\tIN\tA\t10.96.100.10']);
    const kubernetes = await query(host, run, 'kubernetes.default.svc.cluster.local', TYPE.A);
    expect(lines(kubernetes)).toEqual(['kubernetes.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.1']);

    const db = await query(host, run, 'db.default.svc.cluster.local', TYPE.A);
    expect(lines(db).sort()).toEqual(['db.default.svc.cluster.local.\t30\tIN\tA\t10.244.1.5', 'db.default.svc.cluster.local.\t30\tIN\tA\t10.244.2.7']);
    expect(lines(await query(host, run, 'db-0.db.default.svc.cluster.local', TYPE.A))).toEqual(['db-0.db.default.svc.cluster.local.\t30\tIN\tA\t10.244.1.5']);

    expect(lines(await query(host, run, '_http._tcp.web.default.svc.cluster.local', TYPE.SRV))).toEqual([
      '_http._tcp.web.default.svc.cluster.local.\t30\tIN\tSRV\t0 100 80 web.default.svc.cluster.local.',
      'web.default.svc.cluster.local.\t30\tIN\tA\t10.96.100.10',
    ]);
    expect(lines(await query(host, run, '_pg._tcp.db.default.svc.cluster.local', TYPE.SRV))).toEqual([
      '_pg._tcp.db.default.svc.cluster.local.\t30\tIN\tSRV\t0 50 5432 db-0.db.default.svc.cluster.local.',
      '_pg._tcp.db.default.svc.cluster.local.\t30\tIN\tSRV\t0 50 5432 10-244-2-7.db.default.svc.cluster.local.',
      'db-0.db.default.svc.cluster.local.\t30\tIN\tA\t10.244.1.5',
      '10-244-2-7.db.default.svc.cluster.local.\t30\tIN\tA\t10.244.2.7',
    ]);
    expect(lines(await query(host, run, '10.100.96.10.in-addr.arpa', TYPE.PTR))).toEqual(['10.100.96.10.in-addr.arpa.\t30\tIN\tPTR\tweb.default.svc.cluster.local.']);
    expect(lines(await query(host, run, '5.1.244.10.in-addr.arpa', TYPE.PTR))).toEqual(['5.1.244.10.in-addr.arpa.\t30\tIN\tPTR\tdb-0.db.default.svc.cluster.local.']);
    expect(lines(await query(host, run, '10-244-3-4.default.pod.cluster.local', TYPE.A))).toEqual(['10-244-3-4.default.pod.cluster.local.\t30\tIN\tA\t10.244.3.4']);

    const missing = await query(host, run, 'nope.default.svc.cluster.local', TYPE.A);
    expect(missing.flags.rcode).toBe(RCODE.NXDOMAIN);
    expect(lines(missing)).toEqual([expect.stringMatching(/^cluster\.local\.\t30\tIN\tSOA\tns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. 1767225600 7200 1800 86400 30$/)]);
    const aaaa = await query(host, run, 'web.default.svc.cluster.local', TYPE.AAAA);
    expect(aaaa.flags.rcode).toBe(RCODE.NOERROR);
    expect(aaaa.answers).toEqual([]);
    expect(aaaa.authority.map((r) => r.type)).toEqual([TYPE.SOA]);

    const metrics = await httpGet(host, 9153, '/metrics');
    expect(metrics.body).toContain('# TYPE coredns_dns_requests_total counter\n');
    expect(metrics.body).toContain('coredns_dns_requests_total{family="1",proto="tcp",server="dns://:53",type="A",view="",zone="."} 6\n');
    expect(metrics.body).toContain('coredns_dns_responses_total{plugin="kubernetes",rcode="NXDOMAIN",server="dns://:53",view="",zone="."} 1\n');
    expect(metrics.body).toContain('coredns_build_info{goversion="go1.21.11",revision="a6338e9",version="1.11.3"} 1\n');
  });

  it('answers a Service created later once the watch has delivered it', async () => {
    const { host, admin, run } = lab();
    runContainer(host, ['/coredns', '-conf', '/etc/coredns/Corefile'], { env: ENV });
    await run(100);
    expect((await query(host, run, 'late.default.svc.cluster.local', TYPE.A)).flags.rcode).toBe(RCODE.NXDOMAIN);
    await admin.resource(RESOURCES.services).create('default', { metadata: { name: 'late' }, spec: { clusterIP: '10.96.55.5', ports: [{ port: 8080, protocol: 'TCP' }] } });
    await run(0);
    expect(lines(await query(host, run, 'late.default.svc.cluster.local', TYPE.A))).toEqual(['late.default.svc.cluster.local.\t30\tIN\tA\t10.96.55.5']);
  });

  it('waits for an unreachable API, logs the reflector’s failures, serves /health but not /ready, and SERVFAILs outside names after the forward timeout', async () => {
    let reachable = false;
    const { host, run } = lab({ reachable: () => reachable });
    const ctr = runContainer(host, ['/coredns', '-conf', '/etc/coredns/Corefile'], { env: ENV });
    await run(1000);
    expect(ctr.stdio.out).toBe('[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server\n'.repeat(2));
    expect(await httpGet(host, 8080, '/health')).toEqual({ status: 200, body: 'OK' });
    expect(await httpGet(host, 8181, '/ready')).toEqual({ status: 503, body: 'kubernetes' });
    await run(4000);
    const out = ctr.stdio.out.split('\n');
    const waiting = '[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server';
    expect(out.slice(0, 12)).toEqual([waiting, waiting, '[INFO] plugin/ready: Still waiting on: "kubernetes"', ...Array<string>(7).fill(waiting), '[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API', '.:53']);
    expect((await query(host, run, 'web.default.svc.cluster.local', TYPE.A)).flags.rcode).toBe(RCODE.SERVFAIL);
    await run(25_000);
    expect(ctr.stdio.out).toContain(
      '[INFO] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:229: failed to list *v1.Service: Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout\n' +
        '[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:229: Failed to watch *v1.Service: failed to list *v1.Service: Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout\n',
    );
    expect(ctr.stdio.out).toMatch(/\[ERROR\] plugin\/errors: 2 \d+\.\d+\. HINFO: read udp 172\.18\.0\.3:\d+->172\.18\.0\.1:53: i\/o timeout\n/);

    const slow = await dig(host, 'example.com', TYPE.A);
    await run(5900);
    expect(slow.reply()).toBeUndefined();
    await run(100);
    expect(slow.reply()!.flags.rcode).toBe(RCODE.SERVFAIL);
    expect(ctr.stdio.out).toMatch(/\[ERROR\] plugin\/errors: 2 example\.com\. A: read udp 172\.18\.0\.3:\d+->172\.18\.0\.1:53: i\/o timeout\n$/);

    reachable = true;
    await run(60_000);
    expect(await httpGet(host, 8181, '/ready')).toEqual({ status: 200, body: 'OK' });
    expect(lines(await query(host, run, 'kubernetes.default.svc.cluster.local', TYPE.A))).toEqual(['kubernetes.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.1']);
  });

  it('on SIGTERM stops /ready, keeps /health and DNS through 5s of lameduck, then exits 0', async () => {
    const { host, run } = lab();
    const ctr = runContainer(host, ['/coredns', '-conf', '/etc/coredns/Corefile'], { env: ENV });
    await run(100);
    ctr.stdio.out = '';
    host.table.kill(host.init, ctr.process.hostPid, SIGTERM);
    expect(ctr.stdio.out).toBe('[INFO] SIGTERM: Shutting down servers then terminating\n[INFO] plugin/health: Going into lameduck mode for 5s\n');
    await expect(httpGet(host, 8181, '/ready')).rejects.toThrow('Connection refused');
    await run(4900);
    expect(await httpGet(host, 8080, '/health')).toEqual({ status: 200, body: 'OK' });
    expect((await query(host, run, 'kubernetes.default.svc.cluster.local', TYPE.A)).answers).toHaveLength(1);
    expect(ctr.process.exitStatus).toBeUndefined();
    await run(100);
    expect(ctr.process.exitStatus).toBe(0);
    await expect(httpGet(host, 8080, '/health')).rejects.toThrow('Connection refused');
  });

  it('reloads a changed Corefile, and keeps running when the new one does not parse', async () => {
    const { host, run } = lab();
    const ctr = runContainer(host, ['/coredns', '-conf', '/etc/coredns/Corefile'], { env: ENV });
    await run(100);
    const vfs = host.vfsFor(host.init);
    ctr.stdio.out = '';
    vfs.writeFile('/etc/coredns/Corefile', COREFILE.replace('    loadbalance\n}', '    loadbalance\n    foo\n}'));
    await run(45_000);
    const error = "/etc/coredns/Corefile:23 - Error during parsing: Unknown directive 'foo'";
    expect(ctr.stdio.out).toContain(`[INFO] Reloading\n[ERROR] Restart failed: ${error}\n[ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: ${error}\n`);
    expect(lines(await query(host, run, 'kubernetes.default.svc.cluster.local', TYPE.A))).toEqual(['kubernetes.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.1']);
    ctr.stdio.out = '';
    const changed = COREFILE.replace('ttl 30', 'ttl 10');
    vfs.writeFile('/etc/coredns/Corefile', changed);
    await run(45_000);
    expect(ctr.stdio.out).toContain(`[INFO] Reloading\n[INFO] plugin/reload: Running configuration SHA512 = ${bytesToHex(sha512(new TextEncoder().encode(changed)))}\n[INFO] Reloading complete\n`);
    expect(ctr.stdio.out).not.toContain('CoreDNS-1.11.3');
    expect(lines(await query(host, run, 'kubernetes.default.svc.cluster.local', TYPE.A))).toEqual(['kubernetes.default.svc.cluster.local.\t10\tIN\tA\t10.96.0.1']);
    expect(await httpGet(host, 8181, '/ready')).toEqual({ status: 200, body: 'OK' });
  });

  it('routes a query to the server block of its zone, and refuses one no block serves', async () => {
    const { host, run } = lab({ corefile: 'cluster.local:53 {\n    kubernetes\n}\n' });
    const ctr = runContainer(host, ['/coredns', '-conf', '/etc/coredns/Corefile'], { env: ENV });
    await run(100);
    expect(ctr.stdio.out).toBe('cluster.local.:53\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n');
    expect(lines(await query(host, run, 'kubernetes.default.svc.cluster.local', TYPE.A))).toEqual(['kubernetes.default.svc.cluster.local.\t5\tIN\tA\t10.96.0.1']);
    expect((await query(host, run, 'example.com', TYPE.A)).flags.rcode).toBe(RCODE.REFUSED);
  });
});
