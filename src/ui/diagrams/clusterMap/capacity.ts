/**
 * What a node's pods take of it, as `kubectl describe node` shows it under "Allocated resources": the
 * sum of the requests of its non-terminated pods against the node's allocatable, and how to print them.
 */
import type { NodeView, PodView } from '../../../engine/cluster/clusterView.ts';

/** A pod that has terminated no longer holds its requests. */
export const holdsResources = (pod: Pick<PodView, 'phase'>) => pod.phase !== 'Succeeded' && pod.phase !== 'Failed';

/** A key whose plain order is the natural order of names: each run of digits padded, so node-2 < node-10. */
export function naturalKey(name: string): string {
  return name.replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}

export function byName(a: string, b: string): number {
  const ka = naturalKey(a);
  const kb = naturalKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Control-plane nodes first, then by name (worker-2 before worker-10). */
export function compareNodes(a: Pick<NodeView, 'name' | 'roles'>, b: Pick<NodeView, 'name' | 'roles'>): number {
  const cp = Number(b.roles.includes('control-plane')) - Number(a.roles.includes('control-plane'));
  return cp || byName(a.name, b.name);
}

/** Nodes in the map's order (compareNodes), sorting thousands by keys computed once. */
export function sortNodes<N extends Pick<NodeView, 'name' | 'roles'>>(nodes: readonly N[]): N[] {
  const keyed = nodes.map((n) => ({ n, key: `${n.roles.includes('control-plane') ? 0 : 1}${naturalKey(n.name)}` }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.n);
}

/** Millicores as kubectl prints CPU: `250m`, `2`, `1500m`. */
export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${Math.round(milli)}m`;
}

/** Bytes in binary units as kubectl prints memory: `128Mi`, `3.8Gi`. */
export function formatBytes(bytes: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return `${shown}${units[unit]}`;
}

/** The fraction used, 0 when nothing is allocatable and nothing used. */
export function fraction(used: number, allocatable: number): number {
  if (allocatable > 0) return used / allocatable;
  return used > 0 ? 1 : 0;
}
