/**
 * Shim — containerd-shim-runc-v2 for one container: the task service containerd calls (create, start,
 * kill, delete, exec, pids, state, stats, shutdown) and the process that holds the container.
 *
 * The shim process is a child subreaper. `create` mounts the rootfs mounts containerd hands it on
 * `<bundle>/rootfs`, makes kernel pipes for the container's stdout and stderr (or, when the spec's process
 * asks for a terminal, opens a pty in the container's devpts instance: its slave is the process's stdio
 * and controlling terminal, its master the shim's, which copies the caller's stdin in and the output to the
 * caller's stdout, as the console socket hands runc's console to the shim), and runs `runc --root /run/containerd/runc/<ns> --log
 * <bundle>/log.json --log-format json create --bundle <bundle> --pid-file <bundle>/init.pid <id>` as its
 * child, with the pipes as runc's stdio; runc exits and the container init is reparented to the shim.
 * The shim copies what the container writes to the caller's sinks, reaps the init and the exec'd
 * processes on SIGCHLD, records each exit status and time, and fires task exit events. A failed runc
 * command becomes `OCI runtime <command> failed: <runc's last logged error>: unknown`.
 *
 * Left out: the ttrpc socket (containerd holds this object instead), stdin closing (CloseIO), checkpoints, OOM events from memory.events, and grouping several containers in one shim.
 */
import { Emitter, type Event } from '../../base/emitter.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { ProgramContext } from '../../kernel/process/program.ts';
import { SIGCHLD } from '../../kernel/process/signal.ts';
import { NULL_STDIO, Pipe, type Sink, type Source, type Stdio } from '../../kernel/process/stdio.ts';
import { Devpts } from '../../kernel/tty/devpts.ts';
import type { Pty } from '../../kernel/tty/pty.ts';
import { WEXITSTATUS, WIFEXITED, WNOHANG, WTERMSIG } from '../../kernel/process/waitStatus.ts';
import { marshal } from '../image/marshal.ts';
import type { Process as SpecProcess, Spec } from '../oci/spec.ts';
import { CgroupManager, cgroupConfig, type CgroupStats } from '../runc/cgroupManager.ts';
import type { ContainerState } from '../runc/state.ts';
import { mountAll, unmountAll, type Mount } from '../snapshots/mount.ts';

/** Where a task's process reads and writes: the caller's source and sinks (through a pty with `terminal`). */
export interface TaskIO {
  /** Receives what the process writes to stdout (everything it writes, for a terminal). */
  stdout?: Sink;
  /** Receives what the process writes to stderr. */
  stderr?: Sink;
  /** Standard input (the keys typed, for a terminal). */
  stdin?: Source;
  /** A terminal's size in characters when the process starts (ConsoleSize). */
  consoleSize?: { cols: number; rows: number };
  /** Told once stdout and stderr have been copied to the end (the process exited and the pipes drained). */
  onDidDrain?: () => void;
}

/** A task (or exec) exit, as containerd's TaskExit event carries it. */
export interface TaskExit {
  /** The container id. */
  containerId: string;
  /** The exec id; the container id for the init. */
  id: string;
  /** Host pid of the process that exited. */
  pid: number;
  /** The exit status (128 + signal when killed). */
  exitStatus: number;
  /** Virtual time of the exit. */
  exitedAt: number;
}

/** A task's status, as containerd's task service reports it. */
export type TaskStatus = 'created' | 'running' | 'stopped' | 'paused';

/** The task's state (StateResponse). */
export interface TaskState {
  /** Container id. */
  id: string;
  /** Host pid of the init (0 before create). */
  pid: number;
  /** Status. */
  status: TaskStatus;
  /** Exit status once stopped. */
  exitStatus: number;
  /** Exit time once stopped. */
  exitedAt: number | undefined;
}

/** An error a shim call returns, in the shim's words (containerd adds its own prefix). */
export class ShimError extends Error {
  override name = 'ShimError';

  constructor(
    message: string,
    /** The gRPC code containerd maps it to. */
    readonly code: 'unknown' | 'not found' | 'failed precondition' | 'already exists' = 'unknown',
  ) {
    super(message);
  }
}

/** How a shim is made (by ShimProgram in its daemon process). */
export interface ShimOptions {
  /** The node. */
  host: Host;
  /** The shim process's system calls. */
  sys: ProgramContext;
  /** The containerd namespace. */
  namespace: string;
  /** The container id. */
  id: string;
  /** The bundle directory. */
  bundle: string;
  /** runc's --systemd-cgroup. */
  systemdCgroup: boolean;
}

