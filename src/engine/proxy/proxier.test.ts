import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { Klog } from '../base/klog.ts';
import { servicePortEndpointChainName, servicePortPolicyClusterChain } from './chainNames.ts';
import { Proxier, probability } from './proxier.ts';

const START = Date.UTC(2026, 0, 1);

function service(name: string, clusterIP: string, port: number, extra: { type?: 'ClusterIP' | 'NodePort'; nodePort?: number; portName?: string } = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: extra.type ?? 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: [{ name: extra.portName ?? 'http', port, protocol: 'TCP', ...(extra.nodePort ? { nodePort: extra.nodePort } : {}) }] },
  };
}

function slice(serviceName: string, portName: string, port: number, endpoints: Array<[ip: string, ready: boolean, node?: string]>, sliceName = `${serviceName}-abc12`): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: sliceName, namespace: 'default', labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ name: portName, port, protocol: 'TCP' }],
    endpoints: endpoints.map(([ip, ready, node]) => ({ addresses: [ip], conditions: { ready, serving: ready, terminating: false }, ...(node ? { nodeName: node } : {}) })),
  };
}

function setup(options: { apply?: (text: string) => void; v?: number } = {}) {
  const clock = new Clock({ startTime: START });
  const applied: string[] = [];
  let log = '';
  const proxier = new Proxier({
    hostname: 'worker-1',
    nodeIP: '172.18.0.3',
    clusterCIDR: '10.244.0.0/16',
    masqueradeAll: false,
    masqueradeBit: 14,
    localhostNodePorts: true,
    minSyncPeriodMs: 1000,
    syncPeriodMs: 30_000,
    apply: (text) => {
      options.apply?.(text);
      applied.push(text);
    },
    log: new Klog({ write: (l) => (log += l), now: () => clock.now(), threadId: 1, verbosity: options.v ?? 0 }),
    scheduler: clock,
  });
  return { clock, applied, proxier, log: () => log };
}

/** The main restore (not the jump-rule ensures): the one that starts with the filter table's chains. */
const mainRestores = (applied: string[]) => applied.filter((t) => t.startsWith('*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES - [0:0]\n'));

const EXPECTED = `*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-FIREWALL - [0:0]
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-SERVICES -m comment --comment "default/empty:http has no endpoints" -m tcp -p tcp -d 10.96.0.30 --dport 80 -j REJECT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-NPX46M4PTMTKRN6Y - [0:0]
:KUBE-SEP-V2PECCYPB6X2GSCW - [0:0]
:KUBE-EXT-PKMRSDTV7XNERZIJ - [0:0]
:KUBE-SVC-PKMRSDTV7XNERZIJ - [0:0]
:KUBE-SEP-AAGNK4WCRDPLIXTD - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-THCUGE4PYEGQIHCR - [0:0]
:KUBE-SEP-BRUXVDZYVXMAQENK - [0:0]
-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000
-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y
-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.96.0.1 --dport 443 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https -> 172.18.0.2:6443" -j KUBE-SEP-V2PECCYPB6X2GSCW
-A KUBE-SEP-V2PECCYPB6X2GSCW -m comment --comment default/kubernetes:https -s 172.18.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-V2PECCYPB6X2GSCW -m comment --comment default/kubernetes:https -m tcp -p tcp -j DNAT --to-destination 172.18.0.2:6443
-A KUBE-SERVICES -m comment --comment "default/nodeport:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 8080 -j KUBE-SVC-PKMRSDTV7XNERZIJ
-A KUBE-NODEPORTS -m comment --comment default/nodeport:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-PKMRSDTV7XNERZIJ
-A KUBE-SVC-PKMRSDTV7XNERZIJ -m comment --comment "default/nodeport:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 8080 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-PKMRSDTV7XNERZIJ -m comment --comment "masquerade traffic for default/nodeport:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-PKMRSDTV7XNERZIJ -j KUBE-SVC-PKMRSDTV7XNERZIJ
-A KUBE-SVC-PKMRSDTV7XNERZIJ -m comment --comment "default/nodeport:http -> 10.244.1.9:8080" -j KUBE-SEP-AAGNK4WCRDPLIXTD
-A KUBE-SEP-AAGNK4WCRDPLIXTD -m comment --comment default/nodeport:http -s 10.244.1.9 -j KUBE-MARK-MASQ
-A KUBE-SEP-AAGNK4WCRDPLIXTD -m comment --comment default/nodeport:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.9:8080
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-THCUGE4PYEGQIHCR
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:80" -j KUBE-SEP-BRUXVDZYVXMAQENK
-A KUBE-SEP-THCUGE4PYEGQIHCR -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-THCUGE4PYEGQIHCR -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:80
-A KUBE-SEP-BRUXVDZYVXMAQENK -m comment --comment default/web:http -s 10.244.2.7 -j KUBE-MARK-MASQ
-A KUBE-SEP-BRUXVDZYVXMAQENK -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.2.7:80
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
`;

