/**
 * kubectl top node / top pod (k8s.io/kubectl/pkg/cmd/top and pkg/metricsutil, kubectl 1.32): CPU and
 * memory usage read from the resource metrics API, metrics.k8s.io/v1beta1.
 *
 * Both first look for the API in discovery (`error: Metrics API not available` without it), then get
 * one object by NAME or list them (`-l`, and for pods `-A`/`-n`). Nodes print NAME CPU(cores) CPU(%)
 * MEMORY(bytes) MEMORY(%), the percentages of each node's allocatable (`--show-capacity`: capacity), and
 * `<unknown>` for a node without metrics; an empty list is `error: metrics not available yet`. Pods print
 * [NAMESPACE] [POD] NAME CPU(cores) MEMORY(bytes) (`--containers`: a line per container), `--sum` adds a
 * total; an empty list is explained from the pods: `error: metrics not available yet` while every pod is
 * younger than two minutes, `Metrics not available for pod ns/name, age: 5m0s` otherwise, `No resources
 * found in ns namespace.` when there are none. Usage prints as `%dm` millicores (rounded up) and `%dMi`
 * (rounded down); `--sort-by=cpu|memory` sorts descending, otherwise by (namespace and) name.
 *
 * Left out: --field-selector on top pod (accepted, not sent), --use-protocol-buffers (JSON is used).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { goDuration } from '../../../../apiserver/protobuf/decode.ts';
import { parseQuantity, type Quantity } from '../../../../api/resource/quantity.ts';
import { EXIT } from '../../../command.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { tabwrite } from '../printers/tabwriter.ts';

const METRICS_GROUP = 'metrics.k8s.io';
const METRICS_VERSION = 'v1beta1';
/** metricsCreationDelay: how long a new pod may go without metrics before top calls it an error. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;
const MEASURED = ['cpu', 'memory'] as const;
type Measured = (typeof MEASURED)[number];
type Usage = Partial<Record<Measured, Quantity>>;

interface MetricsObject {
  metadata: { name: string; namespace?: string };
  usage?: Record<string, string>;
  containers?: Array<{ name: string; usage: Record<string, string> }>;
}

interface MetricsList {
  items: MetricsObject[];
}

function usageOf(raw: Record<string, string> | undefined): Usage {
  const out: Usage = {};
  for (const r of MEASURED) if (raw?.[r] !== undefined) out[r] = parseQuantity(raw[r]);
  return out;
}

/** printSingleResourceUsage. */
function usageText(resource: Measured, q: Quantity | undefined): string {
  if (resource === 'cpu') return `${q ? q.milliValue() : 0}m`;
  return `${Math.floor((q ? q.value() : 0) / (1024 * 1024))}Mi`;
}

/** printMetricsLine: the name, then each usage and, when known, its share of what is available. */
function metricsLine(name: string, usage: Usage, available: Usage = {}): string {
  let line = `${name}\t`;
  for (const r of MEASURED) {
    line += `${usageText(r, usage[r])}\t`;
    const a = available[r];
    if (a) line += `${Math.trunc((((usage[r]?.milliValue() ?? 0) / a.milliValue()) * 100))}%\t`;
  }
  return `${line}\n`;
}

