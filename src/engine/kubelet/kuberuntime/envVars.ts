/**
 * A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables,
 * 1.32): envFrom first (each ConfigMap's or Secret's keys, with the prefix), then env in order — plain
 * values with `$(VAR)` expanded against what came before and then the Service variables (`$$` escapes),
 * and valueFrom configMapKeyRef, secretKeyRef, fieldRef (the downward API's pod fields) and
 * resourceFieldRef (limits fall back to the node's allocatable, divided by the divisor and rounded up).
 * A missing object or key that is not optional fails with upstream's text, which the kubelet reports as
 * CreateContainerConfigError.
 *
 * The Service variables (getServiceEnvVarMap, envvars.FromServices) come from the kubelet's Service
 * informer: the Services of the pod's namespace when enableServiceLinks is true, and always the master
 * service (`kubernetes` of `default`; a Service of the pod's own namespace of that name wins), each with
 * a cluster IP. They follow the container's own variables, which override any of the same name. Until
 * the informer has listed once, a pod from the API (not a static one) fails with "services have not yet
 * been read at least once, cannot construct envvars".
 *
 * Order: upstream appends from Go maps, so a real container's order is random; here the container's
 * variables come in the order declared (envFrom, then env) and the Service ones after them, Services
 * by name.
 *
 * Left out: envFrom's invalid-key skipping event.
 */
import type { ConfigMap, Container, Pod, Secret, Service } from 'kubernetes-types/core/v1';
import { scaledAmount } from '../../scheduler/framework/resource.ts';
import type { KeyValue } from '../../runtime/cri/types.ts';
import { secretText, type ObjectGetter } from '../volumemanager/volumeManager.ts';
import { fromServices, isServiceIPSet } from '../envvars/envvars.ts';
import { isStaticPod } from '../pod/mirrorClient.ts';

