/**
 * The node-internals diagram's cgroup tree, as a pure function of successive `node-cgroups` readings:
 * each cgroup's memory bar (memory.current against memory.max, or against the machine's RAM when there
 * is no limit), its CPU usage rate (Δ usage_usec / Δ virtual time, in millicores, measured over at least
 * RATE_WINDOW_MS so that CFS periods do not make it jitter),
 * and whether its throttling (cpu.stat nr_throttled) or its OOM kills (memory.events oom_kill) grew
 * recently — "recently" being within HOLD_MS of virtual time, so a highlight outlives the frame it
 * happened in and a paused clock keeps it.
 *
 * `Trend` carries what one reading needs of the previous ones; the first reading has no rates and
 * highlights nothing (counts that were already there are history, not news).
 */
import type { CgroupInfo, NodeCgroups } from '../../../workers/views/nodeCgroups.ts';

/** How long (virtual ms) a cgroup stays highlighted after its throttling or OOM count grew. */
export const HOLD_MS = 30_000;
/** The shortest virtual interval a CPU rate is measured over. */
export const RATE_WINDOW_MS = 1000;

type HostCgroups = Extract<NodeCgroups, { kind: 'host' }>;

export interface Trend {
  time: number;
  /** The reading rates are measured from: its time, and each cgroup's usage_usec in `usage`. */
  baseTime: number;
  usage: Record<string, number>;
  throttled: Record<string, number>;
  oomKill: Record<string, number>;
  /** Millicores over the last interval with time passing. */
  rate: Record<string, number>;
  /** Virtual time at which the count last grew. */
  throttledAt: Record<string, number>;
  oomAt: Record<string, number>;
}

export interface CgroupRow {
  info: CgroupInfo;
  /** memory.current / (memory.max, or the machine's RAM): 0..1 (can pass 1 briefly). */
  memoryFraction: number;
  /** The bar's denominator is memory.max (true) or the machine's RAM (false: no limit). */
  limited: boolean;
  /** CPU use in millicores; undefined before two readings. */
  millicores?: number;
  /** cpu.max as millicores; undefined for "max". */
  limitMillicores?: number;
  throttling: boolean;
  oomKilled: boolean;
}

/** The next trend after `reading`, given the previous one (undefined for the first reading of a node). */
export function nextTrend(prev: Trend | undefined, reading: HostCgroups): Trend {
  const dt = prev ? reading.time - prev.baseTime : 0;
  const measure = prev !== undefined && dt >= RATE_WINDOW_MS;
  const t: Trend = { time: reading.time, baseTime: prev && !measure ? prev.baseTime : reading.time, usage: {}, throttled: {}, oomKill: {}, rate: {}, throttledAt: {}, oomAt: {} };
  for (const c of reading.cgroups) {
    const before = prev?.usage[c.path];
    // Between measurements the base usage stays; a cgroup new since the base starts from now.
    t.usage[c.path] = prev && !measure && before !== undefined ? before : c.cpu.usageUsec;
    t.throttled[c.path] = c.cpu.nrThrottled;
    t.oomKill[c.path] = c.memory.oomKill;
    if (!prev) continue;
    if (measure && before !== undefined) t.rate[c.path] = Math.max(0, Math.round(((c.cpu.usageUsec - before) / (dt * 1000)) * 1000));
    else if (prev.rate[c.path] !== undefined) t.rate[c.path] = prev.rate[c.path]!;
    const grewThrottled = prev.throttled[c.path] !== undefined && c.cpu.nrThrottled > prev.throttled[c.path]!;
    const grewOom = prev.oomKill[c.path] !== undefined && c.memory.oomKill > prev.oomKill[c.path]!;
    const throttledAt = grewThrottled ? reading.time : prev.throttledAt[c.path];
    const oomAt = grewOom ? reading.time : prev.oomAt[c.path];
    if (throttledAt !== undefined) t.throttledAt[c.path] = throttledAt;
    if (oomAt !== undefined) t.oomAt[c.path] = oomAt;
  }
  return t;
}

/** The rows to draw for `reading`, with `trend` (the result of `nextTrend` for this reading). */
export function cgroupRows(reading: HostCgroups, trend: Trend): CgroupRow[] {
  const recent = (at: number | undefined) => at !== undefined && reading.time - at < HOLD_MS;
  return reading.cgroups.map((info) => {
    const limited = info.memory.max !== null;
    const denominator = info.memory.max ?? reading.memoryBytes;
    const rate = trend.rate[info.path];
    return {
      info,
      memoryFraction: denominator > 0 ? info.memory.current / denominator : 0,
      limited,
      ...(rate !== undefined && { millicores: rate }),
      ...(info.cpu.quotaUs !== null && { limitMillicores: Math.round((info.cpu.quotaUs / info.cpu.periodUs) * 1000) }),
      throttling: recent(trend.throttledAt[info.path]),
      oomKilled: recent(trend.oomAt[info.path]),
    };
  });
}

/** Bytes as the kubelet's quantities print them: Ki, Mi, Gi with at most one decimal. */
export function formatBytes(n: number): string {
  const units = ['B', 'Ki', 'Mi', 'Gi', 'Ti'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n}B` : `${v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}

/**
 * A cgroup's name with a 64-digit container id cut to docker's 12 and a pod uid to its first 8 (the full
 * name stays in the path, and the row names the pod).
 */
export function shortCgroupName(name: string): string {
  return name.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/, '$1…').replace(/pod([0-9a-f]{8})[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}/, 'pod$1…');
}
