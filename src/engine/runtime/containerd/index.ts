/**
 * containerd — the containerd 1.7 daemon of a node with a `ctr`-shaped API: namespaces, images (pull into
 * the namespace's image store, unpack into the overlayfs snapshotter), containers, tasks (a shim and runc
 * per task: create, start, kill, wait, delete, exec, pids, metrics from the cgroup, pause/resume) and the
 * event exchange (`/tasks/exit`…). The CRI plugin and dockerd are built on it elsewhere.
 *
 * Runtimes are registered by name (`registerRuntime`, with the TaskService their shims serve): runc's is
 * built in, runtime/kata and runtime/runsc install io.containerd.kata.v2 and io.containerd.runsc.v1; a
 * runtime whose shim binary is not installed fails as containerd does.
 *
 * Left out: the gRPC API, leases and snapshot GC, content ingestion other than pulls, checkpoints, and
 * runtime options from containerd's config.
 */
export {
  CONTAINERD_ADDRESS, CONTAINERD_BINARY, Containerd, RUNC_BINARY, RUNC_V2, TASK_ROOT_DIR, TASK_STATE_DIR, type Container, type ContainerdOptions, type Envelope,
  type NewContainerOptions,
} from './containerd.ts';
export { ContainerdError } from './containerdError.ts';
export { Task, type Metrics } from './task.ts';
export type { RuntimeV2, TaskService } from './taskService.ts';