/** A failure to build the environment: the container waits with CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError';
}

/** The value of a downward API fieldPath (podFieldSelectorRuntimeValue / ExtractFieldPathAsString). */
export function podFieldValue(pod: Pod, fieldPath: string, forVolume = false): string {
  const md = pod.metadata ?? {};
  const mapText = (m: Record<string, string> | undefined) =>
    Object.keys(m ?? {})
      .sort()
      .map((k) => `${k}="${(m ?? {})[k]}"`)
      .join('\n');
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (sub) return (sub[1] === 'labels' ? md.labels : md.annotations)?.[sub[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return md.name ?? '';
    case 'metadata.namespace':
      return md.namespace ?? '';
    case 'metadata.uid':
      return md.uid ?? '';
    case 'metadata.labels':
      return forVolume ? mapText(md.labels) : '';
    case 'metadata.annotations':
      return forVolume ? mapText(md.annotations) : '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((i) => i.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((i) => i.ip).join(',');
    default:
      return '';
  }
}

/** A resourceFieldRef's value: the container's request or limit (limits default to allocatable) over the divisor, rounded up. */
export function resourceFieldValue(resource: string, container: Container, divisor: unknown, allocatable: { cpuMilli: number; memoryBytes: number }): string {
  const [kind, name = ''] = resource.split('.') as [string, string | undefined];
  const list = (kind === 'limits' ? container.resources?.limits : container.resources?.requests) as Record<string, unknown> | undefined;
  let amount = list?.[name] !== undefined ? scaledAmount(name, list[name]) : undefined;
  if (amount === undefined && kind === 'limits') amount = name === 'cpu' ? allocatable.cpuMilli : name === 'memory' ? allocatable.memoryBytes : 0;
  amount ??= 0;
  if (name === 'cpu') {
    const d = divisor === undefined ? 1000 : scaledAmount('cpu', divisor) || 1000;
    return String(Math.ceil(amount / d));
  }
  const d = divisor === undefined ? 1 : scaledAmount(name, divisor) || 1;
  return String(Math.ceil(amount / d));
}

/** expansion.Expand with MappingFuncFor(sources…): `$(VAR)` from the first source that has it (left as is when none does), `$$` as `$`. */
export function expand(input: string, ...sources: ReadonlyMap<string, string>[]): string {
  return input.replace(/\$\$|\$\(([^)]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    for (const vars of sources) {
      const value = name === undefined ? undefined : vars.get(name);
      if (value !== undefined) return value;
    }
    return match;
  });
}

/** What the environment reads of the kubelet's Service informer. */
export interface ServiceSource {
  /** serviceHasSynced: the informer has listed at least once. */
  hasSynced(): boolean;
  /** serviceLister.List(labels.Everything()): every Service the informer holds. */
  list(): readonly Service[];
}

/** The master services: those of `default` whose variables every pod gets, whatever enableServiceLinks says. */
const MASTER_SERVICES = new Set(['kubernetes']);

/**
 * getServiceEnvVarMap: the Service variables for a pod of `ns` — the master services of `default`, and
 * when `enableServiceLinks` the Services of `ns` (one of `ns` named as a master service replaces it).
 */
export function getServiceEnvVarMap(services: readonly Service[], ns: string, enableServiceLinks: boolean): Map<string, string> {
  const serviceMap = new Map<string, Service>();
  for (const service of services) {
    if (!isServiceIPSet(service)) continue;
    const name = service.metadata?.name ?? '';
    const namespace = service.metadata?.namespace ?? '';
    if (namespace === 'default' && MASTER_SERVICES.has(name)) {
      if (!serviceMap.has(name)) serviceMap.set(name, service);
    } else if (namespace === ns && enableServiceLinks) {
      serviceMap.set(name, service);
    }
  }
  const mapped = [...serviceMap.keys()].sort().map((name) => serviceMap.get(name)!);
  return new Map(fromServices(mapped).map((e) => [e.name, e.value]));
}

/** makeEnvironmentVariables: the container's env in order, then the Service variables it does not set; or a ContainerConfigError. */
export async function makeEnvironmentVariables(pod: Pod, container: Container, objects: ObjectGetter, services: ServiceSource, allocatable: { cpuMilli: number; memoryBytes: number }): Promise<KeyValue[]> {
  const enableServiceLinks = pod.spec?.enableServiceLinks;
  if (enableServiceLinks === undefined || enableServiceLinks === null) throw new ContainerConfigError('nil pod.spec.enableServiceLinks encountered, cannot construct envvars');
  if (!isStaticPod(pod) && !services.hasSynced()) throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
  const ns = pod.metadata?.namespace ?? 'default';
  const serviceEnv = getServiceEnvVarMap(services.list(), ns, enableServiceLinks);
  const vars = new Map<string, string>();
  const configMaps = new Map<string, ConfigMap | undefined>();
  const secrets = new Map<string, Secret | undefined>();
  const configMap = async (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, await objects.configMap(ns, name));
    return configMaps.get(name);
  };
  const secret = async (name: string) => {
    if (!secrets.has(name)) secrets.set(name, await objects.secret(ns, name));
    return secrets.get(name);
  };
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await configMap(from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name ?? ''}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    } else if (from.secretRef) {
      const s = await secret(from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name ?? ''}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) vars.set(prefix + k, secretText(v));
    }
  }
  for (const env of container.env ?? []) {
    const from = env.valueFrom;
    if (!from) {
      vars.set(env.name, expand(env.value ?? '', vars, serviceEnv));
      continue;
    }
    if (from.configMapKeyRef) {
      const { name = '', key, optional } = from.configMapKeyRef;
      const cm = await configMap(name);
      if (!cm) {
        if (optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      const value = cm.data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
      }
      vars.set(env.name, value);
    } else if (from.secretKeyRef) {
      const { name = '', key, optional } = from.secretKeyRef;
      const s = await secret(name);
      if (!s) {
        if (optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      const value = s.data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
      }
      vars.set(env.name, secretText(value));
    } else if (from.fieldRef) {
      vars.set(env.name, podFieldValue(pod, from.fieldRef.fieldPath));
    } else if (from.resourceFieldRef) {
      const target = from.resourceFieldRef.containerName ? (pod.spec?.containers.find((c) => c.name === from.resourceFieldRef?.containerName) ?? container) : container;
      vars.set(env.name, resourceFieldValue(from.resourceFieldRef.resource, target, from.resourceFieldRef.divisor, allocatable));
    }
  }
  const result = [...vars].map(([key, value]) => ({ key, value }));
  for (const [key, value] of serviceEnv) if (!vars.has(key)) result.push({ key, value });
  return result;
}
