/**
 * CfsScheduler — the Completely Fair Scheduler of one host (kernel/sched/fair.c) with group scheduling and
 * CFS bandwidth control, computed at a coarse virtual tick.
 *
 * Each CPU has a hierarchy of run queues: the root cfs_rq holds tasks and group entities, a group entity
 * holds its cgroup's cfs_rq on that CPU. An entity's vruntime grows by runtime × 1024 / weight (task weight
 * from nice via sched_prio_to_weight; a group's weight is its cpu.weight/cpu.shares split over the CPUs by
 * where its load is, as calc_group_shares does), and CFS always runs the leftmost entity. Over an interval
 * this gives each run queue a common vruntime "water level": the entities furthest behind run first, each
 * up to what it asks for. The scheduler computes exactly that per interval instead of one event per slice
 * (sub-slice interleaving is not shown: within an interval the CPU is shared as CFS shares it over
 * sched_latency), then shows the leftmost entity as running. Bandwidth: a cgroup with a cpu.max quota
 * draws from a per-period pool; when the pool is empty its run queues are throttled until the next period
 * (nr_periods, nr_throttled, throttled_usec, burst). Tasks declare a CPU demand: the share of one CPU they
 * would use unhindered (1 for a busy loop, 0 asleep) and how much of it is system time.
 *
 * Time is computed lazily up to `clock.now()` whenever someone looks or something changes, and by a tick
 * timer (every `tickMs`, default 100 ms) only while some task is runnable: an idle host schedules no timer.
 * Load balancing is simplified to placing a waking task on the least loaded allowed CPU and moving one task
 * per tick from the busiest to the idlest CPU when that evens them out. This is CFS as of 6.5 (6.6 replaced
 * the pick with EEVDF; weights, vruntime and bandwidth are the same); sched_latency 6 ms, min_granularity
 * 0.75 ms.
 */
import type { Clock, Timer } from '../../base/clock.ts';
import { Emitter } from '../../base/emitter.ts';
import type { Cgroup, CgroupHierarchy, CgroupTask } from '../cgroup/cgroup.ts';
import { LOAD_FREQ_MS, LoadAvg } from './loadavg.ts';
import { NICE_0_LOAD, WEIGHT_IDLEPRIO, niceToWeight } from './prioToWeight.ts';

/** sysctl_sched_latency, ns. */
export const SCHED_LATENCY_NS = 6_000_000;
/** sysctl_sched_min_granularity, ns. */
export const SCHED_MIN_GRANULARITY_NS = 750_000;
/** MIN_SHARES: the least weight a group entity gets on a CPU. */
const MIN_SHARES = 2;
/** Runtime below this is "exhausted" (bandwidth pools), ns. */
const EPSILON_NS = 1;

/** What a task asks of the CPU. */
export interface CpuDemand {
  /** Share of one CPU it would use if nothing held it back: 0 asleep, 1 a busy loop. */
  readonly cpu: number;
  /** Share of its CPU time spent in the kernel (system time); the rest is user time. Default 0. */
  readonly system?: number;
}

/** A task's scheduling statistics. */
export interface TaskSchedStats {
  /** The CPU it is queued on. */
  readonly cpu: number;
  /** se.vruntime, ns. */
  readonly vruntimeNs: number;
  /** se.sum_exec_runtime, ns. */
  readonly sumExecNs: number;
  /** User time, ns (utime). */
  readonly utimeNs: number;
  /** System time, ns (stime). */
  readonly stimeNs: number;
  /** Its load weight. */
  readonly weight: number;
  /** Its current demand. */
  readonly demand: number;
}

/** One entity of a CPU's run-queue tree, as a CFS diagram lists it: leftmost first, depth-first. */
export interface RunQueueEntity {
  /** A task, or a group entity standing for a cgroup's run queue on this CPU. */
  readonly kind: 'task' | 'group';
  /** The task (kind 'task'). */
  readonly task?: CgroupTask;
  /** The cgroup (kind 'group'). */
  readonly cgroup?: Cgroup;
  /** 0 for the root run queue's entities, 1 inside a group, … */
  readonly depth: number;
  /** vruntime in its run queue, ns. */
  readonly vruntimeNs: number;
  /** Load weight. */
  readonly weight: number;
  /** Whether it is the running entity at its level (on the path to the CPU's current task). */
  readonly running: boolean;
}

