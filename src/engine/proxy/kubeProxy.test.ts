import { describe, expect, it } from 'vitest';
import { addonConfigData } from '../cluster/kubeadm.ts';
import { SeededRng } from '../base/seededRng.ts';
import type { ApiServerAddress, ApiTransportFactory } from '../client/rest/apiTransport.ts';
import { Host } from '../kernel/host.ts';
import type { Process } from '../kernel/process/process.ts';
import { SIGTERM } from '../kernel/process/signal.ts';
import { CapturedStdio } from '../programs/testing.ts';
import { TestCluster } from '../testing/testCluster.ts';
import { KubeProxy } from './kubeProxy.ts';

/** kubeadm's kube-proxy ConfigMap: config.conf and kubeconfig.conf. */
const KUBE_PROXY_CONFIG_MAP = addonConfigData('kube-proxy', '172.18.0.2:6443');
const CONFIG = KUBE_PROXY_CONFIG_MAP['config.conf']!;
const KUBECONFIG = KUBE_PROXY_CONFIG_MAP['kubeconfig.conf']!;

interface Harness {
  tc: TestCluster;
  host: Host;
  applied: string[];
  dials: Array<{ server: ApiServerAddress; token: string | undefined; userAgent: string }>;
  run(argv: string[]): { process: Process; stdio: CapturedStdio };
  get(process: Process, port: number, path: string, address?: string): Promise<string>;
}