interface ProcessRecord {
  pid: number;
  exitStatus: number;
  exitedAt: number | undefined;
  pipes: Pipe[];
  /** The console, for a process with a terminal: hung up when it exits. */
  pty?: Pty;
  /** Told once the output has all been copied (for a terminal: at the exit). */
  drained?: () => void;
}

export class Shim {
  /** The container id. */
  readonly id: string;
  /** The containerd namespace. */
  readonly namespace: string;
  /** The bundle directory. */
  readonly bundle: string;
  private readonly host: Host;
  private readonly sys: ProgramContext;
  private readonly systemdCgroup: boolean;
  private readonly exits = new Map<number, number>();
  private readonly execs = new Map<string, ProcessRecord>();
  private init: ProcessRecord | undefined;
  /** The container's devpts (its `newinstance` /dev/pts): its consoles are pts/0, pts/1… */
  private readonly devpts: Devpts;
  private readonly _onDidExit = new Emitter<TaskExit>();
  /** Fires when the init or an exec'd process has exited and been reaped. */
  readonly onDidExit: Event<TaskExit> = this._onDidExit.event;

  constructor(options: ShimOptions) {
    this.host = options.host;
    this.sys = options.sys;
    this.id = options.id;
    this.namespace = options.namespace;
    this.bundle = options.bundle;
    this.systemdCgroup = options.systemdCgroup;
    this.devpts = new Devpts(options.host.table);
    this.sys.setChildSubreaper(true);
    this.sys.sigaction(SIGCHLD, () => this.reap());
  }

  /** The shim's process. */
  get process(): Process {
    return this.sys.process;
  }

  /** runc's --root for this namespace. */
  get runcRoot(): string {
    return `/run/containerd/runc/${this.namespace}`;
  }

  /** Create: mount the rootfs, wire the stdio and run `runc create`; returns the init's host pid. */
  create(rootfs: readonly Mount[], io: TaskIO = {}): number {
    if (this.init) throw new ShimError(`container ${this.id}: already exists`, 'already exists');
    const vfs = this.host.vfsFor(this.process);
    if (rootfs.length > 0) mountAll(vfs, rootfs, `${this.bundle}/rootfs`);
    const spec = JSON.parse(vfs.readFile(`${this.bundle}/config.json`)) as Spec;
    const { stdio, pipes, pty } = this.wire(io, spec.process?.terminal ?? false);
    try {
      this.runc(['create', '--bundle', this.bundle, '--pid-file', `${this.bundle}/init.pid`, this.id], 'create', stdio);
    } catch (error) {
      for (const pipe of pipes) pipe.close();
      pty?.hangup();
      if (rootfs.length > 0) unmountAll(vfs, `${this.bundle}/rootfs`);
      throw error;
    }
    const pid = Number(vfs.readFile(`${this.bundle}/init.pid`));
    this.init = { pid, exitStatus: 0, exitedAt: undefined, pipes, pty, drained: io.onDidDrain };
    if (pty) this.takeConsole(pid, pty);
    return pid;
  }

  /** Start the init (`runc start`). */
  start(): void {
    this.requireInit();
    this.runc(['start', this.id], 'start');
  }

  /** Kill: `runc kill [--all] <id> <signal>`, or the exec'd process `execId`. */
  kill(signal: number, options: { all?: boolean; execId?: string } = {}): void {
    const init = this.requireInit();
    if (options.execId) {
      const exec = this.execs.get(options.execId);
      if (!exec) throw new ShimError(`process ${options.execId} does not exist ${this.id}`, 'not found');
      if (exec.exitedAt !== undefined) throw new ShimError('process already finished', 'not found');
      this.host.table.kill(this.process, exec.pid, signal);
      return;
    }
    if (init.exitedAt !== undefined) throw new ShimError('process already finished', 'not found');
    this.runc(['kill', ...(options.all ? ['--all'] : []), this.id, String(signal)], 'kill');
  }

  /** Delete the stopped task (`runc delete`, unmount the rootfs); its pid, exit status and time. */
  delete(): TaskExit {
    const init = this.requireInit();
    if (init.exitedAt === undefined) {
      const status = this.state().status;
      throw new ShimError(`cannot delete container ${this.id} that is not stopped: ${status}`, 'failed precondition');
    }
    this.runc(['delete', this.id], 'delete');
    const vfs = this.host.vfsFor(this.process);
    unmountAll(vfs, `${this.bundle}/rootfs`);
    return { containerId: this.id, id: this.id, pid: init.pid, exitStatus: init.exitStatus, exitedAt: init.exitedAt };
  }

