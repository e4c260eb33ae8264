/**
 * kube-proxy 1.32's command line and configuration file (cmd/kube-proxy/app/options.go, pkg/proxy/apis/
 * config/v1alpha1): pflag's parsing of the flags below (`--name=value`, `--name value`, bool flags bare,
 * `-v 2`, `-h`), cobra's errors (`unknown flag: --foo`, `flag needs an argument: --config`, `invalid
 * argument "x" for "--v" flag: …`) and its usage text; then the KubeProxyConfiguration YAML the
 * `--config` file holds, with the v1alpha1 defaults (mode "" is iptables, iptables.minSyncPeriod 1s,
 * syncPeriod 30s, masqueradeBit 14, localhostNodePorts true, healthzBindAddress 0.0.0.0:10256,
 * metricsBindAddress 127.0.0.1:10249, bindAddress 0.0.0.0), its decoding errors (`Object 'Kind' is
 * missing in '…'`, `no kind "X" is registered…`, YAML syntax), lenient decoding of unknown fields (with
 * the strict error to log) and a part of its validation (`KubeProxyConfiguration.IPTables.SyncPeriod:
 * Invalid value: "0s": must be greater than 0`, the masquerade bit's range, the mode).
 *
 * Left out: the flags not in FLAGS (conntrack, ipvs, nftables, logging, feature gates…; pflag rejects
 * them here as unknown), and validation of fields this emulation does not use.
 */
import { parse } from 'yaml';
import { goQuote } from '../base/klog.ts';
import { parseGoDuration } from '../shell/commands/docker/logs.ts';
import { goDuration } from './proxier.ts';

/** The version kube-proxy reports. */
export const KUBE_PROXY_VERSION = 'v1.32.4';

interface FlagSpec {
  name: string;
  shorthand?: string;
  /** pflag's type name, as UnquoteUsage shows it ('' for bool). */
  type: string;
  defValue: string;
  usage: string;
  /** NoOptDefVal: what the flag means given bare. */
  noOptDefVal?: string;
}

/** The flags kube-proxy 1.32 registers that this emulation knows, with their help texts. */
const FLAGS: readonly FlagSpec[] = [
  { name: 'bind-address', type: 'ip', defValue: '0.0.0.0', usage: "Overrides kube-proxy's idea of what its node's primary IP is. Note that the name is a historical artifact, and kube-proxy does not actually bind any sockets to this IP. This parameter is ignored if a config file is specified by --config." },
  { name: 'cleanup', type: '', defValue: 'false', usage: 'If true cleanup iptables and ipvs rules and exit.', noOptDefVal: 'true' },
  { name: 'cluster-cidr', type: 'string', defValue: '', usage: 'The CIDR range of the pods in the cluster. (For dual-stack clusters, this can be a comma-separated dual-stack pair of CIDR ranges.). When --detect-local-mode is set to ClusterCIDR, kube-proxy will consider traffic to be local if its source IP is in this range. (Otherwise it is not used.) This parameter is ignored if a config file is specified by --config.' },
  { name: 'config', type: 'string', defValue: '', usage: 'The path to the configuration file.' },
  { name: 'healthz-bind-address', type: 'ipport', defValue: '0.0.0.0:10256', usage: 'The IP address and port for the health check server to serve on, defaulting to "0.0.0.0:10256". This parameter is ignored if a config file is specified by --config.' },
  { name: 'hostname-override', type: 'string', defValue: '', usage: "If non-empty, will be used as the name of the Node that kube-proxy is running on. If unset, the node name is assumed to be the same as the node's hostname." },
  { name: 'iptables-masquerade-bit', type: 'int32', defValue: '14', usage: 'If using the iptables or ipvs proxy mode, the bit of the fwmark space to mark packets requiring SNAT with.  Must be within the range [0, 31].' },
  { name: 'iptables-min-sync-period', type: 'duration', defValue: '1s', usage: "The minimum period between iptables rule resyncs (e.g. '5s', '1m', '2h22m'). A value of 0 means every Service or EndpointSlice change will result in an immediate iptables resync." },
  { name: 'iptables-sync-period', type: 'duration', defValue: '30s', usage: "An interval (e.g. '5s', '1m', '2h22m') indicating how frequently various re-synchronizing and cleanup operations are performed. Must be greater than 0." },
  { name: 'kubeconfig', type: 'string', defValue: '', usage: 'Path to kubeconfig file with authorization information (the master location can be overridden by the master flag).' },
  { name: 'masquerade-all', type: '', defValue: 'false', usage: 'SNAT all traffic sent via Service cluster IPs. This may be required with some CNI plugins. Only supported on Linux.', noOptDefVal: 'true' },
  { name: 'master', type: 'string', defValue: '', usage: 'The address of the Kubernetes API server (overrides any value in kubeconfig)' },
  { name: 'metrics-bind-address', type: 'ipport', defValue: '127.0.0.1:10249', usage: 'The IP address and port for the metrics server to serve on, defaulting to "127.0.0.1:10249". (Set to "0.0.0.0:10249" / "[::]:10249" to bind on all interfaces.) Set empty to disable. This parameter is ignored if a config file is specified by --config.' },
  { name: 'proxy-mode', type: 'ProxyMode', defValue: '', usage: "Which proxy mode to use: on Linux this can be 'iptables' (default), 'ipvs', or 'nftables'. On Windows the only supported value is 'kernelspace'.This parameter is ignored if a config file is specified by --config." },
  { name: 'v', shorthand: 'v', type: 'Level', defValue: '0', usage: 'number for the log level verbosity' },
  { name: 'version', type: 'version', defValue: 'false', usage: '--version, --version=raw prints version information and quits; --version=vX.Y.Z... sets the reported version', noOptDefVal: 'true' },
  { name: 'help', shorthand: 'h', type: '', defValue: 'false', usage: 'help for kube-proxy', noOptDefVal: 'true' },
];