/** Per-CPU time for /proc/stat, ns. */
export interface CpuTimes {
  /** Time in user mode of tasks with nice ≤ 0. */
  readonly userNs: number;
  /** Time in user mode of niced (nice > 0) tasks. */
  readonly niceNs: number;
  /** Time in kernel mode. */
  readonly systemNs: number;
  /** Time with nothing to run. */
  readonly idleNs: number;
}

interface TaskSe {
  readonly task: CgroupTask;
  demand: number;
  system: number;
  cpu: number;
  vruntime: number;
  sumExec: number;
  utime: number;
  stime: number;
  stamp: number;
  /** The run queue (group cgroup) its vruntime is relative to. */
  rq: Cgroup;
}

interface GroupSe {
  readonly cg: Cgroup;
  readonly cpu: number;
  vruntime: number;
  /** min_vruntime of this group's own cfs_rq on this CPU. */
  minVruntime: number;
  weight: number;
  stamp: number;
  onRq: boolean;
}

interface CpuRq {
  minVruntime: number;
  user: number;
  nice: number;
  system: number;
  idle: number;
  curr: TaskSe | undefined;
  running: Set<TaskSe | GroupSe>;
}

interface Bandwidth {
  /** The quota (ns) the pool was filled for; a new cpu.max refills it. */
  quota: number;
  runtime: number;
  periodEnd: number;
  used: number;
  active: boolean;
  throttled: boolean;
}

/** A computed split of the CPUs over an interval, kept for reuse. */
interface Plan {
  trees: Node[];
  dt: number;
  active: Cgroup[];
  confirmed: boolean;
}

/** A node of one interval's per-CPU tree. */
interface Node {
  readonly group: GroupSe | undefined;
  readonly cg: Cgroup;
  readonly children: Array<Node | TaskSe>;
  load: number;
  cap: number;
  alloc: number;
  /** What each child gets in the interval, in the order of `children`. */
  allocs?: number[];
}

/** The CFS scheduler of one host. */
export class CfsScheduler {
  /** Number of CPUs. */
  readonly cpus: number;
  /** The host's load averages (/proc/loadavg). */
  readonly loadavg = new LoadAvg();
  private readonly clock: Clock;
  private readonly hierarchy: CgroupHierarchy;
  private readonly tickMs: number;
  private readonly bootMs: number;
  private readonly tasks = new Map<CgroupTask, TaskSe>();
  private readonly groups: Array<Map<Cgroup, GroupSe>>;
  private readonly rqs: CpuRq[];
  private readonly bandwidth = new Map<Cgroup, Bandwidth>();
  private lastNs = 0;
  private nextLoadNs = LOAD_FREQ_MS * 1e6;
  private stamp = 0;
  private timer: Timer | undefined;
  private updating = false;
  /** The reusable split of the CPUs while nothing changes (see planFor). */
  private plan: Plan | undefined;
  /** Splits that repeat every bandwidth period, by throttle state and interval (see periodicKey). */
  private readonly periodic = new Map<string, Plan>();
  private steadyBefore = false;
  /** Membership or settings changed since the last interval. */
  private dirty = true;
  private readonly _onDidTick = new Emitter<void>();
  /** Fires after each tick while tasks are runnable: the current tasks and run queues may have changed. */
  readonly onDidTick = this._onDidTick.event;
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(options: { clock: Clock; hierarchy: CgroupHierarchy; tickMs?: number }) {
    this.clock = options.clock;
    this.hierarchy = options.hierarchy;
    this.cpus = options.hierarchy.cpus;
    this.tickMs = options.tickMs ?? 100;
    this.bootMs = this.clock.now();
    this.groups = Array.from({ length: this.cpus }, () => new Map());
    this.rqs = Array.from({ length: this.cpus }, () => ({ minVruntime: 0, user: 0, nice: 0, system: 0, idle: 0, curr: undefined, running: new Set() }));
    this.subscriptions = [
      this.hierarchy.onWillChange(() => this.update()),
      this.hierarchy.onWillReadStats(() => this.update()),
      this.hierarchy.onDidChange(() => {
        this.invalidate();
        this.arm();
      }),
    ];
  }

