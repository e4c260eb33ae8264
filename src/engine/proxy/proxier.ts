/**
 * Proxier — kube-proxy 1.32's iptables proxier (pkg/proxy/iptables/proxier.go) for one IPv4 node: it
 * keeps the Services, EndpointSlices and the node's labels it is told of, and `syncProxyRules` writes
 * the whole `iptables-restore --noflush` input as upstream lays it out:
 *
 * - `*filter`: chain lines for KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-FORWARD, KUBE-NODEPORTS,
 *   KUBE-PROXY-FIREWALL (and KUBE-FIREWALL's "block incoming localnet connections" rule while localhost
 *   NodePorts are on), REJECT rules for service ports without endpoints (`"ns/svc:port has no
 *   endpoints"`, in KUBE-SERVICES for the ClusterIP, KUBE-EXTERNAL-SERVICES for NodePorts and external
 *   IPs), DROP for Local policies without local endpoints, and KUBE-FORWARD's INVALID drop, mark accept
 *   and conntrack accept.
 * - `*nat`: KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING (RETURN unmarked, clear the mark,
 *   MASQUERADE --random-fully), KUBE-MARK-MASQ (`--or-mark 0x00004000`); per service port the ClusterIP
 *   jump, external IPs, the NodePort jump to KUBE-EXT-<hash>, the KUBE-SVC chain's masquerade rule for
 *   off-cluster sources (`! -s <clusterCIDR>`, or every source with masqueradeAll), its
 *   `-m statistic --mode random --probability` ladder to the KUBE-SEP chains, KUBE-SVL for Local
 *   policies, ClientIP affinity with `-m recent`, each KUBE-SEP's hairpin masquerade and DNAT; chains of
 *   services gone are flushed and deleted (`-X`); last, the tail call to KUBE-NODEPORTS for LOCAL
 *   destinations.
 *
 * Only ready endpoints serve (serving terminating ones when none is ready), as CategorizeEndpoints
 * decides. A full sync also re-ensures the jump rules from the built-in chains (PREROUTING, OUTPUT,
 * POSTROUTING, INPUT, FORWARD) and the KUBE-PROXY-CANARY chains; a partial one (something changed
 * since the last success) writes only the changed services' chains, as upstream does. Syncs go
 * through a BoundedFrequencyRunner (minSyncPeriod, burst 2, at least every syncPeriod); the two
 * informers' first syncs run one at once. A failed restore logs `"Failed to execute iptables-restore"`
 * and `"Sync failed"`, and is retried after syncPeriod with a full sync.
 *
 * Services are written in the order of their port names, where Go's map order is random; the jump
 * rules are ensured by a `-D`-then-`-I` restore (the proxier has only iptables-restore, where upstream
 * runs `iptables -C`/`-I`); stale chains are those this process wrote before, as it cannot run
 * iptables-save.
 *
 * Left out: LoadBalancer ingress and source ranges (KUBE-FW chains), health-check node ports,
 * nodePortAddresses other than all, topology hints, large-cluster mode's comment dropping, conntrack
 * clean-up of stale UDP flows, IPv6.
 */
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Klog } from '../base/klog.ts';
import { goDuration as goDurationNs } from '../apiserver/protobuf/decode.ts';
import { BoundedFrequencyRunner, type RunnerScheduler } from './boundedFrequencyRunner.ts';
import { isServiceChainName, serviceExternalChainName, servicePortEndpointChainName, servicePortPolicyClusterChain, servicePortPolicyLocalChainName } from './chainNames.ts';
import { categorizeEndpoints, endpointsFor, externallyAccessible, portKey, servicePorts, usesClusterEndpoints, usesLocalEndpoints, type EndpointInfo, type ServicePort } from './serviceTracker.ts';

const KUBE_SERVICES = 'KUBE-SERVICES';
const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
const KUBE_FORWARD = 'KUBE-FORWARD';
const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';
const KUBE_FIREWALL = 'KUBE-FIREWALL';
/** The label of the Service an EndpointSlice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** How long a run of partial syncs may go before a full one (proxyutil.FullSyncPeriod). */
const FULL_SYNC_PERIOD_MS = 3_600_000;

