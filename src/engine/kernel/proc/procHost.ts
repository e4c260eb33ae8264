/**
 * ProcHost — what procfs and sysfs read of the host they belong to: its processes, cgroups, scheduler,
 * sockets, kernel log and machine numbers, and `current`, the process making the system call (Linux's `current`),
 * which decides what /proc/self names and through which namespaces a file is shown.
 */
import type { Clock } from '../../base/clock.ts';
import type { CgroupHierarchy, CgroupTask } from '../cgroup/cgroup.ts';
import type { FileSystemTypes } from '../fs/fileSystemTypes.ts';
import type { Vfs } from '../fs/vfs.ts';
import type { Kmsg } from '../kmsg.ts';
import type { Tcp } from '../net/tcp.ts';
import type { PidNamespace } from '../ns/pidNamespace.ts';
import type { Process } from '../process/process.ts';
import type { ProcessTable } from '../process/processTable.ts';
import type { CfsScheduler } from '../sched/cfsScheduler.ts';

/** A block device or partition, as /proc/partitions lists it. */
export interface Partition {
  readonly major: number;
  readonly minor: number;
  /** Size in 1 KiB blocks. */
  readonly blocks: number;
  readonly name: string;
}

export interface ProcHost {
  /** Virtual time. */
  readonly clock: Pick<Clock, 'now'>;
  /** When the host booted, ms of virtual time. */
  readonly bootTime: number;
  /** The host's processes. */
  readonly table: ProcessTable;
  /** The host's cgroups and memory controller. */
  readonly hierarchy: CgroupHierarchy;
  /** The host's CPU scheduler. */
  readonly scheduler: CfsScheduler;
  /** The kernel log. */
  readonly kmsg: Kmsg;
  /** The TCP socket table (/proc/<pid>/net/tcp, socket links in /proc/<pid>/fd). */
  readonly tcp: Tcp;
  /** Registered file system types (/proc/filesystems). */
  readonly fsTypes: FileSystemTypes;
  /** Online CPUs. */
  readonly cpus: number;
  /** RAM in bytes (MemTotal). */
  readonly memoryBytes: number;
  /** uname -m. */
  readonly machine: string;
  /** The kernel command line (/proc/cmdline, without the newline). */
  readonly cmdline: string;
  /** /proc/version's text, without the newline. */
  readonly linuxVersion: string;
  /** Block devices and partitions. */
  readonly partitions: readonly Partition[];
  /**
   * Settings kept per host: vm.overcommit_memory (0 heuristic, 1 always, 2 never),
   * kernel.dmesg_restrict (1: reading the kernel log takes CAP_SYSLOG) and
   * /sys/kernel/mm/transparent_hugepage/enabled.
   */
  readonly sysctl: { overcommitMemory: number; dmesgRestrict: number; transparentHugepage: 'always' | 'madvise' | 'never' };
  /** Processes forked since boot (/proc/stat's `processes`). */
  readonly forks: number;
  /** The process making the current system call (init when the kernel itself asks). */
  current(): Process;
  /** A process's file system view. */
  vfsFor(process: Process): Vfs;
  /** The cgroup task standing for a process. */
  taskOf(process: Process): CgroupTask;
  /** The process a cgroup task stands for. */
  processOf(task: CgroupTask): Process | undefined;
  /** The last pid handed out in `ns` (/proc/loadavg's last field). */
  lastPid(ns: PidNamespace): number;
}
