/**
 * Cgroup2Fs — the unified hierarchy's files (`mount -t cgroup2`), formats and write rules as
 * Documentation/admin-guide/cgroup-v2.rst and kernel/cgroup give them: the cgroup.* core files, and the
 * cpu, cpuset, io, memory and pids files of a cgroup whose parent enables the controller. The root has
 * the smaller set the kernel gives it (no cpu.max, memory.max, pids.max…).
 */
import { KernelError } from '../errno.ts';
import { NICE_0_LOAD, sched_prio_to_weight, weightToNice } from '../sched/prioToWeight.ts';
import { CONTROLLERS, type Cgroup, type CgroupHierarchy, type IoMax, type MemoryEvents } from './cgroup.ts';
import { CgroupFs, resolveWrittenPid, visiblePids, type CgroupFile, type CgroupFsContext } from './cgroupFs.ts';
import { formatCpulist, parseCpulist } from './cpulist.ts';
import { kstrtoll, kstrtoull, strstrip } from './kstrtox.ts';
import { pageCounterMemparse } from './memparse.ts';
import { memoryStatV2 } from './memoryStat.ts';
import type { OomInvoker } from './oomKill.ts';

/** cgroup.procs, the same in both layouts: the thread-group leaders it holds; a pid written moves its process. */
export const CGROUP_PROCS: CgroupFile = {
  name: 'cgroup.procs',
  mode: 0o644,
  read: (c, ctx) => lines(visiblePids([...c.tasks].filter((t) => t.pid === t.tgid), ctx, (t) => t.tgid)),
  write: (c, text, ctx) => c.hierarchy.moveProcess(resolveWrittenPid(c.hierarchy, parsePid(text), ctx), c),
};

/** CGROUP_WEIGHT_MIN/DFL/MAX. */
const WEIGHT_MIN = 1;
const WEIGHT_DFL = 100;
const WEIGHT_MAX = 10_000;
/** cpu.max bounds (kernel/sched/core.c): period 1 ms..1 s, quota ≥ 1 ms, both at most max_cfs_runtime. */
const MIN_PERIOD_US = 1000;
const MAX_PERIOD_US = 1_000_000;
const MIN_QUOTA_US = 1000;
const MAX_CFS_RUNTIME_US = 2 ** 44;
/** PIDS_MAX: PID_MAX_LIMIT + 1. */
const PIDS_MAX = 4_194_305;

/** A view of `hierarchy` (a cgroup2 mount), rooted at `root` (a cgroup namespace's root) or the hierarchy root. */
export class Cgroup2Fs extends CgroupFs {
  constructor(hierarchy: CgroupHierarchy, root: Cgroup = hierarchy.root) {
    if (hierarchy.version !== 2) throw new Error('Cgroup2Fs: the hierarchy is cgroup v1');
    super(hierarchy, root, cgroup2Files);
  }
}

/** The files of a cgroup in the unified hierarchy. */
export function cgroup2Files(cg: Cgroup): CgroupFile[] {
  const files: CgroupFile[] = [...coreFiles(cg)];
  if (cg.has('cpu') && !cg.isRoot) files.push(...cpuFiles);
  if (cg.has('cpuset')) files.push(...cpusetFiles(cg));
  if (cg.has('io')) files.push(...ioFiles(cg));
  if (cg.has('memory')) files.push(...memoryFiles(cg));
  if (cg.has('pids') && !cg.isRoot) files.push(...pidsFiles);
  return files;
}

