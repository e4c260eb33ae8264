/**
 * kernel/sysfs — sysfs (fs/sysfs/ on kernfs) and the cgroup file systems' mounts: /sys with the network
 * devices of the mounter's net namespace, the CPU masks, transparent_hugepage/enabled and the
 * /sys/fs/cgroup mount point; `cgroup2` and v1 `cgroup` mounts over the cgroup code's files.
 *
 * Left out: the device model (bus, driver and device directories are empty), uevents, block devices,
 * module parameters, and most attributes of a network device (statistics/, queues/, speed, duplex).
 */
export { CGROUP2_MOUNT_OPTIONS, CGROUP_SUPER_MAGIC, cgroupFsContext, registerCgroupFs, v1MountOf } from './cgroupKernfs.ts';
export { createSysFs, registerSysFs } from './sysFs.ts';
