/**
 * CgroupV1Fs — the legacy hierarchies (`mount -t cgroup -o cpu,cpuacct …`), one per controller group,
 * with the files Documentation/admin-guide/cgroup-v1/ gives them. All hierarchies mirror the one cgroup
 * tree (as systemd, Docker and the kubelet keep them), so a quota written here is the limit cgroup v2's
 * cpu.max would show, and memory.limit_in_bytes is memory.max. Not emulated: net_cls, net_prio,
 * perf_event, hugetlb, rdma and misc (no files), memsw (no swap), and the devices rules are kept and
 * listed but not enforced.
 */
import { KernelError } from '../errno.ts';
import type { Cgroup, CgroupHierarchy, DeviceRule } from './cgroup.ts';
import { CGROUP_PROCS, checkBandwidth, parsePid } from './cgroup2Fs.ts';
import { CgroupFs, resolveWrittenPid, visiblePids, type CgroupFile } from './cgroupFs.ts';
import { formatCpulist, parseCpulist } from './cpulist.ts';
import { kstrtoll, kstrtoull, strstrip } from './kstrtox.ts';
import { memparse } from './memparse.ts';
import { memoryStatV1 } from './memoryStat.ts';

/** A v1 hierarchy mounted under /sys/fs/cgroup. */
export interface V1Mount {
  /** The directory name and mount option list ("cpu,cpuacct"; "systemd" for name=systemd). */
  readonly name: string;
  /** Symlinks /sys/fs/cgroup/<link> → <name> (the co-mount's single names). */
  readonly links: readonly string[];
}

/** The v1 hierarchies of a systemd host, as /sys/fs/cgroup lists them. */
export const V1_MOUNTS: readonly V1Mount[] = [
  { name: 'blkio', links: [] },
  { name: 'cpu,cpuacct', links: ['cpu', 'cpuacct'] },
  { name: 'cpuset', links: [] },
  { name: 'devices', links: [] },
  { name: 'freezer', links: [] },
  { name: 'memory', links: [] },
  { name: 'pids', links: [] },
  { name: 'systemd', links: [] },
];

/** USER_HZ: cpuacct.stat counts in 1/100 s. */
const USER_HZ = 100;
/** MIN_SHARES/MAX_SHARES for cpu.shares. */
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;

/** One v1 hierarchy ("cpu,cpuacct", "memory"…) of `hierarchy`, which must be a v1 host's. */
export class CgroupV1Fs extends CgroupFs {
  constructor(
    hierarchy: CgroupHierarchy,
    /** The mount's name, one of V1_MOUNTS. */
    readonly mount: string,
    root: Cgroup = hierarchy.root,
  ) {
    if (hierarchy.version !== 1) throw new Error('CgroupV1Fs: the hierarchy is cgroup v2');
    if (!V1_MOUNTS.some((m) => m.name === mount)) throw new KernelError('ENOENT', mount);
    super(hierarchy, root, (cg) => v1Files(mount, cg));
  }
}

/** The files of a cgroup in the v1 hierarchy `mount`. */
export function v1Files(mount: string, cg: Cgroup): CgroupFile[] {
  const files = commonFiles(cg);
  if (mount === 'cpu,cpuacct') files.push(...cpuFiles, ...cpuacctFiles);
  if (mount === 'memory') files.push(...memoryFiles(cg));
  if (mount === 'pids' && !cg.isRoot) files.push(...pidsFiles);
  if (mount === 'cpuset') files.push(...cpusetFiles);
  if (mount === 'blkio') files.push(...blkioFiles);
  if (mount === 'devices') files.push(...devicesFiles);
  if (mount === 'freezer' && !cg.isRoot) files.push(...freezerFiles);
  return files;
}