interface JumpChain {
  table: 'filter' | 'nat';
  dstChain: string;
  srcChain: string;
  comment: string;
  extraArgs: string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

/** iptablesJumpChains and iptablesKubeletJumpChains, in upstream's order. */
const JUMP_CHAINS: readonly JumpChain[] = [
  { table: 'filter', dstChain: KUBE_EXTERNAL_SERVICES, srcChain: 'INPUT', comment: 'kubernetes externally-visible service portals', extraArgs: NEW },
  { table: 'filter', dstChain: KUBE_EXTERNAL_SERVICES, srcChain: 'FORWARD', comment: 'kubernetes externally-visible service portals', extraArgs: NEW },
  { table: 'filter', dstChain: KUBE_NODEPORTS, srcChain: 'INPUT', comment: 'kubernetes health check service ports', extraArgs: [] },
  { table: 'filter', dstChain: KUBE_SERVICES, srcChain: 'FORWARD', comment: 'kubernetes service portals', extraArgs: NEW },
  { table: 'filter', dstChain: KUBE_SERVICES, srcChain: 'OUTPUT', comment: 'kubernetes service portals', extraArgs: NEW },
  { table: 'filter', dstChain: KUBE_FORWARD, srcChain: 'FORWARD', comment: 'kubernetes forwarding rules', extraArgs: [] },
  { table: 'filter', dstChain: KUBE_PROXY_FIREWALL, srcChain: 'INPUT', comment: 'kubernetes load balancer firewall', extraArgs: NEW },
  { table: 'filter', dstChain: KUBE_PROXY_FIREWALL, srcChain: 'OUTPUT', comment: 'kubernetes load balancer firewall', extraArgs: NEW },
  { table: 'filter', dstChain: KUBE_PROXY_FIREWALL, srcChain: 'FORWARD', comment: 'kubernetes load balancer firewall', extraArgs: NEW },
  { table: 'nat', dstChain: KUBE_SERVICES, srcChain: 'OUTPUT', comment: 'kubernetes service portals', extraArgs: [] },
  { table: 'nat', dstChain: KUBE_SERVICES, srcChain: 'PREROUTING', comment: 'kubernetes service portals', extraArgs: [] },
  { table: 'nat', dstChain: KUBE_POSTROUTING, srcChain: 'POSTROUTING', comment: 'kubernetes postrouting rules', extraArgs: [] },
  { table: 'filter', dstChain: KUBE_FIREWALL, srcChain: 'INPUT', comment: '', extraArgs: [] },
  { table: 'filter', dstChain: KUBE_FIREWALL, srcChain: 'OUTPUT', comment: '', extraArgs: [] },
];

export interface ProxierOptions {
  /** The node's name (`--hostname-override`): which endpoints are local, which Node to follow. */
  hostname: string;
  /** The node's IP. */
  nodeIP: string;
  /** The cluster CIDR the local-traffic detector uses ('' = no detector). */
  clusterCIDR: string;
  masqueradeAll: boolean;
  /** iptables.masqueradeBit (14). */
  masqueradeBit: number;
  /** iptables.localhostNodePorts (true). */
  localhostNodePorts: boolean;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
  /** iptables-restore --noflush with `text` as input; throws iptables-restore's error text. */
  apply: (text: string) => void;
  log: Klog;
  /** The process's clock. */
  scheduler: RunnerScheduler;
}

/** What each successful sync reports (the healthz server and metrics follow it). */
export interface SyncResult {
  /** When the sync finished (virtual ms). */
  at: number;
  full: boolean;
  /** The iptables-restore input applied. */
  text: string;
  /** When the endpoint changes it programmed were made, for the network programming latency. */
  endpointChangeTimes: number[];
}

/** A line of iptables-restore input from its words, as LineBuffer.Write joins them. */
const line = (...words: ReadonlyArray<string | readonly string[]>) => words.flat().join(' ');

/** Go's fmt.Sprintf("%0.10f", 1/n). */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

export class Proxier {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  /** The state each service (`ns/name`) had at the last successful sync, for partial syncs. */
  private readonly changedServices = new Set<string>();
  private readonly endpointChangeTimes: number[] = [];
  private nodeLabels: Record<string, string> | undefined;
  private servicesSynced = false;
  private endpointSlicesSynced = false;
  private needFullSync = true;
  private lastFullSync = -Infinity;
  /** The service and endpoint chains the last successful sync left in the nat table. */
  private activeNATChains = new Set<string>();
  private readonly runner: BoundedFrequencyRunner;
  readonly masqueradeMark: string;

