/**
 * SandboxShim — what containerd-shim-kata-v2 and containerd-shim-runsc-v1 share: a runtime v2 task
 * service whose container runs not on the node's kernel but on a sandbox kernel of its own (a Kata guest
 * VM's kernel, gVisor's sentry). `create` mounts the rootfs containerd hands it on `<bundle>/rootfs`, has
 * the runtime start its sandbox (the node processes, the sandbox kernel, the rootfs shared into it), then
 * has the sandbox's agent — the process of that kernel that makes, parents and reaps containers
 * (kata-agent; the sentry's loader) — create the container with libcontainer's logic (Runc over the sandbox
 * kernel: namespaces, cgroup, pivot_root into the shared rootfs), its stdio on pipes the shim copies to
 * the caller's sinks. The spec's bind mounts name node paths the sandbox kernel cannot see: the runtime
 * shares each source into the sandbox (Kata through the shared directory, gVisor's gofer as a mount of
 * its own) and the agent's spec names where the sandbox sees it, so writes through them reach the node's
 * file. The container's processes exist only in the sandbox kernel's process table; the task
 * pid containerd gets is the sandbox's process on the node (qemu, runsc-sandbox), as both shims report.
 * `delete` stops the sandbox: its node processes exit, the shim reaps them, the node cgroup goes.
 *
 * Left out: terminals, several containers in one sandbox (pods), OOM events, and checkpoints.
 */
import { Emitter, type Event } from '../../base/emitter.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { SIGCHLD, SIGKILL } from '../../kernel/process/signal.ts';
import { NULL_STDIO, Pipe, type Sink, type Source, type Stdio } from '../../kernel/process/stdio.ts';
import { WEXITSTATUS, WIFEXITED, WNOHANG, WTERMSIG } from '../../kernel/process/waitStatus.ts';
import type { TaskService } from '../containerd/taskService.ts';
import type { Mount as SpecMount, Process as SpecProcess, Spec } from '../oci/spec.ts';
import { marshalSpec } from '../oci/spec.ts';
import { CgroupManager, type CgroupStats } from '../runc/cgroupManager.ts';
import { Runc, type RuncGlobalOptions } from '../runc/runc.ts';
import { RuncError } from '../runc/runcError.ts';
import { ShimError, type TaskExit, type TaskIO, type TaskState, type TaskStatus } from '../shim/shim.ts';
import { mountAll, unmountAll, type Mount } from '../snapshots/mount.ts';

/** A started sandbox, as the runtime hands it to the shim. */
export interface Sandbox {
  /** The sandbox's kernel. */
  readonly kernel: Host;
  /** The process of that kernel that creates, parents and reaps the containers. */
  readonly agent: Process;
  /** The container's rootfs as the sandbox kernel sees it (the shared directory). */
  readonly rootfs: string;
  /** The node pid containerd reports for the task (qemu's, runsc-sandbox's). */
  readonly pid: number;
  /** The node cgroup (from the hierarchy root) the sandbox's processes are charged to. */
  readonly cgroupPath: string;
  /** The spec's mounts as the agent gets them: each shared bind mount's source is where the sandbox sees it. */
  readonly mounts: readonly SpecMount[];
}

/** How a sandbox shim is made (by its program in the long-lived shim process). */
export interface SandboxShimOptions {
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
}

/** A sandbox's pid 1 that parents the containers: reaps every child and reports each exit status. */
export class SandboxInit implements Program {
  constructor(
    /** Told of each reaped child: its pid in the sandbox kernel and its wait status. */
    private readonly onExit: (pid: number, status: number) => void,
  ) {}

  start(sys: ProgramContext): void {
    sys.setRunState('S');
    sys.sigaction(SIGCHLD, () => {
      for (;;) {
        let result;
        try {
          result = sys.waitpid(-1, WNOHANG);
        } catch (error) {
          if (error instanceof KernelError && error.code === 'ECHILD') return;
          throw error;
        }
        if (!result) return;
        this.onExit(result.pid, result.status);
      }
    });
  }
}

interface ProcessRecord {
  /** The process's pid in the sandbox kernel. */
  guestPid: number;
  exitStatus: number;
  exitedAt: number | undefined;
  pipes: Pipe[];
}