function commonFiles(cg: Cgroup): CgroupFile[] {
  const files: CgroupFile[] = [
    { name: 'cgroup.clone_children', mode: 0o644, read: () => '0\n', write: (_c, text) => void bool(text) },
    CGROUP_PROCS,
    {
      name: 'tasks',
      mode: 0o644,
      read: (c, ctx) => lines(visiblePids(c.tasks, ctx, (t) => t.pid)),
      write: (c, text, ctx) => c.hierarchy.move(resolveWrittenPid(c.hierarchy, parsePid(text), ctx), c),
    },
    { name: 'notify_on_release', mode: 0o644, read: (c) => `${c.notifyOnRelease ? 1 : 0}\n`, write: (c, text) => (c.notifyOnRelease = bool(text)) },
  ];
  if (cg.isRoot) {
    let releaseAgent = '';
    files.push(
      { name: 'cgroup.sane_behavior', mode: 0o444, read: () => '0\n' },
      { name: 'release_agent', mode: 0o644, read: () => `${releaseAgent}\n`, write: (_c, text) => (releaseAgent = strstrip(text)) },
    );
  }
  return files;
}

const cpuFiles: CgroupFile[] = [
  {
    name: 'cpu.shares',
    mode: 0o644,
    read: (c) => `${c.cpu.shares}\n`,
    write: (c, text) => {
      const v = kstrtoull(strstrip(text));
      if (c.isRoot) throw new KernelError('EINVAL');
      c.hierarchy.changeCpuSettings(() => (c.cpu.shares = Math.max(MIN_SHARES, Math.min(MAX_SHARES, v))));
    },
  },
  {
    name: 'cpu.cfs_period_us',
    mode: 0o644,
    read: (c) => `${c.cpu.periodUs}\n`,
    write: (c, text) => setBandwidthV1(c, c.cpu.quotaUs, kstrtoull(strstrip(text)), c.cpu.burstUs),
  },
  {
    name: 'cpu.cfs_quota_us',
    mode: 0o644,
    read: (c) => `${c.cpu.quotaUs ?? -1}\n`,
    write: (c, text) => {
      const v = kstrtoll(strstrip(text));
      setBandwidthV1(c, v < 0 ? undefined : v, c.cpu.periodUs, c.cpu.burstUs);
    },
  },
  {
    name: 'cpu.cfs_burst_us',
    mode: 0o644,
    read: (c) => `${c.cpu.burstUs}\n`,
    write: (c, text) => setBandwidthV1(c, c.cpu.quotaUs, c.cpu.periodUs, kstrtoull(strstrip(text))),
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
  {
    name: 'cpu.stat',
    mode: 0o444,
    read: (c) =>
      `nr_periods ${c.cpu.nrPeriods}\nnr_throttled ${c.cpu.nrThrottled}\nthrottled_time ${Math.floor(c.cpu.throttledNs)}\nnr_bursts ${c.cpu.nrBursts}\nburst_time ${Math.floor(c.cpu.burstNs)}\n`,
  },
];

/**
 * tg_set_cfs_bandwidth on a v1 hierarchy: the v2 bounds, no quota on the root, and a child may not be
 * given more CPU (quota/period) than a limited parent (__cfs_schedulable) — EINVAL.
 */
function setBandwidthV1(c: Cgroup, quotaUs: number | undefined, periodUs: number, burstUs: number): void {
  if (c.isRoot) throw new KernelError('EINVAL');
  checkBandwidth(quotaUs, periodUs, burstUs);
  const ratio = (q: number | undefined, p: number) => (q === undefined ? Infinity : q / p);
  const mine = ratio(quotaUs, periodUs);
  for (let a = c.parent; a && !a.isRoot; a = a.parent) {
    if (mine > ratio(a.cpu.quotaUs, a.cpu.periodUs)) throw new KernelError('EINVAL');
  }
  for (const d of c.subtree()) {
    if (d !== c && ratio(d.cpu.quotaUs, d.cpu.periodUs) > mine) throw new KernelError('EINVAL');
  }
  c.hierarchy.changeCpuSettings(() => {
    c.cpu.quotaUs = quotaUs;
    c.cpu.periodUs = periodUs;
    c.cpu.burstUs = burstUs;
  });
}

const percpu = (get: (c: Cgroup, cpu: number) => number) => (c: Cgroup) =>
  `${Array.from({ length: c.hierarchy.cpus }, (_, i) => `${Math.floor(get(c, i))} `).join('')}\n`;

const cpuacctFiles: CgroupFile[] = [
  {
    name: 'cpuacct.usage',
    mode: 0o644,
    read: (c) => `${Math.floor(c.cpu.usageNs)}\n`,
    write: (c, text) => {
      if (kstrtoull(strstrip(text)) !== 0) throw new KernelError('EINVAL');
      c.hierarchy.changeCpuSettings(() => {
        c.cpu.usageNs = c.cpu.userNs = c.cpu.systemNs = 0;
        c.cpu.percpuUserNs.fill(0);
        c.cpu.percpuSystemNs.fill(0);
      });
    },
  },
  { name: 'cpuacct.usage_user', mode: 0o444, read: (c) => `${Math.floor(c.cpu.userNs)}\n` },
  { name: 'cpuacct.usage_sys', mode: 0o444, read: (c) => `${Math.floor(c.cpu.systemNs)}\n` },
  { name: 'cpuacct.usage_percpu', mode: 0o444, read: percpu((c, i) => c.cpu.percpuUserNs[i]! + c.cpu.percpuSystemNs[i]!) },
  { name: 'cpuacct.usage_percpu_user', mode: 0o444, read: percpu((c, i) => c.cpu.percpuUserNs[i]!) },
  { name: 'cpuacct.usage_percpu_sys', mode: 0o444, read: percpu((c, i) => c.cpu.percpuSystemNs[i]!) },
  {
    name: 'cpuacct.usage_all',
    mode: 0o444,
    read: (c) =>
      `cpu user system\n${Array.from({ length: c.hierarchy.cpus }, (_, i) => `${i} ${Math.floor(c.cpu.percpuUserNs[i]!)} ${Math.floor(c.cpu.percpuSystemNs[i]!)}\n`).join('')}`,
  },
  {
    name: 'cpuacct.stat',
    mode: 0o444,
    read: (c) => `user ${Math.floor((c.cpu.userNs * USER_HZ) / 1e9)}\nsystem ${Math.floor((c.cpu.systemNs * USER_HZ) / 1e9)}\n`,
  },
];

function memoryFiles(cg: Cgroup): CgroupFile[] {
  const mem = cg.hierarchy.memory;
  const limitV1 = (text: string) => {
    const s = strstrip(text);
    if (s === '-1') return Infinity;
    const pages = Math.floor(memparse(s) / mem.pageSize);
    return pages * mem.pageSize >= Number(mem.formatLimitV1(Infinity)) ? Infinity : pages * mem.pageSize;
  };
  return [
    { name: 'memory.usage_in_bytes', mode: 0o444, read: (c) => `${c.memory.current}\n` },
    { name: 'memory.max_usage_in_bytes', mode: 0o644, read: (c) => `${c.memory.peak}\n`, write: (c) => void (c.memory.peak = c.memory.current) },
    {
      name: 'memory.limit_in_bytes',
      mode: 0o644,
      read: (c) => `${mem.formatLimitV1(c.memory.max)}\n`,
      write: (c, text) => {
        const v = limitV1(text);
        if (c.isRoot) throw new KernelError('EINVAL');
        if (c.memory.current > v) throw new KernelError('EBUSY');
        c.memory.max = v;
      },
    },
    {
      name: 'memory.soft_limit_in_bytes',
      mode: 0o644,
      read: (c) => `${mem.formatLimitV1(c.memory.softLimit)}\n`,
      write: (c, text) => void (c.memory.softLimit = limitV1(text)),
    },
    { name: 'memory.failcnt', mode: 0o644, read: (c) => `${c.memory.failcnt}\n`, write: (c) => void (c.memory.failcnt = 0) },
    {
      name: 'memory.oom_control',
      mode: 0o644,
      read: (c) => `oom_kill_disable ${c.memory.oomKillDisable ? 1 : 0}\nunder_oom ${c.memory.underOom ? 1 : 0}\noom_kill ${c.memory.events.oom_kill}\n`,
      write: (c, text) => {
        const v = kstrtoull(strstrip(text));
        if (c.isRoot || (v !== 0 && v !== 1)) throw new KernelError('EINVAL');
        c.memory.oomKillDisable = v === 1;
      },
    },
    { name: 'memory.stat', mode: 0o444, read: (c) => memoryStatV1(c, (b) => mem.formatLimitV1(b)) },
    {
      name: 'memory.swappiness',
      mode: 0o644,
      read: (c) => `${c.memory.swappiness}\n`,
      write: (c, text) => {
        const v = kstrtoull(strstrip(text));
        if (v > 200) throw new KernelError('EINVAL');
        c.memory.swappiness = v;
      },
    },
    {
      name: 'memory.use_hierarchy',
      mode: 0o644,
      read: () => '1\n',
      write: (_c, text) => {
        if (kstrtoull(strstrip(text)) !== 1) throw new KernelError('EINVAL');
      },
    },
  ];
}

const pidsFiles: CgroupFile[] = [
  {
    name: 'pids.max',
    mode: 0o644,
    read: (c) => `${c.pids.max === Infinity ? 'max' : c.pids.max}\n`,
    write: (c, text) => {
      const s = strstrip(text);
      if (s === 'max') c.pids.max = Infinity;
      else {
        const v = kstrtoll(s);
        if (v < 0 || v >= 4_194_305) throw new KernelError('EINVAL');
        c.pids.max = v;
      }
    },
  },
  { name: 'pids.current', mode: 0o444, read: (c) => `${c.pids.current}\n` },
  { name: 'pids.peak', mode: 0o444, read: (c) => `${c.pids.peak}\n` },
  { name: 'pids.events', mode: 0o444, read: (c) => `max ${c.pids.eventsMax}\n` },
];

const cpusetFiles: CgroupFile[] = [
  {
    name: 'cpuset.cpus',
    mode: 0o644,
    read: (c) => `${formatCpulist(c.effectiveCpus)}\n`,
    write: (c, text) => {
      if (c.isRoot) throw new KernelError('EACCES');
      const cpus = parseCpulist(text);
      const parent = c.parent!.effectiveCpus;
      if (cpus.some((n) => !parent.includes(n))) throw new KernelError('EINVAL');
      c.hierarchy.changeCpuSettings(() => (c.cpuset.cpus = cpus.length > 0 ? cpus : undefined));
    },
  },
  {
    name: 'cpuset.mems',
    mode: 0o644,
    read: (c) => `${formatCpulist(c.effectiveMems)}\n`,
    write: (c, text) => {
      if (c.isRoot) throw new KernelError('EACCES');
      const mems = parseCpulist(text);
      if (mems.some((n) => n >= c.hierarchy.memNodes)) throw new KernelError('EINVAL');
      c.cpuset.mems = mems.length > 0 ? mems : undefined;
    },
  },
  { name: 'cpuset.effective_cpus', mode: 0o444, read: (c) => `${formatCpulist(c.effectiveCpus)}\n` },
  { name: 'cpuset.effective_mems', mode: 0o444, read: (c) => `${formatCpulist(c.effectiveMems)}\n` },
];

const throttle = (name: string, key: 'rbps' | 'wbps' | 'riops' | 'wiops'): CgroupFile => ({
  name,
  mode: 0o644,
  read: (c) =>
    [...c.io.max]
      .filter(([, m]) => m[key] !== Infinity)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([dev, m]) => `${dev} ${m[key]}\n`)
      .join(''),
  write: (c, text) => {
    const m = /^(\d+:\d+)\s+(\d+)$/.exec(strstrip(text));
    if (!m) throw new KernelError('EINVAL');
    const entry = { ...(c.io.max.get(m[1]!) ?? { rbps: Infinity, wbps: Infinity, riops: Infinity, wiops: Infinity }) };
    entry[key] = Number(m[2]) === 0 ? Infinity : Number(m[2]);
    if (Object.values(entry).every((v) => v === Infinity)) c.io.max.delete(m[1]!);
    else c.io.max.set(m[1]!, entry);
  },
});

