/**
 * cloneFlags — the CLONE_* bits of clone(2) and unshare(2) (include/uapi/linux/sched.h), and the namespace
 * types they create, named as /proc/<pid>/ns names them.
 */

/** Set if the VM is shared between processes. */
export const CLONE_VM = 0x00000100;
/** Set if fs info (root, cwd, umask) is shared between processes. */
export const CLONE_FS = 0x00000200;
/** Set if the open files are shared between processes. */
export const CLONE_FILES = 0x00000400;
/** Set if the signal handlers and blocked signals are shared. */
export const CLONE_SIGHAND = 0x00000800;
/** The new process has the caller's parent as its parent. */
export const CLONE_PARENT = 0x00008000;
/** Same thread group: a thread, not a process. */
export const CLONE_THREAD = 0x00010000;
/** New mount namespace. */
export const CLONE_NEWNS = 0x00020000;
/** Share System V SEM_UNDO semantics. */
export const CLONE_SYSVSEM = 0x00040000;
/** New cgroup namespace. */
export const CLONE_NEWCGROUP = 0x02000000;
/** New UTS namespace (hostname, domainname). */
export const CLONE_NEWUTS = 0x04000000;
/** New IPC namespace (System V IPC, POSIX message queues). */
export const CLONE_NEWIPC = 0x08000000;
/** New user namespace. */
export const CLONE_NEWUSER = 0x10000000;
/** New pid namespace. */
export const CLONE_NEWPID = 0x20000000;
/** New network namespace. */
export const CLONE_NEWNET = 0x40000000;

/** The low byte of clone(2)'s flags: the signal sent to the parent when the child dies (CSIGNAL). */
export const CSIGNAL = 0x000000ff;

/** A namespace type, as its /proc/<pid>/ns/<name> link and lsns(8) name it. */
export type NsType = 'mnt' | 'uts' | 'ipc' | 'pid' | 'net' | 'user' | 'cgroup';

/** The CLONE_NEW* flag that creates each namespace type; setns(2)'s nstype uses the same values. */
export const CLONE_NEW_FLAG: Readonly<Record<NsType, number>> = {
  mnt: CLONE_NEWNS,
  uts: CLONE_NEWUTS,
  ipc: CLONE_NEWIPC,
  pid: CLONE_NEWPID,
  net: CLONE_NEWNET,
  user: CLONE_NEWUSER,
  cgroup: CLONE_NEWCGROUP,
};

/** Every CLONE_NEW* bit this kernel implements (CLONE_NEWTIME is left out). */
export const CLONE_NEW_ALL = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWCGROUP;
