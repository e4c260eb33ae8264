/**
 * The OOM killer (mm/oom_kill.c) for a memory cgroup over its limit and for the whole node: pick the
 * victim with the highest oom_badness() among the eligible processes, honour memory.oom.group, SIGKILL
 * through the injected `kill`, and print the report exactly as 6.x does (the dump_stack() backtrace and,
 * for a node-wide OOM, show_mem()'s Mem-Info tables are left out).
 */
import type { Cgroup, CgroupHierarchy, CgroupTask, KernLevel } from './cgroup.ts';
import type { MemoryController, TaskMemory } from './memcontrol.ts';
import { memoryStatV1, memoryStatV2 } from './memoryStat.ts';

/** The task that runs into the OOM (`current`): what the report's first line names. */
export interface OomInvoker {
  /** Its command name. */
  readonly comm: string;
  /** Its oom_score_adj. */
  readonly oomScoreAdj: number;
  /** Its cgroup, for the report's cpuset= field. */
  readonly cgroup: Cgroup;
}

/** One OOM: who ran into it, and the memory cgroup whose limit was hit (undefined: the node ran out). */
export interface OomControl {
  /** The allocating (or memory.max-writing) task. */
  readonly invoker: OomInvoker;
  /** The cgroup over its limit; undefined for a node-wide OOM. */
  readonly memcg: Cgroup | undefined;
  /** CONSTRAINT_MEMCG for a cgroup OOM, CONSTRAINT_NONE for the node. */
  readonly constraint: 'CONSTRAINT_MEMCG' | 'CONSTRAINT_NONE';
}

/** OOM_SCORE_ADJ_MIN: a task with this oom_score_adj is never killed. */
export const OOM_SCORE_ADJ_MIN = -1000;

/** gfp masks as %pGg prints them: a page-fault charge in a memcg, and a user page allocation. */
const GFP_MEMCG = '0xcc0(GFP_KERNEL)';
const GFP_NODE = '0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)';

/**
 * oom_badness(): resident pages + swap entries + page-table pages, plus oom_score_adj thousandths of
 * `totalPages`. Undefined for tasks that may not be killed (global init, oom_score_adj -1000).
 */
export function oomBadness(task: CgroupTask, mem: TaskMemory, totalPages: number, pageSize: number): number | undefined {
  if (task.pid === 1 || task.oomScoreAdj === OOM_SCORE_ADJ_MIN) return undefined;
  const points = Math.floor((mem.anon + mem.file + mem.shmem) / pageSize) + Math.floor(mem.swap / pageSize) + Math.floor(mem.pagetables / pageSize);
  return points + task.oomScoreAdj * Math.floor(totalPages / 1000);
}

/** The OOM killer of one host. */
export class OomKiller {
  constructor(
    private readonly hierarchy: CgroupHierarchy,
    private readonly memory: MemoryController,
    private readonly kill: (victim: CgroupTask) => void,
    private readonly log: (line: string, level: KernLevel) => void,
  ) {}

  /** out_of_memory(): choose, report and kill. Returns the victim, or undefined when none was eligible. */
  outOfMemory(oc: OomControl): CgroupTask | undefined {
    const pageSize = this.memory.pageSize;
    const scope = oc.memcg ?? this.hierarchy.root;
    const totalPages = oc.memcg ? Math.max(1, Math.floor(Math.min(oc.memcg.memory.max, Number.MAX_SAFE_INTEGER) / pageSize)) : Math.floor(this.memory.totalRamBytes / pageSize);
    const processes = [...scope.subtreeTasks()].filter((t) => t.pid === t.tgid && !this.memory.isReaped(t)).sort((a, b) => a.pid - b.pid);
    let victim: CgroupTask | undefined;
    let best = -Infinity;
    for (const t of processes) {
      const points = oomBadness(t, this.memory.usage(t), totalPages, pageSize);
      if (points === undefined || points < best) continue;
      best = points;
      victim = t;
    }
    this.dumpHeader(oc, processes);
    if (!victim) {
      this.log('Out of memory and no killable processes...', 'warning');
      return undefined;
    }
    const message = oc.memcg ? 'Memory cgroup out of memory' : 'Out of memory';
    this.log(this.summary(oc, victim), 'info');
    const group = this.oomGroup(victim, oc.memcg);
    this.report(victim, message);
    const doomed: CgroupTask[] = [];
    if (group) {
      this.memory.event(group, 'oom_group_kill');
      this.log(`Tasks in ${group.path} are going to be killed due to memory.oom.group set`, 'info');
      for (const t of [...group.subtreeTasks()].sort((a, b) => a.pid - b.pid)) {
        if (t === victim || t.pid !== t.tgid || t.oomScoreAdj === OOM_SCORE_ADJ_MIN || t.pid === 1 || this.memory.isReaped(t)) continue;
        doomed.push(this.report(t, message));
      }
    }
    // Every SIGKILL is sent before any of them takes effect, as the kernel's are: a victim's parent (the
    // container's init, say) must not see its child die and exit on its own before its own SIGKILL.
    for (const t of [...doomed, victim]) this.kill(t);
    return victim;
  }

