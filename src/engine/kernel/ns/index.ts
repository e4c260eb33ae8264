/**
 * Linux namespaces (namespaces(7), kernel/nsproxy.c, kernel/user_namespace.c, kernel/pid_namespace.c,
 * kernel/utsname.c, ipc/namespace.c, net/core/net_namespace.c, kernel/cgroup/namespace.c, fs/namespace.c):
 * the mnt, uts, ipc, pid, net, user and cgroup namespaces of one emulated host, with their proc inode
 * numbers, owning user namespaces, reference-counted lifetimes and setns(2) rules; user namespaces' id
 * maps and capability rules; System V IPC objects; the loopback device of each network namespace.
 *
 * Left out: the time namespace (CLONE_NEWTIME is refused), POSIX message queues, ucount limits
 * (max_*_namespaces), ioctl_ns(2) beyond owner/parent, and everything the filesystem, cgroup and
 * networking code own (mounts, the cgroup tree, routes and the other device kinds).
 */
export * from './cloneFlags.ts';
export { NsTree, PROC_CGROUP_INIT_INO, PROC_DYNAMIC_FIRST, PROC_IPC_INIT_INO, PROC_PID_INIT_INO, PROC_USER_INIT_INO, PROC_UTS_INIT_INO, DEFAULT_FIRST_FREE_INUM } from './nsTree.ts';
export { NsCommon, type NsSet } from './nsCommon.ts';
export { NsProxy, type NsProxyMembers } from './nsproxy.ts';
export { UserNamespace, MAX_USER_NS_LEVEL, OVERFLOW_GID, OVERFLOW_UID, UID_GID_MAP_MAX_EXTENTS, type IdMapExtent } from './userNamespace.ts';
export { UtsNamespace, DEFAULT_UTSNAME, NEW_UTS_LEN, type Utsname } from './utsNamespace.ts';
export * from './ipcNamespace.ts';
export { PidNamespace, MAX_PID_NS_LEVEL, PID_MAX_DEFAULT, PID_MAX_LIMIT, RESERVED_PIDS } from './pidNamespace.ts';
export { NetNamespace } from './netNamespace.ts';
export { IFF, IFNAMSIZ_MAX, LoopbackDevice, NetDevice, type IfAddr, type NetDeviceOptions } from './netDevice.ts';
export { CgroupNamespace } from './cgroupNamespace.ts';
export { MntNamespace } from './mntNamespace.ts';
