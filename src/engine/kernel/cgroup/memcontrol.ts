/**
 * The memory controller (mm/memcontrol.c): page counters charged for a task against its memory cgroup and
 * every ancestor, memory.current/peak, the memory.stat counters, memory.events, and what happens at the
 * limit: the charge fails, the memcg OOM killer (oomKill.ts) picks and kills a victim, and the charge is
 * retried. Past the node's RAM the same happens node-wide.
 *
 * Not emulated: reclaim (memory.high only counts `high` events; memory.low and memory.min are kept and
 * shown but protect nothing; file pages are never reclaimed before an OOM kill), swap (no swap device:
 * swap stays 0), and the wait of a v1 cgroup with oom_kill_disable (the charge fails with `oom-blocked`
 * and under_oom is set).
 */
import type { Cgroup, CgroupHierarchy, CgroupTask, KernLevel, MemoryEvents, MemoryKind } from './cgroup.ts';
import { OomKiller, type OomInvoker } from './oomKill.ts';
import { pageCounterMax } from './memparse.ts';

/** Options of the memory controller, part of CgroupHierarchyOptions. */
export interface MemoryControllerOptions {
  /** The node's RAM available to tasks, bytes (MemTotal). */
  totalRamBytes: number;
  /** PAGE_SIZE; 4096. */
  pageSize?: number;
  /** SIGKILL a task chosen by the OOM killer. The process layer should end it (and may call CgroupHierarchy.exit). */
  kill: (victim: CgroupTask) => void;
  /** printk: one kernel log line without its timestamp, and its level. */
  log: (line: string, level: KernLevel) => void;
}

/** The outcome of a charge. */
export type ChargeResult =
  | { readonly ok: true }
  /** The charging task itself was chosen by the OOM killer and killed. */
  | { readonly ok: false; readonly reason: 'oom-killed' }
  /** v1 oom_kill_disable is set: the task would wait for memory (under_oom). */
  | { readonly ok: false; readonly reason: 'oom-blocked' }
  /** Nothing killable was left ("Out of memory and no killable processes..."): ENOMEM. */
  | { readonly ok: false; readonly reason: 'no-victim' };

/** A task's resident memory as the OOM killer and /proc/<pid>/status count it, bytes. */
export interface TaskMemory {
  /** MM_ANONPAGES. */
  anon: number;
  /** MM_FILEPAGES. */
  file: number;
  /** MM_SHMEMPAGES. */
  shmem: number;
  /** MM_SWAPENTS. */
  swap: number;
  /** mm_pgtables_bytes. */
  pagetables: number;
  /** Kernel stacks of its threads. */
  kernelStack: number;
}

type KindBytes = Record<MemoryKind, number>;

/** Bytes of page tables per byte mapped: one 4 KiB page of 512 entries maps 2 MiB. */
const PAGETABLE_SPAN = 2 * 1024 * 1024;

const MAPPED: readonly MemoryKind[] = ['anon', 'file', 'shmem'];

/** The memory controller of one host. */
export class MemoryController {
  /** PAGE_SIZE in bytes. */
  readonly pageSize: number;
  /** The node's RAM, bytes. */
  readonly totalRamBytes: number;
  private readonly records = new Map<CgroupTask, Map<Cgroup, KindBytes>>();
  private readonly reaped = new WeakSet<CgroupTask>();
  private readonly oomKiller: OomKiller;

  constructor(
    private readonly hierarchy: CgroupHierarchy,
    options: MemoryControllerOptions,
  ) {
    this.pageSize = options.pageSize ?? 4096;
    this.totalRamBytes = options.totalRamBytes;
    this.oomKiller = new OomKiller(hierarchy, this, options.kill, options.log);
  }

