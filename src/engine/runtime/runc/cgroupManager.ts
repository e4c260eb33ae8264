/**
 * CgroupManager — runc's cgroup managers (libcontainer/cgroups/fs, fs2 and systemd) over a node's mounted
 * cgroup file systems: the cgroupsPath of a spec made absolute for the cgroupfs or systemd driver
 * (`slice:prefix:name` → `/<expanded slice>/<prefix>-<name>.scope`), the directories made with every
 * available controller enabled in the ancestors' cgroup.subtree_control (cgroup v2) or one directory per
 * v1 hierarchy, the spec's resources written to their files (memory.max or memory.limit_in_bytes, with
 * memory.swap.max or memory.memsw.limit_in_bytes from the memory+swap total, cpu.max
 * or cpu.cfs_quota_us, cpu.weight converted from shares, cpuset, pids.max, unified entries), freezing,
 * the member pids and removal. Every access is a file operation of the calling process, as runc makes them.
 *
 * Left out: systemd's D-Bus (the systemd driver writes the scope's directory itself), device rules, hugetlb,
 * blkio weights, rdma and the v1 kernel-memory files.
 */
import { KernelError } from '../../kernel/errno.ts';
import { convertCPUSharesToCgroupV2Value } from '../../kernel/cgroup/cgroupDriver.ts';
import { V1_MOUNTS } from '../../kernel/cgroup/cgroupV1Fs.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { LinuxResources } from '../oci/spec.ts';
import { RuncError } from './runcError.ts';

/** Where cgroup file systems are mounted. */
export const CGROUP_ROOT = '/sys/fs/cgroup';

/** configs.Cgroup's naming: the absolute path and, for systemd, the slice and the scope's parts. */
export interface CgroupConfig {
  /** The cgroup's path from the hierarchy root. */
  path: string;
  /** The scope prefix (`cri-containerd`, `docker`) with the systemd driver. */
  scopePrefix: string;
  /** The scope's name (the container id) with the systemd driver. */
  name: string;
  /** The parent slice with the systemd driver. */
  parent: string;
  /** Whether the systemd driver names it. */
  systemd: boolean;
}

/**
 * systemd's ExpandSlice: `kubepods-burstable-pod1.slice` → `/kubepods.slice/kubepods-burstable.slice/
 * kubepods-burstable-pod1.slice`; `-.slice` is the root.
 */
export function expandSlice(slice: string): string {
  if (!slice.endsWith('.slice') || slice.includes('/')) throw new RuncError(`invalid slice name: ${slice}`);
  if (slice === '-.slice') return '/';
  const name = slice.slice(0, -'.slice'.length);
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--')) throw new RuncError(`invalid slice name: ${slice}`);
  let path = '';
  let prefix = '';
  for (const part of name.split('-')) {
    prefix = prefix ? `${prefix}-${part}` : part;
    path += `/${prefix}.slice`;
  }
  return path;
}

/** The cgroup of container `id` for a spec's cgroupsPath and driver (runc's specconv.CreateCgroupConfig). */
export function cgroupConfig(cgroupsPath: string | undefined, systemd: boolean, id: string): CgroupConfig {
  if (systemd) {
    const parts = (cgroupsPath || `system.slice:runc:${id}`).split(':');
    if (parts.length !== 3) {
      throw new RuncError(`expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got "${cgroupsPath}" instead`);
    }
    const [slice, prefix, name] = parts as [string, string, string];
    const parent = slice || 'system.slice';
    const scope = name.endsWith('.slice') ? name : `${prefix ? `${prefix}-` : ''}${name}.scope`;
    const base = expandSlice(parent);
    return { path: `${base === '/' ? '' : base}/${scope}`, scopePrefix: prefix, name, parent, systemd };
  }
  const path = cgroupsPath ? (cgroupsPath.startsWith('/') ? cgroupsPath : `/${cgroupsPath}`) : `/${id}`;
  return { path, scopePrefix: '', name: '', parent: '', systemd };
}

/** Resource usage read from a cgroup's files (what the shim's Stats reports). */
export interface CgroupStats {
  /** memory.current / memory.usage_in_bytes. */
  memoryUsageBytes: number;
  /** memory.max / memory.limit_in_bytes (undefined for no limit). */
  memoryLimitBytes: number | undefined;
  /** cpu.stat usage_usec / cpuacct.usage in µs. */
  cpuUsageUsec: number;
  /** nr_throttled. */
  nrThrottled: number;
  /** pids.current. */
  pidsCurrent: number;
}

export class CgroupManager {
  constructor(
    /** The calling process's file system view (runc's). */
    private readonly vfs: Vfs,
    /** 2 for the unified hierarchy. */
    readonly version: 1 | 2,
    /** The cgroup's path from the hierarchy root. */
    readonly path: string,
  ) {}