  private readonly syncListeners: Array<(result: SyncResult) => void> = [];
  private readonly queuedListeners: Array<() => void> = [];

  constructor(private readonly options: ProxierOptions) {
    this.masqueradeMark = `0x${(1 << options.masqueradeBit).toString(16).padStart(8, '0')}`;
    options.log.vInfoS(2, 'proxier.go:273', 'Using iptables mark for masquerade', { ipFamily: 'IPv4', mark: this.masqueradeMark });
    options.log.vInfoS(2, 'proxier.go:309', 'Iptables sync params', { ipFamily: 'IPv4', minSyncPeriod: goDuration(options.minSyncPeriodMs), syncPeriod: goDuration(options.syncPeriodMs), burstSyncs: 2 });
    this.runner = new BoundedFrequencyRunner('sync-runner', () => this.syncProxyRules(), options.minSyncPeriodMs, options.syncPeriodMs, 2, options.scheduler);
    options.log.vInfoS(2, 'proxier.go:320', 'Iptables supports --random-fully', { ipFamily: 'IPv4' });
  }

  /** Told after every successful sync. */
  onDidSync(listener: (result: SyncResult) => void): void {
    this.syncListeners.push(listener);
  }

  /** Told whenever a sync is queued (the healthz server's QueuedUpdate). */
  onDidQueue(listener: () => void): void {
    this.queuedListeners.push(listener);
  }

  /** SyncLoop: periodic syncs from now on. */
  syncLoop(): void {
    this.runner.loop();
  }

  stop(): void {
    this.runner.stop();
  }

  private get initialized(): boolean {
    return this.servicesSynced && this.endpointSlicesSynced;
  }

  /** Sync: ask the runner for a sync as soon as it allows. */
  sync(): void {
    for (const l of this.queuedListeners) l();
    this.runner.run();
  }

  onServiceAdd(service: Service): void {
    this.onServiceUpdate(undefined, service);
  }

  onServiceUpdate(old: Service | undefined, service: Service): void {
    const key = keyOf(service);
    this.services.set(key, service);
    if (sameJSON(servicePorts(old ?? {}), servicePorts(service))) return;
    this.changedServices.add(key);
    if (this.initialized) this.sync();
  }

  onServiceDelete(service: Service): void {
    const key = keyOf(service);
    this.services.delete(key);
    if (servicePorts(service).length === 0) return;
    this.changedServices.add(key);
    if (this.initialized) this.sync();
  }

  onServicesSynced(): void {
    this.servicesSynced = true;
    this.syncProxyRules();
  }

  onEndpointSliceAdd(slice: EndpointSlice): void {
    this.onEndpointSliceChange(slice, false);
  }

  onEndpointSliceUpdate(_old: EndpointSlice, slice: EndpointSlice): void {
    this.onEndpointSliceChange(slice, false);
  }

  onEndpointSliceDelete(slice: EndpointSlice): void {
    this.onEndpointSliceChange(slice, true);
  }

  onEndpointSlicesSynced(): void {
    this.endpointSlicesSynced = true;
    this.syncProxyRules();
  }

  /** EndpointSliceUpdate: a change of a service's endpoints queues a sync. */
  private onEndpointSliceChange(slice: EndpointSlice, removed: boolean): void {
    const serviceName = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!serviceName) return;
    const service = `${slice.metadata?.namespace ?? ''}/${serviceName}`;
    const before = this.endpointsOf(service);
    if (removed) this.slices.delete(keyOf(slice));
    else this.slices.set(keyOf(slice), slice);
    if (sameJSON([...before], [...this.endpointsOf(service)])) return;
    this.changedServices.add(service);
    const trigger = slice.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'];
    const at = trigger ? Date.parse(trigger) : NaN;
    if (!Number.isNaN(at)) this.endpointChangeTimes.push(at);
    if (this.initialized) this.sync();
  }

  onNodeAdd(node: Node): void {
    this.onNodeUpdate(undefined, node);
  }