  /** Set what a task asks of the CPU (a number is the CPU share with no system time). 0 puts it to sleep. */
  setDemand(task: CgroupTask, demand: number | CpuDemand): void {
    const d = typeof demand === 'number' ? { cpu: demand } : demand;
    if (!(d.cpu >= 0 && d.cpu <= 1)) throw new RangeError(`CfsScheduler: demand must be within 0..1, got ${d.cpu}`);
    this.update();
    let se = this.tasks.get(task);
    if (!se) {
      const rq = rqOf(task);
      const cpu = this.pickCpu(task, undefined);
      const base = this.rqMin(rq, cpu);
      const nr = this.nrRunning(cpu) + 1;
      const period = Math.max(SCHED_LATENCY_NS, nr * SCHED_MIN_GRANULARITY_NS);
      const vslice = ((period / nr) * NICE_0_LOAD) / niceToWeight(task.nice);
      se = { task, demand: 0, system: 0, cpu, vruntime: base + vslice, sumExec: 0, utime: 0, stime: 0, stamp: 0, rq };
      this.tasks.set(task, se);
    } else if (se.demand === 0 && d.cpu > 0) {
      se.cpu = this.pickCpu(task, se);
      se.vruntime = Math.max(se.vruntime, this.rqMin(se.rq, se.cpu) - SCHED_LATENCY_NS / 2);
    }
    se.demand = d.cpu;
    se.system = Math.max(0, Math.min(1, d.system ?? 0));
    this.invalidate();
    this.arm();
  }

  /**
   * A task's nice value changes (set_user_nice → reweight_task): CPU time up to now is accounted at the old
   * weight, then `change` sets the new nice value, and the CPUs are shared by the new weights from now on.
   */
  reweight(change: () => void): void {
    this.update();
    change();
    this.invalidate();
    this.arm();
  }

  /** Forget a task (it exited). */
  remove(task: CgroupTask): void {
    this.update();
    this.invalidate();
    this.tasks.delete(task);
    for (const rq of this.rqs) if (rq.curr?.task === task) rq.curr = undefined;
  }

  /** Account CPU time up to `clock.now()`. */
  update(): void {
    if (this.updating) return;
    this.updating = true;
    try {
      const target = (this.clock.now() - this.bootMs) * 1e6;
      while (this.lastNs < target) {
        let end = Math.min(target, this.nextLoadNs);
        for (const bw of this.bandwidth.values()) if (bw.active || bw.throttled) end = Math.min(end, bw.periodEnd);
        this.lastNs = this.advance(this.lastNs, end);
        this.boundaries(this.lastNs);
      }
    } finally {
      this.updating = false;
    }
  }

  /** The task running on a CPU now (the leftmost of its run-queue tree), or undefined when idle. */
  current(cpu: number): CgroupTask | undefined {
    this.update();
    return this.rqs[cpu]?.curr?.task;
  }

  /** A CPU's run-queue tree, leftmost first at each level, each group followed by its own queue. */
  runQueue(cpu: number): RunQueueEntity[] {
    this.update();
    const rq = this.rqs[cpu];
    if (!rq) throw new RangeError(`CfsScheduler: no CPU ${cpu}`);
    const out: RunQueueEntity[] = [];
    const walk = (cg: Cgroup, depth: number) => {
      const entities: Array<TaskSe | GroupSe> = [];
      for (const se of this.tasks.values()) if (se.cpu === cpu && se.rq === cg && this.runnable(se)) entities.push(se);
      for (const g of this.groups[cpu]!.values()) if (g.onRq && parentRq(g.cg) === cg) entities.push(g);
      entities.sort((a, b) => a.vruntime - b.vruntime || a.stamp - b.stamp);
      for (const e of entities) {
        if ('task' in e) {
          out.push({ kind: 'task', task: e.task, depth, vruntimeNs: e.vruntime, weight: this.taskWeight(e), running: rq.running.has(e) });
        } else {
          out.push({ kind: 'group', cgroup: e.cg, depth, vruntimeNs: e.vruntime, weight: e.weight, running: rq.running.has(e) });
          walk(e.cg, depth + 1);
        }
      }
    };
    walk(this.hierarchy.root, 0);
    return out;
  }

  /** A task's scheduling statistics, or undefined for a task never given a demand. */
  taskStats(task: CgroupTask): TaskSchedStats | undefined {
    this.update();
    const se = this.tasks.get(task);
    if (!se) return undefined;
    return { cpu: se.cpu, vruntimeNs: se.vruntime, sumExecNs: se.sumExec, utimeNs: se.utime, stimeNs: se.stime, weight: this.taskWeight(se), demand: se.demand };
  }

  /** A CPU's user/nice/system/idle time since boot (/proc/stat). */
  cpuTimes(cpu: number): CpuTimes {
    this.update();
    const rq = this.rqs[cpu];
    if (!rq) throw new RangeError(`CfsScheduler: no CPU ${cpu}`);
    return { userNs: rq.user, niceNs: rq.nice, systemNs: rq.system, idleNs: rq.idle };
  }

