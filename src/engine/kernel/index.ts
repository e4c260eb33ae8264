/**
 * kernel — an emulated Linux host (a node's kernel): Host assembles the VFS (fs/), processes and signals
 * (process/), namespaces (ns/), cgroups with the memory controller and OOM killer (cgroup/), the CFS
 * scheduler (sched/), procfs (proc/), sysfs and the cgroup mounts (sysfs/), the kernel log (kmsg) and
 * execve with its binary formats (exec).
 *
 * Left out: networking beyond each namespace's devices (routes, netfilter, veth and bridges belong to
 * net/), block devices and real file data, threads as tasks, ptrace, seccomp, LSMs, and the time
 * namespace; see each folder's index for what it leaves out.
 */
export { KernelError, ERRNO, STRERROR, type Errno } from './errno.ts';
export { BINPRM_BUF_SIZE, ELF_MAGIC, ProgramRegistry, elfHeader, execve, parseElfHeader, type ExecHost, type ProgramFactory } from './exec.ts';
export { DEFAULT_PATH, Host, type BootMessage, type HostOptions, type SpawnOptions } from './host.ts';
export { KERN_LEVELS, Kmsg, timestamp, type KernLogLevel, type KmsgRecord } from './kmsg.ts';