/** The sorters of metricsutil: descending by cpu or memory, else by the given keys. */
function compareBy(sortBy: string, a: Usage, b: Usage, byName: () => number): number {
  if (sortBy === 'cpu') return (b.cpu?.milliValue() ?? 0) - (a.cpu?.milliValue() ?? 0);
  if (sortBy === 'memory') return (b.memory?.value() ?? 0) - (a.memory?.value() ?? 0);
  return byName();
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sum(usages: readonly Usage[]): Usage {
  const out: Usage = {};
  for (const u of usages) for (const r of MEASURED) if (u[r]) out[r] = out[r] ? out[r].add(u[r]) : u[r];
  return out;
}

/** SupportedMetricsAPIVersionAvailable over the server's groups. */
async function metricsApiAvailable(f: Factory): Promise<boolean> {
  const response = await f.client().raw('GET', '/apis');
  const groups = (JSON.parse(response.body ?? '{}') as { groups?: Array<{ name: string; versions: Array<{ version: string }> }> }).groups ?? [];
  return groups.some((g) => g.name === METRICS_GROUP && g.versions.some((v) => v.version === METRICS_VERSION));
}

function validate(command: string, flags: ParsedFlags, args: string[]): { name: string; selector: string; sortBy: string } {
  if (args.length > 1) throw usageError(`kubectl top ${command}`, `top ${command} [NAME | -l label]`);
  const name = args[0] ?? '';
  const selector = flags.string('selector');
  const sortBy = flags.string('sort-by');
  if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory') throw new KubectlError('error: --sort-by accepts only cpu or memory');
  if (name && selector) throw new KubectlError('error: only one of NAME or --selector can be provided');
  return { name, selector, sortBy };
}

async function getJson<T>(f: Factory, path: string, query: Record<string, string> = {}): Promise<T> {
  const response = await f.client().raw('GET', path, query);
  return JSON.parse(response.body ?? '{}') as T;
}

export async function runTopNode(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const { name, selector, sortBy } = validate('node', flags, args);
  if (!(await metricsApiAvailable(f))) throw new KubectlError('error: Metrics API not available');
  const base = `/apis/${METRICS_GROUP}/${METRICS_VERSION}/nodes`;
  const query: Record<string, string> = selector ? { labelSelector: selector } : {};
  const metrics = name ? [await getJson<MetricsObject>(f, `${base}/${name}`)] : (await getJson<MetricsList>(f, base, query)).items;
  if (metrics.length === 0) throw new KubectlError('error: metrics not available yet');
  const nodes = name ? [await getJson<Node>(f, `/api/v1/nodes/${name}`)] : (await getJson<{ items: Node[] }>(f, '/api/v1/nodes', query)).items;
  const available = new Map<string, Usage>();
  for (const n of nodes) available.set(n.metadata?.name ?? '', usageOf((flags.bool('show-capacity') ? n.status?.capacity : n.status?.allocatable) as Record<string, string> | undefined));
  const rows = metrics.map((m) => ({ name: m.metadata.name, usage: usageOf(m.usage) }));
  rows.sort((a, b) => compareBy(sortBy, a.usage, b.usage, () => cmp(a.name, b.name)));
  let text = flags.bool('no-headers') ? '' : 'NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n';
  for (const row of rows) {
    text += metricsLine(row.name, row.usage, available.get(row.name));
    available.delete(row.name);
  }
  // Nodes the metrics API has nothing for (printMissingMetricsNodeLine).
  for (const missing of available.keys()) text += `${missing}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`;
  f.ctx.stdout(tabwrite(text));
  return EXIT.ok;
}

export async function runTopPod(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const { name, selector, sortBy } = validate('pod', flags, args);
  const allNamespaces = flags.bool('all-namespaces');
  const { namespace } = f.namespace();
  if (!(await metricsApiAvailable(f))) throw new KubectlError('error: Metrics API not available');
  const ns = allNamespaces ? '' : namespace;
  const base = ns ? `/apis/${METRICS_GROUP}/${METRICS_VERSION}/namespaces/${ns}/pods` : `/apis/${METRICS_GROUP}/${METRICS_VERSION}/pods`;
  const query: Record<string, string> = selector ? { labelSelector: selector } : {};
  const metrics = name ? [await getJson<MetricsObject>(f, `${base}/${name}`)] : (await getJson<MetricsList>(f, base, query)).items;
  if (metrics.length === 0) {
    await verifyEmptyMetrics(f, namespace, name, query);
    f.ctx.stderr(allNamespaces ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
    return EXIT.ok;
  }
  const containers = flags.bool('containers');
  const pods = metrics.map((m) => {
    const list = (m.containers ?? []).map((c) => ({ name: c.name, usage: usageOf(c.usage) }));
    return { namespace: m.metadata.namespace ?? '', name: m.metadata.name, containers: list, usage: sum(list.map((c) => c.usage)) };
  });
  pods.sort((a, b) => compareBy(sortBy, a.usage, b.usage, () => (allNamespaces && a.namespace !== b.namespace ? cmp(a.namespace, b.namespace) : cmp(a.name, b.name))));
  let columns = 3;
  let text = '';
  if (!flags.bool('no-headers')) {
    if (allNamespaces) {
      text += 'NAMESPACE\t';
      columns++;
    }
    if (containers) {
      text += 'POD\t';
      columns++;
    }
    text += 'NAME\tCPU(cores)\tMEMORY(bytes)\t\n';
  }
  const prefix = (pod: { namespace: string }) => (allNamespaces ? `${pod.namespace}\t` : '');
  for (const pod of pods) {
    if (!containers) {
      text += prefix(pod) + metricsLine(pod.name, pod.usage);
      continue;
    }
    const sorted = [...pod.containers].sort((a, b) => compareBy(sortBy, a.usage, b.usage, () => cmp(a.name, b.name)));
    for (const c of sorted) text += `${prefix(pod)}${pod.name}\t${metricsLine(c.name, c.usage)}`;
  }
  if (flags.bool('sum')) {
    text += '\t'.repeat(Math.max(0, columns - 2)) + '________\t________\t\n';
    text += '\t'.repeat(Math.max(0, columns - 3)) + metricsLine('', sum(pods.map((p) => p.usage)));
  }
  f.ctx.stdout(tabwrite(text));
  return EXIT.ok;
}

/** verifyEmptyMetrics: why a list came back empty — pods too young, pods that should have metrics, or none. */
async function verifyEmptyMetrics(f: Factory, namespace: string, name: string, query: Record<string, string>): Promise<void> {
  const pods = name ? [await getJson<Pod>(f, `/api/v1/namespaces/${namespace}/pods/${name}`)] : (await getJson<{ items: Pod[] }>(f, `/api/v1/namespaces/${namespace}/pods`, query)).items;
  if (pods.length === 0) return;
  const now = f.ctx.clock.now();
  for (const pod of pods) {
    const age = now - Date.parse(pod.metadata?.creationTimestamp ?? '');
    if (age > METRICS_CREATION_DELAY_MS) throw new KubectlError(`error: Metrics not available for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}, age: ${goDuration(BigInt(age) * 1_000_000n)}`);
  }
  throw new KubectlError('error: metrics not available yet');
}