/** kube-proxy's Long description, shown by --help. */
const LONG = `The Kubernetes network proxy runs on each node. This
reflects services as defined in the Kubernetes API on each node and can do simple
TCP, UDP, and SCTP stream forwarding or round robin TCP, UDP, and SCTP forwarding across a set of backends.
Service cluster IPs and ports are currently found through Docker-links-compatible
environment variables specifying ports opened by the service proxy. There is an optional
addon that provides cluster DNS for these cluster IPs. The user must create a service
with the apiserver API to configure the proxy.`;

/** pflag's FlagUsages: one line per flag, sorted, the help aligned one column past the longest left part. */
function flagUsages(): string {
  const lines: string[] = [];
  let maxlen = 0;
  for (const flag of [...FLAGS].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    let left = flag.shorthand ? `  -${flag.shorthand}, --${flag.name}` : `      --${flag.name}`;
    if (flag.type) left += ` ${flag.type}`;
    if (flag.noOptDefVal !== undefined && flag.type !== '') left += `[=${flag.noOptDefVal}]`;
    maxlen = Math.max(maxlen, left.length);
    const zero = flag.defValue === '' || flag.defValue === 'false' || flag.defValue === '0';
    const def = zero ? '' : flag.type === 'string' ? ` (default ${goQuote(flag.defValue)})` : ` (default ${flag.defValue})`;
    lines.push(`${left}\0${flag.usage}${def}`);
  }
  return lines.map((l) => {
    const [left = '', right = ''] = l.split('\0');
    return `${left} ${' '.repeat(maxlen - left.length)} ${right}`;
  }).join('\n');
}

/** cobra's UsageString for kube-proxy. */
export function usage(): string {
  return `Usage:\n  kube-proxy [flags]\n\nFlags:\n${flagUsages()}\n`;
}

/** cobra's help: the Long text, then the usage. */
export function help(): string {
  return `${LONG}\n\n${usage()}`;
}

/** A flag parse error: cobra prints the usage, then `Error: <message>`. */
export class FlagError extends Error {}

/** A failure of Complete or Validate: logged as `"command failed" err="…"`. */
export class CommandError extends Error {}

export interface ParsedFlags {
  /** The flags given, by name, last one winning. */
  values: Map<string, string>;
}

