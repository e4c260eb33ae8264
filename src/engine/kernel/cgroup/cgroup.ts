/**
 * The cgroup tree of one host (kernel/cgroup/cgroup.c): cgroups as directories, tasks as members, the
 * controllers each cgroup has, and the per-controller state the files show and the scheduler, the memory
 * controller and the pids controller act on.
 *
 * One model serves both layouts. On a cgroup v2 host a controller is present in a cgroup when the parent
 * enables it in `cgroup.subtree_control` (the root has all of them); a task is accounted to the nearest
 * cgroup, itself or an ancestor, where the controller is present (its "css"). On a v1 host every hierarchy
 * mirrors this one tree (as systemd, Docker and the kubelet keep them) and every controller is present
 * everywhere.
 */
import { Emitter } from '../../base/emitter.ts';
import { KernelError } from '../errno.ts';
import { MemoryController, type MemoryControllerOptions } from './memcontrol.ts';

/** The controllers this kernel emulates, in the order cgroup.controllers lists them. */
export const CONTROLLERS = ['cpuset', 'cpu', 'io', 'memory', 'pids'] as const;

/** A cgroup controller (subsystem) name. */
export type Controller = (typeof CONTROLLERS)[number];

/**
 * What the cgroup code needs of a task (a thread; a process is its thread-group leader, `pid === tgid`).
 * The process layer implements it structurally; `cgroup` is written by the hierarchy when a task moves.
 */
export interface CgroupTask {
  /** The task's id in the initial pid namespace. */
  readonly pid: number;
  /** Its thread group (process) id in the initial pid namespace. */
  readonly tgid: number;
  /** The command name (`comm`, at most 15 characters). */
  readonly comm: string;
  /** The real uid, in the initial user namespace. */
  readonly uid: number;
  /** Its nice value, -20..19. */
  readonly nice: number;
  /** /proc/<pid>/oom_score_adj, -1000..1000. */
  readonly oomScoreAdj: number;
  /** Virtual memory size in bytes (total_vm) when the process layer tracks it; else its resident size is used. */
  readonly totalVmBytes?: number;
  /** The cgroup it belongs to; set by CgroupHierarchy.attach. */
  cgroup: Cgroup;
}

/** CPU controller state (task_group + cfs_bandwidth) and the cgroup's CPU statistics. */
export class CpuState {
  /** tg->shares in NICE_0_LOAD units: v1 cpu.shares; v2 cpu.weight × 1024 / 100. */
  shares = 1024;
  /** cpu.max's quota in µs, or undefined for "max". */
  quotaUs: number | undefined = undefined;
  /** cpu.max's period in µs. */
  periodUs = 100_000;
  /** cpu.max.burst in µs. */
  burstUs = 0;
  /** cpu.idle (SCHED_IDLE group). */
  idle = 0;
  /** CPU time used by the subtree, ns, and its user and system parts. */
  usageNs = 0;
  /** User-mode part of usageNs. */
  userNs = 0;
  /** Kernel-mode part of usageNs. */
  systemNs = 0;
  /** Per-CPU user time of the subtree, ns (cpuacct.usage_percpu_user). */
  readonly percpuUserNs: number[];
  /** Per-CPU system time of the subtree, ns (cpuacct.usage_percpu_sys). */
  readonly percpuSystemNs: number[];
  /** Bandwidth periods elapsed while the group was active. */
  nrPeriods = 0;
  /** Periods that ended with the group throttled. */
  nrThrottled = 0;
  /** Time the group's per-CPU run queues spent throttled, summed over CPUs, ns. */
  throttledNs = 0;
  /** Periods in which the group used burst (more than its quota). */
  nrBursts = 0;
  /** CPU time used beyond quota out of the burst allowance, ns. */
  burstNs = 0;

  constructor(cpus: number) {
    this.percpuUserNs = new Array<number>(cpus).fill(0);
    this.percpuSystemNs = new Array<number>(cpus).fill(0);
  }
}

/** memory.events counters. */
export interface MemoryEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  oom_kill: number;
  oom_group_kill: number;
}

