/**
 * The setup functions of the emulated plugins: each reads its directive's tokens from a server block
 * as the plugin's setup.go does and yields its settings, or fails with the plugin's own message,
 * prefixed as plugin.Error prefixes it: `plugin/health: /etc/coredns/Corefile:4 - Error during parsing:
 * Wrong argument count or unexpected line ending after 'lameduck'`. Server block keys become zones and
 * ports as dnsserver normalizes them (`.:53`, `cluster.local:5353`; `-dns.port` for keys without one).
 *
 * Left out: the properties of these plugins not listed in their functions below, and any setup of the
 * other plugins of plugin.cfg (they are accepted and do nothing).
 */
import { DIRECTIVES, type Dispenser, type ServerBlock, occurrences } from './corefile.ts';
import type { KubernetesConfig } from './kubernetes.ts';
import type { CacheConfig } from './server.ts';

/** A setup failure, in plugin.Error's words. */
export class PluginError extends Error {}

export interface BlockSetup {
  zone: string;
  port: number;
  errors: boolean;
  health: { address: string; lameduckMs: number } | undefined;
  ready: { address: string } | undefined;
  prometheus: { address: string } | undefined;
  kubernetes: KubernetesConfig | undefined;
  forward: { from: string; to: string[]; maxConcurrent: number } | undefined;
  cache: CacheConfig | undefined;
  loop: boolean;
  /** The reload plugin's check period (its interval moved once by up to ± jitter/2). */
  reload: { intervalMs: number; jitterMs: number } | undefined;
  loadbalance: boolean;
  /** The directives present, in plugin.cfg order (for coredns_plugin_enabled). */
  plugins: string[];
}

