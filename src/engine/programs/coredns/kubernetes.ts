/**
 * CoreDNS's kubernetes plugin (plugin/kubernetes, 1.11.3): the cluster's Services, EndpointSlices
 * (discovery.k8s.io/v1) and Namespaces — Pods too under `pods verified` — kept by client-go informers
 * over the apiserver, answered as DNS records of the cluster domain as the DNS specification for
 * Kubernetes describes them:
 *
 * - `<svc>.<ns>.svc.<zone>` A: the ClusterIP; for a headless Service each ready endpoint's address;
 *   an ExternalName Service is a CNAME. `<endpoint>.<svc>.<ns>.svc.<zone>`: that endpoint, named by its
 *   hostname or its address with dashes.
 * - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV (and without the port part, every port), priority 0,
 *   weights sharing 100, targets' A records in the additional section.
 * - `a-b-c-d.<ns>.pod.<zone>` A under `pods insecure` (any existing namespace) or `pods verified`.
 * - PTR in in-addr.arpa for ClusterIPs and endpoint addresses.
 * - The apex: SOA `ns.dns.<zone> hostmaster.<zone> <serial> 7200 1800 86400 <ttl>` (the serial is the
 *   time of the last change seen), NS `ns.dns.<zone>`, `ns.dns.<zone>` A (the DNS Service's ClusterIP),
 *   `dns-version.<zone>` TXT "1.1.0".
 * An unknown name is NXDOMAIN, a known one without records of the type NODATA, both with the SOA; an
 * NXDOMAIN under a `fallthrough` zone goes to the next plugin instead. Before the informers have synced,
 * every answer is SERVFAIL.
 *
 * The client is the in-cluster one: KUBERNETES_SERVICE_HOST/PORT, the service-account token re-read for
 * every request. Failed lists and watches are logged the way klog's lines reach CoreDNS's log (client-go
 * v0.29.3's reflector), with Go's error texts for failed dials.
 *
 * Left out: wildcard queries, `endpoint_pod_names`, `namespaces`/`labels` filters, `noendpoints`,
 * autopath, IPv6 records, multicluster, kubeconfig/endpoint options, client-go's request traces.
 */
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import type { ApiRequest, ApiResponse } from '../../apiserver/http.ts';
import { StatusError } from '../../api/errors.ts';
import { RESOURCES } from '../../client/resources.ts';
import { isExpired } from '../../client/cache/reflector.ts';
import { SharedInformerFactory, type SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { RestClient, type KubeObject } from '../../client/rest/restClient.ts';
import type { Transport } from '../../client/rest/transport.ts';
import { KernelError } from '../../kernel/errno.ts';
import { CLASS_IN, TYPE, splitLabels, type ResourceRecord } from './dnsMessage.ts';

/** Where klog's reflector lines say they come from, in the 1.11.3 build. */
export const REFLECTOR_SOURCE = 'pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:229';

export interface KubernetesConfig {
  /** Fully qualified zones: `cluster.local.`, `in-addr.arpa.`, `ip6.arpa.`. */
  zones: string[];
  pods: 'disabled' | 'insecure' | 'verified';
  /** Zones whose NXDOMAINs go on to the next plugin ([] with the bare keyword: every zone). */
  fallthrough: string[] | undefined;
  ttl: number;
}

/** The answer of the plugin: records and an rcode, or `next` (not ours, or fallthrough). */
export type KubernetesAnswer =
  | { next: true }
  | { next: false; rcode: number; answers: ResourceRecord[]; authority: ResourceRecord[]; additional: ResourceRecord[] };

interface Port {
  name?: string;
  port?: number;
  protocol?: string;
}

interface ServiceObject extends KubeObject {
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[]; externalName?: string; ports?: Port[] };
}

interface EndpointSliceObject extends KubeObject {
  addressType?: string;
  endpoints?: Array<{ addresses?: string[]; hostname?: string; conditions?: { ready?: boolean } }>;
  ports?: Port[];
}