export abstract class SandboxShim implements TaskService {
  /** The container id. */
  readonly id: string;
  /** The containerd namespace. */
  readonly namespace: string;
  /** The bundle directory on the node. */
  readonly bundle: string;
  /** The node. */
  protected readonly host: Host;
  /** The shim process's system calls. */
  protected readonly sys: ProgramContext;
  /** The running sandbox, once created. */
  protected sandbox: Sandbox | undefined;
  private runc: Runc | undefined;
  private init: ProcessRecord | undefined;
  private readonly execs = new Map<string, ProcessRecord>();
  private readonly unclaimed = new Map<number, number>();
  private readonly _onDidExit = new Emitter<TaskExit>();
  /** Fires when the init or an exec'd process has exited and been reaped in the sandbox. */
  readonly onDidExit: Event<TaskExit> = this._onDidExit.event;

  constructor(options: SandboxShimOptions) {
    this.host = options.host;
    this.sys = options.sys;
    this.id = options.id;
    this.namespace = options.namespace;
    this.bundle = options.bundle;
    this.sys.setChildSubreaper(true);
    this.sys.sigaction(SIGCHLD, () => this.reapNodeChildren());
  }

  /** The shim's process. */
  get process(): Process {
    return this.sys.process;
  }

  /** The sandbox's kernel (undefined before create). */
  get kernel(): Host | undefined {
    return this.sandbox?.kernel;
  }

  /** Start the sandbox for `spec`: its node processes, its kernel, the rootfs and bind mounts shared into it. */
  protected abstract startSandbox(spec: Spec): Sandbox;

  /**
   * The container's rootfs on the node: the spec's root path, from the bundle when relative — the
   * `<bundle>/rootfs` the rootfs mounts went on, or the graph driver's merged dir dockerd mounted itself.
   */
  protected nodeRootfs(spec: Spec): string {
    const path = spec.root?.path ?? 'rootfs';
    return path.startsWith('/') ? path : `${this.bundle}/${path}`;
  }

  /** Stop the sandbox: its node processes exit. */
  protected abstract stopSandbox(sandbox: Sandbox): void;

  /** Where the agent keeps container state in the sandbox kernel. */
  protected abstract readonly stateRoot: string;

  /** Where the agent writes the container's bundle in the sandbox kernel. */
  protected abstract readonly guestBundle: string;

  create(rootfs: readonly Mount[], io: TaskIO = {}): number {
    if (this.init) throw new ShimError(`container ${this.id}: already exists`, 'already exists');
    const vfs = this.host.vfsFor(this.process);
    if (rootfs.length > 0) mountAll(vfs, rootfs, `${this.bundle}/rootfs`);
    const spec = JSON.parse(vfs.readFile(`${this.bundle}/config.json`)) as Spec;
    let sandbox: Sandbox;
    try {
      sandbox = this.startSandbox(spec);
    } catch (error) {
      if (rootfs.length > 0) unmountAll(vfs, `${this.bundle}/rootfs`);
      throw error;
    }
    this.sandbox = sandbox;
    this.runc = new Runc(sandbox.kernel);
    const guest = sandbox.kernel.vfsFor(sandbox.agent);
    guest.mkdirAll(this.guestBundle, 0o700);
    guest.writeFile(`${this.guestBundle}/config.json`, marshalSpec(guestSpec(spec, sandbox)), { mode: 0o644 });
    const { stdio, pipes } = wire(io);
    try {
      const pid = this.asAgent(stdio, (runc, g) => runc.create(sandbox.agent, g, this.id, { bundle: this.guestBundle }), 'create');
      this.init = { guestPid: pid, exitStatus: 0, exitedAt: undefined, pipes };
    } catch (error) {
      for (const pipe of pipes) pipe.close();
      this.teardown();
      if (rootfs.length > 0) unmountAll(vfs, `${this.bundle}/rootfs`);
      throw error;
    }
    return sandbox.pid;
  }

  start(): void {
    const { sandbox } = this.requireInit();
    this.asAgent(NULL_STDIO, (runc, g) => runc.start(sandbox.agent, g, this.id), 'start');
  }