async function harness(options: { files?: Record<string, string>; node?: boolean } = {}): Promise<Harness> {
  const tc = await TestCluster.start();
  const host = new Host({ clock: tc.clock, rng: new SeededRng(3), hostname: 'worker-1', cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, bootTime: tc.clock.now() });
  const applied: string[] = [];
  const dials: Harness['dials'] = [];
  const transport = tc.cluster.transportFor({ username: 'system:serviceaccount:kube-system:kube-proxy', groups: ['system:masters'] }, 'kube-proxy');
  const apiTransport: ApiTransportFactory = (_process, server, opts) => {
    dials.push({ server, token: opts.token(), userAgent: opts.userAgent });
    return transport;
  };
  host.programs.register('kube-proxy', () => new KubeProxy(host, { apiTransport, apply: () => (text) => void applied.push(text) }));
  host.installProgram('/usr/local/bin/kube-proxy', 'kube-proxy');
  const vfs = host.vfsFor(host.init);
  const files = options.files ?? { '/var/lib/kube-proxy/config.conf': CONFIG, '/var/lib/kube-proxy/kubeconfig.conf': KUBECONFIG, '/var/run/secrets/kubernetes.io/serviceaccount/token': 'the-token\n' };
  for (const [path, text] of Object.entries(files)) {
    vfs.mkdirAll(path.slice(0, path.lastIndexOf('/')));
    vfs.writeFile(path, text);
  }
  if (options.node !== false) {
    await tc.apply(`apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {kubernetes.io/hostname: worker-1}}
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.3}
  - {type: Hostname, address: worker-1}
`);
  }
  return {
    tc,
    host,
    applied,
    dials,
    run(argv) {
      const stdio = new CapturedStdio();
      const process = host.spawn(argv, { stdio, env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_NAME=worker-1'] });
      return { process, stdio };
    },
    async get(process, port, path, address = '127.0.0.1') {
      const socket = await host.tcp.connect(process.nsproxy!.net, { address, port });
      let answer = '';
      socket.receive({ data: (chunk) => (answer += chunk), end: () => undefined });
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${address}:${port}\r\nConnection: close\r\n\r\n`);
      await tc.tick(0);
      return answer;
    },
  };
}

const ARGV = ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=worker-1'];
/** A klog line without its time: `I <file:line>] <message>`. */
const untimed = (text: string) => text.split('\n').filter(Boolean).map((l) => l.replace(/^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /, '$1 '));

describe('kube-proxy', () => {
  it('starts as kubeadm runs it: its startup lines, informers, the first sync, /healthz and /metrics', async () => {
    const h = await harness();
    await h.tc.apply(`apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: 10.96.0.10
  ports: [{name: http, port: 80}]
`);
    const { process, stdio } = h.run(ARGV);
    expect(stdio.err).toMatch(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ server_linux\.go:66\] "Using iptables proxy"\n/);
    await h.tc.tick(0);
    expect(untimed(stdio.err)).toEqual([
      'I server_linux.go:66] "Using iptables proxy"',
      'I server.go:698] "Successfully retrieved node IP(s)" IPs=["172.18.0.3"]',
      'I server_linux.go:137] "No iptables support for family" ipFamily="IPv6"',
      'E server.go:234] "Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"',
      'I server.go:243] "kube-proxy running in single-stack mode" ipFamily="IPv4"',
      'I server_linux.go:170] "Using iptables Proxier"',
      'I proxier.go:243] "Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"',
      'I server.go:497] "Version info" version="v1.32.4"',
      'I server.go:499] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""',
      'I config.go:199] "Starting service config controller"',
      'I shared_informer.go:313] Waiting for caches to sync for service config',
      'I config.go:105] "Starting endpoint slice config controller"',
      'I shared_informer.go:313] Waiting for caches to sync for endpoint slice config',
      'I config.go:329] "Starting node config controller"',
      'I shared_informer.go:313] Waiting for caches to sync for node config',
      'I shared_informer.go:320] Caches are synced for endpoint slice config',
      'I shared_informer.go:320] Caches are synced for node config',
      'I shared_informer.go:320] Caches are synced for service config',
    ]);
    expect(h.dials[0]).toEqual({ server: { address: '172.18.0.2', port: 6443 }, token: 'the-token', userAgent: expect.stringMatching(/^kube-proxy\/v1\.32\.4 \(linux\/amd64\) kubernetes\/[0-9a-f]{7}$/) as unknown });
    const main = h.applied.filter((t) => t.startsWith('*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES'));
    // The informers' first (full) sync, then the one its Node's labels queued: partial, nothing changed.
    expect(main).toHaveLength(2);
    expect(main[0]).toContain('-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j REJECT\n');
    expect(main[1]).not.toContain(':KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(main[0]).toContain('-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.96.0.1 --dport 443 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ\n');

    const healthz = await h.get(process, 10256, '/healthz');
    expect(healthz).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Type: application\/json\r\nX-Content-Type-Options: nosniff\r\nDate: .* GMT\r\nContent-Length: \d+\r\n\r\n\{"lastUpdated": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9}","currentTime": "[^"]+", "nodeEligible": true\}$/);
    const metrics = await h.get(process, 10249, '/metrics');
    expect(metrics).toContain('# HELP kubeproxy_sync_proxy_rules_duration_seconds [ALPHA] SyncProxyRules latency in seconds\n# TYPE kubeproxy_sync_proxy_rules_duration_seconds histogram\n');
    expect(metrics).toContain('kubeproxy_sync_proxy_rules_duration_seconds_count 2\n');
    expect(metrics).toMatch(/\nkubeproxy_sync_proxy_rules_last_timestamp_seconds \d\.\d+e\+09\n/);
    expect(metrics).toContain('# TYPE kubeproxy_network_programming_duration_seconds histogram\n');
    // The metrics server listens on loopback only.
    expect(h.host.tcp.sockets(process.nsproxy!.net).filter((s) => s.owner === process).map((s) => `${s.local.address}:${s.local.port}`).sort()).toEqual(['0.0.0.0:10256', '127.0.0.1:10249']);

    // A change reaches the rules through the watch, within minSyncPeriod.
    await h.tc.apply(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-x1, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 80, protocol: TCP}]
endpoints:
- addresses: [10.244.1.5]
  conditions: {ready: true}
  nodeName: worker-1
`);
    await h.tc.tick('1s');
    const after = h.applied.filter((t) => t.startsWith('*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES')).at(-1)!;
    expect(after).toContain('-j DNAT --to-destination 10.244.1.5:80\n');
    expect(after).not.toContain('has no endpoints');

    // SIGTERM: gone at once, its ports closed.
    h.host.table.kill(h.host.init, process.hostPid, SIGTERM);
    await h.tc.tick(0);
    expect(process.exitState).toBeDefined();
    await expect(h.host.tcp.connect(h.host.init.nsproxy!.net, { address: '127.0.0.1', port: 10256 })).rejects.toThrow();
  });

  it('answers /healthz 503 until its Node is known, then 200', async () => {
    const h = await harness({ node: false });
    const { process, stdio } = h.run(ARGV);
    await h.tc.tick(0);
    expect(untimed(stdio.err)[1]).toBe('E server.go:685] "Failed to retrieve node info" err="nodes \\"worker-1\\" not found"');
    // Still retrying the node: no servers yet; after the retries it assumes loopback.
    await h.tc.tick('31s');
    expect(untimed(stdio.err)).toContain('I server.go:720] "Can\'t determine this node\'s IP, assuming loopback; if this is incorrect, please set the --bind-address flag"');
    const before = await h.get(process, 10256, '/healthz');
    expect(before).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(before).toMatch(/\{"lastUpdated": "[^"]+","currentTime": "[^"]+", "nodeEligible": false\}$/);
    await h.tc.apply(`apiVersion: v1
kind: Node
metadata: {name: worker-1}
`);
    await h.tc.tick('1s');
    expect(await h.get(process, 10256, '/healthz')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*"nodeEligible": true\}$/);
  });

  it.each([
    [['--foo'], 'unknown flag: --foo'],
    [['--config'], 'flag needs an argument: --config'],
    [['--v=x'], 'invalid argument "x" for "--v" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [['--iptables-sync-period=soon'], 'invalid argument "soon" for "--iptables-sync-period" flag: time: invalid duration "soon"'],
  ])('rejects %j as cobra does: usage, then the error', async (args, message) => {
    const h = await harness({ node: false });
    const { process, stdio } = h.run(['kube-proxy', ...args]);
    expect(stdio.err.startsWith('Usage:\n  kube-proxy [flags]\n\nFlags:\n      --bind-address ip   ')).toBe(true);
    expect(stdio.err).toMatch(/\n {2}-h, --help {31}help for kube-proxy\n/);
    expect(stdio.err.endsWith(`\n\nError: ${message}\n`)).toBe(true);
    expect(process.exitStatus).toBe(256);
  });

  it('prints its version and its help', async () => {
    const h = await harness({ node: false });
    expect(h.run(['kube-proxy', '--version']).stdio.out).toBe('Kubernetes v1.32.4\n');
    const help = h.run(['kube-proxy', '--help']).stdio.out;
    expect(help.startsWith('The Kubernetes network proxy runs on each node. This\n')).toBe(true);
    expect(help).toContain('\n      --iptables-min-sync-period duration  The minimum period between iptables rule resyncs');
    expect(help).toContain('\n      --iptables-sync-period duration      An interval (e.g. \'5s\', \'1m\', \'2h22m\') indicating how frequently various re-synchronizing and cleanup operations are performed. Must be greater than 0. (default 30s)\n');
    expect(help).toContain('\n      --metrics-bind-address ipport        The IP address and port for the metrics server to serve on');
  });

  it.each([
    [{}, 'failed complete: open /var/lib/kube-proxy/config.conf: no such file or directory'],
    [{ '/var/lib/kube-proxy/config.conf': 'mode: iptables\n' }, 'failed complete: failed to decode: Object \'Kind\' is missing in \'{"mode":"iptables"}\''],
    [{ '/var/lib/kube-proxy/config.conf': 'apiVersion: v1\nkind: Pod\n' }, 'failed complete: failed to decode: no kind "Pod" is registered for version "v1" in scheme "k8s.io/kubernetes/pkg/proxy/apis/config/scheme/scheme.go:28"'],
    [{ '/var/lib/kube-proxy/config.conf': `${CONFIG}\niptables:\n  syncPeriod: 0s\n` }, 'failed validate: KubeProxyConfiguration.IPTables.SyncPeriod: Invalid value: "0s": must be greater than 0'],
    [{ '/var/lib/kube-proxy/config.conf': CONFIG.replace('mode: ""', 'mode: userspace') }, 'failed validate: KubeProxyConfiguration.Mode: Invalid value: "userspace": must be iptables,ipvs,nftables or blank (blank means the best-available proxy [currently iptables])'],
  ])('fails on a bad config %#', async (files, err) => {
    const h = await harness({ files, node: false });
    const { process, stdio } = h.run(ARGV);
    expect(untimed(stdio.err).at(-1)).toBe(`E run.go:72] "command failed" err=${JSON.stringify(err)}`);
    expect(process.exitStatus).toBe(256);
  });

  it('logs a missing kubeconfig as Error running ProxyServer and exits 1', async () => {
    const h = await harness({ files: { '/var/lib/kube-proxy/config.conf': CONFIG }, node: false });
    const { process, stdio } = h.run(ARGV);
    await h.tc.tick(0);
    expect(untimed(stdio.err)).toEqual([
      'I server_linux.go:66] "Using iptables proxy"',
      'E server.go:571] "Error running ProxyServer" err="stat /var/lib/kube-proxy/kubeconfig.conf: no such file or directory"',
      'E run.go:72] "command failed" err="stat /var/lib/kube-proxy/kubeconfig.conf: no such file or directory"',
    ]);
    expect(process.exitStatus).toBe(256);
  });
});