/** The four services of the table test, handed over as the informers would, then both synced. */
function feedCluster(proxier: Proxier): void {
  proxier.onServiceAdd(service('kubernetes', '10.96.0.1', 443, { portName: 'https' }));
  proxier.onServiceAdd(service('web', '10.96.0.10', 80));
  proxier.onServiceAdd(service('nodeport', '10.96.0.20', 8080, { type: 'NodePort', nodePort: 30080 }));
  proxier.onServiceAdd(service('empty', '10.96.0.30', 80));
  proxier.onServicesSynced();
  proxier.onEndpointSliceAdd(slice('kubernetes', 'https', 6443, [['172.18.0.2', true]], 'kubernetes'));
  proxier.onEndpointSliceAdd(slice('web', 'http', 80, [['10.244.2.8', false, 'worker-2'], ['10.244.2.7', true, 'worker-2'], ['10.244.1.5', true, 'worker-1']]));
  proxier.onEndpointSliceAdd(slice('nodeport', 'http', 8080, [['10.244.1.9', true, 'worker-1']]));
  proxier.onEndpointSlicesSynced();
}

describe('chain names', () => {
  it.each([
    ['ns1/svc1:p80', undefined, 'KUBE-SVC-XPGD46QRK7WJZT7O'],
    ['ns2/svc2:p80', undefined, 'KUBE-SVC-GNZBNJ2PO5MGZ6GT'],
    ['ns1/svc1:p80', '10.180.0.1:80', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    ['default/kubernetes:https', undefined, 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
  ])('hashes %s %s as upstream: %s', (name, endpoint, chain) => {
    expect(endpoint ? servicePortEndpointChainName(name, 'tcp', endpoint) : servicePortPolicyClusterChain(name, 'tcp')).toBe(chain);
  });

  it('writes the probability ladder as %0.10f', () => {
    expect([2, 3, 7].map(probability)).toEqual(['0.5000000000', '0.3333333333', '0.1428571429']);
  });
});

describe('Proxier', () => {
  it('writes what upstream 1.32 writes for ClusterIP, NodePort, endpoint-less and the kubernetes Service', () => {
    const { applied, proxier } = setup();
    feedCluster(proxier);
    expect(mainRestores(applied)).toEqual([EXPECTED]);
  });

  it('does not sync before both informers have synced, then ensures canaries and jump rules on the full sync', () => {
    const { applied, proxier, log } = setup({ v: 2 });
    proxier.onServiceAdd(service('web', '10.96.0.10', 80));
    proxier.onServicesSynced();
    expect(applied).toEqual([]);
    expect(log()).toContain('] "Not syncing iptables until Services and Endpoints have been received from master"\n');
    proxier.onEndpointSlicesSynced();
    expect(applied[0]).toBe('*mangle\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n*filter\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n*nat\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n');
    expect(applied).toContain('*nat\n-D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\nCOMMIT\n');
    expect(applied).toContain('*filter\n-D INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES\n-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES\nCOMMIT\n');
    expect(log()).toMatch(/^I0101 00:00:00\.000000 {7}1 proxier\.go:\d+\] "Reloading service iptables data" ipFamily="IPv4" numServices=1 numEndpoints=0 numFilterChains=6 numFilterRules=5 numNATChains=4 numNATRules=5$/m);
  });

  it('falls back to inserting a jump rule that is not there yet', () => {
    const { applied, proxier } = setup({
      apply: (text) => {
        if (text.includes('\n-D ')) throw new Error('iptables-restore: line 2 failed');
      },
    });
    proxier.onServicesSynced();
    proxier.onEndpointSlicesSynced();
    expect(applied).toContain('*nat\n:KUBE-POSTROUTING - [0:0]\n-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING\nCOMMIT\n');
    expect(applied).toContain('*filter\n:KUBE-FIREWALL - [0:0]\n-I OUTPUT 1 -j KUBE-FIREWALL\nCOMMIT\n');
    expect(mainRestores(applied)).toHaveLength(1);
  });

  it('resyncs on changes at most as the minSyncPeriod bucket (burst 2) allows, and every syncPeriod', () => {
    const { clock, applied, proxier } = setup();
    feedCluster(proxier);
    proxier.syncLoop();
    expect(mainRestores(applied)).toHaveLength(1);
    const scale = (ips: string[]) => proxier.onEndpointSliceUpdate(slice('web', 'http', 80, []), slice('web', 'http', 80, ips.map((ip) => [ip, true, 'worker-2'])));
    // Changes in one instant fold into one sync; two syncs may come at once, the third waits a token.
    scale(['10.244.2.7']);
    scale(['10.244.2.7', '10.244.2.8']);
    clock.advance(0);
    expect(mainRestores(applied)).toHaveLength(2);
    scale(['10.244.2.7', '10.244.2.9']);
    clock.advance(0);
    expect(mainRestores(applied)).toHaveLength(3);
    scale(['10.244.2.9']);
    clock.advance(0);
    expect(mainRestores(applied)).toHaveLength(3);
    clock.advance(999);
    expect(mainRestores(applied)).toHaveLength(3);
    clock.advance(1);
    expect(mainRestores(applied)).toHaveLength(4);
    // A partial sync: only the changed service's chains, and the stale endpoint chain deleted.
    const last = mainRestores(applied).at(-1)!;
    const sep27 = servicePortEndpointChainName('default/web:http', 'tcp', '10.244.2.7:80');
    const sep29 = servicePortEndpointChainName('default/web:http', 'tcp', '10.244.2.9:80');
    expect(last).toContain(`:${sep29} - [0:0]\n`);
    expect(last).toContain(`:${sep27} - [0:0]\n`);
    expect(last).toContain(`\n-X ${sep27}\n`);
    expect(last).not.toContain(':KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(last).toContain('-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP"');
    // Nothing changes: a sync still comes syncPeriod after the last one.
    clock.advance(29_999);
    expect(mainRestores(applied)).toHaveLength(4);
    clock.advance(1);
    expect(mainRestores(applied)).toHaveLength(5);
  });

  it('an unchanged update does not sync', () => {
    const { clock, applied, proxier } = setup();
    feedCluster(proxier);
    proxier.syncLoop();
    const web = service('web', '10.96.0.10', 80);
    proxier.onServiceUpdate(web, { ...web, metadata: { ...web.metadata, labels: { tier: 'front' } } });
    clock.advance(0);
    expect(mainRestores(applied)).toHaveLength(1);
  });

  it('logs a failed restore and retries a full sync after syncPeriod', () => {
    let fail = false;
    const { clock, applied, proxier, log } = setup({
      apply: (text) => {
        if (fail && text.startsWith('*filter\n:KUBE-SERVICES')) throw new Error('iptables-restore: line 7 failed');
      },
    });
    feedCluster(proxier);
    proxier.syncLoop();
    fail = true;
    proxier.onServiceDelete(service('empty', '10.96.0.30', 80));
    clock.advance(0);
    expect(log()).toContain('] "Failed to execute iptables-restore" err="iptables-restore: line 7 failed" ipFamily="IPv4"\n');
    expect(log()).toContain('] "Sync failed" ipFamily="IPv4" retryingTime="30s"\n');
    fail = false;
    const before = applied.length;
    clock.advance(30_000);
    const retry = mainRestores(applied.slice(before));
    expect(retry).toHaveLength(1);
    expect(retry[0]).not.toContain('default/empty:http');
    expect(retry[0]).toContain(':KUBE-SVC-NPX46M4PTMTKRN6Y - [0:0]');
  });

  it('uses serving terminating endpoints only when none is ready, and Local policy only this node’s', () => {
    const { applied, proxier } = setup();
    const local: Service = { ...service('local', '10.96.0.40', 80, { type: 'NodePort', nodePort: 30081 }) };
    local.spec!.externalTrafficPolicy = 'Local';
    proxier.onServiceAdd(local);
    proxier.onServicesSynced();
    const s = slice('local', 'http', 80, [['10.244.1.5', true, 'worker-1'], ['10.244.2.7', true, 'worker-2']]);
    s.endpoints.push({ addresses: ['10.244.1.6'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'worker-1' });
    proxier.onEndpointSliceAdd(s);
    proxier.onEndpointSlicesSynced();
    const text = mainRestores(applied)[0]!;
    expect(text).toContain('-A KUBE-EXT-3ENVKKDUT2EZ6WIE -m comment --comment "pod traffic for default/local:http external destinations" -s 10.244.0.0/16 -j KUBE-SVC-3ENVKKDUT2EZ6WIE\n');
    expect(text).toContain('-A KUBE-EXT-3ENVKKDUT2EZ6WIE -j KUBE-SVL-3ENVKKDUT2EZ6WIE\n');
    expect(text).toContain('-A KUBE-SVL-3ENVKKDUT2EZ6WIE -m comment --comment "default/local:http -> 10.244.1.5:80" -j KUBE-SEP-');
    expect(text).not.toContain('10.244.1.6:80');
  });
});
