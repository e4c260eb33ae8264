/**
 * Linux control groups (kernel/cgroup/, mm/memcontrol.c, mm/oom_kill.c, kernel/cgroup/pids.c) for one
 * emulated host: the cgroup tree with v2's membership rules, the cgroup2 files and the legacy v1
 * hierarchies' files over one model, the memory controller with the memcg and node-wide OOM killer and its
 * kernel log, the pids controller's fork limit, and the kubelet's and Docker's cgroup driver paths.
 *
 * Left out: threaded cgroups (cgroup.type stays "domain"), memory reclaim and swap, PSI (*.pressure),
 * io throttling (io.max is kept and shown, not enforced), the hugetlb, rdma, misc, net_cls, net_prio and
 * perf_event controllers, and device access enforcement. CPU time is accounted by ../sched.
 */
export {
  CONTROLLERS,
  Cgroup,
  CgroupHierarchy,
  CpuState,
  CpusetState,
  IoState,
  MemoryState,
  PidsState,
  type CgroupHierarchyOptions,
  type CgroupTask,
  type Controller,
  type DeviceRule,
  type IoMax,
  type IoStat,
  type KernLevel,
  type MemoryEvents,
  type MemoryKind,
} from './cgroup.ts';
export { CgroupFs, type CgroupDirEntry, type CgroupFile, type CgroupFsContext } from './cgroupFs.ts';
export { Cgroup2Fs, cgroup2Files } from './cgroup2Fs.ts';
export { CgroupV1Fs, V1_MOUNTS, v1Files, type V1Mount } from './cgroupV1Fs.ts';
export {
  containerCgroupPath,
  convertCPUSharesToCgroupV2Value,
  dockerCgroupPath,
  podCgroupPath,
  qosCgroupPath,
  type CgroupDriver,
  type QosClass,
} from './cgroupDriver.ts';
export { MemoryController, type ChargeResult, type MemoryControllerOptions, type TaskMemory } from './memcontrol.ts';
export { memoryStatV1, memoryStatV2 } from './memoryStat.ts';
export { OOM_SCORE_ADJ_MIN, OomKiller, oomBadness, type OomControl, type OomInvoker } from './oomKill.ts';
export { memparse, pageCounterMax, pageCounterMemparse } from './memparse.ts';
export { formatCpulist, parseCpulist } from './cpulist.ts';
export { kstrtoll, kstrtoull, strstrip } from './kstrtox.ts';