function coreFiles(cg: Cgroup): CgroupFile[] {
  const files: CgroupFile[] = [
    { name: 'cgroup.controllers', mode: 0o444, read: (c) => `${c.controllers.join(' ')}\n` },
    {
      name: 'cgroup.subtree_control',
      mode: 0o644,
      read: (c) => `${CONTROLLERS.filter((x) => c.subtreeControl.has(x)).join(' ')}\n`,
      write: (c, text) => c.hierarchy.writeSubtreeControl(c, text),
    },
    CGROUP_PROCS,
    {
      name: 'cgroup.threads',
      mode: 0o644,
      read: (c, ctx) => lines(visiblePids(c.tasks, ctx, (t) => t.pid)),
      write: (c, text, ctx) => {
        const task = resolveWrittenPid(c.hierarchy, parsePid(text), ctx);
        if (task.cgroup !== c) throw new KernelError('EOPNOTSUPP');
      },
    },
    { name: 'cgroup.max.depth', mode: 0o644, read: (c) => `${maxText(c.maxDepth)}\n`, write: (c, text) => (c.maxDepth = parseLimit(text)) },
    { name: 'cgroup.max.descendants', mode: 0o644, read: (c) => `${maxText(c.maxDescendants)}\n`, write: (c, text) => (c.maxDescendants = parseLimit(text)) },
    { name: 'cgroup.stat', mode: 0o444, read: (c) => `nr_descendants ${c.nrDescendants}\nnr_dying_descendants 0\n` },
    {
      name: 'cpu.stat',
      mode: 0o444,
      read: (c) => {
        const s = c.cpu;
        let out = `usage_usec ${us(s.usageNs)}\nuser_usec ${us(s.userNs)}\nsystem_usec ${us(s.systemNs)}\n`;
        if (c.has('cpu')) {
          out += `nr_periods ${s.nrPeriods}\nnr_throttled ${s.nrThrottled}\nthrottled_usec ${us(s.throttledNs)}\nnr_bursts ${s.nrBursts}\nburst_usec ${us(s.burstNs)}\n`;
        }
        return out;
      },
    },
  ];
  if (!cg.isRoot) {
    files.push(
      { name: 'cgroup.events', mode: 0o444, read: (c) => `populated ${c.populated ? 1 : 0}\nfrozen ${c.frozen ? 1 : 0}\n` },
      {
        name: 'cgroup.type',
        mode: 0o644,
        read: () => 'domain\n',
        write: (_c, text) => {
          if (strstrip(text) !== 'threaded') throw new KernelError('EINVAL');
          throw new KernelError('EOPNOTSUPP');
        },
      },
      {
        name: 'cgroup.freeze',
        mode: 0o644,
        read: (c) => `${c.freeze ? 1 : 0}\n`,
        write: (c, text) => {
          const v = kstrtoll(strstrip(text));
          if (v < 0 || v > 1) throw new KernelError('ERANGE');
          c.hierarchy.changeCpuSettings(() => (c.freeze = v === 1));
        },
      },
      {
        name: 'cgroup.kill',
        mode: 0o200,
        write: (c, text) => {
          if (kstrtoll(strstrip(text)) !== 1) throw new KernelError('ERANGE');
          for (const t of [...c.subtreeTasks()]) c.hierarchy.kill(t);
        },
      },
    );
  }
  return files;
}

const cpuFiles: CgroupFile[] = [
  {
    name: 'cpu.weight',
    mode: 0o644,
    read: (c) => `${Math.round((c.cpu.shares * WEIGHT_DFL) / NICE_0_LOAD)}\n`,
    write: (c, text) => {
      const w = kstrtoull(strstrip(text));
      if (w < WEIGHT_MIN || w > WEIGHT_MAX) throw new KernelError('ERANGE');
      c.hierarchy.changeCpuSettings(() => (c.cpu.shares = Math.round((w * NICE_0_LOAD) / WEIGHT_DFL)));
    },
  },
  {
    name: 'cpu.weight.nice',
    mode: 0o644,
    read: (c) => `${weightToNice(c.cpu.shares)}\n`,
    write: (c, text) => {
      const nice = kstrtoll(strstrip(text));
      if (nice < -20 || nice > 19) throw new KernelError('ERANGE');
      c.hierarchy.changeCpuSettings(() => (c.cpu.shares = sched_prio_to_weight[nice + 20]!));
    },
  },
  {
    name: 'cpu.max',
    mode: 0o644,
    read: (c) => `${c.cpu.quotaUs === undefined ? 'max' : c.cpu.quotaUs} ${c.cpu.periodUs}\n`,
    write: (c, text) => {
      const m = /^(max|\d+)(?:\s+(\d+))?$/.exec(strstrip(text));
      if (!m) throw new KernelError('EINVAL');
      const quota = m[1] === 'max' ? undefined : Number(m[1]);
      const period = m[2] === undefined ? c.cpu.periodUs : Number(m[2]);
      checkBandwidth(quota, period, c.cpu.burstUs);
      c.hierarchy.changeCpuSettings(() => {
        c.cpu.quotaUs = quota;
        c.cpu.periodUs = period;
      });
    },
  },
  {
    name: 'cpu.max.burst',
    mode: 0o644,
    read: (c) => `${c.cpu.burstUs}\n`,
    write: (c, text) => {
      const burst = kstrtoull(strstrip(text));
      checkBandwidth(c.cpu.quotaUs, c.cpu.periodUs, burst);
      c.hierarchy.changeCpuSettings(() => (c.cpu.burstUs = burst));
    },
  },
  {
    name: 'cpu.idle',
    mode: 0o644,
    read: (c) => `${c.cpu.idle}\n`,
    write: (c, text) => {
      const v = kstrtoll(strstrip(text));
      if (v !== 0 && v !== 1) throw new KernelError('EINVAL');
      c.hierarchy.changeCpuSettings(() => (c.cpu.idle = v));
    },
  },
];