/** What a memory charge is for: the memory.stat line it lands in. */
export type MemoryKind = 'anon' | 'file' | 'shmem' | 'kernel_stack' | 'pagetables' | 'sock' | 'slab_reclaimable' | 'slab_unreclaimable';

/** The memory controller's per-cgroup state (mem_cgroup): limits, the page counter, statistics, events. */
export class MemoryState {
  /** memory.max (v1 memory.limit_in_bytes), bytes; Infinity for "max". */
  max = Infinity;
  /** memory.high, bytes. */
  high = Infinity;
  /** memory.low, bytes. */
  low = 0;
  /** memory.min, bytes. */
  min = 0;
  /** memory.swap.max, bytes. */
  swapMax = Infinity;
  /** v1 memory.soft_limit_in_bytes, bytes. */
  softLimit = Infinity;
  /** memory.oom.group. */
  oomGroup = false;
  /** v1 memory.oom_control oom_kill_disable. */
  oomKillDisable = false;
  /** v1 memory.oom_control under_oom: a charge is waiting because the OOM killer is disabled. */
  underOom = false;
  /** v1 memory.swappiness. */
  swappiness = 60;
  /** The page counter: bytes charged to the subtree (memory.current / memory.usage_in_bytes). */
  current = 0;
  /** Highest `current` seen (memory.peak / memory.max_usage_in_bytes). */
  peak = 0;
  /** Charges that hit the limit (v1 memory.failcnt). */
  failcnt = 0;
  /** memory.swap.current, bytes (no swap device is emulated: stays 0). */
  swapCurrent = 0;
  /** Hierarchical memory.stat byte counters by kind. */
  readonly stat: Record<MemoryKind, number> = {
    anon: 0,
    file: 0,
    shmem: 0,
    kernel_stack: 0,
    pagetables: 0,
    sock: 0,
    slab_reclaimable: 0,
    slab_unreclaimable: 0,
  };
  /** Page faults (pgfault) and major faults (pgmajfault) in the subtree. */
  pgfault = 0;
  /** Major faults in the subtree. */
  pgmajfault = 0;
  /** Pages charged in the subtree, ever (v1 pgpgin). */
  pgpgin = 0;
  /** Pages uncharged in the subtree, ever (v1 pgpgout). */
  pgpgout = 0;
  /** memory.events: this cgroup and its descendants. */
  readonly events: MemoryEvents = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
  /** memory.events.local: this cgroup only. */
  readonly eventsLocal: MemoryEvents = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
}

/** The pids controller's per-cgroup state. */
export class PidsState {
  /** pids.max; Infinity for "max". */
  max = Infinity;
  /** Tasks in the subtree (pids.current). */
  current = 0;
  /** Highest `current` seen (pids.peak). */
  peak = 0;
  /** Forks rejected in this cgroup (pids.events max). */
  eventsMax = 0;
}

/** io.max limits of one device ("8:0"); Infinity for "max". */
export interface IoMax {
  rbps: number;
  wbps: number;
  riops: number;
  wiops: number;
}

/** Bytes and operations done against one device, for io.stat. */
export interface IoStat {
  rbytes: number;
  wbytes: number;
  rios: number;
  wios: number;
  dbytes: number;
  dios: number;
}

/** The io controller's per-cgroup state. */
export class IoState {
  /** io.max lines by "major:minor". */
  readonly max = new Map<string, IoMax>();
  /** io.stat counters by "major:minor" (subtree). */
  readonly stat = new Map<string, IoStat>();
}

/** The cpuset controller's per-cgroup state. */
export class CpusetState {
  /** cpuset.cpus as written (undefined: empty, inherit the parent's effective set). */
  cpus: number[] | undefined = undefined;
  /** cpuset.mems as written. */
  mems: number[] | undefined = undefined;
}

/** A v1 devices controller rule: "c 1:3 rwm". */
export interface DeviceRule {
  type: 'a' | 'b' | 'c';
  major: string;
  minor: string;
  access: string;
}