  onNodeUpdate(_old: Node | undefined, node: Node): void {
    if (node.metadata?.name !== this.options.hostname) {
      this.options.log.errorS('proxier.go:712', undefined, "Received a watch event for a node that doesn't match the current node", { eventNode: node.metadata?.name ?? '', currentNode: this.options.hostname });
      return;
    }
    const labels = node.metadata?.labels ?? {};
    if (this.nodeLabels && sameJSON(sortedEntries(this.nodeLabels), sortedEntries(labels))) return;
    this.nodeLabels = { ...labels };
    this.needFullSync = true;
    this.options.log.vInfoS(4, 'proxier.go:727', 'Updated proxier node labels', { labels });
    this.sync();
  }

  onNodeDelete(node: Node): void {
    if (node.metadata?.name !== this.options.hostname) return;
    this.nodeLabels = undefined;
    this.needFullSync = true;
    this.sync();
  }

  /** The endpoints of every port of a service, by portKey. */
  private endpointsOf(service: string): Map<string, EndpointInfo[]> {
    const slices = [...this.slices.values()].filter((s) => `${s.metadata?.namespace ?? ''}/${s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? ''}` === service);
    return endpointsFor(service, slices);
  }

  /** syncProxyRules: write and apply the rules (a no-op until both informers have synced). */
  syncProxyRules(): void {
    const log = this.options.log;
    if (!this.initialized) {
      log.vInfoS(2, 'proxier.go:798', 'Not syncing iptables until Services and Endpoints have been received from master');
      return;
    }
    const now = this.options.scheduler.now();
    const full = this.needFullSync || now - this.lastFullSync > FULL_SYNC_PERIOD_MS;
    log.vInfoS(2, 'proxier.go:830', 'Syncing iptables rules', { ipFamily: 'IPv4' });
    const changed = new Set(this.changedServices);
    this.changedServices.clear();
    const changeTimes = this.endpointChangeTimes.splice(0);
    const fail = () => {
      log.infoS('proxier.go:836', 'Sync failed', { ipFamily: 'IPv4', retryingTime: goDuration(this.options.syncPeriodMs) });
      this.runner.retryAfter(this.options.syncPeriodMs);
      this.needFullSync = true;
    };
    if (full) {
      try {
        this.ensureJumpRules();
      } catch (error) {
        log.errorS('proxier.go:871', errorText(error), 'Failed to ensure chain jumps', { ipFamily: 'IPv4' });
        fail();
        return;
      }
    }
    const { text, activeNATChains, numServices, numEndpoints, counts } = this.buildRules(full ? undefined : changed);
    log.vInfoS(2, 'proxier.go:1478', 'Reloading service iptables data', { ipFamily: 'IPv4', numServices, numEndpoints, ...counts });
    try {
      this.options.apply(text);
    } catch (error) {
      log.errorS('proxier.go:1495', errorText(error), 'Failed to execute iptables-restore', { ipFamily: 'IPv4' });
      fail();
      return;
    }
    this.activeNATChains = activeNATChains;
    this.needFullSync = false;
    if (full) this.lastFullSync = now;
    const at = this.options.scheduler.now();
    log.vInfoS(2, 'proxier.go:810', 'SyncProxyRules complete', { ipFamily: 'IPv4', elapsed: '0s' });
    for (const listener of this.syncListeners) listener({ at, full, text, endpointChangeTimes: changeTimes });
  }

  /**
   * EnsureChain + EnsureRule(Prepend) for each jump from a built-in chain, and the canary chains.
   * With only iptables-restore to hand, "ensure" is a delete-and-insert when the rule is there and an
   * insert when it is not: either way exactly one copy, first in its chain.
   */
  private ensureJumpRules(): void {
    const tables: Record<'mangle' | 'filter' | 'nat', string[]> = { mangle: [`:${KUBE_PROXY_CANARY} - [0:0]`], filter: [`:${KUBE_PROXY_CANARY} - [0:0]`], nat: [`:${KUBE_PROXY_CANARY} - [0:0]`] };
    this.options.apply(restoreText(tables));
    for (const jump of JUMP_CHAINS) {
      const args = [...jump.extraArgs, ...(jump.comment ? ['-m', 'comment', '--comment', quote(jump.comment)] : []), '-j', jump.dstChain];
      const chain = `:${jump.dstChain} - [0:0]`;
      try {
        this.options.apply(`*${jump.table}\n-D ${jump.srcChain} ${args.join(' ')}\n-I ${jump.srcChain} 1 ${args.join(' ')}\nCOMMIT\n`);
      } catch {
        // Not there yet (or its target chain is missing): create the chain, then the rule.
        this.options.apply(`*${jump.table}\n${chain}\n-I ${jump.srcChain} 1 ${args.join(' ')}\nCOMMIT\n`);
      }
    }
  }

