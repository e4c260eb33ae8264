/**
 * oci — the OCI runtime specification's config.json (opencontainers/runtime-spec 1.1.0) as containerd 1.7
 * builds it: the Spec types and their exact JSON form, containerd's default Linux spec (capabilities,
 * mounts, namespaces, masked and read-only paths) and the SpecOpts that turn an image config and run
 * options into a container's spec (args from Entrypoint + Cmd, env, cwd, user, hostname, memory, CPU and
 * pids limits, cgroupsPath, namespaces, mounts).
 *
 * Left out: seccomp profiles (containerd's and Docker's default seccomp is not emulated, so no spec carries
 * one), hooks, AppArmor and SELinux labels, devices beyond the default deny rule, hugepage, blkio, rdma and
 * network resources, Windows/Solaris/VM sections.
 */
export { cgroupMount, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_UNIX_CAPS, DEFAULT_UNIX_ENV, defaultMounts, populateDefaultUnixSpec } from './defaultSpec.ts';
export {
  cloneSpec, marshalSpec, OCI_VERSION, type Linux, type LinuxCapabilities, type LinuxCPU, type LinuxDeviceCgroup, type LinuxIDMapping, type LinuxMemory, type LinuxNamespace,
  type LinuxNamespaceType, type LinuxPids, type LinuxResources, type Mount, type POSIXRlimit, type Process, type Root, type Spec, type User,
} from './spec.ts';
export * from './specOpts.ts';