/** Options for a host's cgroup tree. */
export interface CgroupHierarchyOptions extends MemoryControllerOptions {
  /** 2 for the unified hierarchy (cgroup2), 1 for the legacy per-controller hierarchies. */
  version: 1 | 2;
  /** Online CPUs (0..cpus-1). */
  cpus: number;
  /** Memory nodes; 1 unless NUMA is emulated. */
  memNodes?: number;
  /** Who a pid names, for writes to cgroup.procs/tasks from the host's view (ESRCH when undefined). */
  findTask?: (pid: number) => CgroupTask | undefined;
}

/**
 * One cgroup: a directory of the hierarchy. `path` is '/' for the root and '/a/b' below it, as
 * /proc/<pid>/cgroup prints it from the initial cgroup namespace.
 */
export class Cgroup {
  /** Subdirectories by name. */
  readonly children = new Map<string, Cgroup>();
  /** Member tasks (threads) of this cgroup itself. */
  readonly tasks = new Set<CgroupTask>();
  /** cgroup.subtree_control: controllers enabled for the children. */
  readonly subtreeControl = new Set<Controller>();
  /** cgroup.max.depth; Infinity for "max". */
  maxDepth = Infinity;
  /** cgroup.max.descendants; Infinity for "max". */
  maxDescendants = Infinity;
  /** cgroup.freeze (v2) / freezer.state FROZEN (v1) set on this cgroup itself. */
  freeze = false;
  /** v1 notify_on_release. */
  notifyOnRelease = false;
  /** v1 devices rules (devices.list). */
  devices: DeviceRule[];
  /** CPU controller state and CPU statistics. */
  readonly cpu: CpuState;
  /** Memory controller state. */
  readonly memory = new MemoryState();
  /** Pids controller state. */
  readonly pids = new PidsState();
  /** Io controller state. */
  readonly io = new IoState();
  /** Cpuset controller state. */
  readonly cpuset = new CpusetState();
  /** The path from the hierarchy root. */
  readonly path: string;
  /** Distance from the root (the root is 0). */
  readonly depth: number;

  constructor(
    /** The tree this cgroup belongs to. */
    readonly hierarchy: CgroupHierarchy,
    /** The directory name ('' for the root). */
    readonly name: string,
    /** The parent cgroup; undefined for the root. */
    readonly parent: Cgroup | undefined,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
    this.path = parent === undefined ? '/' : parent.parent === undefined ? `/${name}` : `${parent.path}/${name}`;
    this.cpu = new CpuState(hierarchy.cpus);
    this.devices = parent ? parent.devices.map((r) => ({ ...r })) : [{ type: 'a', major: '*', minor: '*', access: 'rwm' }];
  }

  /** Whether this is the hierarchy's root. */
  get isRoot(): boolean {
    return this.parent === undefined;
  }


  /** The ancestors from the parent up to the root. */
  *ancestors(): Generator<Cgroup> {
    for (let c = this.parent; c; c = c.parent) yield c;
  }

  /** This cgroup and every cgroup below it, parents before children. */
  *subtree(): Generator<Cgroup> {
    yield this;
    for (const child of this.children.values()) yield* child.subtree();
  }

  /** All tasks of the subtree. */
  *subtreeTasks(): Generator<CgroupTask> {
    for (const cg of this.subtree()) yield* cg.tasks;
  }

  /** Whether the controller has state in this cgroup (v2: the parent enables it; v1: always). */
  has(controller: Controller): boolean {
    return this.hierarchy.version === 1 || this.parent === undefined || this.parent.subtreeControl.has(controller);
  }

  /** The cgroup whose state of `controller` governs this one's tasks: itself or the nearest ancestor with it. */
  css(controller: Controller): Cgroup {
    if (this.has(controller)) return this;
    return this.parent!.css(controller);
  }

  /** cgroup.controllers: the controllers available to this cgroup. */
  get controllers(): Controller[] {
    if (this.parent === undefined) return [...CONTROLLERS];
    return CONTROLLERS.filter((c) => this.parent!.subtreeControl.has(c));
  }

  /** cgroup.events populated: some task lives in the subtree. */
  get populated(): boolean {
    for (const cg of this.subtree()) if (cg.tasks.size > 0) return true;
    return false;
  }

  /** Whether this cgroup or an ancestor is frozen (cgroup.events frozen; freezer.state FROZEN). */
  get frozen(): boolean {
    return this.freeze || (this.parent?.frozen ?? false);
  }