const ioService = (name: string, bytes: boolean): CgroupFile => ({
  name,
  mode: 0o444,
  read: (c) => {
    let out = '';
    let total = 0;
    for (const [dev, s] of [...c.io.stat].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [r, w, d] = bytes ? [s.rbytes, s.wbytes, s.dbytes] : [s.rios, s.wios, s.dios];
      out += `${dev} Read ${r}\n${dev} Write ${w}\n${dev} Sync 0\n${dev} Async ${r + w}\n${dev} Discard ${d}\n${dev} Total ${r + w + d}\n`;
      total += r + w + d;
    }
    return `${out}Total ${total}\n`;
  },
});

const blkioFiles: CgroupFile[] = [
  throttle('blkio.throttle.read_bps_device', 'rbps'),
  throttle('blkio.throttle.write_bps_device', 'wbps'),
  throttle('blkio.throttle.read_iops_device', 'riops'),
  throttle('blkio.throttle.write_iops_device', 'wiops'),
  ioService('blkio.throttle.io_service_bytes', true),
  ioService('blkio.throttle.io_serviced', false),
];

const devicesFiles: CgroupFile[] = [
  { name: 'devices.list', mode: 0o444, read: (c) => c.devices.map((r) => `${r.type} ${r.major}:${r.minor} ${r.access}\n`).join('') },
  { name: 'devices.allow', mode: 0o200, write: (c, text) => updateDevices(c, text, true) },
  { name: 'devices.deny', mode: 0o200, write: (c, text) => updateDevices(c, text, false) },
];