/** What setups read from the process: files (resolv.conf). */
export interface SetupEnv {
  readFile(path: string): string | undefined;
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in ms; throws Go's error text. */
export function parseGoDuration(text: string): number {
  const bad = () => new Error(`time: invalid duration "${text}"`);
  if (text === '0') return 0;
  let i = text.startsWith('-') || text.startsWith('+') ? 1 : 0;
  if (i === text.length) throw bad();
  let total = 0;
  while (i < text.length) {
    const number = /^(\d+(?:\.\d*)?|\.\d+)/.exec(text.slice(i));
    if (!number) throw bad();
    i += number[0].length;
    const unit = /^[^\d.]*/.exec(text.slice(i))![0];
    if (unit === '') throw new Error(`time: missing unit in duration "${text}"`);
    const scale = GO_UNITS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
    total += Number(number[1]) * scale;
    i += unit.length;
  }
  return text.startsWith('-') ? -total : total;
}

/** Go's Duration.String for whole milliseconds and up: `5s`, `1m30s`, `500ms`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** A key's zone and port: `.:53` → ['.', 53]; `cluster.local` → ['cluster.local.', defaultPort]. */
export function normalizeKey(key: string, defaultPort: number): { zone: string; port: number } {
  let rest = key.replace(/^dns:\/\//, '');
  let port = defaultPort;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    const p = rest.slice(colon + 1);
    if (!/^\d+$/.test(p) || Number(p) > 65535) throw new PluginError(`invalid port '${p}'`);
    port = Number(p);
    rest = rest.slice(0, colon);
  }
  const zone = rest === '' || rest === '.' ? '.' : `${rest.toLowerCase().replace(/\.$/, '')}.`;
  return { zone, port };
}

function fqdnZone(z: string): string {
  return z === '.' ? '.' : `${z.toLowerCase().replace(/\.$/, '')}.`;
}

/** Run the setups of one server block. */
export function setupBlock(file: string, block: ServerBlock, defaultPort: number, env: SetupEnv, directives: readonly string[] = DIRECTIVES): BlockSetup {
  const { zone, port } = normalizeKey(block.keys[0]!, defaultPort);
  const zones = block.keys.map((k) => normalizeKey(k, defaultPort).zone);
  const present = directives.filter((d) => block.tokens.has(d));
  const setup: BlockSetup = { zone, port, errors: false, health: undefined, ready: undefined, prometheus: undefined, kubernetes: undefined, forward: undefined, cache: undefined, loop: false, reload: undefined, loadbalance: false, plugins: present };
  const each = (name: string, fn: (c: Dispenser) => void) => {
    const all = occurrences(file, block, name);
    try {
      all.forEach((c, i) => {
        if (i > 0 && name !== 'health') throw new Error('this plugin can only be used once per Server Block');
        c.next();
        fn(c);
      });
    } catch (error) {
      if (error instanceof PluginError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new PluginError(`plugin/${name}: ${message}`);
    }
  };
  each('errors', (c) => {
    if (c.remainingArgs().length > 1) throw c.argErr();
    while (c.nextBlock()) if (c.val() !== 'consolidate') throw c.errf(`unknown property '${c.val()}'`);
    setup.errors = true;
  });
  each('health', (c) => {
    const args = c.remainingArgs();
    if (args.length > 1) throw c.argErr();
    if (args[0] !== undefined && !args[0].includes(':')) throw new Error(`address ${args[0]}: missing port in address`);
    let lameduckMs = 0;
    while (c.nextBlock()) {
      if (c.val() !== 'lameduck') throw c.argErr();
      const a = c.remainingArgs();
      if (a.length !== 1) throw c.argErr();
      try {
        lameduckMs = parseGoDuration(a[0]!);
      } catch (error) {
        throw new Error(`unable to parse lameduck duration value: "${a[0]!}": ${(error as Error).message}`, { cause: error });
      }
    }
    setup.health = { address: args[0] ?? ':8080', lameduckMs };
  });
  each('ready', (c) => {
    const args = c.remainingArgs();
    if (args.length > 1) throw c.argErr();
    setup.ready = { address: args[0] ?? ':8181' };
  });
  each('prometheus', (c) => {
    const args = c.remainingArgs();
    if (args.length > 1) throw c.argErr();
    setup.prometheus = { address: args[0] ?? 'localhost:9153' };
  });
  each('loadbalance', (c) => {
    const args = c.remainingArgs();
    if (args.length > 1 || (args[0] !== undefined && args[0] !== 'round_robin')) throw new Error(`unknown policy: ${args[0]!}`);
    setup.loadbalance = true;
  });
  each('cache', (c) => {
    const args = c.remainingArgs();
    let cap = 3600;
    const cacheZones: string[] = [];
    for (const a of args) {
      if (/^\d+$/.test(a)) {
        if (Number(a) === 0) throw new Error('cache TTL can not be zero or negative: 0');
        cap = Number(a);
      } else cacheZones.push(fqdnZone(a));
    }
    const config: CacheConfig = { successCap: cap, denialCap: Math.min(cap, 1800), disableSuccess: [], disableDenial: [] };
    while (c.nextBlock()) {
      const property = c.val();
      const a = c.remainingArgs();
      switch (property) {
        case 'disable': {
          if (a.length < 1 || (a[0] !== 'success' && a[0] !== 'denial')) throw c.argErr();
          const list = a.slice(1).map(fqdnZone);
          if (a[0] === 'success') config.disableSuccess = list.length ? list : ['.'];
          else config.disableDenial = list.length ? list : ['.'];
          break;
        }
        case 'success':
        case 'denial':
        case 'prefetch':
        case 'serve_stale':
        case 'servfail':
        case 'keepttl':
          break;
        default:
          throw c.errf(`unknown property '${property}'`);
      }
    }
    setup.cache = config;
  });
  each('kubernetes', (c) => {
    const args = c.remainingArgs();
    const kzones = (args.length > 0 ? args : zones).map(fqdnZone);
    const config: KubernetesConfig = { zones: kzones, pods: 'disabled', fallthrough: undefined, ttl: 5 };
    while (c.nextBlock()) {
      const property = c.val();
      const a = c.remainingArgs();
      switch (property) {
        case 'pods':
          if (a.length !== 1) throw c.argErr();
          if (a[0] !== 'disabled' && a[0] !== 'insecure' && a[0] !== 'verified') throw c.errf(`wrong value for pods: ${a[0]!},  must be one of: disabled, verified, insecure`);
          config.pods = a[0];
          break;
        case 'fallthrough':
          config.fallthrough = a.map(fqdnZone);
          break;
        case 'ttl': {
          if (a.length !== 1) throw c.argErr();
          if (!/^-?\d+$/.test(a[0]!)) throw new Error(`strconv.Atoi: parsing "${a[0]!}": invalid syntax`);
          const ttl = Number(a[0]);
          if (ttl < 0 || ttl > 3600) throw c.errf(`ttl must be in range [0, 3600]: ${ttl}`);
          config.ttl = ttl;
          break;
        }
        case 'endpoint_pod_names':
        case 'namespaces':
        case 'labels':
        case 'namespace_labels':
        case 'noendpoints':
        case 'kubeconfig':
        case 'endpoint':
        case 'multicluster':
        case 'ignore':
          break;
        default:
          throw c.errf(`unknown property '${property}'`);
      }
    }
    setup.kubernetes = config;
  });
  each('loop', (c) => {
    if (c.remainingArgs().length > 0) throw c.argErr();
    setup.loop = true;
  });
  each('forward', (c) => {
    const from = c.nextArg() ? fqdnZone(c.val()) : undefined;
    const to = c.remainingArgs();
    if (from === undefined || to.length === 0) throw c.argErr();
    const upstreams: string[] = [];
    for (const h of to) {
      const host = h.replace(/^dns:\/\//, '');
      if (/^\d+\.\d+\.\d+\.\d+(:\d+)?$/.test(host)) {
        upstreams.push(host.includes(':') ? host : `${host}:53`);
        continue;
      }
      const text = env.readFile(host);
      if (text === undefined) throw new Error(`not an IP address or file: "${host}"`);
      for (const line of text.split('\n')) {
        const m = /^\s*nameserver\s+(\S+)/.exec(line);
        if (m && /^\d+\.\d+\.\d+\.\d+$/.test(m[1]!)) upstreams.push(`${m[1]!}:53`);
      }
    }
    if (upstreams.length === 0) throw new Error('no nameservers found');
    let maxConcurrent = 0;
    while (c.nextBlock()) {
      const property = c.val();
      const a = c.remainingArgs();
      if (property === 'max_concurrent') {
        if (a.length !== 1) throw c.argErr();
        if (!/^\d+$/.test(a[0]!)) throw new Error(`strconv.Atoi: parsing "${a[0]!}": invalid syntax`);
        maxConcurrent = Number(a[0]);
      } else if (!['except', 'force_tcp', 'prefer_udp', 'expire', 'max_fails', 'health_check', 'policy', 'tls', 'tls_servername', 'next', 'failfast_all_unhealthy_upstreams'].includes(property)) {
        throw c.errf(`unknown property '${property}'`);
      }
    }
    setup.forward = { from, to: upstreams, maxConcurrent };
  });
  each('reload', (c) => {
    const args = c.remainingArgs();
    if (args.length > 2) throw c.argErr();
    const [interval, jitter] = args.map(parseGoDuration);
    if (interval !== undefined && interval < 2000) throw new Error(`interval value must be greater or equal to 2s`);
    if (jitter !== undefined && jitter < 1000) throw new Error(`jitter value must be greater or equal to 1s`);
    const intervalMs = interval ?? 30_000;
    let jitterMs = jitter ?? 15_000;
    if (jitterMs > intervalMs / 2) jitterMs = intervalMs / 2;
    setup.reload = { intervalMs, jitterMs };
  });
  return setup;
}