interface PodObject extends KubeObject {
  status?: { podIP?: string; phase?: string };
}

/** One answerable target: an address (and port) under a DNS name. */
interface Target {
  host: string;
  port: number;
  /** The name an SRV record points at. */
  name: string;
  cname?: boolean;
}

/** A name error (NXDOMAIN) from a lookup. */
class NameError extends Error {}

/** A transport whose failed dials read as Go's url.Error does: `Get "https://…": dial tcp …: i/o timeout`. */
class GoErrorTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly server: string,
  ) {}

  async request(request: ApiRequest): Promise<ApiResponse> {
    try {
      return await this.inner.request(request);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      const method = request.method.charAt(0) + request.method.slice(1).toLowerCase();
      const query = [...request.query.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      const dial = error.code === 'ETIMEDOUT' ? 'i/o timeout' : `connect: ${error.describe.toLowerCase()}`;
      throw new Error(`${method} "https://${this.server}${request.path}${query ? `?${query}` : ''}": dial tcp ${this.server}: ${dial}`, { cause: error });
    }
  }
}

function errorText(error: unknown): string {
  if (error instanceof StatusError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export interface KubernetesOptions {
  clock: Clock;
  rng: SeededRng;
  transport: Transport;
  /** `10.96.0.1:443`, for error texts. */
  server: string;
  /** The process's own addresses (for ns.dns.<zone>). */
  localIPs: () => string[];
  log: (line: string) => void;
}

export class Kubernetes {
  private readonly factory: SharedInformerFactory;
  private readonly services: SharedIndexInformer<ServiceObject>;
  private readonly slices: SharedIndexInformer<EndpointSliceObject>;
  private readonly namespaces: SharedIndexInformer<KubeObject>;
  private readonly pods: SharedIndexInformer<PodObject> | undefined;
  /** Unix seconds of the last change the informers delivered: the SOA serial. */
  private modified = 0;

  constructor(
    readonly config: KubernetesConfig,
    private readonly options: KubernetesOptions,
  ) {
    const client = new RestClient(new GoErrorTransport(options.transport, options.server));
    this.factory = new SharedInformerFactory(client, { clock: options.clock, rng: options.rng });
    this.services = this.factory.informerFor<ServiceObject>(RESOURCES.services);
    this.slices = this.factory.informerFor<EndpointSliceObject>(RESOURCES.endpointslices);
    this.namespaces = this.factory.informerFor<KubeObject>(RESOURCES.namespaces);
    if (config.pods === 'verified') this.pods = this.factory.informerFor<PodObject>(RESOURCES.pods);
    const touch = () => (this.modified = Math.floor(options.clock.now() / 1000));
    const handler = { onAdd: touch, onUpdate: touch, onDelete: touch };
    this.services.addEventHandler(handler);
    this.slices.addEventHandler(handler);
    const watched: Array<[SharedIndexInformer<KubeObject>, string]> = [
      [this.services, '*v1.Service'],
      [this.slices, '*v1.EndpointSlice'],
      [this.namespaces, '*v1.Namespace'],
    ];
    if (this.pods) watched.push([this.pods, '*v1.Pod']);
    for (const [informer, type] of watched) {
      informer.onDidError(({ during, error }) => {
        const text = errorText(error);
        if (during === 'list') {
          options.log(`[INFO] plugin/kubernetes: ${REFLECTOR_SOURCE}: failed to list ${type}: ${text}`);
          options.log(`[ERROR] plugin/kubernetes: ${REFLECTOR_SOURCE}: Failed to watch ${type}: failed to list ${type}: ${text}`);
        } else if (isExpired(error)) {
          options.log(`[INFO] plugin/kubernetes: ${REFLECTOR_SOURCE}: watch of ${type} ended with: ${text}`);
        } else {
          options.log(`[ERROR] plugin/kubernetes: ${REFLECTOR_SOURCE}: Failed to watch ${type}: ${text}`);
        }
      });
    }
  }

  /** APIConn.Run: start the informers. */
  run(): void {
    this.factory.start();
  }

  stop(): void {
    this.factory.shutdown();
  }

  /** Every informer has synced (the ready plugin asks this). */
  hasSynced(): boolean {
    return this.services.hasSynced() && this.slices.hasSynced() && this.namespaces.hasSynced() && (this.pods?.hasSynced() ?? true);
  }

  /** The zone of `qname` among the plugin's (the longest match), or undefined. */
  zoneOf(qname: string): string | undefined {
    const lower = qname.toLowerCase();
    return this.config.zones.filter((z) => z === '.' || lower === z || lower.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
  }

  /** ServeDNS: the answer to (qname, qtype), or `next`. */
  serve(qname: string, qtype: number): KubernetesAnswer {
    const zone = this.zoneOf(qname);
    if (!zone) return { next: true };
    const name = qname.toLowerCase();
    const soa = () => [this.soa(zone)];
    if (!this.hasSynced()) return { next: false, rcode: 2, answers: [], authority: soa(), additional: [] };
    const ok = (answers: ResourceRecord[], additional: ResourceRecord[] = []) =>
      answers.length > 0 ? { next: false as const, rcode: 0, answers, authority: [], additional } : { next: false as const, rcode: 0, answers: [], authority: soa(), additional: [] };
    const nxdomain = (): KubernetesAnswer => {
      if (this.fallsThrough(name)) return { next: true };
      return { next: false, rcode: 3, answers: [], authority: soa(), additional: [] };
    };
    const rr = (type: number, data: ResourceRecord['data'], owner = qname): ResourceRecord => ({ name: owner, type, class: CLASS_IN, ttl: this.config.ttl, data });
    try {
      if (name === zone) {
        if (qtype === TYPE.SOA) return ok([this.soa(zone)]);
        if (qtype === TYPE.NS) return ok([rr(TYPE.NS, { kind: 'NS', target: `ns.dns.${zone}` })], this.nsAddrs().map((a) => rr(TYPE.A, { kind: 'A', address: a }, `ns.dns.${zone}`)));
        return ok([]);
      }
      if (name === `ns.dns.${zone}`) return ok(qtype === TYPE.A ? this.nsAddrs().map((a) => rr(TYPE.A, { kind: 'A', address: a })) : []);
      if (name === `dns-version.${zone}`) return ok(qtype === TYPE.TXT ? [rr(TYPE.TXT, { kind: 'TXT', texts: ['1.1.0'] })] : []);
      if (qtype === TYPE.PTR || isReverse(zone)) {
        if (!isReverse(zone)) throw new NameError();
        const ip = reverseIp(name);
        const ptr = ip ? this.ptrFor(ip) : undefined;
        if (!ptr) throw new NameError();
        return ok(qtype === TYPE.PTR ? [rr(TYPE.PTR, { kind: 'PTR', target: ptr })] : []);
      }
      const targets = this.records(name, zone);
      if (targets.some((t) => t.cname)) {
        const t = targets.find((x) => x.cname)!;
        return ok(qtype === TYPE.SRV ? [] : [rr(TYPE.CNAME, { kind: 'CNAME', target: t.host.endsWith('.') ? t.host : `${t.host}.` })]);
      }
      switch (qtype) {
        case TYPE.A: {
          const seen = new Set<string>();
          return ok(targets.filter((t) => isIpv4(t.host) && !seen.has(t.host) && seen.add(t.host)).map((t) => rr(TYPE.A, { kind: 'A', address: t.host })));
        }
        case TYPE.SRV: {
          const usable = targets.filter((t) => t.port !== -1);
          const total = usable.length * 100;
          const seen = new Set<string>();
          const answers: ResourceRecord[] = [];
          const extra: ResourceRecord[] = [];
          for (const t of usable) {
            const key = `${t.name}:${t.port}`;
            if (seen.has(key)) continue;
            seen.add(key);
            answers.push(rr(TYPE.SRV, { kind: 'SRV', priority: 0, weight: Math.floor((100 / total) * 100), port: t.port, target: t.name }));
            if (!extra.some((e) => e.name === t.name)) extra.push(rr(TYPE.A, { kind: 'A', address: t.host }, t.name));
          }
          return ok(answers, extra);
        }
        default:
          return ok([]);
      }
    } catch (error) {
      if (error instanceof NameError) return nxdomain();
      throw error;
    }
  }

  /** The zone's SOA, as plugin.SOA builds it. */
  soa(zone: string): ResourceRecord {
    const ttl = Math.min(this.config.ttl, 300);
    return { name: zone, type: TYPE.SOA, class: CLASS_IN, ttl, data: { kind: 'SOA', mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: this.modified, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl } };
  }

  private fallsThrough(name: string): boolean {
    const zones = this.config.fallthrough;
    if (zones === undefined) return false;
    if (zones.length === 0) return true;
    return zones.some((z) => z === '.' || name === z || name.endsWith(`.${z}`));
  }

  /** parseRequest + Records for a forward name under `zone`. */
  private records(name: string, zone: string): Target[] {
    const base = name.slice(0, name.length - zone.length);
    const segs = splitLabels(base);
    if (segs.length === 0) return [];
    const podOrSvc = segs[segs.length - 1]!;
    if (podOrSvc !== 'svc' && podOrSvc !== 'pod') throw new NameError();
    if (segs.length === 1) return [];
    const namespace = segs[segs.length - 2]!;
    if (!this.namespaceExposed(namespace)) throw new NameError();
    if (podOrSvc === 'pod') return this.findPods(segs.slice(0, -2), namespace, name);
    if (segs.length === 2) return [];
    const service = segs[segs.length - 3]!;
    const rest = segs.slice(0, -3);
    let endpoint = '';
    let port = '';
    let protocol = '';
    if (rest.length === 1) endpoint = rest[0]!;
    else if (rest.length === 2) [port, protocol] = [stripUnderscore(rest[0]!), stripUnderscore(rest[1]!)];
    else if (rest.length > 2) throw new NameError();
    const svc = this.services.getIndexer().getByKey(`${namespace}/${service}`);
    if (!svc) throw new NameError();
    const spec = svc.spec ?? {};
    const svcName = `${service}.${namespace}.svc.${zone}`;
    const out: Target[] = [];
    if (spec.type === 'ExternalName') {
      if (endpoint || !spec.externalName) throw new NameError();
      return [{ host: spec.externalName, port: 0, name: svcName, cname: true }];
    }
    const headless = !spec.clusterIP || spec.clusterIP === 'None';
    const match = (want: string, have: string | undefined) => want === '' || want.toLowerCase() === (have ?? '').toLowerCase();
    if (headless || endpoint) {
      const slices = this.slices.getIndexer().list().filter((s) => s.metadata?.namespace === namespace && s.metadata?.labels?.['kubernetes.io/service-name'] === service && (s.addressType ?? 'IPv4') === 'IPv4');
      for (const slice of sortByName(slices)) {
        const ports: Port[] = slice.ports && slice.ports.length > 0 ? slice.ports : [{ port: -1, name: '', protocol: '' }];
        for (const ep of slice.endpoints ?? []) {
          if (ep.conditions?.ready === false) continue;
          for (const address of ep.addresses ?? []) {
            const host = endpointHostname(address, ep.hostname);
            if (endpoint && host !== endpoint) continue;
            for (const p of ports) {
              if (!(match(port, p.name) && (p.port === -1 ? protocol === '' : match(protocol, p.protocol ?? 'TCP')))) continue;
              out.push({ host: address, port: p.port ?? -1, name: `${host}.${svcName}` });
            }
          }
        }
      }
      if (out.length === 0) throw new NameError();
      return out;
    }
    for (const p of spec.ports ?? []) {
      if (!(match(port, p.name) && match(protocol, p.protocol ?? 'TCP'))) continue;
      for (const ip of spec.clusterIPs ?? [spec.clusterIP!]) out.push({ host: ip, port: p.port ?? 0, name: svcName });
    }
    if (out.length === 0) throw new NameError();
    return out;
  }

  private findPods(segs: string[], namespace: string, name: string): Target[] {
    if (this.config.pods === 'disabled' || segs.length !== 1) throw new NameError();
    const label = segs[0]!;
    const ip = label.split('-').length === 4 && !label.includes('--') ? label.replace(/-/g, '.') : '';
    if (!isIpv4(ip)) throw new NameError();
    if (this.config.pods === 'verified') {
      const found = this.pods!.getIndexer().list().some((p) => p.metadata?.namespace === namespace && p.status?.podIP === ip && !p.metadata?.deletionTimestamp);
      if (!found) throw new NameError();
    }
    return [{ host: ip, port: 0, name }];
  }

  private namespaceExposed(namespace: string): boolean {
    return this.namespaces.getIndexer().getByKey(namespace) !== undefined;
  }

  /** The PTR target for an address: a Service's ClusterIP first, then an endpoint's. */
  private ptrFor(ip: string): string | undefined {
    const zone = this.config.zones.find((z) => !isReverse(z)) ?? 'cluster.local.';
    for (const svc of sortByName(this.services.getIndexer().list())) {
      const ips = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
      if (ips.includes(ip)) return `${svc.metadata!.name}.${svc.metadata!.namespace}.svc.${zone}`;
    }
    for (const slice of sortByName(this.slices.getIndexer().list())) {
      const service = slice.metadata?.labels?.['kubernetes.io/service-name'];
      if (!service) continue;
      for (const ep of slice.endpoints ?? []) {
        if ((ep.addresses ?? []).includes(ip)) return `${endpointHostname(ip, ep.hostname)}.${service}.${slice.metadata!.namespace}.svc.${zone}`;
      }
    }
    return undefined;
  }

  /** nsAddrs: the ClusterIP of the Service whose endpoints are this process, else its own addresses. */
  private nsAddrs(): string[] {
    const local = this.options.localIPs();
    const out: string[] = [];
    for (const slice of sortByName(this.slices.getIndexer().list())) {
      const mine = (slice.endpoints ?? []).some((ep) => (ep.addresses ?? []).some((a) => local.includes(a)));
      const service = slice.metadata?.labels?.['kubernetes.io/service-name'];
      if (!mine || !service) continue;
      const svc = this.services.getIndexer().getByKey(`${slice.metadata!.namespace}/${service}`);
      const ip = svc?.spec?.clusterIP;
      if (ip && ip !== 'None' && !out.includes(ip)) out.push(ip);
    }
    return out.length > 0 ? out : local;
  }
}

function sortByName<T extends KubeObject>(items: T[]): T[] {
  const key = (o: T) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function stripUnderscore(s: string): string {
  return s.startsWith('_') ? s.slice(1) : s;
}

/** An endpoint's DNS label: its hostname, else its address with dashes. */
function endpointHostname(address: string, hostname: string | undefined): string {
  if (hostname) return hostname;
  return address.replace(/[.:]/g, '-');
}

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isReverse(zone: string): boolean {
  return zone.endsWith('in-addr.arpa.') || zone.endsWith('ip6.arpa.');
}

/** `4.3.2.1.in-addr.arpa.` → `1.2.3.4`; undefined for anything else. */
function reverseIp(name: string): string | undefined {
  if (!name.endsWith('.in-addr.arpa.')) return undefined;
  const octets = splitLabels(name.slice(0, -'.in-addr.arpa.'.length));
  if (octets.length !== 4) return undefined;
  const ip = octets.reverse().join('.');
  return isIpv4(ip) ? ip : undefined;
}