/** pflag's Parse of kube-proxy's arguments. */
export function parseFlags(args: readonly string[]): ParsedFlags {
  const values = new Map<string, string>();
  const set = (flag: FlagSpec, value: string, shown: string) => {
    checkValue(flag, value, shown);
    values.set(flag.name, value);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const flag = FLAGS.find((f) => f.name === name);
      if (!flag) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(flag, body.slice(eq + 1), `--${name}`);
      else if (flag.noOptDefVal !== undefined) set(flag, flag.noOptDefVal, `--${name}`);
      else if (i + 1 < args.length) set(flag, args[++i]!, `--${name}`);
      else throw new FlagError(`flag needs an argument: --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const c = arg[1]!;
      const flag = FLAGS.find((f) => f.shorthand === c);
      if (!flag) throw new FlagError(`unknown shorthand flag: '${c}' in ${arg}`);
      const rest = arg.slice(2);
      const shown = `-${c}, --${flag.name}`;
      if (rest.startsWith('=')) set(flag, rest.slice(1), shown);
      else if (rest) set(flag, rest, shown);
      else if (flag.noOptDefVal !== undefined) set(flag, flag.noOptDefVal, shown);
      else if (i + 1 < args.length) set(flag, args[++i]!, shown);
      else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
    } else {
      throw new CommandError(`"kube-proxy" does not take any arguments, got ${goStringSlice(args.filter((a) => !a.startsWith('-')))}`);
    }
  }
  return { values };
}

function goStringSlice(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

function checkValue(flag: FlagSpec, value: string, shown: string): void {
  const bad = (why: string) => new FlagError(`invalid argument ${goQuote(value)} for "${shown}" flag: ${why}`);
  switch (flag.type) {
    case '':
      if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value)) throw bad(`strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`);
      return;
    case 'duration':
      if (parseGoDuration(value) === undefined) throw bad(`time: invalid duration ${goQuote(value)}`);
      return;
    case 'int32':
    case 'Level':
      if (!/^[-+]?\d+$/.test(value)) throw bad(`strconv.ParseInt: parsing ${goQuote(value)}: invalid syntax`);
      return;
    default:
      return;
  }
}

/** Whether a bool-like flag value is true. */
export function flagTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|T|TRUE|true|True)$/.test(value);
}

/** KubeProxyConfiguration, the part this emulation uses, defaulted. */
export interface KubeProxyConfiguration {
  bindAddress: string;
  clusterCIDR: string;
  hostnameOverride: string;
  healthzBindAddress: string;
  metricsBindAddress: string;
  mode: string;
  kubeconfig: string;
  masqueradeAll: boolean;
  iptables: { masqueradeBit: number; minSyncPeriodMs: number; syncPeriodMs: number; localhostNodePorts: boolean };
  /** The strict decoding error when unknown fields made decoding lenient. */
  lenientError?: string;
}

export const CONFIG_API_VERSION = 'kubeproxy.config.k8s.io/v1alpha1';
const SCHEME = 'k8s.io/kubernetes/pkg/proxy/apis/config/scheme/scheme.go:28';

/** The top-level fields of v1alpha1.KubeProxyConfiguration, for strict decoding. */
const KNOWN_FIELDS = new Set([
  'apiVersion', 'kind', 'featureGates', 'clientConnection', 'logging', 'hostnameOverride', 'bindAddress', 'healthzBindAddress', 'metricsBindAddress',
  'bindAddressHardFail', 'enableProfiling', 'showHiddenMetricsForVersion', 'mode', 'iptables', 'ipvs', 'nftables', 'winkernel', 'detectLocalMode',
  'detectLocal', 'clusterCIDR', 'nodePortAddresses', 'oomScoreAdj', 'conntrack', 'configSyncPeriod', 'portRange', 'windowsRunAsService',
  'linux',
]);

/** The defaults of a KubeProxyConfiguration (SetDefaults_KubeProxyConfiguration). */
export function defaultConfiguration(): KubeProxyConfiguration {
  return {
    bindAddress: '0.0.0.0',
    clusterCIDR: '',
    hostnameOverride: '',
    healthzBindAddress: '0.0.0.0:10256',
    metricsBindAddress: '127.0.0.1:10249',
    mode: '',
    kubeconfig: '',
    masqueradeAll: false,
    iptables: { masqueradeBit: 14, minSyncPeriodMs: 1000, syncPeriodMs: 30_000, localhostNodePorts: true },
  };
}

/** loadConfig: decode the file's text into a defaulted configuration; throws the decoding error. */
export function loadConfig(data: string): KubeProxyConfiguration {
  let obj: unknown;
  try {
    obj = parse(data);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new CommandError(`failed to decode: error converting YAML to JSON: yaml: ${message}`);
  }
  const doc = (typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? obj : {}) as Record<string, unknown>;
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  if (!kind) throw new CommandError(`failed to decode: Object 'Kind' is missing in '${JSON.stringify(doc)}'`);
  if (apiVersion !== CONFIG_API_VERSION || kind !== 'KubeProxyConfiguration') {
    throw new CommandError(`failed to decode: no kind ${goQuote(kind)} is registered for version ${goQuote(apiVersion)} in scheme ${goQuote(SCHEME)}`);
  }
  const config = defaultConfiguration();
  const unknown = Object.keys(doc).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) config.lenientError = `strict decoding error: ${unknown.map((k) => `unknown field ${goQuote(k)}`).join(', ')}`;
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
  config.bindAddress = str(doc.bindAddress, config.bindAddress) || config.bindAddress;
  config.clusterCIDR = str(doc.clusterCIDR, '');
  config.hostnameOverride = str(doc.hostnameOverride, '');
  config.healthzBindAddress = str(doc.healthzBindAddress, config.healthzBindAddress) || config.healthzBindAddress;
  config.metricsBindAddress = str(doc.metricsBindAddress, config.metricsBindAddress) || config.metricsBindAddress;
  config.mode = str(doc.mode, '');
  config.masqueradeAll = doc.masqueradeAll === true;
  const client = (doc.clientConnection ?? {}) as Record<string, unknown>;
  config.kubeconfig = str(client.kubeconfig, '');
  const ipt = (doc.iptables ?? {}) as Record<string, unknown>;
  if (typeof ipt.masqueradeBit === 'number') config.iptables.masqueradeBit = ipt.masqueradeBit;
  if (typeof ipt.localhostNodePorts === 'boolean') config.iptables.localhostNodePorts = ipt.localhostNodePorts;
  if (ipt.masqueradeAll === true) config.masqueradeAll = true;
  const duration = (v: unknown, d: number) => {
    if (v === undefined || v === null || v === '') return d;
    const ms = typeof v === 'string' ? parseGoDuration(v) : undefined;
    if (ms === undefined) throw new CommandError(`failed to decode: time: invalid duration ${goQuote(String(v))}`);
    return ms;
  };
  config.iptables.minSyncPeriodMs = duration(ipt.minSyncPeriod, config.iptables.minSyncPeriodMs);
  config.iptables.syncPeriodMs = duration(ipt.syncPeriod, config.iptables.syncPeriodMs);
  return config;
}

/** Validate: the first errors of the fields this emulation uses, as field.ErrorList's aggregate prints them. */
export function validateConfiguration(config: KubeProxyConfiguration): string | undefined {
  const errs: string[] = [];
  if (config.iptables.syncPeriodMs <= 0) errs.push(`KubeProxyConfiguration.IPTables.SyncPeriod: Invalid value: ${goQuote(goDuration(config.iptables.syncPeriodMs))}: must be greater than 0`);
  if (config.iptables.minSyncPeriodMs < 0) errs.push(`KubeProxyConfiguration.IPTables.MinSyncPeriod: Invalid value: ${goQuote(goDuration(config.iptables.minSyncPeriodMs))}: must be greater than or equal to 0`);
  const bit = config.iptables.masqueradeBit;
  if (bit < 0 || bit > 31) errs.push(`KubeProxyConfiguration.IPTables.MasqueradeBit: Invalid value: ${bit}: must be within the range [0, 31]`);
  if (!['', 'iptables', 'ipvs', 'nftables'].includes(config.mode)) errs.push(`KubeProxyConfiguration.Mode: Invalid value: ${goQuote(config.mode)}: must be iptables,ipvs,nftables or blank (blank means the best-available proxy [currently iptables])`);
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

/** Apply the flags that count even with a config file (--hostname-override) or stand in for one. */
export function applyFlags(config: KubeProxyConfiguration, flags: ParsedFlags, fromFile: boolean): void {
  const v = flags.values;
  if (v.has('hostname-override')) config.hostnameOverride = v.get('hostname-override')!;
  if (fromFile) return;
  if (v.has('cluster-cidr')) config.clusterCIDR = v.get('cluster-cidr')!;
  if (v.has('kubeconfig')) config.kubeconfig = v.get('kubeconfig')!;
  if (v.has('healthz-bind-address')) config.healthzBindAddress = v.get('healthz-bind-address')!;
  if (v.has('metrics-bind-address')) config.metricsBindAddress = v.get('metrics-bind-address')!;
  if (v.has('proxy-mode')) config.mode = v.get('proxy-mode')!;
  if (v.has('masquerade-all')) config.masqueradeAll = flagTrue(v.get('masquerade-all'));
  if (v.has('iptables-masquerade-bit')) config.iptables.masqueradeBit = Number(v.get('iptables-masquerade-bit'));
  if (v.has('iptables-min-sync-period')) config.iptables.minSyncPeriodMs = parseGoDuration(v.get('iptables-min-sync-period')!)!;
  if (v.has('iptables-sync-period')) config.iptables.syncPeriodMs = parseGoDuration(v.get('iptables-sync-period')!)!;
}
