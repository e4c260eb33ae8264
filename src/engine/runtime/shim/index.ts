/**
 * shim — containerd-shim-runc-v2: one long-lived, child-subreaping shim process per container that runs
 * runc, holds the container's stdio (kernel pipes copied to the caller's sinks, or a pty's master for a
 * process with a terminal, resized through ResizePty), reaps the
 * init and exec'd processes, records their exit status and time, and reports task exits.
 *
 * Left out: the ttrpc socket and protocol (ShimRegistry stands for dialling it), CloseIO, OOM events, checkpoints, grouping pod containers under one shim, and the Kata and gVisor shims.
 */
export { Shim, ShimError, type ShimOptions, type TaskExit, type TaskIO, type TaskState, type TaskStatus } from './shim.ts';
export { ShimProgram, ShimRegistry, shimAddress } from './shimProgram.ts';
