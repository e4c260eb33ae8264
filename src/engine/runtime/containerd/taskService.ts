/**
 * TaskService — the task API of a runtime v2 shim as containerd dials it over the shim's ttrpc socket
 * (containerd/api/runtime/task/v2): whatever the runtime (runc, Kata, gVisor), containerd creates, starts,
 * signals, waits for and deletes a container's task through these calls, and learns of exits through
 * `onDidExit`. Errors are ShimErrors in the shim's words.
 */
import type { Event } from '../../base/emitter.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { Process as SpecProcess } from '../oci/spec.ts';
import type { CgroupStats } from '../runc/cgroupManager.ts';
import type { TaskExit, TaskIO, TaskState } from '../shim/shim.ts';
import type { Mount } from '../snapshots/mount.ts';

export interface TaskService {
  /** The container id. */
  readonly id: string;
  /** The containerd namespace. */
  readonly namespace: string;
  /** The long-lived shim process on the node. */
  readonly process: Process;
  /** Fires when the init or an exec'd process has exited. */
  readonly onDidExit: Event<TaskExit>;
  /** Create: mount the rootfs and make the container's init, waiting to start; returns the task's pid. */
  create(rootfs: readonly Mount[], io?: TaskIO): number;
  /** Start the init. */
  start(): void;
  /** Send `signal` to the init, every process (`all`), or an exec'd process. */
  kill(signal: number, options?: { all?: boolean; execId?: string }): void;
  /** Delete the stopped task; its exit. */
  delete(): TaskExit;
  /** Run `process` in the container; returns its pid. */
  exec(execId: string, process: SpecProcess, io?: TaskIO): number;
  /** ResizePty: a new window size for the terminal of the init (or of an exec'd process); runtimes without terminals have none. */
  resizePty?(cols: number, rows: number, execId?: string): void;
  /** The task's (or an exec's) state. */
  state(execId?: string): TaskState;
  /** The task's pids. */
  pids(): number[];
  /** Resource usage from the task's cgroup on the node. */
  stats(): CgroupStats;
  /** Pause the task. */
  pause(): void;
  /** Resume the task. */
  resume(): void;
  /** The shim exits (after delete). */
  shutdown(): void;
}

/**
 * A runtime v2 containerd knows by name (`io.containerd.kata.v2`): how it reaches the shim a `start`
 * left listening for a container, and forgets it after shutdown.
 */
export interface RuntimeV2 {
  /** Dial the shim of container `id` in `namespace`, if it is listening. */
  connect(namespace: string, id: string): TaskService | undefined;
  /** Hang up on a shim that has shut down. */
  disconnect(service: TaskService): void;
}