  /**
   * Charge `bytes` (rounded up to pages) of `kind` for `task` to its memory cgroup and every ancestor.
   * Mapped kinds also charge the page tables that map them. Past a memory.max (or the node's RAM) the OOM
   * killer runs and the charge is retried, as try_charge does.
   */
  charge(task: CgroupTask, bytes: number, kind: MemoryKind = 'anon', options: { majorFault?: boolean; invoker?: OomInvoker } = {}): ChargeResult {
    if (this.reaped.has(task)) return { ok: false, reason: 'oom-killed' };
    const size = this.roundUp(bytes);
    if (size <= 0) return { ok: true };
    const invoker = options.invoker ?? task;
    let remaining = size;
    for (;;) {
      const memcg = task.cgroup.css('memory');
      const room = this.room(memcg);
      let chunk = Math.min(remaining, Math.floor(room / this.pageSize) * this.pageSize);
      while (chunk > 0 && chunk + this.tablesFor(task, kind, chunk) > room) chunk -= this.pageSize;
      if (chunk > 0) {
        this.commitMapped(task, memcg, kind, chunk, options.majorFault ?? false);
        remaining -= chunk;
      }
      if (remaining === 0) {
        this.countHigh(memcg);
        return { ok: true };
      }
      const needed = remaining + this.tablesFor(task, kind, remaining);
      const over = this.overLimit(memcg, needed);
      if (over === undefined) {
        const outcome = this.oomKiller.outOfMemory({ invoker, memcg: undefined, constraint: 'CONSTRAINT_NONE' });
        if (outcome === undefined) return { ok: false, reason: 'no-victim' };
        if (this.reaped.has(task)) return { ok: false, reason: 'oom-killed' };
        continue;
      }
      this.event(over, 'max');
      over.memory.failcnt++;
      if (over.memory.oomKillDisable) {
        over.memory.underOom = true;
        return { ok: false, reason: 'oom-blocked' };
      }
      this.event(over, 'oom');
      const outcome = this.oomKiller.outOfMemory({ invoker, memcg: over, constraint: 'CONSTRAINT_MEMCG' });
      if (outcome === undefined) return { ok: false, reason: 'no-victim' };
      if (this.reaped.has(task)) return { ok: false, reason: 'oom-killed' };
    }
  }

  /** Bytes that can still be charged in `memcg`: the least room under a limit on the way up, and the node's free RAM. */
  private room(memcg: Cgroup): number {
    let room = this.totalRamBytes - this.hierarchy.root.memory.current;
    for (let c: Cgroup | undefined = memcg; c && !c.isRoot; c = c.parent) room = Math.min(room, c.memory.max - c.memory.current);
    return Math.max(0, room);
  }

  private tablesFor(task: CgroupTask, kind: MemoryKind, bytes: number): number {
    return MAPPED.includes(kind) ? this.pagetablesFor(task, bytes) : 0;
  }

  /** Commit pages (as faults bring them in) with the page tables that map them. */
  private commitMapped(task: CgroupTask, memcg: Cgroup, kind: MemoryKind, bytes: number, major: boolean): void {
    const tables = this.tablesFor(task, kind, bytes);
    this.commit(task, memcg, kind, bytes);
    if (tables > 0) this.commit(task, memcg, 'pagetables', tables);
    if (!MAPPED.includes(kind)) return;
    for (let c: Cgroup | undefined = memcg; c; c = c.parent) {
      c.memory.pgfault += bytes / this.pageSize;
      if (major) c.memory.pgmajfault += bytes / this.pageSize;
    }
  }

  /** Give back `bytes` of `kind` charged for `task` (munmap, a freed page-cache page, a deleted tmpfs file). */
  uncharge(task: CgroupTask, bytes: number, kind: MemoryKind = 'anon'): void {
    let left = this.roundUp(bytes);
    const byCgroup = this.records.get(task);
    if (!byCgroup) return;
    const own = task.cgroup.css('memory');
    const order = [...byCgroup.keys()].sort((a, b) => (a === own ? -1 : b === own ? 1 : 0));
    for (const cg of order) {
      if (left <= 0) break;
      const rec = byCgroup.get(cg)!;
      const take = Math.min(left, rec[kind]);
      if (take > 0) this.uncommit(task, cg, kind, take);
      left -= take;
    }
    if (MAPPED.includes(kind)) {
      const surplus = this.usage(task).pagetables - this.pagetablesNeeded(this.rss(task));
      if (surplus > 0) this.uncharge(task, surplus, 'pagetables');
    }
    if (own.memory.underOom && own.memory.current <= own.memory.max) own.memory.underOom = false;
  }

  /** Release everything charged for a task (its exit, or the OOM reaper after a kill). */
  release(task: CgroupTask): void {
    const byCgroup = this.records.get(task);
    if (!byCgroup) return;
    for (const [cg, rec] of [...byCgroup]) {
      for (const kind of Object.keys(rec) as MemoryKind[]) if (rec[kind] > 0) this.uncommit(task, cg, kind, rec[kind]);
    }
    this.records.delete(task);
  }

  /** Mark a task killed by the OOM killer and reap its memory; later charges for it fail. */
  reap(task: CgroupTask): void {
    this.reaped.add(task);
    this.release(task);
  }

  /** Whether the OOM killer has killed this task. */
  isReaped(task: CgroupTask): boolean {
    return this.reaped.has(task);
  }

  /** A task's charged memory by kind, summed over the cgroups it was charged in. */
  usage(task: CgroupTask): TaskMemory {
    const out: TaskMemory = { anon: 0, file: 0, shmem: 0, swap: 0, pagetables: 0, kernelStack: 0 };
    for (const rec of this.records.get(task)?.values() ?? []) {
      out.anon += rec.anon;
      out.file += rec.file;
      out.shmem += rec.shmem;
      out.pagetables += rec.pagetables;
      out.kernelStack += rec.kernel_stack;
    }
    return out;
  }

