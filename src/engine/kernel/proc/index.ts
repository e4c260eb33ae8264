/**
 * kernel/proc — procfs (fs/proc/): the proc file system of an emulated host, one superblock per mount,
 * bound to the mounter's pid namespace. Per-process directories (stat, status, statm, cmdline, comm,
 * environ, cgroup, mountinfo, mounts, limits, sched, oom_score, oom_score_adj, uid_map, gid_map, setgroups, ns/,
 * fd/ (stdio and sockets), net/ (tcp, tcp6), root, cwd, exe, task/) and the global files (meminfo, stat,
 * uptime, loadavg, version, cpuinfo, filesystems, mounts, net, cmdline, swaps, partitions, kmsg,
 * sys/kernel/*, sys/vm/overcommit_memory), in the byte layout Linux 6.8 prints.
 *
 * Left out: /proc/<pid>/maps, smaps, io, wchan and the other debugging files; /proc/net's files
 * but tcp and tcp6 (udp, unix, dev, route, snmp, sockstat…); hidepid
 * and ptrace access modes; magic links that jump into another namespace (ns/, root, cwd and exe resolve as
 * plain paths); per-thread tasks (task/ lists the thread group leader only); most of /proc/sys.
 */
export { procCpuinfo } from './cpuinfo.ts';
export { maxThreadsHalf, procPidLimits } from './limits.ts';
export { procMeminfo, type MeminfoInput } from './meminfo.ts';
export { mmCounters, rssOf, type MmCounters } from './mmCounters.ts';
export { mangle, procMountinfo, procMounts } from './mountinfo.ts';
export { pidDir, procPidCgroup } from './pidDir.ts';
export { procPidSched } from './pidSched.ts';
export { procPidStat, procPidStatm, ttyNr } from './pidStat.ts';
export { createProcFs, registerProcFs } from './procFs.ts';
export type { Partition, ProcHost } from './procHost.ts';
export { procStat, procUptime } from './procStat.ts';
export { bitmapHex, contextSwitches, hex64, procPidStatus } from './status.ts';