  kill(signal: number, options: { all?: boolean; execId?: string } = {}): void {
    const { init, sandbox } = this.requireInit();
    if (options.execId) {
      const exec = this.execs.get(options.execId);
      if (!exec) throw new ShimError(`process ${options.execId} does not exist ${this.id}`, 'not found');
      if (exec.exitedAt !== undefined) throw new ShimError('process already finished', 'not found');
      sandbox.kernel.table.kill(sandbox.agent, exec.guestPid, signal);
      return;
    }
    if (init.exitedAt !== undefined) throw new ShimError('process already finished', 'not found');
    this.asAgent(NULL_STDIO, (runc, g) => runc.kill(sandbox.agent, g, this.id, signal, options.all ?? false), 'kill');
  }

  delete(): TaskExit {
    const { init, sandbox } = this.requireInit();
    if (init.exitedAt === undefined) {
      throw new ShimError(`cannot delete container ${this.id} that is not stopped: ${this.state().status}`, 'failed precondition');
    }
    this.asAgent(NULL_STDIO, (runc, g) => runc.delete(sandbox.agent, g, this.id), 'delete');
    this.teardown();
    unmountAll(this.host.vfsFor(this.process), `${this.bundle}/rootfs`);
    return { containerId: this.id, id: this.id, pid: sandbox.pid, exitStatus: init.exitStatus, exitedAt: init.exitedAt };
  }

  exec(execId: string, process: SpecProcess, io: TaskIO = {}): number {
    const { sandbox } = this.requireInit();
    if (this.execs.has(execId)) throw new ShimError(`id ${execId}: already exists`, 'already exists');
    const { stdio, pipes } = wire(io);
    let child: Process;
    try {
      child = this.asAgent(stdio, (runc, g) => runc.exec(sandbox.agent, g, this.id, process), 'exec');
    } catch (error) {
      for (const pipe of pipes) pipe.close();
      throw error;
    }
    const record: ProcessRecord = { guestPid: child.hostPid, exitStatus: 0, exitedAt: undefined, pipes };
    this.execs.set(execId, record);
    const status = this.unclaimed.get(record.guestPid);
    if (status !== undefined) {
      this.unclaimed.delete(record.guestPid);
      this.exited(execId, record, status);
    }
    return sandbox.pid;
  }

  state(execId?: string): TaskState {
    const record = execId ? this.execs.get(execId) : this.init;
    const pid = this.sandbox?.pid ?? 0;
    if (!record || !this.sandbox) return { id: execId ?? this.id, pid: 0, status: 'stopped', exitStatus: 0, exitedAt: undefined };
    let status: TaskStatus = 'stopped';
    if (record.exitedAt === undefined) {
      const sandbox = this.sandbox;
      status = execId ? 'running' : this.asAgent(NULL_STDIO, (runc, g) => runc.state(sandbox.agent, g, this.id).status, 'state') as TaskStatus;
    }
    return { id: execId ?? this.id, pid, status, exitStatus: record.exitStatus, exitedAt: record.exitedAt };
  }

  pids(): number[] {
    return this.sandbox && this.init?.exitedAt === undefined ? [this.sandbox.pid] : [];
  }

  stats(): CgroupStats {
    if (!this.sandbox) throw new ShimError(`container ${this.id}: not found`, 'not found');
    const vfs = this.host.vfsFor(this.process);
    return new CgroupManager(vfs, CgroupManager.detectVersion(vfs), this.sandbox.cgroupPath).stats();
  }

  pause(): void {
    const { sandbox } = this.requireInit();
    this.asAgent(NULL_STDIO, (runc, g) => runc.pause(sandbox.agent, g, this.id), 'pause');
  }

  resume(): void {
    const { sandbox } = this.requireInit();
    this.asAgent(NULL_STDIO, (runc, g) => runc.resume(sandbox.agent, g, this.id), 'resume');
  }

  shutdown(): void {
    if (!this.process.exitState) this.sys.exit(0);
  }

  /** The agent was told a child exited (its sandbox pid and wait status): record the init's or an exec's exit. */
  protected agentReaped(guestPid: number, status: number): void {
    if (this.init && this.init.guestPid === guestPid && this.init.exitedAt === undefined) {
      this.exited(this.id, this.init, status);
      return;
    }
    const exec = [...this.execs.entries()].find(([, r]) => r.guestPid === guestPid && r.exitedAt === undefined);
    if (exec) this.exited(exec[0], exec[1], status);
    else this.unclaimed.set(guestPid, status);
  }

