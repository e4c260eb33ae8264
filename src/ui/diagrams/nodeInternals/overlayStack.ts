/**
 * The node-internals diagram's overlay stack, as a pure function of successive `container-overlay`
 * readings: which upperdir entries are news — a copy-up, a whiteout, a new file that was not in the
 * previous reading — so the diagram animates them once, and which lower layer each one came from or
 * hides. The first reading of a container has no news (what was there before is history).
 *
 * News stays news until a later reading brings other news, so the last change stays marked for the
 * student to read (and a paused clock keeps it).
 */
import type { ContainerOverlay, UpperEntry } from '../../../workers/views/containerOverlay.ts';
import type { NodeContainer } from '../../../workers/views/nodeContainers.ts';

type Overlay = Extract<ContainerOverlay, { kind: 'overlay' }>;

/** An entry's identity across readings: a file copied up, then deleted, is a new entry (a whiteout). */
export const entryKey = (e: Pick<UpperEntry, 'path' | 'change'>): string => `${e.change}:${e.path}`;

export interface OverlayTrend {
  container: string;
  keys: ReadonlySet<string>;
  /** Keys that appeared in the latest reading that brought any. */
  news: ReadonlySet<string>;
  /** How many readings brought news: a React key that restarts the animation. */
  generation: number;
}

export function nextOverlayTrend(prev: OverlayTrend | undefined, reading: Overlay): OverlayTrend {
  const keys = new Set(reading.entries.map(entryKey));
  if (!prev || prev.container !== reading.container) return { container: reading.container, keys, news: new Set(), generation: 0 };
  const added = [...keys].filter((k) => !prev.keys.has(k));
  if (added.length === 0) return { ...prev, keys, news: new Set([...prev.news].filter((k) => keys.has(k))) };
  return { container: reading.container, keys, news: new Set(added), generation: prev.generation + 1 };
}

/** A lowerdir's layer number as `docker history` counts from the base: the top lowerdir is the highest. */
export function layerNumber(lowerIndex: number, lowerCount: number): number {
  return lowerCount - lowerIndex;
}

/** The lower layers that the news came from or hides (indexes into `lowerdirs`). */
export function layersTouched(reading: Overlay, news: ReadonlySet<string>): Set<number> {
  const out = new Set<number>();
  for (const e of reading.entries) if (news.has(entryKey(e)) && e.fromLayer !== undefined) out.add(e.fromLayer);
  return out;
}

/** sha256:abcdef… → abcdef012345 (12 hex digits, as docker prints ids). */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** The container the overlay tab shows first: the first workload container (not kube-system), else any. */
export function defaultContainer(containers: readonly NodeContainer[]): NodeContainer | undefined {
  const workloads = containers.filter((c) => c.kind === 'container');
  return workloads.find((c) => c.podNamespace !== 'kube-system') ?? workloads[0] ?? containers[0];
}

/** The last `segments` components of a long path, after an ellipsis: …/k8s.io/<id>/rootfs. */
export function tailPath(path: string, segments: number): string {
  const parts = path.split('/');
  return parts.length - 1 <= segments ? path : `…/${parts.slice(-segments).join('/')}`;
}
