/**
 * sandbox — what the sandboxed runtimes (../kata, ../runsc) share: SandboxShim (a runtime v2 task service
 * whose container runs on a sandbox kernel of its own, created there by the sandbox's agent), SharedFs (a
 * file system of the sandbox kernel served by a node process: virtio-fs, gofer's 9P) and ShimSockets (the
 * shim binary's start protocol: one shim process per sandbox, found again by its socket address).
 */
export { SandboxInit, SandboxShim, haltKernel, isSharedMount, type Sandbox, type SandboxShimOptions } from './sandboxShim.ts';
export { FUSE_SUPER_MAGIC, SharedFs, SharedInode, V9FS_MAGIC, type FileServer, type SharedFsOptions } from './sharedFs.ts';
export { SandboxShimProgram, ShimSockets } from './shimSockets.ts';