  /** Live descendants (cgroup.stat nr_descendants). */
  get nrDescendants(): number {
    let n = -1;
    for (const _ of this.subtree()) n++;
    return n;
  }

  /** The effective CPUs (cpuset.cpus.effective): what is written, within the parent's effective set. */
  get effectiveCpus(): readonly number[] {
    const own = this.cpuset.cpus;
    if (own === undefined || !this.has('cpuset')) return this.parent ? this.parent.effectiveCpus : this.hierarchy.allCpus;
    const parent = this.parent ? this.parent.effectiveCpus : this.hierarchy.allCpus;
    const within = own.filter((c) => parent.includes(c));
    return within.length > 0 ? within : parent;
  }

  /** The effective memory nodes (cpuset.mems.effective). */
  get effectiveMems(): number[] {
    const parent = this.parent ? this.parent.effectiveMems : range(this.hierarchy.memNodes);
    const own = this.cpuset.mems;
    if (own === undefined || !this.has('cpuset')) return parent;
    const within = own.filter((c) => parent.includes(c));
    return within.length > 0 ? within : parent;
  }

  /** The child at a relative path ("a/b"), or undefined. */
  lookup(relative: string): Cgroup | undefined {
    const parts = relative.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0) return this;
    const [first, ...rest] = parts;
    const next = first === '..' ? (this.parent ?? this) : this.children.get(first!);
    return next?.lookup(rest.join('/'));
  }

  /** This cgroup's path as seen from inside a cgroup namespace rooted at `root` ("/" when it is the root). */
  pathFrom(root: Cgroup): string {
    if (root.isRoot) return this.path;
    const from = [...root.ancestors()].reverse().concat(root);
    const to = [...this.ancestors()].reverse().concat(this);
    let i = 0;
    while (i < from.length && i < to.length && from[i] === to[i]) i++;
    const parts = [...new Array<string>(from.length - i).fill('..'), ...to.slice(i).map((c) => c.name)];
    return `/${parts.join('/')}`;
  }
}

/**
 * A host's cgroup hierarchy: the root cgroup, mkdir/rmdir, task membership (attach, fork, exit) with the
 * v2 rules, the pids controller's fork limit, and the memory controller (`memory`) that charges pages and
 * runs the OOM killer.
 */
export class CgroupHierarchy {
  /** 2 for cgroup2, 1 for legacy hierarchies. */
  readonly version: 1 | 2;
  /** Online CPUs. */
  readonly cpus: number;
  /** Memory nodes. */
  readonly memNodes: number;
  /** The root cgroup ('/'). */
  readonly root: Cgroup;
  /** Every online CPU, 0..cpus-1 (the root's cpuset.cpus.effective). */
  readonly allCpus: readonly number[];
  /** The memory controller: charges, limits, the OOM killer. */
  readonly memory: MemoryController;
  /** Every attached task by pid. */
  private readonly byPid = new Map<number, CgroupTask>();
  private readonly findTask: ((pid: number) => CgroupTask | undefined) | undefined;
  private readonly log: (line: string, level: KernLevel) => void;
  /** SIGKILL a task (the OOM killer's and cgroup.kill's way to end one). */
  readonly kill: (task: CgroupTask) => void;
  private forkRejectLogged = new WeakSet<Cgroup>();

  private readonly _onWillChange = new Emitter<void>();
  /** Fires before membership or CPU settings change, so the scheduler can account the time up to now first. */
  readonly onWillChange = this._onWillChange.event;
  private readonly _onDidChange = new Emitter<void>();
  /** Fires after membership or CPU settings changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onWillReadStats = new Emitter<void>();
  /** Fires before a statistics file is read, so the scheduler can bring CPU usage up to now. */
  readonly onWillReadStats = this._onWillReadStats.event;

  constructor(options: CgroupHierarchyOptions) {
    if (!Number.isInteger(options.cpus) || options.cpus < 1) throw new RangeError(`CgroupHierarchy: cpus must be a positive integer, got ${options.cpus}`);
    this.version = options.version;
    this.cpus = options.cpus;
    this.memNodes = options.memNodes ?? 1;
    this.allCpus = range(options.cpus);
    this.findTask = options.findTask;
    this.log = options.log;
    this.kill = options.kill;
    this.root = new Cgroup(this, '', undefined);
    this.memory = new MemoryController(this, options);
  }