/** devcgroup_update_access: "a" resets to allow-all or deny-all; "c 1:3 rwm" adds or removes a rule. */
function updateDevices(c: Cgroup, text: string, allow: boolean): void {
  if (c.isRoot) throw new KernelError('EINVAL');
  const s = strstrip(text);
  if (s === 'a') {
    c.devices = allow ? [{ type: 'a', major: '*', minor: '*', access: 'rwm' }] : [];
    return;
  }
  const m = /^([abc]) (\*|\d+):(\*|\d+)(?: ([rwm]{1,3}))?$/.exec(s);
  if (!m) throw new KernelError('EINVAL');
  const rule: DeviceRule = { type: m[1] as DeviceRule['type'], major: m[2]!, minor: m[3]!, access: m[4] ?? 'rwm' };
  const same = (r: DeviceRule) => r.type === rule.type && r.major === rule.major && r.minor === rule.minor;
  const allowAll = c.devices.some((r) => r.type === 'a');
  if (allow && !allowAll && !c.devices.some(same)) c.devices.push(rule);
  if (!allow && !allowAll) c.devices = c.devices.filter((r) => !same(r));
}

const freezerFiles: CgroupFile[] = [
  {
    name: 'freezer.state',
    mode: 0o644,
    read: (c) => (c.frozen ? 'FROZEN\n' : 'THAWED\n'),
    write: (c, text) => {
      const s = strstrip(text);
      if (s !== 'FROZEN' && s !== 'THAWED') throw new KernelError('EINVAL');
      c.hierarchy.changeCpuSettings(() => (c.freeze = s === 'FROZEN'));
    },
  },
  { name: 'freezer.self_freezing', mode: 0o444, read: (c) => `${c.freeze ? 1 : 0}\n` },
  { name: 'freezer.parent_freezing', mode: 0o444, read: (c) => `${c.parent?.frozen ? 1 : 0}\n` },
];

function bool(text: string): boolean {
  return kstrtoull(strstrip(text)) !== 0;
}

function lines(pids: readonly number[]): string {
  return pids.map((p) => `${p}\n`).join('');
}