  /** The iptables-restore input of a sync: full (`changed` undefined) or for the changed services only. */
  buildRules(changed?: ReadonlySet<string>): { text: string; activeNATChains: Set<string>; numServices: number; numEndpoints: number; counts: Record<string, number> } {
    const { clusterCIDR, masqueradeAll, localhostNodePorts, hostname } = this.options;
    const mark = this.masqueradeMark;
    const filterChains: string[] = [];
    const filterRules: string[] = [];
    const natChains: string[] = [];
    const natRules: string[] = [];
    for (const chain of [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]) filterChains.push(`:${chain} - [0:0]`);
    for (const chain of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ]) natChains.push(`:${chain} - [0:0]`);
    natRules.push(line('-A', KUBE_POSTROUTING, '-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN'));
    natRules.push(line('-A', KUBE_POSTROUTING, '-j', 'MARK', '--xor-mark', mark));
    natRules.push(line('-A', KUBE_POSTROUTING, '-m', 'comment', '--comment', '"kubernetes service traffic requiring SNAT"', '-j', 'MASQUERADE', '--random-fully'));
    natRules.push(line('-A', KUBE_MARK_MASQ, '-j', 'MARK', '--or-mark', mark));
    if (localhostNodePorts) {
      filterChains.push(`:${KUBE_FIREWALL} - [0:0]`);
      filterRules.push(line('-A', KUBE_FIREWALL, '-m', 'comment', '--comment', '"block incoming localnet connections"', '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'));
    }
    const ifLocal = clusterCIDR ? ['-s', clusterCIDR] : undefined;
    const ifNotLocal = clusterCIDR ? ['!', '-s', clusterCIDR] : undefined;
    const activeNATChains = new Set<string>();

