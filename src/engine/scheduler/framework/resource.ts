/**
 * framework.Resource and a pod's requests as the scheduler counts them (component-helpers/resource
 * PodRequests and schedutil's non-zero defaults, Kubernetes 1.32).
 *
 * Requests: regular containers are summed; restartable init containers (sidecars) run alongside them and
 * are added too; every other init container runs alone (with the sidecars started before it), so the pod
 * needs the larger of the sum and each init container's peak; the pod's overhead is added last.
 *
 * For scoring, a container that does not set a CPU or memory request counts as 100m CPU and 200Mi memory
 * (DefaultMilliCPURequest, DefaultMemoryRequest), so that pods without requests still spread; a request
 * explicitly set to 0 stays 0. Quantities are parsed by api/resource/quantity.ts (memoised by text, since
 * the same few strings recur on every pod).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../api/resource/quantity.ts';

/** schedutil.DefaultMilliCPURequest: 0.1 core. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** schedutil.DefaultMemoryRequest: 200Mi. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_PODS = 'pods';
export const RESOURCE_EPHEMERAL_STORAGE = 'ephemeral-storage';

/** framework.Resource: CPU in millicores, everything else in units (bytes, pods, devices). */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  scalarResources: Map<string, number> | undefined;

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    if (this.scalarResources) r.scalarResources = new Map(this.scalarResources);
    return r;
  }

  /** Become a copy of `other` (keeping this object: snapshots reuse theirs, for locality). */
  copyFrom(other: Resource): void {
    this.milliCPU = other.milliCPU;
    this.memory = other.memory;
    this.ephemeralStorage = other.ephemeralStorage;
    this.allowedPodNumber = other.allowedPodNumber;
    if (other.scalarResources) this.scalarResources = new Map(other.scalarResources);
    else if (this.scalarResources) this.scalarResources = undefined;
  }

  /** The amount of one resource by name (cpu in millicores). */
  get(name: string): number {
    switch (name) {
      case RESOURCE_CPU:
        return this.milliCPU;
      case RESOURCE_MEMORY:
        return this.memory;
      case RESOURCE_EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case RESOURCE_PODS:
        return this.allowedPodNumber;
      default:
        return this.scalarResources?.get(name) ?? 0;
    }
  }

  /** Add `sign` × other (pods count excluded, as NodeInfo.update does). */
  addScaled(other: Resource, sign: number): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.ephemeralStorage += sign * other.ephemeralStorage;
    if (other.scalarResources) {
      for (const [k, v] of other.scalarResources) this.setScalar(k, (this.scalarResources?.get(k) ?? 0) + sign * v);
    }
  }

  setScalar(name: string, value: number): void {
    (this.scalarResources ??= new Map()).set(name, value);
  }

  /** Resource.Add(ResourceList) over already-scaled amounts. */
  addAmounts(amounts: ReadonlyMap<string, number>): void {
    for (const [name, v] of amounts) {
      switch (name) {
        case RESOURCE_CPU:
          this.milliCPU += v;
          break;
        case RESOURCE_MEMORY:
          this.memory += v;
          break;
        case RESOURCE_PODS:
          this.allowedPodNumber += v;
          break;
        case RESOURCE_EPHEMERAL_STORAGE:
          this.ephemeralStorage += v;
          break;
        default:
          if (isScalarResourceName(name)) this.setScalar(name, (this.scalarResources?.get(name) ?? 0) + v);
      }
    }
  }
}

/**
 * schedutil.IsScalarResourceName: extended resources (`example.com/foo`), prefixed native resources
 * (`kubernetes.io/…`), hugepages and attachable volumes — everything but cpu, memory, pods and storage.
 */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

interface ParsedAmount {
  milli: number;
  value: number;
}

const amounts = new Map<string, ParsedAmount>();
const MAX_MEMO = 4096;

/** A quantity's MilliValue and Value; a malformed one (the apiserver validates, so only in tests) is 0. */
function amountOf(q: unknown): ParsedAmount {
  const text = String(q);
  let a = amounts.get(text);
  if (a === undefined) {
    try {
      const parsed = parseQuantity(text);
      a = { milli: parsed.milliValue(), value: parsed.value() };
    } catch {
      a = { milli: 0, value: 0 };
    }
    if (amounts.size >= MAX_MEMO) amounts.clear();
    amounts.set(text, a);
  }
  return a;
}

/** One resource's amount from a ResourceList value: millicores for cpu, units otherwise. */
export function scaledAmount(name: string, q: unknown): number {
  const a = amountOf(q);
  return name === RESOURCE_CPU ? a.milli : a.value;
}

/** A ResourceList (node allocatable, a container's requests) as scaled amounts. */
export function amountsOf(list: Readonly<Record<string, unknown>> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!list) return out;
  for (const name of Object.keys(list)) out.set(name, scaledAmount(name, list[name]));
  return out;
}

/** framework.NewResource(ResourceList). */
export function resourceFromList(list: Readonly<Record<string, unknown>> | undefined): Resource {
  const r = new Resource();
  r.addAmounts(amountsOf(list));
  return r;
}

/** The defaults a container without a cpu or memory request counts as (NonMissingContainerRequests). */
const NON_MISSING: ReadonlyMap<string, number> = new Map([
  [RESOURCE_CPU, DEFAULT_MILLI_CPU_REQUEST],
  [RESOURCE_MEMORY, DEFAULT_MEMORY_REQUEST],
]);

function containerRequests(c: Container, nonMissing: boolean): Map<string, number> {
  const reqs = amountsOf(c.resources?.requests as Record<string, unknown> | undefined);
  if (nonMissing) for (const [k, v] of NON_MISSING) if (!reqs.has(k)) reqs.set(k, v);
  return reqs;
}

function addInto(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

function maxInto(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, v] of from) {
    const cur = into.get(k);
    if (cur === undefined || v > cur) into.set(k, v);
  }
}

/**
 * resourcehelper.PodRequests: the pod's effective requests as scaled amounts. With `nonMissing`, containers
 * lacking a cpu or memory request count the scheduler's defaults.
 */
export function podRequestAmounts(pod: Pod, nonMissing = false): Map<string, number> {
  const spec = pod.spec;
  const reqs = new Map<string, number>();
  for (const c of spec?.containers ?? []) addInto(reqs, containerRequests(c, nonMissing));
  const sidecars = new Map<string, number>();
  const initPeak = new Map<string, number>();
  for (const c of spec?.initContainers ?? []) {
    const r = containerRequests(c, nonMissing);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, r);
      addInto(sidecars, r);
      maxInto(initPeak, sidecars);
    } else {
      const withSidecars = new Map(r);
      addInto(withSidecars, sidecars);
      maxInto(initPeak, withSidecars);
    }
  }
  maxInto(reqs, initPeak);
  if (spec?.overhead) addInto(reqs, amountsOf(spec.overhead as Record<string, unknown>));
  return reqs;
}

/** computePodResourceRequest: the pod's requests as a Resource. */
export function podRequests(pod: Pod, nonMissing = false): Resource {
  const r = new Resource();
  r.addAmounts(podRequestAmounts(pod, nonMissing));
  return r;
}