  /** Read a host's cgroup version from what is mounted on /sys/fs/cgroup. */
  static detectVersion(vfs: Vfs): 1 | 2 {
    try {
      vfs.stat(`${CGROUP_ROOT}/cgroup.controllers`);
      return 2;
    } catch (error) {
      if (error instanceof KernelError) return 1;
      throw error;
    }
  }

  /** The directory per controller, as state.json's cgroup_paths records them. */
  paths(): Record<string, string> {
    if (this.version === 2) return { '': `${CGROUP_ROOT}${this.path}` };
    const out: Record<string, string> = {};
    for (const m of V1_MOUNTS) {
      const dir = `${CGROUP_ROOT}/${m.name}${this.path}`;
      if (m.name === 'systemd') out['name=systemd'] = dir;
      else if (m.links.length > 0) for (const link of m.links) out[link] = dir;
      else out[m.name] = dir;
    }
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
  }

  /** The directory holding the cgroup's files of `controller` (the unified one on v2). */
  private dir(controller: string): string {
    if (this.version === 2) return `${CGROUP_ROOT}${this.path}`;
    const mount = V1_MOUNTS.find((m) => m.name === controller || m.links.includes(controller))!;
    return `${CGROUP_ROOT}/${mount.name}${this.path}`;
  }

  private write(controller: string, file: string, value: string): void {
    try {
      this.vfs.writeFile(`${this.dir(controller)}/${file}`, value);
    } catch (error) {
      if (error instanceof KernelError) {
        throw new RuncError(`unable to set ${file}: write ${this.dir(controller)}/${file}: ${goErrno(error)}`);
      }
      throw error;
    }
  }

  private read(controller: string, file: string): string {
    return this.vfs.readFile(`${this.dir(controller)}/${file}`);
  }

  /** Make the cgroup (CreateCgroupPath): on v2, each ancestor enables every controller it has for its children. */
  create(): void {
    if (this.version === 1) {
      for (const m of V1_MOUNTS) this.vfs.mkdirAll(`${CGROUP_ROOT}/${m.name}${this.path}`, 0o755);
      return;
    }
    let current = CGROUP_ROOT;
    const parts = this.path.split('/').filter(Boolean);
    for (const part of parts) {
      const available = this.vfs.readFile(`${current}/cgroup.controllers`).trim().split(/\s+/).filter(Boolean);
      const enabled = new Set(this.vfs.readFile(`${current}/cgroup.subtree_control`).trim().split(/\s+/).filter(Boolean));
      const missing = available.filter((c) => !enabled.has(c));
      if (missing.length > 0) this.vfs.writeFile(`${current}/cgroup.subtree_control`, missing.map((c) => `+${c}`).join(' '));
      current += `/${part}`;
      try {
        this.vfs.mkdir(current, 0o755);
      } catch (error) {
        if (!(error instanceof KernelError && error.code === 'EEXIST')) throw error;
      }
    }
  }

  /** Set: write the resources to the cgroup's files, as runc create and runc update do. */
  set(resources: LinuxResources | undefined): void {
    if (!resources) return;
    const { memory, cpu, pids, unified } = resources;
    if (this.version === 2) {
      if (memory?.swap !== undefined) {
        const swap = swapV2(memory.swap, memory.limit ?? 0);
        // A memory+swap equal to memory.max disables swap: 0 is written; an unset total writes nothing.
        if (swap !== 0 || memory.swap > 0) this.write('memory', 'memory.swap.max', swap === -1 ? 'max' : String(swap));
      }
      if (memory?.limit !== undefined) this.write('memory', 'memory.max', limitValue(memory.limit));
      if (memory?.reservation !== undefined) this.write('memory', 'memory.low', limitValue(memory.reservation));
      if (cpu?.shares) this.write('cpu', 'cpu.weight', String(convertCPUSharesToCgroupV2Value(cpu.shares)));
      if (cpu?.quota !== undefined || cpu?.period !== undefined) {
        const period = cpu.period || 100_000;
        this.write('cpu', 'cpu.max', `${cpu.quota !== undefined && cpu.quota > 0 ? cpu.quota : 'max'} ${period}`);
      }
      if (cpu?.cpus) this.write('cpuset', 'cpuset.cpus', cpu.cpus);
      if (cpu?.mems) this.write('cpuset', 'cpuset.mems', cpu.mems);
      if (pids) this.write('pids', 'pids.max', limitValue(pids.limit));
      for (const [file, value] of Object.entries(unified ?? {})) this.write('', file, value);
      return;
    }
    // setMemoryAndSwap: memory+swap may not be below the memory limit, so the larger one goes first.
    if (memory?.swap !== undefined && memory.swap !== 0) {
      const current = Number(this.read('memory', 'memory.limit_in_bytes'));
      if (memory.swap === -1 || current < memory.swap) this.write('memory', 'memory.memsw.limit_in_bytes', String(memory.swap));
      if (memory.limit !== undefined) this.write('memory', 'memory.limit_in_bytes', String(memory.limit));
      if (!(memory.swap === -1 || current < memory.swap)) this.write('memory', 'memory.memsw.limit_in_bytes', String(memory.swap));
    } else if (memory?.limit !== undefined) this.write('memory', 'memory.limit_in_bytes', String(memory.limit));
    if (memory?.reservation !== undefined) this.write('memory', 'memory.soft_limit_in_bytes', String(memory.reservation));
    if (cpu?.shares) this.write('cpu', 'cpu.shares', String(cpu.shares));
    if (cpu?.period) this.write('cpu', 'cpu.cfs_period_us', String(cpu.period));
    if (cpu?.quota !== undefined) this.write('cpu', 'cpu.cfs_quota_us', String(cpu.quota));
    if (cpu?.cpus) this.write('cpuset', 'cpuset.cpus', cpu.cpus);
    if (cpu?.mems) this.write('cpuset', 'cpuset.mems', cpu.mems);
    if (pids) this.write('pids', 'pids.max', limitValue(pids.limit));
  }