/** tg_set_cfs_bandwidth's checks, in µs. */
export function checkBandwidth(quotaUs: number | undefined, periodUs: number, burstUs: number): void {
  if (periodUs < MIN_PERIOD_US || periodUs > MAX_PERIOD_US) throw new KernelError('EINVAL');
  if (quotaUs !== undefined && (quotaUs < MIN_QUOTA_US || quotaUs > MAX_CFS_RUNTIME_US)) throw new KernelError('EINVAL');
  if (quotaUs !== undefined && burstUs > quotaUs) throw new KernelError('EINVAL');
  if (burstUs > MAX_CFS_RUNTIME_US) throw new KernelError('EINVAL');
}

function cpusetFiles(cg: Cgroup): CgroupFile[] {
  const files: CgroupFile[] = [
    { name: 'cpuset.cpus.effective', mode: 0o444, read: (c) => `${formatCpulist(c.effectiveCpus)}\n` },
    { name: 'cpuset.mems.effective', mode: 0o444, read: (c) => `${formatCpulist(c.effectiveMems)}\n` },
  ];
  if (!cg.isRoot) {
    files.push(
      {
        name: 'cpuset.cpus',
        mode: 0o644,
        read: (c) => `${formatCpulist(c.cpuset.cpus ?? [])}\n`,
        write: (c, text) => {
          const cpus = parseCpulist(text);
          if (cpus.some((n) => n >= c.hierarchy.cpus)) throw new KernelError('EINVAL');
          c.hierarchy.changeCpuSettings(() => (c.cpuset.cpus = cpus.length > 0 ? cpus : undefined));
        },
      },
      {
        name: 'cpuset.mems',
        mode: 0o644,
        read: (c) => `${formatCpulist(c.cpuset.mems ?? [])}\n`,
        write: (c, text) => {
          const mems = parseCpulist(text);
          if (mems.some((n) => n >= c.hierarchy.memNodes)) throw new KernelError('EINVAL');
          c.cpuset.mems = mems.length > 0 ? mems : undefined;
        },
      },
    );
  }
  return files;
}

function ioFiles(cg: Cgroup): CgroupFile[] {
  const files: CgroupFile[] = [
    {
      name: 'io.stat',
      mode: 0o444,
      read: (c) =>
        [...c.io.stat]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([dev, s]) => `${dev} rbytes=${s.rbytes} wbytes=${s.wbytes} rios=${s.rios} wios=${s.wios} dbytes=${s.dbytes} dios=${s.dios}\n`)
          .join(''),
    },
  ];
  if (!cg.isRoot) {
    files.push({
      name: 'io.max',
      mode: 0o644,
      read: (c) =>
        [...c.io.max]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([dev, m]) => `${dev} rbps=${maxText(m.rbps)} wbps=${maxText(m.wbps)} riops=${maxText(m.riops)} wiops=${maxText(m.wiops)}\n`)
          .join(''),
      write: (c, text) => writeIoMax(c, text),
    });
  }
  return files;
}

/** An io.max write: "MAJ:MIN key=value…", each value a number or "max". */
export function writeIoMax(c: Cgroup, text: string): void {
  const [dev, ...pairs] = strstrip(text).split(/\s+/);
  if (!dev || !/^\d+:\d+$/.test(dev)) throw new KernelError('EINVAL');
  const entry: IoMax = { ...(c.io.max.get(dev) ?? { rbps: Infinity, wbps: Infinity, riops: Infinity, wiops: Infinity }) };
  for (const pair of pairs) {
    const m = /^(rbps|wbps|riops|wiops)=(max|\d+)$/.exec(pair);
    if (!m) throw new KernelError('EINVAL');
    entry[m[1] as keyof IoMax] = m[2] === 'max' ? Infinity : Number(m[2]);
  }
  if (Object.values(entry).every((v) => v === Infinity)) c.io.max.delete(dev);
  else c.io.max.set(dev, entry);
}

