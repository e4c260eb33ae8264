/**
 * runc — runc 1.1 (opencontainers/runc and its libcontainer) on an emulated host: the `runc` binary's
 * commands (create, start, run, kill, delete, state, list, ps, exec, update, pause, resume) with their
 * state directory (`<root>/<id>/state.json`, `exec.fifo`), the cgroup managers for the cgroupfs and
 * systemd drivers on cgroup v1 and v2, the rootfs preparation and pivot_root, and runc's error texts.
 *
 * Left out: seccomp, AppArmor/SELinux, hooks, rootless mode, checkpoint/restore, `runc events`, consoles
 * (a terminal is the caller's Stdio), no_new_privs enforcement, rlimits other than RLIMIT_CORE, and
 * namespace files other than /proc/<pid>/ns/<type>.
 */
export { CGROUP_ROOT, CgroupManager, cgroupConfig, expandSlice, goErrno, type CgroupConfig, type CgroupStats } from './cgroupManager.ts';
export { prepareRootfs } from './rootfs.ts';
export { DEFAULT_RUNC_ROOT, lookPath, Runc, type CreateOptions, type ExecOptions, type RuncGlobalOptions } from './runc.ts';
export { ERR_EXIST, ERR_NOT_EXIST, ERR_NOT_RUNNING, RuncError } from './runcError.ts';
export { RuncProgram } from './runcProgram.ts';
export { bundleOf, rfc3339Nano, type ContainerState, type NamespaceType, type RuntimeState, type Status } from './state.ts';