    const ports: ServicePort[] = [...this.services.values()].flatMap((s) => servicePorts(s)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : 1));
    const endpointsByService = new Map<string, Map<string, EndpointInfo[]>>();
    let numEndpoints = 0;
    for (const svc of ports) {
      if (!endpointsByService.has(svc.service)) endpointsByService.set(svc.service, this.endpointsOf(svc.service));
      numEndpoints += endpointsByService.get(svc.service)!.get(portKey(svc.name, svc.protocol))?.length ?? 0;
    }

    for (const svc of ports) {
      const protocol = svc.protocol.toLowerCase();
      const name = svc.name;
      const allEndpoints = endpointsByService.get(svc.service)!.get(portKey(name, svc.protocol)) ?? [];
      const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints } = categorizeEndpoints(allEndpoints, svc, hostname);
      const clusterPolicyChain = servicePortPolicyClusterChain(name, protocol);
      const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(svc);
      const localPolicyChain = servicePortPolicyLocalChainName(name, protocol);
      const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(svc);
      let internalPolicyChain = clusterPolicyChain;
      let hasInternalEndpoints = hasAnyEndpoints;
      if (svc.internalPolicyLocal) {
        internalPolicyChain = localPolicyChain;
        if (localEndpoints.length === 0) hasInternalEndpoints = false;
      }
      let externalPolicyChain = clusterPolicyChain;
      let hasExternalEndpoints = hasAnyEndpoints;
      if (svc.externalPolicyLocal) {
        externalPolicyChain = localPolicyChain;
        if (localEndpoints.length === 0) hasExternalEndpoints = false;
      }
      const externalTrafficChain = serviceExternalChainName(name, protocol);
      const usesExternalTrafficChain = hasAnyEndpoints && externallyAccessible(svc);

      let internalFilterTarget = '';
      let internalFilterComment = '';
      let externalFilterTarget = '';
      let externalFilterComment = '';
      if (!hasAnyEndpoints) {
        internalFilterTarget = externalFilterTarget = 'REJECT';
        internalFilterComment = externalFilterComment = `"${name} has no endpoints"`;
      } else {
        if (!hasInternalEndpoints) {
          internalFilterTarget = 'DROP';
          internalFilterComment = `"${name} has no local endpoints"`;
        }
        if (!hasExternalEndpoints) {
          externalFilterTarget = 'DROP';
          externalFilterComment = `"${name} has no local endpoints"`;
        }
      }
      const dport = String(svc.port);

      if (hasInternalEndpoints) {
        natRules.push(line('-A', KUBE_SERVICES, '-m', 'comment', '--comment', `"${name} cluster IP"`, '-m', protocol, '-p', protocol, '-d', svc.clusterIP, '--dport', dport, '-j', internalPolicyChain));
      } else {
        filterRules.push(line('-A', KUBE_SERVICES, '-m', 'comment', '--comment', internalFilterComment, '-m', protocol, '-p', protocol, '-d', svc.clusterIP, '--dport', dport, '-j', internalFilterTarget));
      }
      for (const externalIP of svc.externalIPs) {
        if (hasAnyEndpoints) natRules.push(line('-A', KUBE_SERVICES, '-m', 'comment', '--comment', `"${name} external IP"`, '-m', protocol, '-p', protocol, '-d', externalIP, '--dport', dport, '-j', externalTrafficChain));
        if (!hasExternalEndpoints) filterRules.push(line('-A', KUBE_EXTERNAL_SERVICES, '-m', 'comment', '--comment', externalFilterComment, '-m', protocol, '-p', protocol, '-d', externalIP, '--dport', dport, '-j', externalFilterTarget));
      }
      if (svc.nodePort !== 0) {
        if (hasAnyEndpoints) natRules.push(line('-A', KUBE_NODEPORTS, '-m', 'comment', '--comment', name, '-m', protocol, '-p', protocol, '--dport', String(svc.nodePort), '-j', externalTrafficChain));
        if (!hasExternalEndpoints) filterRules.push(line('-A', KUBE_EXTERNAL_SERVICES, '-m', 'comment', '--comment', externalFilterComment, '-m', 'addrtype', '--dst-type', 'LOCAL', '-m', protocol, '-p', protocol, '--dport', String(svc.nodePort), '-j', externalFilterTarget));
      }

      // An unchanged service's chains are left as they are in a partial sync (but still count as active).
      const skip = changed !== undefined && !changed.has(svc.service);
      const chains = skip ? [] : natChains;
      const rules = skip ? [] : natRules;

      if (hasInternalEndpoints) {
        const args = ['-m', 'comment', '--comment', `"${name} cluster IP"`, '-m', protocol, '-p', protocol, '-d', svc.clusterIP, '--dport', dport];
        if (masqueradeAll) rules.push(line('-A', internalPolicyChain, args, '-j', KUBE_MARK_MASQ));
        else if (ifNotLocal) rules.push(line('-A', internalPolicyChain, args, ifNotLocal, '-j', KUBE_MARK_MASQ));
      }
      if (usesExternalTrafficChain) {
        chains.push(`:${externalTrafficChain} - [0:0]`);
        activeNATChains.add(externalTrafficChain);
        if (!svc.externalPolicyLocal) {
          rules.push(line('-A', externalTrafficChain, '-m', 'comment', '--comment', `"masquerade traffic for ${name} external destinations"`, '-j', KUBE_MARK_MASQ));
        } else {
          if (ifLocal) rules.push(line('-A', externalTrafficChain, '-m', 'comment', '--comment', `"pod traffic for ${name} external destinations"`, ifLocal, '-j', clusterPolicyChain));
          rules.push(line('-A', externalTrafficChain, '-m', 'comment', '--comment', `"masquerade LOCAL traffic for ${name} external destinations"`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', KUBE_MARK_MASQ));
          rules.push(line('-A', externalTrafficChain, '-m', 'comment', '--comment', `"route LOCAL traffic for ${name} external destinations"`, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', clusterPolicyChain));
        }
        if (hasExternalEndpoints) rules.push(line('-A', externalTrafficChain, '-j', externalPolicyChain));
      }
      if (usesClusterPolicyChain) {
        chains.push(`:${clusterPolicyChain} - [0:0]`);
        activeNATChains.add(clusterPolicyChain);
        this.writeServiceToEndpointRules(rules, svc, clusterPolicyChain, clusterEndpoints);
      }
      if (usesLocalPolicyChain) {
        chains.push(`:${localPolicyChain} - [0:0]`);
        activeNATChains.add(localPolicyChain);
        this.writeServiceToEndpointRules(rules, svc, localPolicyChain, localEndpoints);
      }
      for (const ep of allReachableEndpoints) {
        const endpointChain = servicePortEndpointChainName(name, protocol, ep.endpoint);
        chains.push(`:${endpointChain} - [0:0]`);
        activeNATChains.add(endpointChain);
        const args = ['-A', endpointChain, '-m', 'comment', '--comment', name];
        rules.push(line(args, '-s', ep.ip, '-j', KUBE_MARK_MASQ));
        const affinity = svc.sessionAffinityClientIP ? ['-m', 'recent', '--name', endpointChain, '--set'] : [];
        rules.push(line(args, affinity, '-m', protocol, '-p', protocol, '-j', 'DNAT', '--to-destination', ep.endpoint));
      }
    }

    // Chains this process wrote before and no longer needs: flush (chain line) and delete.
    for (const chain of [...this.activeNATChains].sort()) {
      if (activeNATChains.has(chain) || !isServiceChainName(chain)) continue;
      natChains.push(`:${chain} - [0:0]`);
      natRules.push(line('-X', chain));
    }
    const destinations = ['-m', 'addrtype', '--dst-type', 'LOCAL', ...(localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8'])];
    natRules.push(line('-A', KUBE_SERVICES, '-m', 'comment', '--comment', '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"', destinations, '-j', KUBE_NODEPORTS));
    filterRules.push(line('-A', KUBE_FORWARD, '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'));
    filterRules.push(line('-A', KUBE_FORWARD, '-m', 'comment', '--comment', '"kubernetes forwarding rules"', '-m', 'mark', '--mark', `${mark}/${mark}`, '-j', 'ACCEPT'));
    filterRules.push(line('-A', KUBE_FORWARD, '-m', 'comment', '--comment', '"kubernetes forwarding conntrack rule"', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'));

    const text = ['*filter', ...filterChains, ...filterRules, 'COMMIT', '*nat', ...natChains, ...natRules, 'COMMIT', ''].join('\n');
    return {
      text,
      activeNATChains,
      numServices: ports.length,
      numEndpoints,
      counts: { numFilterChains: filterChains.length, numFilterRules: filterRules.length, numNATChains: natChains.length, numNATRules: natRules.length },
    };
  }

  /** writeServiceToEndpointRules: affinity checks, then the probability ladder to each endpoint's chain. */
  private writeServiceToEndpointRules(rules: string[], svc: ServicePort, svcChain: string, endpoints: readonly EndpointInfo[]): void {
    const protocol = svc.protocol.toLowerCase();
    if (svc.sessionAffinityClientIP) {
      for (const ep of endpoints) {
        const epChain = servicePortEndpointChainName(svc.name, protocol, ep.endpoint);
        rules.push(line('-A', svcChain, '-m', 'comment', '--comment', `"${svc.name} -> ${ep.endpoint}"`, '-m', 'recent', '--name', epChain, '--rcheck', '--seconds', String(svc.stickyMaxAgeSeconds), '--reap', '-j', epChain));
      }
    }
    endpoints.forEach((ep, i) => {
      const epChain = servicePortEndpointChainName(svc.name, protocol, ep.endpoint);
      const ladder = i < endpoints.length - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', probability(endpoints.length - i)] : [];
      rules.push(line('-A', svcChain, '-m', 'comment', '--comment', `"${svc.name} -> ${ep.endpoint}"`, ladder, '-j', epChain));
    });
  }
}

/** iptables-restore input of chain/rule lines per table. */
function restoreText(tables: Record<string, string[]>): string {
  return Object.entries(tables)
    .map(([table, lines]) => `*${table}\n${lines.map((l) => `${l}\n`).join('')}COMMIT\n`)
    .join('');
}

/** A comment as iptables-restore reads it: quoted when it has spaces. */
function quote(text: string): string {
  return /\s/.test(text) ? `"${text}"` : text;
}

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sortedEntries(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** time.Duration's String of whole milliseconds: 1s, 30s, 1m0s. */
export function goDuration(ms: number): string {
  return goDurationNs(BigInt(Math.round(ms)) * 1_000_000n);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