  /** The pids in the cgroup (cgroup.procs), as the host numbers them. */
  getPids(): number[] {
    return this.read(this.version === 2 ? '' : 'pids', 'cgroup.procs').split('\n').filter(Boolean).map(Number);
  }

  /** Freeze (true) or thaw the cgroup: cgroup.freeze on v2, freezer.state on v1. */
  freeze(frozen: boolean): void {
    if (this.version === 2) this.write('', 'cgroup.freeze', frozen ? '1' : '0');
    else this.write('freezer', 'freezer.state', frozen ? 'FROZEN' : 'THAWED');
  }

  /** Whether the cgroup is frozen. */
  frozen(): boolean {
    try {
      if (this.version === 2) return /frozen 1/.test(this.read('', 'cgroup.events'));
      return this.read('freezer', 'freezer.state').trim() === 'FROZEN';
    } catch (error) {
      if (error instanceof KernelError) return false;
      throw error;
    }
  }

  /** Usage numbers from the cgroup's files. */
  stats(): CgroupStats {
    const kv = (text: string): Map<string, number> => new Map(text.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!, Number(l.split(' ')[1])]));
    if (this.version === 2) {
      const max = this.read('memory', 'memory.max').trim();
      const cpuStat = kv(this.read('cpu', 'cpu.stat'));
      return {
        memoryUsageBytes: Number(this.read('memory', 'memory.current')),
        memoryLimitBytes: max === 'max' ? undefined : Number(max),
        cpuUsageUsec: cpuStat.get('usage_usec') ?? 0,
        nrThrottled: cpuStat.get('nr_throttled') ?? 0,
        pidsCurrent: Number(this.read('pids', 'pids.current')),
      };
    }
    const limit = Number(this.read('memory', 'memory.limit_in_bytes'));
    return {
      memoryUsageBytes: Number(this.read('memory', 'memory.usage_in_bytes')),
      memoryLimitBytes: limit >= 0x7ffffffffffff000 ? undefined : limit,
      cpuUsageUsec: Math.floor(Number(this.read('cpuacct', 'cpuacct.usage')) / 1000),
      nrThrottled: kv(this.read('cpu', 'cpu.stat')).get('nr_throttled') ?? 0,
      pidsCurrent: Number(this.read('pids', 'pids.current')),
    };
  }

  /** Remove the cgroup's directories (ignoring ones already gone). */
  destroy(): void {
    const dirs = this.version === 2 ? [`${CGROUP_ROOT}${this.path}`] : V1_MOUNTS.map((m) => `${CGROUP_ROOT}/${m.name}${this.path}`);
    for (const dir of dirs) {
      try {
        this.vfs.rmdir(dir);
      } catch (error) {
        if (!(error instanceof KernelError && error.code === 'ENOENT')) throw error;
      }
    }
  }
}

/**
 * ConvertMemorySwapToCgroupV2Value: the spec's memory+swap total as memory.swap.max's swap alone; -1
 * stays unlimited, 0 unset.
 */
export function swapV2(memorySwap: number, memory: number): number {
  if (memory === -1 && memorySwap === 0) return -1;
  if (memorySwap === -1 || memorySwap === 0) return memorySwap;
  if (memory === 0 || memory === -1) throw new RuncError('unable to set swap limit without memory limit');
  if (memorySwap < memory) throw new RuncError('memory+swap limit should be >= memory limit');
  return memorySwap - memory;
}

/** A limit as cgroup v2 and pids.max write it: "max" for none (0 or negative). */
function limitValue(n: number): string {
  return n > 0 ? String(n) : 'max';
}

/** An errno as Go's syscall.Errno.Error() words it: strerror in lower case. */
export function goErrno(error: KernelError): string {
  const text = error.describe;
  return text.charAt(0).toLowerCase() + text.slice(1);
}