  /** mem_cgroup_get_oom_group(): the highest cgroup from the victim's up to the OOM domain with memory.oom.group set. */
  private oomGroup(victim: CgroupTask, domain: Cgroup | undefined): Cgroup | undefined {
    let found: Cgroup | undefined;
    for (let c: Cgroup | undefined = victim.cgroup.css('memory'); c && !c.isRoot; c = c.parent) {
      if (c.memory.oomGroup) found = c;
      if (c === domain) break;
    }
    return found;
  }

  /** __oom_kill_process() up to the SIGKILL: count the kill, reap the memory, print the line. */
  private report(task: CgroupTask, message: string): CgroupTask {
    const mem = this.memory.usage(task);
    const k = (bytes: number) => Math.floor(bytes / 1024);
    const totalVm = Math.max(task.totalVmBytes ?? 0, mem.anon + mem.file + mem.shmem);
    this.memory.event(task.cgroup.css('memory'), 'oom_kill');
    this.memory.reap(task);
    this.log(
      `${message}: Killed process ${task.pid} (${task.comm}) total-vm:${k(totalVm)}kB, anon-rss:${k(mem.anon)}kB, file-rss:${k(mem.file)}kB, shmem-rss:${k(mem.shmem)}kB, UID:${task.uid} pgtables:${k(mem.pagetables)}kB oom_score_adj:${task.oomScoreAdj}`,
      'err',
    );
    return task;
  }

  private dumpHeader(oc: OomControl, processes: readonly CgroupTask[]): void {
    const pageSize = this.memory.pageSize;
    this.log(`${oc.invoker.comm} invoked oom-killer: gfp_mask=${oc.memcg ? GFP_MEMCG : GFP_NODE}, order=0, oom_score_adj=${oc.invoker.oomScoreAdj}`, 'warning');
    if (oc.memcg) {
      const m = oc.memcg.memory;
      const kb = (bytes: number) => (bytes === Infinity ? `${(pageCounterMaxKb(pageSize))}` : `${Math.floor(bytes / 1024)}`);
      this.log(`memory: usage ${kb(m.current)}kB, limit ${kb(m.max)}kB, failcnt ${m.failcnt}`, 'info');
      if (this.hierarchy.version === 2) {
        this.log(`swap: usage ${kb(m.swapCurrent)}kB, limit ${kb(m.swapMax)}kB, failcnt 0`, 'info');
      } else {
        this.log(`memory+swap: usage ${kb(m.current + m.swapCurrent)}kB, limit ${kb(Infinity)}kB, failcnt 0`, 'info');
        this.log(`kmem: usage ${kb(m.stat.kernel_stack + m.stat.pagetables + m.stat.slab_reclaimable + m.stat.slab_unreclaimable)}kB, limit ${kb(Infinity)}kB, failcnt 0`, 'info');
      }
      this.log(`Memory cgroup stats for ${oc.memcg.path}:`, 'info');
      const stat = this.hierarchy.version === 2 ? memoryStatV2(oc.memcg) : memoryStatV1(oc.memcg, (b) => this.memory.formatLimitV1(b));
      for (const line of stat.trimEnd().split('\n')) this.log(line, 'info');
    }
    this.log('Tasks state (memory values in pages):', 'info');
    this.log('[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name', 'info');
    for (const t of processes) {
      const mem = this.memory.usage(t);
      const rss = Math.floor((mem.anon + mem.file + mem.shmem) / pageSize);
      const totalVm = Math.max(Math.floor((t.totalVmBytes ?? 0) / pageSize), rss);
      this.log(
        `[${pad(t.pid, 7)}] ${pad(t.uid, 5)} ${pad(t.tgid, 5)} ${pad(totalVm, 8)} ${pad(rss, 8)} ${pad(mem.pagetables, 8)} ${pad(Math.floor(mem.swap / pageSize), 8)}         ${pad(t.oomScoreAdj, 5)} ${t.comm}`,
        'info',
      );
    }
  }

  private summary(oc: OomControl, victim: CgroupTask): string {
    const cpuset = oc.invoker.cgroup.css('cpuset');
    const cpusetName = cpuset.isRoot ? '/' : cpuset.name;
    const mems = oc.invoker.cgroup.effectiveMems;
    const memsText = mems.length === 1 ? `${mems[0]}` : `${mems[0]}-${mems[mems.length - 1]}`;
    const context = oc.memcg ? `oom_memcg=${oc.memcg.path}` : 'global_oom';
    return `oom-kill:constraint=${oc.constraint},nodemask=(null),cpuset=${cpusetName},mems_allowed=${memsText},${context},task_memcg=${victim.cgroup.css('memory').path},task=${victim.comm},pid=${victim.pid},uid=${victim.uid}`;
  }
}

function pad(n: number, width: number): string {
  return `${n}`.padStart(width);
}

function pageCounterMaxKb(pageSize: number): string {
  return ((9223372036854775807n / BigInt(pageSize)) * BigInt(pageSize / 1024)).toString();
}