  /** The cgroup at an absolute path ('/kubepods.slice/…'), or undefined. */
  lookup(path: string): Cgroup | undefined {
    return this.root.lookup(path);
  }

  /** Resolve a pid from the host's view: the injected lookup, else the attached tasks. */
  resolvePid(pid: number): CgroupTask | undefined {
    return this.findTask ? this.findTask(pid) : this.byPid.get(pid);
  }

  /** Every attached task. */
  get tasks(): IterableIterator<CgroupTask> {
    return this.byPid.values();
  }

  /** Create a child cgroup (mkdir). EEXIST if present; EAGAIN past cgroup.max.depth/descendants; EINVAL on a bad name. */
  mkdir(parent: Cgroup, name: string): Cgroup {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\n')) throw new KernelError('EINVAL', name);
    if (parent.children.has(name)) throw new KernelError('EEXIST', name);
    for (let c: Cgroup | undefined = parent, level = 1; c; c = c.parent, level++) {
      if (level > c.maxDepth || c.nrDescendants >= c.maxDescendants) throw new KernelError('EAGAIN', name);
    }
    const cg = new Cgroup(this, name, parent);
    parent.children.set(name, cg);
    return cg;
  }

  /** Make every missing directory of an absolute path and return the last one (mkdir -p). */
  mkdirp(path: string): Cgroup {
    let c = this.root;
    for (const part of path.split('/').filter(Boolean)) c = c.children.get(part) ?? this.mkdir(c, part);
    return c;
  }

  /** Remove an empty cgroup (rmdir). EBUSY while it has tasks or children, and for the root. */
  rmdir(cg: Cgroup): void {
    if (!cg.parent || cg.tasks.size > 0 || cg.children.size > 0) throw new KernelError('EBUSY', cg.name);
    this.memory.offline(cg);
    cg.parent.children.delete(cg.name);
  }

  /**
   * Put a new task into a cgroup (the first task of a host, or a task the process layer creates outside
   * fork). Enforces nothing but the no-internal-process rule; use `fork` for pids.max.
   */
  attach(task: CgroupTask, cg: Cgroup): void {
    this.checkCanHoldTasks(cg);
    this._onWillChange.fire();
    if (this.byPid.get(task.pid) === task) this.detach(task);
    cg.tasks.add(task);
    task.cgroup = cg;
    this.byPid.set(task.pid, task);
    this.chargePids(cg, 1);
    this._onDidChange.fire();
  }

  /**
   * Move a task (one thread) to another cgroup, as a write to cgroup.threads does; `moveProcess` moves its
   * whole thread group as cgroup.procs does. EBUSY when `cg` has controllers enabled for its children (v2).
   */
  move(task: CgroupTask, cg: Cgroup): void {
    if (task.cgroup === cg) return;
    this.checkCanHoldTasks(cg);
    this._onWillChange.fire();
    this.chargePids(task.cgroup, -1);
    task.cgroup.tasks.delete(task);
    cg.tasks.add(task);
    task.cgroup = cg;
    this.chargePids(cg, 1);
    this._onDidChange.fire();
  }

  /** Move every thread of `task`'s process to `cg` (a write to cgroup.procs). */
  moveProcess(task: CgroupTask, cg: Cgroup): void {
    this.checkCanHoldTasks(cg);
    for (const t of [...this.byPid.values()]) if (t.tgid === task.tgid) this.move(t, cg);
  }

  /**
   * A fork: charge the pids controller for the child in the parent's cgroup and attach it there.
   * EAGAIN (and pids.events max) when a pids.max on the way up is reached.
   */
  fork(parent: CgroupTask, child: CgroupTask): void {
    const cg = parent.cgroup;
    for (let c: Cgroup | undefined = cg.css('pids'); c; c = c.parent) {
      if (c.has('pids') && !c.isRoot && c.pids.current + 1 > c.pids.max) {
        const at = cg.css('pids');
        at.pids.eventsMax++;
        if (!this.forkRejectLogged.has(at)) {
          this.forkRejectLogged.add(at);
          this.log(`cgroup: fork rejected by pids controller in ${at.path}`, 'info');
        }
        throw new KernelError('EAGAIN');
      }
    }
    this._onWillChange.fire();
    cg.tasks.add(child);
    child.cgroup = cg;
    this.byPid.set(child.pid, child);
    this.chargePids(cg, 1);
    this._onDidChange.fire();
  }

