/**
 * Container — one of dockerd's containers (moby's container.Container with its State): its config and
 * host config, its state machine (created → running → exited, restarting in between when a policy says
 * so, removal in progress), the files docker keeps for it under /var/lib/docker/containers/<id>/, and the
 * texts `docker ps` prints for its state (`Up 5 minutes`, `Exited (137) 2 seconds ago`,
 * `Restarting (1) Less than a second ago`, `Created`).
 */
import type { Cgroup } from '../../kernel/cgroup/cgroup.ts';
import type { Task } from '../containerd/task.ts';
import type { Digest } from '../image/digest.ts';
import { rfc3339Nano } from '../runc/state.ts';
import type { ContainerConfig, ContainerStateJSON, HostConfig, MountPoint } from './engineApi.ts';
import type { JSONFileLogger } from './jsonFileLogger.ts';
import type { Endpoint } from './networkStore.ts';
import type { RestartManager } from './restartManager.ts';
import { humanDuration } from './units/duration.ts';

/** Where docker keeps containers. */
export const CONTAINERS_ROOT = '/var/lib/docker/containers';

/** Go's zero time as docker prints it. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A container's state (container.State). */
export class State {
  running = false;
  paused = false;
  restarting = false;
  oomKilled = false;
  removalInProgress = false;
  dead = false;
  pid = 0;
  exitCode = 0;
  error = '';
  /** Virtual ms; 0 when never. */
  startedAt = 0;
  /** Virtual ms; 0 when never. */
  finishedAt = 0;

  /** StateString: `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`. */
  get status(): string {
    if (this.running) {
      if (this.paused) return 'paused';
      if (this.restarting) return 'restarting';
      return 'running';
    }
    if (this.removalInProgress) return 'removing';
    if (this.dead) return 'dead';
    if (this.startedAt === 0) return 'created';
    return 'exited';
  }

  /** String(): the STATUS column of `docker ps`. */
  describe(now: number): string {
    if (this.running) {
      if (this.paused) return `Up ${humanDuration(now - this.startedAt)} (Paused)`;
      if (this.restarting) return `Restarting (${this.exitCode}) ${humanDuration(now - this.finishedAt)} ago`;
      return `Up ${humanDuration(now - this.startedAt)}`;
    }
    if (this.removalInProgress) return 'Removal In Progress';
    if (this.dead) return 'Dead';
    if (this.startedAt === 0) return 'Created';
    if (this.finishedAt === 0) return '';
    return `Exited (${this.exitCode}) ${humanDuration(now - this.finishedAt)} ago`;
  }

  /** types.ContainerState. */
  toJSON(): ContainerStateJSON {
    return {
      Status: this.status,
      Running: this.running,
      Paused: this.paused,
      Restarting: this.restarting,
      OOMKilled: this.oomKilled,
      Dead: this.dead,
      Pid: this.pid,
      ExitCode: this.exitCode,
      Error: this.error,
      StartedAt: this.startedAt ? rfc3339Nano(this.startedAt) : ZERO_TIME,
      FinishedAt: this.finishedAt ? rfc3339Nano(this.finishedAt) : ZERO_TIME,
    };
  }
}

/** A volume or bind mount of a container, with what dockerd needs to undo it. */
export interface ContainerMount extends MountPoint {
  /** Whether the volume was created for this container (`-v /data`): removed with `--rm` and `rm -v`. */
  anonymous?: boolean;
}

/** One container. */
export class Container {
  /** `/name`. */
  name: string;
  /** The state. */
  readonly state = new State();
  /** Restarts and their backoff. */
  restartManager: RestartManager;
  /** The user stopped or killed it: no restart policy applies. */
  hasBeenManuallyStopped = false;
  /** The running task. */
  task: Task | undefined;
  /** The init's cgroup while it runs (its memory.events tell an OOM kill). */
  cgroup: Cgroup | undefined;
  /** oom_kill of the cgroup when the task started. */
  oomKillsAtStart = 0;
  /** The pending restart's timer. */
  restartTimer: { cancel(): void } | undefined;
  /** The network endpoint while running. */
  endpoint: Endpoint | undefined;
  /** Exec IDs of processes running in it. */
  readonly execIds = new Set<string>();
  /** Resolves once the running task's stdout and stderr are drained into the log. */
  drained: Promise<void> = Promise.resolve();
  /** Where its rootfs is mounted while it runs (the overlay2 `merged`). */
  baseFs = '';

  constructor(
    /** 64 hex digits. */
    readonly id: string,
    name: string,
    /** Virtual ms. */
    readonly created: number,
    /** The command: the first word of entrypoint + cmd. */
    readonly path: string,
    /** The rest of it. */
    readonly args: string[],
    /** The config. */
    readonly config: ContainerConfig,
    /** The host config. */
    readonly hostConfig: HostConfig,
    /** The image ID. */
    readonly imageId: Digest,
    /** Volume and bind mounts. */
    readonly mounts: ContainerMount[],
    /** Its json-file log. */
    readonly logger: JSONFileLogger,
    restartManager: RestartManager,
  ) {
    this.name = name;
    this.restartManager = restartManager;
  }

  /** The container's directory. */
  get root(): string {
    return `${CONTAINERS_ROOT}/${this.id}`;
  }

  /** The first 12 hex digits. */
  get shortId(): string {
    return this.id.slice(0, 12);
  }
}