  /** Tasks runnable now (not asleep, frozen or throttled): /proc/loadavg's and /proc/stat's procs_running. */
  nrRunning(cpu?: number): number {
    let n = 0;
    for (const se of this.tasks.values()) if ((cpu === undefined || se.cpu === cpu) && this.runnable(se) && !this.throttled(se.task.cgroup)) n++;
    return n;
  }

  /** Whether a tick timer is pending (false while nothing is runnable). */
  get ticking(): boolean {
    return this.timer !== undefined;
  }

  /** Stop listening to the hierarchy and cancel the tick. */
  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (const s of this.subscriptions) s.dispose();
  }

  // —— the tick ——

  private arm(): void {
    if (this.timer) return;
    let any = false;
    for (const se of this.tasks.values()) if (this.runnable(se)) any = true;
    if (!any) return;
    const sinceBoot = this.clock.now() - this.bootMs;
    const delay = this.tickMs - (sinceBoot % this.tickMs);
    this.timer = this.clock.after(delay, () => this.tick(), 'sched/tick');
  }

  private tick(): void {
    this.timer = undefined;
    this.update();
    this.rebalance();
    this.arm();
    this._onDidTick.fire();
  }

  private rebalance(): void {
    for (let round = 0; round < this.cpus; round++) {
      const load = new Array<number>(this.cpus).fill(0);
      for (const se of this.tasks.values()) if (this.runnable(se)) load[se.cpu]! += se.demand;
      let max = 0;
      let min = 0;
      for (let c = 1; c < this.cpus; c++) {
        if (load[c]! > load[max]!) max = c;
        if (load[c]! < load[min]!) min = c;
      }
      const gap = load[max]! - load[min]!;
      let pick: TaskSe | undefined;
      for (const se of this.tasks.values()) {
        if (se.cpu !== max || !this.runnable(se) || se.demand >= gap || !se.task.cgroup.effectiveCpus.includes(min)) continue;
        if (!pick || se.demand > pick.demand) pick = se;
      }
      if (!pick) return;
      this.migrate(pick, min);
    }
  }

  private migrate(se: TaskSe, cpu: number): void {
    this.invalidate();
    se.vruntime = se.vruntime - this.rqMin(se.rq, se.cpu) + this.rqMin(se.rq, cpu);
    if (this.rqs[se.cpu]!.curr === se) this.rqs[se.cpu]!.curr = undefined;
    se.cpu = cpu;
  }

  // —— accounting ——

  /** Run [t0, t1); returns where it stopped (earlier when a group ran out of quota). */
  private advance(t0: number, t1: number): number {
    if (this.dirty) {
      this.refreshMembership();
      this.dirty = false;
    }
    let dt = t1 - t0;
    let trees = this.planFor(dt);
    const use = this.groupUse(trees);
    let limiting: Cgroup | undefined;
    let phi = 1;
    for (const [cg, used] of use) {
      const bw = this.bandwidth.get(cg);
      if (!bw || used <= bw.runtime + EPSILON_NS) continue;
      const f = Math.max(0, bw.runtime) / used;
      if (f < phi) {
        phi = f;
        limiting = cg;
      }
    }
    if (limiting && phi < 1) {
      this.plan = undefined;
      this.steadyBefore = false;
      dt *= phi;
      if (dt > EPSILON_NS) trees = this.planFor(dt);
    }
    if (dt > EPSILON_NS || !limiting) this.apply(trees, dt);
    else dt = 0;
    if (limiting) this.bandwidth.get(limiting)!.throttled = true;
    for (const bw of this.bandwidth.values()) {
      if (bw.runtime <= EPSILON_NS && bw.active && !bw.throttled) {
        bw.throttled = true;
        this.plan = undefined;
        this.steadyBefore = false;
      }
    }
    return t0 + dt;
  }

  /**
   * The trees for an interval of `dt`. While nothing changes and every runnable entity kept pace in the
   * last two intervals (all at the common vruntime level or at their demand), CFS shares the CPUs in fixed
   * proportions: the last interval's split is reused, scaled, instead of recomputed.
   */
  private planFor(dt: number): Node[] {
    const plan = this.plan;
    if (plan) return this.reuse(plan, dt);
    const key = this.periodicKey(dt);
    const known = this.periodic.get(key);
    if (known?.confirmed) return this.reuse(known, dt);
    const trees = this.build(dt);
    const steady = trees.every((t) => isSteady(t));
    const active = () => {
      const set = new Set<Cgroup>();
      for (const se of this.tasks.values()) if (this.runnable(se)) set.add(se.task.cgroup);
      return [...set];
    };
    if (steady && this.steadyBefore) this.plan = { trees, dt, active: active(), confirmed: true };
    this.steadyBefore = steady;
    if (known && sameSplit(known.trees, trees, dt / known.dt)) known.confirmed = true;
    else this.periodic.set(key, { trees, dt, active: active(), confirmed: false });
    return trees;
  }

  /** Scale a plan's split to an interval of `dt` and use it. */
  private reuse(plan: Plan, dt: number): Node[] {
    const k = dt / plan.dt;
    const scale = (n: Node) => {
      n.alloc *= k;
      n.cap *= k;
      const a = n.allocs!;
      for (let i = 0; i < a.length; i++) a[i]! *= k;
      for (const c of n.children) if (!('task' in c)) scale(c);
    };
    for (const t of plan.trees) scale(t);
    plan.dt = dt;
    for (const cg of plan.active) this.markActive(cg);
    return plan.trees;
  }

  /**
   * Under bandwidth throttling the split repeats every period (run, throttle, refill) but is not
   * proportional within it: splits are remembered per throttle state and interval length, and reused
   * once a fresh computation has come out the same.
   */
  private periodicKey(dt: number): string {
    const throttled: string[] = [];
    for (const [cg, bw] of this.bandwidth) if (bw.throttled) throttled.push(cg.path);
    return `${throttled.sort().join(',')}@${Math.round(dt / 1000)}`;
  }

  private invalidate(): void {
    this.plan = undefined;
    this.periodic.clear();
    this.steadyBefore = false;
    this.dirty = true;
  }

  /** Drop tasks that left the hierarchy; re-queue tasks whose cgroup or cpuset changed. */
  private refreshMembership(): void {
    for (const [task, se] of this.tasks) {
      if (task.cgroup.tasks.has(task) === false) {
        this.tasks.delete(task);
        continue;
      }
      const rq = rqOf(task);
      if (rq !== se.rq) {
        se.vruntime = se.vruntime - this.rqMin(se.rq, se.cpu) + this.rqMin(rq, se.cpu);
        se.rq = rq;
      }
      if (!task.cgroup.effectiveCpus.includes(se.cpu)) this.migrate(se, this.pickCpu(task, se));
    }
    for (const [cg, bw] of this.bandwidth) {
      if (cg.cpu.quotaUs === undefined || !cg.has('cpu') || !this.live(cg)) this.bandwidth.delete(cg);
      else if (bw.quota !== cg.cpu.quotaUs * 1000) {
        bw.quota = bw.runtime = cg.cpu.quotaUs * 1000;
        bw.throttled = false;
        bw.periodEnd = this.periodEndAfter(cg, this.lastNs);
      } else if (!bw.active && !bw.throttled) bw.periodEnd = this.periodEndAfter(cg, this.lastNs);
    }
  }

  /** Build each CPU's tree of runnable entities with caps for an interval of `dt` ns. */
  private build(dt: number): Node[] {
    const trees: Node[] = [];
    const nodes: Array<Map<Cgroup, Node>> = [];
    for (let cpu = 0; cpu < this.cpus; cpu++) {
      const root: Node = { group: undefined, cg: this.hierarchy.root, children: [], load: 0, cap: 0, alloc: 0 };
      trees.push(root);
      nodes.push(new Map([[this.hierarchy.root, root]]));
    }
    for (const se of this.tasks.values()) {
      if (!this.runnable(se)) continue;
      if (this.throttled(se.task.cgroup)) {
        this.markActive(se.task.cgroup);
        continue;
      }
      this.markActive(se.task.cgroup);
      const map = nodes[se.cpu]!;
      let child: Node | TaskSe = se;
      for (let cg: Cgroup = se.rq; ; cg = parentRq(cg)!) {
        let node = map.get(cg);
        const fresh = !node;
        if (!node) {
          node = { group: this.groupSe(cg, se.cpu), cg, children: [], load: 0, cap: 0, alloc: 0 };
          map.set(cg, node);
        }
        node.children.push(child);
        if (!fresh || cg.isRoot) break;
        child = node;
      }
    }
    const groupNodes = nodes.flatMap((m) => [...m.values()].filter((n) => n.group)).sort((a, b) => b.cg.depth - a.cg.depth);
    const totalLoad = new Map<Cgroup, number>();
    let i = 0;
    while (i < groupNodes.length) {
      const depth = groupNodes[i]!.cg.depth;
      let j = i;
      for (; j < groupNodes.length && groupNodes[j]!.cg.depth === depth; j++) {
        const n = groupNodes[j]!;
        n.load = n.children.reduce((s, c) => s + this.weightOf(c), 0);
        totalLoad.set(n.cg, (totalLoad.get(n.cg) ?? 0) + n.load);
      }
      for (let k = i; k < j; k++) {
        const n = groupNodes[k]!;
        const shares = n.cg.cpu.idle ? WEIGHT_IDLEPRIO : n.cg.cpu.shares;
        n.group!.weight = Math.max(MIN_SHARES, Math.min(shares, (shares * n.load) / totalLoad.get(n.cg)!));
      }
      i = j;
    }
    for (const root of trees) {
      this.caps(root, dt);
      this.fill(root, dt, dt);
    }
    return trees;
  }

  private caps(node: Node, dt: number): number {
    let cap = 0;
    for (const c of node.children) cap += 'task' in c ? c.demand * dt : this.caps(c, dt);
    node.cap = Math.min(dt, cap);
    return node.cap;
  }

  /** Share `budget` among a node's children as CFS does: raise the lowest vruntimes to a common level. */
  private fill(node: Node, budget: number, dt: number): void {
    node.alloc = budget;
    const kids = node.children;
    if (kids.length === 1) {
      const only = kids[0]!;
      const a = Math.min(budget, 'task' in only ? only.demand * dt : only.cap);
      if (!('task' in only)) this.fill(only, a, dt);
      node.allocs = [a];
      return;
    }
    const caps = kids.map((c) => ('task' in c ? c.demand * dt : c.cap));
    const total = caps.reduce((s, c) => s + c, 0);
    const alloc = new Array<number>(kids.length).fill(0);
    if (total <= budget) {
      for (let k = 0; k < kids.length; k++) alloc[k] = caps[k]!;
    } else {
      const vr = kids.map((c) => ('task' in c ? c.vruntime : c.group!.vruntime));
      const w = kids.map((c) => this.weightOf(c) / NICE_0_LOAD);
      const events: Array<[number, number]> = [];
      for (let k = 0; k < kids.length; k++) {
        events.push([vr[k]!, w[k]!], [vr[k]! + caps[k]! / w[k]!, -w[k]!]);
      }
      events.sort((a, b) => a[0] - b[0]);
      let level = events[0]![0];
      let slope = 0;
      let filled = 0;
      for (const [at, dw] of events) {
        const gain = slope * (at - level);
        if (filled + gain >= budget) break;
        filled += gain;
        level = at;
        slope += dw;
      }
      if (slope > 0) level += (budget - filled) / slope;
      for (let k = 0; k < kids.length; k++) alloc[k] = Math.min(caps[k]!, Math.max(0, (level - vr[k]!) * w[k]!));
    }
    kids.forEach((c, k) => {
      if (!('task' in c)) this.fill(c, alloc[k]!, dt);
    });
    node.allocs = alloc;
  }

  private groupUse(trees: readonly Node[]): Map<Cgroup, number> {
    const use = new Map<Cgroup, number>();
    const walk = (n: Node) => {
      if (this.bandwidth.has(n.cg)) use.set(n.cg, (use.get(n.cg) ?? 0) + n.alloc);
      for (const c of n.children) if (!('task' in c)) walk(c);
    };
    for (const t of trees) walk(t);
    return use;
  }

  private apply(trees: readonly Node[], dt: number): void {
    for (let cpu = 0; cpu < this.cpus; cpu++) {
      const rq = this.rqs[cpu]!;
      const root = trees[cpu]!;
      let busy = 0;
      const visit = (node: Node) => {
        const alloc = node.allocs!;
        node.children.forEach((c, k) => {
          const a = alloc[k]!;
          if ('task' in c) {
            busy += a;
            this.charge(c, a, cpu);
          } else {
            const g = c.group!;
            g.vruntime += (a * NICE_0_LOAD) / g.weight;
            const bw = this.bandwidth.get(c.cg);
            if (bw) {
              bw.runtime -= a;
              bw.used += a;
            }
            visit(c);
          }
        });
        this.updateMin(node, cpu);
      };
      visit(root);
      for (const g of this.groups[cpu]!.values()) g.onRq = false;
      const mark = (n: Node) => {
        for (const c of n.children) if (!('task' in c)) {
          c.group!.onRq = true;
          mark(c);
        }
      };
      mark(root);
      rq.idle += Math.max(0, dt - busy);
      this.pickCurrent(cpu, root);
    }
    this.accountThrottled(dt);
  }

  private charge(se: TaskSe, ns: number, cpu: number): void {
    if (ns <= 0) return;
    const sys = ns * se.system;
    const user = ns - sys;
    se.sumExec += ns;
    se.utime += user;
    se.stime += sys;
    se.vruntime += (ns * NICE_0_LOAD) / this.taskWeight(se);
    const rq = this.rqs[cpu]!;
    if (se.task.nice > 0) rq.nice += user;
    else rq.user += user;
    rq.system += sys;
    for (let c: Cgroup | undefined = se.task.cgroup; c; c = c.parent) {
      c.cpu.usageNs += ns;
      c.cpu.userNs += user;
      c.cpu.systemNs += sys;
      c.cpu.percpuUserNs[cpu]! += user;
      c.cpu.percpuSystemNs[cpu]! += sys;
    }
  }

  private updateMin(node: Node, cpu: number): void {
    let min = Infinity;
    for (const c of node.children) min = Math.min(min, 'task' in c ? c.vruntime : c.group!.vruntime);
    if (min === Infinity) return;
    if (node.group) node.group.minVruntime = Math.max(node.group.minVruntime, min);
    else this.rqs[cpu]!.minVruntime = Math.max(this.rqs[cpu]!.minVruntime, min);
  }

  private pickCurrent(cpu: number, root: Node): void {
    const rq = this.rqs[cpu]!;
    rq.running.clear();
    rq.curr = undefined;
    let node: Node | undefined = root;
    const stamp = ++this.stamp;
    while (node) {
      let best: Node | TaskSe | undefined;
      for (const c of node.children) {
        if (('task' in c ? c.demand : c.cap) <= 0) continue;
        const v = 'task' in c ? c.vruntime : c.group!.vruntime;
        const s = 'task' in c ? c.stamp : c.group!.stamp;
        const bv = best === undefined ? Infinity : 'task' in best ? best.vruntime : best.group!.vruntime;
        const bs = best === undefined ? Infinity : 'task' in best ? best.stamp : best.group!.stamp;
        if (v < bv - EPSILON_NS || (Math.abs(v - bv) <= EPSILON_NS && s < bs)) best = c;
      }
      if (!best) return;
      if ('task' in best) {
        best.stamp = stamp;
        rq.running.add(best);
        rq.curr = best;
        return;
      }
      best.group!.stamp = stamp;
      rq.running.add(best.group!);
      node = best;
    }
  }

  private accountThrottled(dt: number): void {
    for (const [cg, bw] of this.bandwidth) {
      if (!bw.throttled) continue;
      const cpus = new Set<number>();
      for (const se of this.tasks.values()) if (this.runnable(se) && isWithin(se.task.cgroup, cg)) cpus.add(se.cpu);
      cg.cpu.throttledNs += dt * cpus.size;
    }
  }

  /** Period ends and load-average samples due at `t`. */
  private boundaries(t: number): void {
    for (const [cg, bw] of this.bandwidth) {
      if (!(bw.active || bw.throttled) || bw.periodEnd > t) continue;
      const quota = cg.cpu.quotaUs! * 1000;
      const burst = cg.cpu.burstUs * 1000;
      cg.cpu.nrPeriods++;
      if (bw.throttled) cg.cpu.nrThrottled++;
      if (bw.used > quota + EPSILON_NS) {
        cg.cpu.nrBursts++;
        cg.cpu.burstNs += bw.used - quota;
      }
      bw.runtime = Math.min(Math.max(bw.runtime, 0) + quota, quota + burst);
      bw.used = 0;
      if (bw.throttled) {
        this.plan = undefined;
        this.steadyBefore = false;
      }
      bw.throttled = false;
      bw.active = false;
      bw.periodEnd = this.periodEndAfter(cg, t);
    }
    if (t >= this.nextLoadNs) {
      let active = 0;
      for (const se of this.tasks.values()) if (this.runnable(se) && !this.throttled(se.task.cgroup)) active += se.demand;
      this.loadavg.sample(active);
      this.nextLoadNs += LOAD_FREQ_MS * 1e6;
    }
  }

  // —— helpers on the model ——

  private runnable(se: TaskSe): boolean {
    return se.demand > 0 && !se.task.cgroup.frozen;
  }

  private throttled(cg: Cgroup): boolean {
    for (let c: Cgroup | undefined = cg; c; c = c.parent) if (this.bandwidth.get(c)?.throttled) return true;
    return false;
  }

  /** Note that a task of `cg` wants CPU, so every limited ancestor's period counts and its pool exists. */
  private markActive(cg: Cgroup): void {
    for (let c: Cgroup | undefined = cg; c; c = c.parent) {
      if (c.isRoot || c.cpu.quotaUs === undefined || !c.has('cpu')) continue;
      let bw = this.bandwidth.get(c);
      if (!bw) {
        bw = { quota: c.cpu.quotaUs * 1000, runtime: c.cpu.quotaUs * 1000, periodEnd: this.periodEndAfter(c, this.lastNs), used: 0, active: false, throttled: false };
        this.bandwidth.set(c, bw);
      }
      bw.active = true;
    }
  }

  private periodEndAfter(cg: Cgroup, t: number): number {
    const p = cg.cpu.periodUs * 1000;
    return (Math.floor(t / p) + 1) * p;
  }

  private live(cg: Cgroup): boolean {
    for (let c: Cgroup = cg; c.parent; c = c.parent) if (c.parent.children.get(c.name) !== c) return false;
    return true;
  }

  private groupSe(cg: Cgroup, cpu: number): GroupSe {
    const map = this.groups[cpu]!;
    let g = map.get(cg);
    if (!g) {
      g = { cg, cpu, vruntime: this.rqMin(parentRq(cg)!, cpu), minVruntime: 0, weight: cg.cpu.shares, stamp: 0, onRq: false };
      map.set(cg, g);
    } else if (!g.onRq) {
      g.vruntime = Math.max(g.vruntime, this.rqMin(parentRq(cg)!, cpu) - SCHED_LATENCY_NS / 2);
    }
    return g;
  }

  private rqMin(cg: Cgroup, cpu: number): number {
    if (cg.isRoot) return this.rqs[cpu]!.minVruntime;
    return this.groups[cpu]!.get(cg)?.minVruntime ?? 0;
  }

  private weightOf(c: Node | TaskSe): number {
    return 'task' in c ? this.taskWeight(c) : c.group!.weight;
  }

  private taskWeight(se: TaskSe): number {
    return niceToWeight(se.task.nice);
  }

  private pickCpu(task: CgroupTask, se: TaskSe | undefined): number {
    const allowed = task.cgroup.effectiveCpus;
    const load = new Array<number>(this.cpus).fill(0);
    for (const other of this.tasks.values()) if (other !== se && this.runnable(other)) load[other.cpu]! += other.demand;
    let best = allowed[0] ?? 0;
    for (const c of allowed) if (load[c]! < load[best]!) best = c;
    if (se && allowed.includes(se.cpu) && load[se.cpu]! <= load[best]!) return se.cpu;
    return best;
  }
}