  /** A task exits: it leaves its cgroup and its memory charges are released. */
  exit(task: CgroupTask): void {
    if (this.byPid.get(task.pid) !== task) return;
    this._onWillChange.fire();
    this.detach(task);
    this.memory.release(task);
    this._onDidChange.fire();
  }

  /** Set v2 cgroup.subtree_control from "+cpu -memory" text; the rules of cgroup_subtree_control_write. */
  writeSubtreeControl(cg: Cgroup, text: string): void {
    const enable = new Set<Controller>();
    const disable = new Set<Controller>();
    for (const token of text.trim().split(/\s+/).filter(Boolean)) {
      const sign = token[0];
      const name = token.slice(1) as Controller;
      if (sign !== '+' && sign !== '-') throw new KernelError('EINVAL');
      if (!CONTROLLERS.includes(name)) throw new KernelError('EINVAL');
      if (sign === '+') {
        enable.add(name);
        disable.delete(name);
      } else {
        disable.add(name);
        enable.delete(name);
      }
    }
    for (const c of enable) if (!cg.controllers.includes(c)) throw new KernelError('ENOENT');
    for (const c of disable) {
      for (const child of cg.children.values()) if (child.subtreeControl.has(c)) throw new KernelError('EBUSY');
    }
    const adds = [...enable].filter((c) => !cg.subtreeControl.has(c));
    if (adds.length > 0 && !cg.isRoot && cg.tasks.size > 0) throw new KernelError('EBUSY');
    this._onWillChange.fire();
    for (const c of enable) cg.subtreeControl.add(c);
    for (const c of disable) cg.subtreeControl.delete(c);
    this._onDidChange.fire();
  }

  /** Run `change` (a CPU setting's new value) between onWillChange and onDidChange. */
  changeCpuSettings(change: () => void): void {
    this._onWillChange.fire();
    change();
    this._onDidChange.fire();
  }

  /** Count block I/O a task did against a device ("8:0") in its io cgroup and every ancestor (io.stat). */
  accountIo(task: CgroupTask, device: string, op: 'read' | 'write' | 'discard', bytes: number): void {
    for (let c: Cgroup | undefined = task.cgroup; c; c = c.parent) {
      let s = c.io.stat.get(device);
      if (!s) c.io.stat.set(device, (s = { rbytes: 0, wbytes: 0, rios: 0, wios: 0, dbytes: 0, dios: 0 }));
      if (op === 'read') {
        s.rbytes += bytes;
        s.rios++;
      } else if (op === 'write') {
        s.wbytes += bytes;
        s.wios++;
      } else {
        s.dbytes += bytes;
        s.dios++;
      }
    }
  }

  /** Tell listeners that statistics are about to be read. */
  willReadStats(): void {
    this._onWillReadStats.fire();
  }

  /** Emit a kernel log line through the injected log. */
  printk(line: string, level: KernLevel): void {
    this.log(line, level);
  }

  private checkCanHoldTasks(cg: Cgroup): void {
    if (this.version === 2 && !cg.isRoot && cg.subtreeControl.size > 0) throw new KernelError('EBUSY');
  }

  private detach(task: CgroupTask): void {
    task.cgroup.tasks.delete(task);
    this.chargePids(task.cgroup, -1);
    this.byPid.delete(task.pid);
  }

  private chargePids(cg: Cgroup, delta: number): void {
    for (let c: Cgroup | undefined = cg; c; c = c.parent) {
      c.pids.current += delta;
      if (c.pids.current > c.pids.peak) c.pids.peak = c.pids.current;
    }
  }
}

/** printk levels the cgroup code logs at. */
export type KernLevel = 'err' | 'warning' | 'info';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
