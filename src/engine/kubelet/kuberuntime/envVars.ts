/**
 * A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables,
 * 1.32): envFrom first (each ConfigMap's or Secret's keys, with the prefix), then env in order — plain
 * values with `$(VAR)` expanded against what came before (`$$` escapes), and valueFrom configMapKeyRef,
 * secretKeyRef, fieldRef (the downward API's pod fields) and resourceFieldRef (limits fall back to the
 * node's allocatable, divided by the divisor and rounded up). A missing object or key that is not
 * optional fails with upstream's text, which the kubelet reports as CreateContainerConfigError.
 *
 * Left out: the Service environment variables (enableServiceLinks), which need the Services of the
 * namespace, and envFrom's invalid-key skipping event.
 */
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1';
import { scaledAmount } from '../../scheduler/framework/resource.ts';
import type { KeyValue } from '../../runtime/cri/types.ts';
import { secretText, type ObjectGetter } from '../volumemanager/volumeManager.ts';

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

/** expansion.Expand: `$(VAR)` from `vars` (left as is when unknown), `$$` as `$`. */
export function expand(input: string, vars: ReadonlyMap<string, string>): string {
  return input.replace(/\$\$|\$\(([^)]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    const value = name === undefined ? undefined : vars.get(name);
    return value ?? match;
  });
}

/** makeEnvironmentVariables: the container's env in order, or a ContainerConfigError. */
export async function makeEnvironmentVariables(pod: Pod, container: Container, objects: ObjectGetter, allocatable: { cpuMilli: number; memoryBytes: number }): Promise<KeyValue[]> {
  const ns = pod.metadata?.namespace ?? 'default';
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
      vars.set(env.name, expand(env.value ?? '', vars));
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
  return [...vars].map(([key, value]) => ({ key, value }));
}
