/**
 * runsc — gVisor as containerd's `io.containerd.runsc.v1` runtime on a node: the containerd-shim-runsc-v1
 * shim with `runsc-gofer` and `runsc-sandbox` beside it in the container's cgroup, and the sentry, a
 * user-space kernel of its own (uname 4.4.0, gVisor's /proc/version and dmesg lines, a /proc limited to
 * what gVisor implements) in which the container's processes run, its root and each bind mount the gofer's
 * 9p shares. Built on ../sandbox's SandboxShim and SharedFs.
 *
 * Left out: gVisor's syscall table and netstack, platforms, several containers per sandbox, directfs,
 * and `runsc` as a command line.
 */
export { RUNSC_SHIM_BINARY, RUNSC_V1, installRunsc } from './installRunsc.ts';
export { RunscProcess, SENTRY_BOOT_RSS_KB } from './runsc.ts';
export { RUNSC_BINARY, RunscShim, type RunscConfig } from './runscShim.ts';
export { GVISOR_MESSAGES, GVISOR_RELEASE, GVISOR_VERSION, bootSentry, gvisorBootLog } from './sentry.ts';
