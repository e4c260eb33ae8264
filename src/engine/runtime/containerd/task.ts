/**
 * Task — a container's running instance as containerd's client.Task presents it: start, kill, wait,
 * delete, exec, pids, metrics and state, each a call to the container's shim. Events go out on the
 * daemon's exchange (`/tasks/start`, `/tasks/exec-added`, `/tasks/exec-started`, `/tasks/delete`; the
 * shim's exits become `/tasks/exit`).
 */
import type { Process as SpecProcess } from '../oci/spec.ts';
import type { CgroupStats } from '../runc/cgroupManager.ts';
import { ShimError, type TaskExit, type TaskIO, type TaskState } from '../shim/shim.ts';
import type { Container, Containerd } from './containerd.ts';
import { ContainerdError } from './containerdError.ts';
import type { TaskService } from './taskService.ts';

/** containerd's cgroup metrics of a task (the parts kubelet and `ctr t metrics` read). */
export interface Metrics {
  /** The container id. */
  id: string;
  /** When they were read. */
  timestamp: number;
  /** The cgroup's numbers. */
  cgroup: CgroupStats;
}

export class Task {
  /** The init's host pid. */
  pid = 0;
  private starting: TaskExit[] | undefined;

  constructor(
    private readonly daemon: Containerd,
    /** The namespace. */
    readonly namespace: string,
    /** The container. */
    readonly container: Container,
    /** The shim serving it. */
    readonly shim: TaskService,
  ) {}

  /** The container id. */
  get id(): string {
    return this.container.id;
  }

  /** Start the init. */
  start(): void {
    const early: TaskExit[] = [];
    this.starting = early;
    try {
      this.call(() => this.shim.start());
    } finally {
      this.starting = undefined;
    }
    this.daemon.publish(this.namespace, '/tasks/start', { container_id: this.id, pid: this.pid });
    for (const exit of early) this.publishExit(exit);
  }

  /** Publish `/tasks/exit` for a shim's exit (after `/tasks/start` when the process exited while starting). */
  shimExited(exit: TaskExit): void {
    if (this.starting) this.starting.push(exit);
    else this.publishExit(exit);
  }

  private publishExit(exit: TaskExit): void {
    this.daemon.publish(this.namespace, '/tasks/exit', { container_id: exit.containerId, id: exit.id, pid: exit.pid, exit_status: exit.exitStatus, exited_at: exit.exitedAt });
  }

  /** Send `signal` to the init, every process (`all`), or an exec'd process. */
  kill(signal: number, options: { all?: boolean; execId?: string } = {}): void {
    this.call(() => this.shim.kill(signal, options));
  }

  /** Resolves with the init's exit (at once when it has exited). */
  wait(execId?: string): Promise<TaskExit> {
    const state = this.shim.state(execId);
    if (state.exitedAt !== undefined) {
      return Promise.resolve({ containerId: this.id, id: execId ?? this.id, pid: state.pid, exitStatus: state.exitStatus, exitedAt: state.exitedAt });
    }
    return new Promise((resolve) => {
      const subscription = this.shim.onDidExit((exit) => {
        if (exit.id !== (execId ?? this.id)) return;
        subscription.dispose();
        resolve(exit);
      });
    });
  }

  /** Delete the stopped task: its exit, the bundle removed, the shim shut down. */
  delete(): TaskExit {
    const exit = this.call(() => this.shim.delete());
    this.shim.shutdown();
    this.daemon.disconnectShim(this.container.runtime, this.shim);
    this.daemon.taskDeleted(this);
    this.daemon.publish(this.namespace, '/tasks/delete', { container_id: this.id, pid: exit.pid, exit_status: exit.exitStatus, exited_at: exit.exitedAt });
    return exit;
  }

  /** Exec a process in the container (Exec then Start); its pid as the shim reports it. */
  exec(execId: string, process: SpecProcess, io: TaskIO = {}): number {
    this.daemon.publish(this.namespace, '/tasks/exec-added', { container_id: this.id, exec_id: execId });
    const pid = this.call(() => this.shim.exec(execId, process, io));
    this.daemon.publish(this.namespace, '/tasks/exec-started', { container_id: this.id, exec_id: execId, pid });
    return pid;
  }

  /** Resize the terminal of the init (or of exec `execId`): containerd's Task.Resize / Process.Resize. */
  resize(cols: number, rows: number, execId?: string): void {
    const shim = this.shim;
    if (!shim.resizePty) throw new ContainerdError('resize: not implemented', 'unknown');
    this.call(() => shim.resizePty!(cols, rows, execId));
  }

  /** The container's pids, as the shim reports them (host pids for runc). */
  pids(): number[] {
    return this.shim.pids();
  }

  /** The task's state. */
  state(execId?: string): TaskState {
    return this.shim.state(execId);
  }

  /** The cgroup's metrics. */
  metrics(): Metrics {
    return { id: this.id, timestamp: this.daemon.host.clock.now(), cgroup: this.call(() => this.shim.stats()) };
  }

  /** Pause the task. */
  pause(): void {
    this.call(() => this.shim.pause());
    this.daemon.publish(this.namespace, '/tasks/paused', { container_id: this.id });
  }

  /** Resume the task. */
  resume(): void {
    this.call(() => this.shim.resume());
    this.daemon.publish(this.namespace, '/tasks/resumed', { container_id: this.id });
  }

  private call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ShimError) throw new ContainerdError(error.message, error.code);
      throw error;
    }
  }
}