/** Whether two computations split the CPUs alike (`b` scaled by 1/k to compare), entity by entity. */
function sameSplit(a: readonly Node[], b: readonly Node[], k: number): boolean {
  const same = (x: Node, y: Node): boolean => {
    if (x.children.length !== y.children.length || x.cg !== y.cg) return false;
    for (let i = 0; i < x.children.length; i++) {
      const cx = x.children[i]!;
      const cy = y.children[i]!;
      if (('task' in cx) !== ('task' in cy) || ('task' in cx && cx !== cy)) return false;
      if (Math.abs(x.allocs![i]! * k - y.allocs![i]!) > 1e-6 * Math.max(1, y.allocs![i]!)) return false;
      if (!('task' in cx) && !same(cx, cy as Node)) return false;
    }
    return true;
  };
  return a.length === b.length && a.every((t, i) => same(t, b[i]!));
}

/** Whether every child that wanted CPU got some: all are level or at their demand. */
function isSteady(node: Node): boolean {
  const a = node.allocs!;
  for (let i = 0; i < node.children.length; i++) {
    const c = node.children[i]!;
    if (('task' in c ? c.demand > 0 : c.cap > 0) && a[i]! <= 0) return false;
    if (!('task' in c) && !isSteady(c)) return false;
  }
  return true;
}

/** The run queue a task's entity is queued on: its cgroup's, or the nearest ancestor's with the cpu controller. */
function rqOf(task: CgroupTask): Cgroup {
  return task.cgroup.css('cpu');
}

/** The run queue a group's entity is queued on. */
function parentRq(cg: Cgroup): Cgroup | undefined {
  return cg.parent?.css('cpu');
}

function isWithin(cg: Cgroup, ancestor: Cgroup): boolean {
  for (let c: Cgroup | undefined = cg; c; c = c.parent) if (c === ancestor) return true;
  return false;
}