  /** Exec: run `process` in the container (`runc exec --process … --detach`); returns its host pid. */
  exec(execId: string, process: SpecProcess, io: TaskIO = {}): number {
    this.requireInit();
    if (this.execs.has(execId)) throw new ShimError(`id ${execId}: already exists`, 'already exists');
    const vfs = this.host.vfsFor(this.process);
    const processFile = `${this.bundle}/.${execId}.json`;
    vfs.writeFile(processFile, marshal(process), { mode: 0o600 });
    const { stdio, pipes, pty } = this.wire(io, process.terminal ?? false);
    try {
      this.runc(['exec', '--process', processFile, '--detach', '--pid-file', `${this.bundle}/${execId}.pid`, this.id], 'exec', stdio);
    } catch (error) {
      for (const pipe of pipes) pipe.close();
      pty?.hangup();
      throw error;
    } finally {
      vfs.unlink(processFile);
    }
    const pid = Number(vfs.readFile(`${this.bundle}/${execId}.pid`));
    const record: ProcessRecord = { pid, exitStatus: 0, exitedAt: undefined, pipes, pty, drained: io.onDidDrain };
    if (pty) this.takeConsole(pid, pty);
    this.execs.set(execId, record);
    const status = this.exits.get(pid);
    if (status !== undefined) this.exited(execId, record, status);
    return pid;
  }

  /** ResizePty: the console of the init (or of exec `execId`) gets a new window size. */
  resizePty(cols: number, rows: number, execId?: string): void {
    const record = execId ? this.execs.get(execId) : this.requireInit();
    if (!record) throw new ShimError(`process ${execId} does not exist ${this.id}`, 'not found');
    if (!record.pty) throw new ShimError('tty not found', 'not found');
    record.pty.resize(cols, rows);
  }

  /** The task's state. */
  state(execId?: string): TaskState {
    const record = execId ? this.execs.get(execId) : this.init;
    if (!record) return { id: execId ?? this.id, pid: 0, status: 'stopped', exitStatus: 0, exitedAt: undefined };
    let status: TaskStatus = 'stopped';
    if (record.exitedAt === undefined) {
      if (execId) status = 'running';
      else {
        const vfs = this.host.vfsFor(this.process);
        const dir = `${this.runcRoot}/${this.id}`;
        status = exists(() => vfs.lstat(`${dir}/exec.fifo`)) ? 'created' : this.cgroup()?.frozen() ? 'paused' : 'running';
      }
    }
    return { id: execId ?? this.id, pid: record.pid, status, exitStatus: record.exitStatus, exitedAt: record.exitedAt };
  }

  /** The pids of the container (`runc ps`'s list, read from its cgroup). */
  pids(): number[] {
    return this.cgroup()?.getPids() ?? [];
  }

  /** Resource usage from the container's cgroup (the shim's Stats). */
  stats(): CgroupStats {
    const cgroup = this.cgroup();
    if (!cgroup) throw new ShimError(`container ${this.id}: not found`, 'not found');
    return cgroup.stats();
  }

  /** Pause (`runc pause`). */
  pause(): void {
    this.requireInit();
    this.runc(['pause', this.id], 'pause');
  }

  /** Resume (`runc resume`). */
  resume(): void {
    this.requireInit();
    this.runc(['resume', this.id], 'resume');
  }

  /** Shutdown: the shim process exits (after delete). */
  shutdown(): void {
    if (!this.process.exitState) this.sys.exit(0);
  }

  private requireInit(): ProcessRecord {
    if (!this.init) throw new ShimError(`container must be created: not found`, 'not found');
    return this.init;
  }

  private cgroup(): CgroupManager | undefined {
    const vfs = this.host.vfsFor(this.process);
    let state: ContainerState;
    try {
      state = JSON.parse(vfs.readFile(`${this.runcRoot}/${this.id}/state.json`)) as ContainerState;
    } catch (error) {
      if (error instanceof KernelError) return undefined;
      throw error;
    }
    const c = state.config.cgroups;
    const path = c.systemd ? cgroupConfig(`${c.parent}:${c.scope_prefix}:${c.name}`, true, this.id).path : c.path;
    return new CgroupManager(vfs, CgroupManager.detectVersion(vfs), path);
  }