  private requireInit(): { init: ProcessRecord; sandbox: Sandbox } {
    if (!this.init || !this.sandbox) throw new ShimError('container must be created: not found', 'not found');
    return { init: this.init, sandbox: this.sandbox };
  }

  /** Run a libcontainer call as the agent, whose children get `stdio`; its errors in the runtime's words. */
  private asAgent<T>(stdio: Stdio, fn: (runc: Runc, g: RuncGlobalOptions) => T, command: string): T {
    const agent = this.sandbox!.agent;
    const saved = agent.stdio;
    agent.stdio = stdio;
    try {
      return fn(this.runc!, { root: this.stateRoot });
    } catch (error) {
      if (error instanceof RuncError) throw new ShimError(`OCI runtime ${command} failed: ${error.message}: unknown`);
      throw error;
    } finally {
      agent.stdio = saved;
    }
  }

  private teardown(): void {
    const sandbox = this.sandbox;
    if (!sandbox) return;
    this.stopSandbox(sandbox);
    const vfs = this.host.vfsFor(this.process);
    try {
      new CgroupManager(vfs, CgroupManager.detectVersion(vfs), sandbox.cgroupPath).destroy();
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
  }

  private exited(id: string, record: ProcessRecord, status: number): void {
    record.exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    record.exitedAt = this.sys.now();
    for (const pipe of record.pipes) pipe.close();
    this._onDidExit.fire({ containerId: this.id, id, pid: this.sandbox?.pid ?? 0, exitStatus: record.exitStatus, exitedAt: record.exitedAt });
  }

  /** SIGCHLD on the node: reap the sandbox's node processes once they exit. */
  private reapNodeChildren(): void {
    for (;;) {
      try {
        if (!this.sys.waitpid(-1, WNOHANG)) return;
      } catch (error) {
        if (error instanceof KernelError && error.code === 'ECHILD') return;
        throw error;
      }
    }
  }
}

/**
 * Whether the runtime shares mount `m`'s source from the node into the sandbox: a bind mount whose source
 * is not one of the node's kernel file systems (Kata's isSystemMount, gVisor's IsGoferMount).
 */
export function isSharedMount(m: SpecMount): boolean {
  const bind = m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
  const source = m.source ?? '';
  return bind && !['/proc', '/sys'].some((system) => source === system || source.startsWith(`${system}/`));
}

/** The spec as the agent gets it: the shared rootfs and mounts; namespaces named by node paths are dropped. */
function guestSpec(spec: Spec, sandbox: Sandbox): Spec {
  const linux = spec.linux && { ...spec.linux, namespaces: spec.linux.namespaces?.filter((ns) => !ns.path) };
  return { ...spec, root: { ...spec.root, path: sandbox.rootfs }, mounts: [...sandbox.mounts], ...(linux ? { linux } : {}) };
}

/** The stdio a container process gets: pipes whose read ends are copied to the caller's sinks, who is told when both are drained. */
function wire(io: TaskIO): { stdio: Stdio; pipes: Pipe[] } {
  const stdout = new Pipe();
  const stderr = new Pipe();
  void Promise.all([copy(stdout.source, io.stdout), copy(stderr.source, io.stderr)]).then(() => io.onDidDrain?.());
  return { stdio: { stdin: io.stdin ?? NULL_STDIO.stdin, stdout: stdout.sink, stderr: stderr.sink }, pipes: [stdout, stderr] };
}

/** Copy a pipe's read end to a sink until end of file. */
async function copy(source: Source, sink: Sink | undefined): Promise<void> {
  for (;;) {
    const chunk = await source.read();
    if (chunk === undefined) return;
    sink?.write(chunk);
  }
}

/** Halt a sandbox kernel: every process but its init is killed and its scheduler stops ticking. */
export function haltKernel(kernel: Host): void {
  for (const process of kernel.table.list()) {
    if (process !== kernel.init && process.exitState === undefined && process.parent !== kernel.kthreadd && process !== kernel.kthreadd) {
      kernel.table.signalFromKernel(process, SIGKILL);
    }
  }
  kernel.scheduler.dispose();
}