  /**
   * Set memory.max (v2). Below the current usage the kernel reclaims, then OOM-kills in the cgroup until
   * the usage fits; reclaim is not emulated, so it kills.
   */
  setMax(cg: Cgroup, bytes: number, invoker: OomInvoker): void {
    cg.memory.max = bytes;
    while (cg.memory.current > bytes) {
      this.event(cg, 'oom');
      if (this.oomKiller.outOfMemory({ invoker, memcg: cg, constraint: 'CONSTRAINT_MEMCG' }) === undefined) break;
    }
  }

  /** Count a memory.events event in `cg` (local) and in it and its non-root ancestors (hierarchical). */
  event(cg: Cgroup, name: keyof MemoryEvents): void {
    cg.memory.eventsLocal[name]++;
    for (let c: Cgroup | undefined = cg; c && !c.isRoot; c = c.parent) c.memory.events[name]++;
  }

  /** A cgroup is removed: what its tasks left charged there moves to the parent (reparenting). */
  offline(cg: Cgroup): void {
    const parent = cg.parent;
    if (!parent) return;
    for (const byCgroup of this.records.values()) {
      const rec = byCgroup.get(cg);
      if (!rec) continue;
      byCgroup.delete(cg);
      const into = byCgroup.get(parent);
      if (!into) byCgroup.set(parent, rec);
      else for (const kind of Object.keys(rec) as MemoryKind[]) into[kind] += rec[kind];
    }
  }

  /** A memory size shown in cgroup files: "max" for unlimited, else bytes. */
  formatLimit(bytes: number): string {
    return bytes === Infinity ? 'max' : `${bytes}`;
  }

  /** A limit in bytes as v1 files show it: unlimited is PAGE_COUNTER_MAX pages (9223372036854771712). */
  formatLimitV1(bytes: number): string {
    return bytes === Infinity ? (BigInt(pageCounterMax(this.pageSize)) * BigInt(this.pageSize)).toString() : `${bytes}`;
  }

  /** Resident pages of a task (anon + file + shmem), bytes. */
  rss(task: CgroupTask): number {
    const u = this.usage(task);
    return u.anon + u.file + u.shmem;
  }

  private roundUp(bytes: number): number {
    return Math.ceil(Math.max(0, bytes) / this.pageSize) * this.pageSize;
  }

  private pagetablesNeeded(rss: number): number {
    return Math.ceil(rss / PAGETABLE_SPAN) * this.pageSize;
  }

  private pagetablesFor(task: CgroupTask, adding: number): number {
    return Math.max(0, this.pagetablesNeeded(this.rss(task) + adding) - this.usage(task).pagetables);
  }

  private overLimit(memcg: Cgroup, bytes: number): Cgroup | undefined {
    for (let c: Cgroup | undefined = memcg; c && !c.isRoot; c = c.parent) {
      if (c.memory.current + bytes > c.memory.max) return c;
    }
    return undefined;
  }

  private countHigh(memcg: Cgroup): void {
    for (let c: Cgroup | undefined = memcg; c && !c.isRoot; c = c.parent) {
      if (c.memory.current > c.memory.high) this.event(c, 'high');
    }
  }

  private commit(task: CgroupTask, memcg: Cgroup, kind: MemoryKind, bytes: number): void {
    let byCgroup = this.records.get(task);
    if (!byCgroup) this.records.set(task, (byCgroup = new Map()));
    let rec = byCgroup.get(memcg);
    if (!rec) byCgroup.set(memcg, (rec = emptyKinds()));
    rec[kind] += bytes;
    for (let c: Cgroup | undefined = memcg; c; c = c.parent) {
      const m = c.memory;
      m.current += bytes;
      m.stat[kind] += bytes;
      m.pgpgin += bytes / this.pageSize;
      if (m.current > m.peak) m.peak = m.current;
    }
  }

  private uncommit(task: CgroupTask, memcg: Cgroup, kind: MemoryKind, bytes: number): void {
    const rec = this.records.get(task)?.get(memcg);
    if (!rec) return;
    rec[kind] -= bytes;
    for (let c: Cgroup | undefined = memcg; c; c = c.parent) {
      c.memory.current -= bytes;
      c.memory.stat[kind] -= bytes;
      c.memory.pgpgout += bytes / this.pageSize;
    }
  }
}

function emptyKinds(): KindBytes {
  return { anon: 0, file: 0, shmem: 0, kernel_stack: 0, pagetables: 0, sock: 0, slab_reclaimable: 0, slab_unreclaimable: 0 };
}