  /**
   * The stdio a process gets: a new pty's slave (keys from the caller's stdin go in at the master, and
   * all it prints goes to the caller's stdout), or pipes whose read ends are copied to the caller's sinks.
   */
  private wire(io: TaskIO, terminal: boolean): { stdio: Stdio; pipes: Pipe[]; pty?: Pty } {
    if (terminal) {
      const pty = this.devpts.openpt();
      if (io.consoleSize) pty.resize(io.consoleSize.cols, io.consoleSize.rows);
      pty.onDidOutput((text) => io.stdout?.write(text));
      if (io.stdin) void feed(io.stdin, pty);
      return { stdio: pty.slave, pipes: [], pty };
    }
    const stdout = new Pipe();
    const stderr = new Pipe();
    void Promise.all([copy(stdout.source, io.stdout), copy(stderr.source, io.stderr)]).then(() => io.onDidDrain?.());
    return { stdio: { stdin: io.stdin ?? NULL_STDIO.stdin, stdout: stdout.sink, stderr: stderr.sink }, pipes: [stdout, stderr] };
  }

  /**
   * The console becomes the process's controlling terminal in a session of its own, as runc's init does
   * (setsid, then TIOCSCTTY on the console) before it execs the container's process.
   */
  private takeConsole(pid: number, pty: Pty): void {
    const process = this.host.table.find(pid);
    if (!process || process.exitState !== undefined) return;
    if (process.session !== process.pid) this.host.table.setsid(process);
    pty.setControllingTerminal(process);
  }

  /** Run runc as the shim's child (go-runc); a failure becomes `OCI runtime <command> failed: …`. */
  private runc(args: string[], command: string, stdio: Stdio = NULL_STDIO): void {
    const logFile = `${this.bundle}/log.json`;
    const argv = ['runc', '--root', this.runcRoot, '--log', logFile, '--log-format', 'json', ...(this.systemdCgroup ? ['--systemd-cgroup'] : []), ...args];
    const runc = this.host.spawn(argv, { parent: this.process, cwd: this.bundle, stdio, env: this.process.environ });
    const status = this.exits.get(runc.hostPid);
    this.exits.delete(runc.hostPid);
    if (status === undefined || (WIFEXITED(status) && WEXITSTATUS(status) === 0)) return;
    const vfs = this.host.vfsFor(this.process);
    const lines = exists(() => vfs.readFile(logFile)) ? vfs.readFile(logFile).split('\n').filter(Boolean) : [];
    const last = lines.map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => l.level === 'error').at(-1);
    throw new ShimError(`OCI runtime ${command} failed: ${last?.msg ?? `runc did not terminate successfully: exit status ${WEXITSTATUS(status)}`}: unknown`);
  }

  /** SIGCHLD: reap every exited child; record the init's and execs' exits. */
  private reap(): void {
    for (;;) {
      let result;
      try {
        result = this.sys.waitpid(-1, WNOHANG);
      } catch (error) {
        if (error instanceof KernelError && error.code === 'ECHILD') return;
        throw error;
      }
      if (!result) return;
      const pid = result.pid;
      if (this.init && this.init.pid === pid && this.init.exitedAt === undefined) {
        this.exited(this.id, this.init, result.status);
        continue;
      }
      const exec = [...this.execs.entries()].find(([, r]) => r.pid === pid && r.exitedAt === undefined);
      if (exec) this.exited(exec[0], exec[1], result.status);
      else this.exits.set(pid, result.status);
    }
  }

  private exited(id: string, record: ProcessRecord, status: number): void {
    record.exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    record.exitedAt = this.sys.now();
    for (const pipe of record.pipes) pipe.close();
    if (record.pty) {
      // The console's output reaches the caller as it is written: all of it is there by now.
      record.pty.hangup();
      record.drained?.();
    }
    this._onDidExit.fire({ containerId: this.id, id, pid: record.pid, exitStatus: record.exitStatus, exitedAt: record.exitedAt });
  }
}

/** Copy a pipe's read end to a sink until end of file (the shim's io.Copy). */
async function copy(source: Source, sink: Sink | undefined): Promise<void> {
  for (;;) {
    const chunk = await source.read();
    if (chunk === undefined) return;
    sink?.write(chunk);
  }
}

/** Copy the caller's stdin to the console's master until it ends (a terminal's keys). */
async function feed(source: Source, pty: Pty): Promise<void> {
  for (let chunk = await source.read(); chunk !== undefined && !pty.hungUp; chunk = await source.read()) pty.write(chunk);
}

function exists(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (error instanceof KernelError) return false;
    throw error;
  }
}