function memoryFiles(cg: Cgroup): CgroupFile[] {
  const files: CgroupFile[] = [{ name: 'memory.stat', mode: 0o444, read: (c) => memoryStatV2(c) }];
  if (cg.isRoot) return files;
  const limit = (name: string, get: (c: Cgroup) => number, set: (c: Cgroup, v: number, ctx: CgroupFsContext) => void): CgroupFile => ({
    name,
    mode: 0o644,
    read: (c) => `${c.hierarchy.memory.formatLimit(get(c))}\n`,
    write: (c, text, ctx) => set(c, pageCounterMemparse(strstrip(text), c.hierarchy.memory.pageSize), ctx),
  });
  const events = (get: (c: Cgroup) => MemoryEvents) => (c: Cgroup) => {
    const e = get(c);
    return `low ${e.low}\nhigh ${e.high}\nmax ${e.max}\noom ${e.oom}\noom_kill ${e.oom_kill}\noom_group_kill ${e.oom_group_kill}\n`;
  };
  files.push(
    { name: 'memory.current', mode: 0o444, read: (c) => `${c.memory.current}\n` },
    { name: 'memory.peak', mode: 0o444, read: (c) => `${c.memory.peak}\n` },
    limit('memory.min', (c) => c.memory.min, (c, v) => (c.memory.min = v)),
    limit('memory.low', (c) => c.memory.low, (c, v) => (c.memory.low = v)),
    limit('memory.high', (c) => c.memory.high, (c, v) => (c.memory.high = v)),
    limit('memory.max', (c) => c.memory.max, (c, v, ctx) => c.hierarchy.memory.setMax(c, v, invokerOf(c, ctx))),
    { name: 'memory.events', mode: 0o444, read: events((c) => c.memory.events) },
    { name: 'memory.events.local', mode: 0o444, read: events((c) => c.memory.eventsLocal) },
    {
      name: 'memory.oom.group',
      mode: 0o644,
      read: (c) => `${c.memory.oomGroup ? 1 : 0}\n`,
      write: (c, text) => {
        const v = kstrtoll(strstrip(text));
        if (v !== 0 && v !== 1) throw new KernelError('EINVAL');
        c.memory.oomGroup = v === 1;
      },
    },
    { name: 'memory.swap.current', mode: 0o444, read: (c) => `${c.memory.swapCurrent}\n` },
    limit('memory.swap.max', (c) => c.memory.swapMax, (c, v) => (c.memory.swapMax = v)),
    { name: 'memory.swap.events', mode: 0o444, read: () => 'high 0\nmax 0\nfail 0\n' },
  );
  return files;
}

/** Who a write that runs into an OOM names: the writer, else the host's init. */
function invokerOf(c: Cgroup, ctx: CgroupFsContext): OomInvoker {
  const task = ctx.task ?? c.hierarchy.resolvePid(1);
  return task ?? { comm: 'swapper/0', oomScoreAdj: 0, cgroup: c.hierarchy.root };
}

const pidsFiles: CgroupFile[] = [
  {
    name: 'pids.max',
    mode: 0o644,
    read: (c) => `${maxText(c.pids.max)}\n`,
    write: (c, text) => {
      const s = strstrip(text);
      if (s === 'max') {
        c.pids.max = Infinity;
        return;
      }
      const v = kstrtoll(s);
      if (v < 0 || v >= PIDS_MAX) throw new KernelError('EINVAL');
      c.pids.max = v;
    },
  },
  { name: 'pids.current', mode: 0o444, read: (c) => `${c.pids.current}\n` },
  { name: 'pids.peak', mode: 0o444, read: (c) => `${c.pids.peak}\n` },
  { name: 'pids.events', mode: 0o444, read: (c) => `max ${c.pids.eventsMax}\n` },
];

/** A pid written to cgroup.procs/threads/tasks: a non-negative integer, else EINVAL. */
export function parsePid(text: string): number {
  const pid = kstrtoll(strstrip(text));
  if (pid < 0) throw new KernelError('EINVAL');
  return pid;
}

/** "max" or a non-negative integer (cgroup.max.depth, cgroup.max.descendants). */
function parseLimit(text: string): number {
  const s = strstrip(text);
  if (s === 'max') return Infinity;
  const v = kstrtoll(s);
  if (v < 0) throw new KernelError('EINVAL');
  return v;
}

function maxText(n: number): string {
  return n === Infinity ? 'max' : `${n}`;
}

function us(ns: number): number {
  return Math.floor(ns / 1000);
}

function lines(pids: readonly number[]): string {
  return pids.map((p) => `${p}\n`).join('');
}
