/**
 * ProcessTable — a host's processes and the system calls that make, change and end them (kernel/fork.c,
 * exec.c, exit.c, signal.c, nsproxy.c, sys.c): clone/fork with namespace flags, execve, exit, wait,
 * kill and signal delivery, unshare, setns, setsid/setpgid, prctl's child subreaper.
 *
 * Everything runs synchronously on the caller's stack, in virtual time: a signal is delivered when it is
 * sent (a handler runs at once; a blocked one waits for sigprocmask), a process killed by SIGKILL is a
 * zombie when kill() returns. Waiting never blocks: waitpid returns what is ready, waitAsync calls back.
 */
import { Emitter } from '../../base/emitter.ts';
import type { Clock } from '../../base/clock.ts';
import { KernelError } from '../errno.ts';
import {
  CLONE_FILES, CLONE_FS, CLONE_NEW_ALL, CLONE_NEW_FLAG, CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS,
  CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_PARENT, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_VM, CSIGNAL,
} from '../ns/cloneFlags.ts';
import type { Cgroup } from '../cgroup/cgroup.ts';
import type { MountTable } from '../fs/mountTable.ts';
import { CgroupNamespace } from '../ns/cgroupNamespace.ts';
import { IpcNamespace } from '../ns/ipcNamespace.ts';
import { MntNamespace } from '../ns/mntNamespace.ts';
import { NetNamespace } from '../ns/netNamespace.ts';
import type { NsCommon, NsSet } from '../ns/nsCommon.ts';
import { NsProxy, type NsProxyMembers } from '../ns/nsproxy.ts';
import { NsTree } from '../ns/nsTree.ts';
import { PidNamespace } from '../ns/pidNamespace.ts';
import { UserNamespace } from '../ns/userNamespace.ts';
import { UtsNamespace, type Utsname } from '../ns/utsNamespace.ts';
import { CAP, nsCapable } from './capability.ts';
import { credAfterExecve, rootCred, type Cred } from './cred.ts';
import { Pid } from './pid.ts';
import { Process, TASK_COMM_LEN_MAX, type RunState, type SigInfo, type SignalAction, type WaitResult } from './process.ts';
import type { Program, ProgramContext } from './program.ts';
import { defaultAction, isKernelOnly, isStopSignal, isValidSignal, NSIG, SIGCHLD, SIGCONT, SIGKILL, sigmask, sigset } from './signal.ts';
import {
  CONTINUED_STATUS, exitedStatus, signaledStatus, stoppedStatus, WCONTINUED, WEXITSTATUS, WIFEXITED, WNOHANG, WTERMSIG,
  WUNTRACED, WCOREDUMP,
} from './waitStatus.ts';

/** What makes a host's process table. */
export interface ProcessTableOptions {
  /** The host's clock: start times and program timers. */
  clock: Clock;
  /** The host's mount table, held by the initial mount namespace. */
  mounts: MountTable;
  /** The root of the host's cgroup hierarchy: the initial cgroup namespace's root and init's cgroup. */
  rootCgroup: Cgroup;
  /** uname fields of the initial UTS namespace (nodename is the hostname). */
  utsname?: Partial<Utsname>;
  /** The namespace registry (a new one by default). */
  nsTree?: NsTree;
  /** The initial pid namespace's pid_max. */
  pidMax?: number;
  /** When the host booted, ms of virtual time (default: now). */
  bootTime?: number;
  /**
   * cgroup_can_fork/cgroup_post_fork: put a new child into its cgroup before it is attached; a KernelError
   * thrown here (EAGAIN from pids.max) fails the clone and frees the child's pid and namespaces.
   */
  cgroupFork?: (parent: Process, child: Process) => void;
}

/** What the host's init is started with. */
export interface InitSpec {
  /** The program pid 1 runs (systemd, an init the lab provides…). */
  program?: Program;
  /** Its executable path, e.g. "/sbin/init". */
  exe: string;
  /** Its arguments (argv[0] first). */
  argv: readonly string[];
  /** Its environment. */
  env?: readonly string[];
}

/** clone(2)/clone3(2) arguments. */
export interface CloneOptions {
  /** CLONE_* flags, without the exit signal byte (clone3 style). */
  flags?: number;
  /** Signal to the parent when the child dies: SIGCHLD by default, 0 for none. */
  exitSignal?: number;
  /** What the child runs at once (the child side of fork); none leaves it waiting to execve. */
  program?: Program;
  /** CLONE_INTO_CGROUP: the cgroup the child starts in (default: the parent's). */
  cgroup?: Cgroup;
}

/** execve(2) arguments; the caller has resolved `path` to `program`. */
export interface ExecveOptions {
  /** The executable's path: becomes /proc/<pid>/exe, and its base name the comm. */
  path: string;
  /** New arguments. */
  argv: readonly string[];
  /** New environment. */
  env: readonly string[];
  /** What the process runs from now on. */
  program: Program;
  /** The new comm when it is not `path`'s base name (a script's own name while `path` is its interpreter). */
  comm?: string;
}

/** A fork or clone. */
export interface ForkEvent {
  readonly parent: Process;
  readonly child: Process;
  readonly flags: number;
}

/** What a signal did to its target. */
export type SignalOutcome = 'queued' | 'handled' | 'ignored' | 'stopped' | 'continued' | 'killed';

/** A signal sent and what it did. */
export interface SignalEvent {
  readonly target: Process;
  readonly signal: number;
  /** The sending process; undefined when the kernel sent it. */
  readonly sender: Process | undefined;
  readonly outcome: SignalOutcome;
}

/** A process changed namespaces. */
export interface NamespacesEvent {
  readonly process: Process;
  readonly cause: 'unshare' | 'setns';
  /** unshare's flags, or setns' CLONE_NEW* type of the namespace entered. */
  readonly flags: number;
}

const CLONE_KNOWN = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_NEW_ALL;
const UNSHARE_ALLOWED = CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM | CLONE_NEW_ALL;
const NS_FLAGS_BUT_USER = CLONE_NEW_ALL & ~CLONE_NEWUSER;
/** Signals dequeued before others (SYNCHRONOUS_MASK): SEGV, BUS, ILL, TRAP, FPE, SYS. */
const SYNCHRONOUS_MASK = sigset([11, 7, 4, 5, 8, 31]);

interface Waiter {
  readonly pid: number;
  readonly options: number;
  readonly callback: (result: WaitResult) => void;
}

export class ProcessTable {
  /** The host's clock. */
  readonly clock: Clock;
  /** The host's namespace registry and proc inode allocator. */
  readonly nsTree: NsTree;
  /** When the host booted, ms of virtual time. */
  readonly bootTime: number;
  /** The initial namespaces, held for the host's lifetime. */
  readonly initNs: {
    readonly user: UserNamespace;
    readonly pid: PidNamespace;
    readonly uts: UtsNamespace;
    readonly ipc: IpcNamespace;
    readonly net: NetNamespace;
    readonly mnt: MntNamespace;
    readonly cgroup: CgroupNamespace;
  };
  private readonly rootCgroup: Cgroup;
  private readonly cgroupFork: ((parent: Process, child: Process) => void) | undefined;
  private readonly tasks = new Map<Pid, Process>();
  private readonly contexts = new Map<Process, ProcessContext>();
  private readonly waiters = new Map<Process, Waiter[]>();
  /** Inits that died with processes of their namespace still held by outside parents. */
  private readonly exitsAwaitingNs = new Map<PidNamespace, { init: Process; status: number }>();

  private readonly _onDidFork = new Emitter<ForkEvent>();
  /** Fires when clone/fork made a process, before its program starts. */
  readonly onDidFork = this._onDidFork.event;
  private readonly _onDidExec = new Emitter<Process>();
  /** Fires when a process called execve, before its new program starts. */
  readonly onDidExec = this._onDidExec.event;
  private readonly _onDidExit = new Emitter<Process>();
  /** Fires when a process has exited (now a zombie, or about to be reaped at once); see exitStatus. */
  readonly onDidExit = this._onDidExit.event;
  private readonly _onDidReap = new Emitter<Process>();
  /** Fires when a zombie is reaped and its pid freed. */
  readonly onDidReap = this._onDidReap.event;
  private readonly _onDidSignal = new Emitter<SignalEvent>();
  /** Fires for every signal sent to a process, with what it did. */
  readonly onDidSignal = this._onDidSignal.event;
  private readonly _onDidReparent = new Emitter<{ readonly process: Process; readonly from: Process; readonly to: Process }>();
  /** Fires when an orphan gets a new parent (a subreaper or its namespace's init). */
  readonly onDidReparent = this._onDidReparent.event;
  private readonly _onDidChangeNamespaces = new Emitter<NamespacesEvent>();
  /** Fires after unshare or setns changed a process's namespaces. */
  readonly onDidChangeNamespaces = this._onDidChangeNamespaces.event;

  constructor(options: ProcessTableOptions) {
    this.clock = options.clock;
    this.nsTree = options.nsTree ?? new NsTree();
    this.bootTime = options.bootTime ?? options.clock.now();
    this.rootCgroup = options.rootCgroup;
    this.cgroupFork = options.cgroupFork;
    const tree = this.nsTree;
    const user = UserNamespace.initial(tree);
    const pid = PidNamespace.initial(tree, user, options.pidMax);
    const uts = UtsNamespace.initial(tree, user, options.utsname);
    const ipc = IpcNamespace.initial(tree, user, () => this.clock.now());
    const cgroup = CgroupNamespace.initial(tree, user, options.rootCgroup);
    const net = NetNamespace.initial(tree, user);
    const mnt = MntNamespace.initial(tree, user, options.mounts);
    for (const ns of [user, pid, uts, ipc, cgroup, net, mnt]) ns.get();
    this.initNs = { user, pid, uts, ipc, net, mnt, cgroup };
  }

  /** Start the host's pid 1 (as the kernel does after boot): root, in every initial namespace. */
  spawnInit(spec: InitSpec): Process {
    if (this.initNs.pid.childReaper) throw new Error('ProcessTable: init is already running');
    const pid = Pid.alloc(this.initNs.pid);
    const { user, uts, ipc, mnt, pid: pidNs, net, cgroup } = this.initNs;
    const init = new Process(pid, {
      comm: basename(spec.exe),
      argv: spec.argv,
      environ: spec.env ?? [],
      exe: spec.exe,
      cred: rootCred(user),
      cwd: '/',
      root: '/',
      nsproxy: new NsProxy({ uts, ipc, mnt, pidForChildren: pidNs, net, cgroup }),
      pgrp: pid,
      session: pid,
      cgroup: this.rootCgroup,
      exitSignal: 0,
      startTime: this.clock.now(),
      bootTime: this.bootTime,
    });
    this.attach(init);
    pidNs.childReaper = init;
    init.unkillable = true;
    if (spec.program) this.startProgram(init, spec.program);
    return init;
  }

  /**
   * kthread_create(): a kernel thread named `comm` in the initial namespaces and the root cgroup, a child
   * of `parent` (kthreadd) or of nobody (kthreadd itself, ppid 0). It runs no program, is idle (I), has no
   * argv, and ignores every signal a process may send (SIGNAL_UNKILLABLE, as kthreads do).
   */
  kthreadCreate(comm: string, parent?: Process): Process {
    const pid = Pid.alloc(this.initNs.pid);
    const { user, uts, ipc, mnt, pid: pidNs, net, cgroup } = this.initNs;
    const kthread = new Process(pid, {
      comm,
      argv: [],
      environ: [],
      exe: '',
      cred: rootCred(user),
      cwd: '/',
      root: '/',
      nsproxy: new NsProxy({ uts, ipc, mnt, pidForChildren: pidNs, net, cgroup }),
      pgrp: parent ? parent.pgrp : pid,
      session: parent ? parent.session : pid,
      cgroup: this.rootCgroup,
      exitSignal: parent ? SIGCHLD : 0,
      startTime: this.clock.now(),
      bootTime: this.bootTime,
    });
    kthread.parent = parent;
    kthread.kthread = true;
    kthread.runState = 'I';
    kthread.unkillable = true;
    this.attach(kthread);
    return kthread;
  }

  /** The process numbered `nr` in pid namespace `ns` (the host's by default), zombies included. */
  find(nr: number, ns: PidNamespace = this.initNs.pid): Process | undefined {
    const pid = ns.findPid(nr);
    return pid ? this.tasks.get(pid) : undefined;
  }

  /** The processes `ns` can see (the host's by default), ordered by their pid there. */
  list(ns: PidNamespace = this.initNs.pid): Process[] {
    return [...this.tasks.values()].filter((p) => p.pid.nrIn(ns) > 0).sort((a, b) => a.pid.nrIn(ns) - b.pid.nrIn(ns));
  }

  // —— creation ——

  /**
   * clone(2): a child of `parent` (or of its parent with CLONE_PARENT), with namespaces copied or made
   * new per the CLONE_NEW* flags. Errors as copy_process gives them: EINVAL for contradictory flags
   * (CLONE_NEWNS or CLONE_NEWUSER with CLONE_FS, CLONE_THREAD without CLONE_SIGHAND, CLONE_SIGHAND
   * without CLONE_VM, CLONE_NEWIPC with CLONE_SYSVSEM, CLONE_PARENT from a namespace's init,
   * CLONE_NEWPID after unshare(CLONE_NEWPID)…), EPERM for new namespaces without CAP_SYS_ADMIN over the
   * (possibly new) user namespace, ENOSPC past a nesting limit, ENOMEM in a pid namespace whose init
   * died, EAGAIN when pids run out. With CLONE_THREAD the new thread is counted on `parent`, which is
   * returned.
   */
  clone(parent: Process, options: CloneOptions = {}): Process {
    const flags = options.flags ?? 0;
    const exitSignal = options.exitSignal ?? SIGCHLD;
    this.requireAlive(parent);
    const proxy = parent.nsproxy!;
    if ((flags & CSIGNAL) !== 0 || (flags & ~CLONE_KNOWN) !== 0) throw new KernelError('EINVAL');
    if (exitSignal !== 0 && !isValidSignal(exitSignal)) throw new KernelError('EINVAL');
    if ((flags & (CLONE_NEWNS | CLONE_FS)) === (CLONE_NEWNS | CLONE_FS)) throw new KernelError('EINVAL');
    if ((flags & (CLONE_NEWUSER | CLONE_FS)) === (CLONE_NEWUSER | CLONE_FS)) throw new KernelError('EINVAL');
    if ((flags & CLONE_THREAD) !== 0 && (flags & CLONE_SIGHAND) === 0) throw new KernelError('EINVAL');
    if ((flags & CLONE_SIGHAND) !== 0 && (flags & CLONE_VM) === 0) throw new KernelError('EINVAL');
    if ((flags & CLONE_PARENT) !== 0 && parent.unkillable) throw new KernelError('EINVAL');
    if ((flags & CLONE_THREAD) !== 0) {
      if ((flags & (CLONE_NEWUSER | CLONE_NEWPID)) !== 0 || parent.pid.ns !== proxy.pidForChildren) throw new KernelError('EINVAL');
    }
    if ((flags & (CLONE_NEWIPC | CLONE_SYSVSEM)) === (CLONE_NEWIPC | CLONE_SYSVSEM)) throw new KernelError('EINVAL');

    if ((flags & CLONE_THREAD) !== 0) {
      parent.threads++;
      return parent;
    }

    const { cred, nsproxy } = this.copyNamespaces(parent, flags);
    let pid: Pid;
    try {
      pid = Pid.alloc(nsproxy.pidForChildren);
    } catch (error) {
      nsproxy.release();
      cred.userNs.put();
      throw error;
    }
    const realParent = (flags & CLONE_PARENT) !== 0 && parent.parent ? parent.parent : parent;
    const child = new Process(pid, {
      comm: parent.comm,
      argv: parent.argv,
      environ: parent.environ,
      exe: parent.exe,
      cred,
      cwd: parent.cwd,
      root: parent.root,
      nsproxy,
      pgrp: parent.pgrp,
      session: parent.session,
      cgroup: options.cgroup ?? parent.cgroup,
      exitSignal: (flags & CLONE_PARENT) !== 0 ? parent.exitSignal : exitSignal,
      startTime: this.clock.now(),
      bootTime: this.bootTime,
    });
    child.parent = realParent;
    child.nice = parent.nice;
    child.oomScoreAdj = parent.oomScoreAdj;
    child.vszKb = parent.vszKb;
    child.rssKb = parent.rssKb;
    child.tty = parent.tty;
    child.stdio = parent.stdio;
    child.rlimitCore = parent.rlimitCore;
    child.blocked = parent.blocked;
    for (const [sig, action] of parent.sigactions) child.sigactions.set(sig, action);
    if (this.cgroupFork) {
      try {
        this.cgroupFork(parent, child);
      } catch (error) {
        pid.attach();
        pid.detach();
        nsproxy.release();
        cred.userNs.put();
        throw error;
      }
    }
    this.attach(child);
    cred.userNs.put();
    if (pid.vnr === 1) {
      pid.ns.childReaper = child;
      child.unkillable = true;
    }
    this._onDidFork.fire({ parent, child, flags });
    if (options.program) this.startProgram(child, options.program);
    return child;
  }

  /** fork(2): clone with no flags, the child running `program` if given. */
  fork(parent: Process, program?: Program): Process {
    return this.clone(parent, { program });
  }

  /**
   * execve(2) of a file the caller has resolved: new comm (the path's base name, 15 characters), argv,
   * environment and exe; handlers reset to the default (ignored signals stay ignored); one thread;
   * capabilities recomputed as for a file without file capabilities. The old program's timers stop.
   */
  execve(proc: Process, options: ExecveOptions): void {
    this.requireAlive(proc);
    this.contexts.get(proc)?.dispose();
    this.contexts.delete(proc);
    proc.comm = (options.comm ?? basename(options.path)).slice(0, TASK_COMM_LEN_MAX);
    proc.exe = options.path;
    proc.argv = [...options.argv];
    proc.environ = [...options.env];
    proc.threads = 1;
    for (const [sig, action] of [...proc.sigactions]) if (action !== 'ignore') proc.sigactions.delete(sig);
    this.commitCreds(proc, credAfterExecve(proc.cred));
    this._onDidExec.fire(proc);
    this.startProgram(proc, options.program);
  }

  /** Replace a process's credentials (commit_creds). The caller has checked the change is allowed. */
  commitCreds(proc: Process, cred: Cred): void {
    if (cred === proc.cred) return;
    cred.userNs.get();
    const old = proc.cred;
    proc.cred = cred;
    old.userNs.put();
  }

  // —— exit and wait ——

  /** exit(2)/exit_group(2) with `code` (its low 8 bits are what the parent sees). */
  exit(proc: Process, code: number): void {
    this.doExit(proc, exitedStatus(code), 0);
  }

  /**
   * waitpid(2) as with WNOHANG: a child matching `pid` (> 0 that child, -1 any, 0 the caller's process
   * group, < -1 that process group) that exited (reaped now), or, with WUNTRACED/WCONTINUED, stopped
   * or continued; undefined when none has changed. ECHILD when no child matches.
   */
  waitpid(parent: Process, pid: number, options = 0): WaitResult | undefined {
    const candidates = [...parent.children].filter((c) => this.waitMatches(parent, c, pid));
    if (candidates.length === 0) throw new KernelError('ECHILD');
    for (const child of candidates) {
      const nr = child.pid.nrIn(parent.pid.ns);
      if (child.exitState === 'zombie') {
        const status = child.exitStatus!;
        this.release(child);
        return { pid: nr, status };
      }
      if (child.waitReport === 'stopped' && (options & WUNTRACED) !== 0) {
        child.waitReport = undefined;
        return { pid: nr, status: stoppedStatus(child.stopSignal) };
      }
      if (child.waitReport === 'continued' && (options & WCONTINUED) !== 0) {
        child.waitReport = undefined;
        return { pid: nr, status: CONTINUED_STATUS };
      }
    }
    return undefined;
  }

  /**
   * A blocking waitpid: `callback` runs with the first matching change — at once if one is ready, else
   * when it happens. ECHILD when no child matches now. The wait ends with the waiting process.
   */
  waitAsync(parent: Process, pid: number, options: number, callback: (result: WaitResult) => void): void {
    const ready = this.waitpid(parent, pid, options | WNOHANG);
    if (ready) {
      callback(ready);
      return;
    }
    const list = this.waiters.get(parent) ?? [];
    list.push({ pid, options, callback });
    this.waiters.set(parent, list);
  }

  // —— signals ——

  /**
   * kill(2) from `sender`, with `pid` numbered in the sender's pid namespace: > 0 one process, 0 the
   * sender's process group, -1 every process it may signal but itself and its namespace's init, < -1
   * the process group -pid. Signal 0 checks only. EINVAL for a bad signal, ESRCH when nothing matches,
   * EPERM when the sender may signal none of them.
   */
  kill(sender: Process, pid: number, signal: number): void {
    if (!Number.isInteger(signal) || signal < 0 || signal > NSIG) throw new KernelError('EINVAL');
    const ns = sender.pid.ns;
    if (pid > 0) {
      const target = this.find(pid, ns);
      if (!target) throw new KernelError('ESRCH');
      this.sendFrom(sender, target, signal);
      return;
    }
    if (pid === -1) {
      let count = 0;
      let error: KernelError | undefined;
      for (const target of this.list(ns)) {
        if (target.pid.nrIn(ns) <= 1 || target === sender) continue;
        count++;
        try {
          this.sendFrom(sender, target, signal);
        } catch (e) {
          if (!(e instanceof KernelError)) throw e;
          if (e.code !== 'EPERM') error = e;
        }
      }
      if (count === 0) throw new KernelError('ESRCH');
      if (error) throw error;
      return;
    }
    this.killpg(sender, pid === 0 ? sender.pgrp.nrIn(ns) : -pid, signal);
  }

  /** killpg(3): signal every process of process group `pgrp` (numbered in the sender's namespace). */
  killpg(sender: Process, pgrp: number, signal: number): void {
    if (!Number.isInteger(signal) || signal < 0 || signal > NSIG) throw new KernelError('EINVAL');
    const group = pgrp > 0 ? sender.pid.ns.findPid(pgrp) : undefined;
    const members = group ? [...this.tasks.values()].filter((p) => p.pgrp === group) : [];
    let success = false;
    let error = new KernelError('ESRCH');
    for (const target of members) {
      try {
        this.sendFrom(sender, target, signal);
        success = true;
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        error = e;
      }
    }
    if (!success) throw error;
  }

  /**
   * A signal the kernel itself sends (the OOM killer, a dying parent's PR_SET_PDEATHSIG, init's death):
   * no permission check, and SIGKILL reaches even a namespace's init.
   */
  signalFromKernel(target: Process, signal: number): void {
    if (!isValidSignal(signal)) throw new KernelError('EINVAL');
    this.sendSignal(target, signal, undefined);
  }

  /** sigaction(2): EINVAL for an invalid signal or for changing SIGKILL's or SIGSTOP's. */
  sigaction(proc: Process, signal: number, action: SignalAction): SignalAction {
    if (!isValidSignal(signal) || isKernelOnly(signal)) throw new KernelError('EINVAL');
    const old = proc.sigaction(signal);
    if (action === 'default') proc.sigactions.delete(signal);
    else proc.sigactions.set(signal, action);
    if (action === 'ignore' || (action === 'default' && ['ign', 'cont'].includes(defaultAction(signal)))) {
      proc.pending &= ~sigmask(signal);
      proc.pendingInfo.delete(signal);
    }
    return old;
  }

  /** sigprocmask(2); SIGKILL and SIGSTOP cannot be blocked. Unblocking delivers what was pending. */
  sigprocmask(proc: Process, how: 'SIG_BLOCK' | 'SIG_UNBLOCK' | 'SIG_SETMASK', set: bigint): bigint {
    const old = proc.blocked;
    const next = how === 'SIG_BLOCK' ? old | set : how === 'SIG_UNBLOCK' ? old & ~set : set;
    proc.blocked = next & ~(sigmask(SIGKILL) | sigmask(19));
    this.deliverPending(proc);
    return old;
  }

  // —— namespaces ——

  /**
   * unshare(2): move `proc` into new namespaces. Implied flags as the kernel adds them (CLONE_NEWUSER
   * brings CLONE_THREAD and CLONE_FS, CLONE_NEWNS brings CLONE_FS…); EINVAL for unknown flags or
   * unsharing threads of a multithreaded process, and for CLONE_NEWPID a second time before a child was
   * born into the first; EPERM without CAP_SYS_ADMIN. CLONE_NEWPID changes only pid_for_children.
   */
  unshare(proc: Process, flags: number): void {
    this.requireAlive(proc);
    let f = flags;
    if ((f & CLONE_NEWUSER) !== 0) f |= CLONE_THREAD | CLONE_FS;
    if ((f & CLONE_VM) !== 0) f |= CLONE_SIGHAND;
    if ((f & CLONE_SIGHAND) !== 0) f |= CLONE_THREAD;
    if ((f & CLONE_NEWNS) !== 0) f |= CLONE_FS;
    if ((f & ~UNSHARE_ALLOWED) !== 0) throw new KernelError('EINVAL');
    if ((f & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) !== 0 && proc.threads > 1) throw new KernelError('EINVAL');
    const { cred, nsproxy } = this.copyNamespaces(proc, f);
    const old = proc.nsproxy!;
    proc.nsproxy = nsproxy;
    old.release();
    this.commitCreds(proc, cred);
    cred.userNs.put();
    this._onDidChangeNamespaces.fire({ process: proc, cause: 'unshare', flags });
  }

  /**
   * setns(2) into `ns` (what an fd of /proc/<pid>/ns/<type> or a bind mount of it refers to). EINVAL when
   * `nstype` is neither 0 nor the namespace's CLONE_NEW* value; otherwise the namespace's own rules.
   */
  setns(proc: Process, ns: NsCommon, nstype = 0): void {
    this.requireAlive(proc);
    if (!ns.alive) throw new KernelError('EBADF');
    if (nstype !== 0 && nstype !== CLONE_NEW_FLAG[ns.type]) throw new KernelError('EINVAL');
    const nsset: NsSet = {
      cred: proc.cred,
      nsproxy: proc.nsproxy!.copy(),
      fs: { root: proc.root, cwd: proc.cwd },
      threads: proc.threads,
      activePidNs: proc.pid.ns,
    };
    try {
      ns.install(nsset);
    } catch (error) {
      nsset.nsproxy.release();
      throw error;
    }
    const old = proc.nsproxy!;
    proc.nsproxy = nsset.nsproxy;
    old.release();
    this.commitCreds(proc, nsset.cred);
    proc.root = nsset.fs.root;
    proc.cwd = nsset.fs.cwd;
    this._onDidChangeNamespaces.fire({ process: proc, cause: 'setns', flags: CLONE_NEW_FLAG[ns.type] });
  }

  // —— sessions, groups, prctl ——

  /** setsid(2): a new session and process group led by `proc`, with no controlling tty; EPERM for a group leader. */
  setsid(proc: Process): number {
    if (proc.pgrp === proc.pid) throw new KernelError('EPERM');
    this.changePgrp(proc, proc.pid, proc.pid);
    proc.tty = undefined;
    return proc.pid.nrIn(proc.pid.ns);
  }

  /**
   * setpgid(2) by `caller` for `pid` (0: itself), numbers in the caller's namespace: ESRCH unless it is the
   * caller or its child, EPERM for a session leader, a child in another session, or a group in another
   * session; EINVAL for a negative pgid.
   */
  setpgid(caller: Process, pid: number, pgid: number): void {
    if (pgid < 0) throw new KernelError('EINVAL');
    const ns = caller.pid.ns;
    const target = pid === 0 ? caller : this.find(pid, ns);
    if (!target || (target !== caller && target.parent !== caller) || target.exitState) throw new KernelError('ESRCH');
    if (target.session === target.pid) throw new KernelError('EPERM');
    if (target !== caller && target.session !== caller.session) throw new KernelError('EPERM');
    const group = pgid === 0 ? target.pid : ns.findPid(pgid);
    if (!group) throw new KernelError('EPERM');
    if (group !== target.pid && ![...this.tasks.values()].some((p) => p.pgrp === group && p.session === target.session)) {
      throw new KernelError('EPERM');
    }
    this.changePgrp(target, group, target.session);
  }

  /** prctl(PR_SET_CHILD_SUBREAPER). */
  setChildSubreaper(proc: Process, on: boolean): void {
    proc.isChildSubreaper = on;
  }

  /** prctl(PR_SET_PDEATHSIG): EINVAL for an invalid signal (0 clears it). */
  setPdeathSignal(proc: Process, signal: number): void {
    if (signal !== 0 && !isValidSignal(signal)) throw new KernelError('EINVAL');
    proc.pdeathSignal = signal;
  }

  /** What the running program reports it is doing (R, S, D, or I for a kernel thread). */
  setRunState(proc: Process, state: RunState): void {
    proc.runState = state;
  }

  // —— internals ——

  private requireAlive(proc: Process): void {
    if (proc.exiting || proc.exitState !== undefined) throw new KernelError('ESRCH');
  }

  private attach(proc: Process): void {
    proc.pid.attach();
    proc.pgrp.attach();
    proc.session.attach();
    proc.cred.userNs.get();
    this.tasks.set(proc.pid, proc);
    proc.parent?.children.add(proc);
  }

  private changePgrp(proc: Process, pgrp: Pid, session: Pid): void {
    pgrp.attach();
    session.attach();
    proc.pgrp.detach();
    proc.session.detach();
    proc.pgrp = pgrp;
    proc.session = session;
  }

  /**
   * The credentials and namespaces for a clone or unshare with `flags` (copy_creds, copy_namespaces,
   * unshare_userns, unshare_nsproxy_namespaces). The returned proxy and the returned credentials' user
   * namespace each hold a reference the caller hands on or drops.
   */
  private copyNamespaces(proc: Process, flags: number): { cred: Cred; nsproxy: NsProxy } {
    const held: NsCommon[] = [];
    const hold = <T extends NsCommon>(ns: T): T => {
      held.push(ns.get());
      return ns;
    };
    try {
      let cred = proc.cred;
      if ((flags & CLONE_NEWUSER) !== 0) cred = UserNamespace.create(this.nsTree, cred).cred;
      hold(cred.userNs);
      const userNs = cred.userNs;
      const old = proc.nsproxy!;
      if ((flags & NS_FLAGS_BUT_USER) !== 0 && !nsCapable(cred, userNs, CAP.CAP_SYS_ADMIN)) throw new KernelError('EPERM');
      const members: NsProxyMembers = {
        uts: old.uts, ipc: old.ipc, mnt: old.mnt, pidForChildren: old.pidForChildren, net: old.net, cgroup: old.cgroup,
      };
      if ((flags & CLONE_NEWNS) !== 0) members.mnt = hold(old.mnt.clone(userNs));
      if ((flags & CLONE_NEWUTS) !== 0) members.uts = hold(old.uts.clone(userNs));
      if ((flags & CLONE_NEWIPC) !== 0) members.ipc = hold(old.ipc.clone(userNs));
      if ((flags & CLONE_NEWPID) !== 0) {
        if (proc.pid.ns !== old.pidForChildren) throw new KernelError('EINVAL');
        members.pidForChildren = hold(old.pidForChildren.createChild(userNs));
      }
      if ((flags & CLONE_NEWCGROUP) !== 0) members.cgroup = hold(CgroupNamespace.create(this.nsTree, userNs, proc.cgroup));
      if ((flags & CLONE_NEWNET) !== 0) members.net = hold(NetNamespace.create(this.nsTree, userNs));
      const nsproxy = new NsProxy(members);
      held.shift();
      return { cred, nsproxy };
    } finally {
      for (const ns of held) ns.put();
    }
  }

  private startProgram(proc: Process, program: Program): void {
    proc.program = program;
    const ctx = new ProcessContext(this, proc);
    this.contexts.set(proc, ctx);
    program.start(ctx);
  }

  private waitMatches(parent: Process, child: Process, pid: number): boolean {
    const ns = parent.pid.ns;
    if (pid > 0) return child.pid.nrIn(ns) === pid;
    if (pid === -1) return true;
    const group = pid === 0 ? parent.pgrp : ns.findPid(-pid);
    return child.pgrp === group;
  }

  /** Run the waits of `parent` that a child's change now satisfies. */
  private wakeWaiters(parent: Process): void {
    const list = this.waiters.get(parent);
    if (!list) return;
    for (const waiter of [...list]) {
      let result: WaitResult | undefined;
      try {
        result = this.waitpid(parent, waiter.pid, waiter.options | WNOHANG);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        list.splice(list.indexOf(waiter), 1);
        continue;
      }
      if (!result) continue;
      list.splice(list.indexOf(waiter), 1);
      waiter.callback(result);
    }
    if (list.length === 0) this.waiters.delete(parent);
  }

  /** check_kill_permission, then send. */
  private sendFrom(sender: Process, target: Process, signal: number): void {
    if (sender !== target && !killAllowed(sender.cred, target.cred)) {
      const sameSession = signal === SIGCONT && target.session === sender.session;
      if (!sameSession) throw new KernelError('EPERM');
    }
    if (signal !== 0) this.sendSignal(target, signal, sender);
  }

  private info(target: Process, signal: number, sender: Process | undefined): SigInfo {
    const pid = sender ? sender.pid.nrIn(target.pid.ns) : 0;
    const uid = sender ? target.cred.userNs.fromKuidMunged(sender.cred.uid) : 0;
    return { signo: signal, code: sender ? 'SI_USER' : 'SI_KERNEL', pid, uid };
  }

  /** send_signal_locked: generation-time effects, the ignore rules, then delivery. */
  private sendSignal(target: Process, signal: number, sender: Process | undefined, info = this.info(target, signal, sender)): void {
    if (target.exiting || target.exitState !== undefined) return;
    const fire = (outcome: SignalOutcome) => this._onDidSignal.fire({ target, signal, sender, outcome });
    const force = sender === undefined || sender.pid.nrIn(target.pid.ns) === 0;
    const mask = sigmask(signal);

    if (isStopSignal(signal)) {
      target.pending &= ~sigmask(SIGCONT);
    } else if (signal === SIGCONT) {
      for (const stop of [19, 20, 21, 22]) target.pending &= ~sigmask(stop);
      if (target.stopSignal !== 0) {
        target.stopSignal = 0;
        target.waitReport = 'continued';
        fire('continued');
        this.notifyParentCldstop(target, 'CLD_CONTINUED', SIGCONT);
      }
    }

    if ((target.blocked & mask) === 0n && this.sigIgnored(target, signal, force)) {
      fire('ignored');
      this.deliverPending(target);
      return;
    }
    target.pending |= mask;
    target.pendingInfo.set(signal, info);
    if (signal === SIGKILL) {
      target.pending &= ~mask;
      fire('killed');
      this.doExit(target, signaledStatus(SIGKILL, false), SIGKILL);
      return;
    }
    if ((target.blocked & mask) !== 0n) {
      fire('queued');
      return;
    }
    if (target.stopSignal !== 0 && target.sigaction(signal) === 'default' && defaultAction(signal) === 'term') {
      // complete_signal: a fatal signal kills a stopped process at once; anything else waits for SIGCONT.
      target.pending &= ~mask;
      fire('killed');
      this.doExit(target, signaledStatus(signal, false), signal);
      return;
    }
    this.deliverPending(target);
  }

  /** sig_task_ignored: dropped at generation time. */
  private sigIgnored(target: Process, signal: number, force: boolean): boolean {
    const action = target.sigaction(signal);
    const globalInit = target === this.initNs.pid.childReaper;
    if (globalInit && isKernelOnly(signal)) return true;
    if (target.unkillable && action === 'default' && !(force && isKernelOnly(signal))) return true;
    if (action === 'ignore') return true;
    return action === 'default' && (defaultAction(signal) === 'ign' || defaultAction(signal) === 'cont');
  }

  /** get_signal: act on pending, unblocked signals, synchronous ones first, then lowest number first. */
  private deliverPending(target: Process): void {
    while (!target.exiting && target.exitState === undefined && target.stopSignal === 0) {
      let ready = target.pending & ~target.blocked;
      if (ready === 0n) return;
      if ((ready & SYNCHRONOUS_MASK) !== 0n) ready &= SYNCHRONOUS_MASK;
      let signal = 1;
      while ((ready & sigmask(signal)) === 0n) signal++;
      target.pending &= ~sigmask(signal);
      const info = target.pendingInfo.get(signal) ?? this.info(target, signal, undefined);
      target.pendingInfo.delete(signal);
      const action = target.sigaction(signal);
      const sender = info.code === 'SI_USER' ? this.senderOf(target, info) : undefined;
      const fire = (outcome: SignalOutcome) => this._onDidSignal.fire({ target, signal, sender, outcome });
      if (typeof action === 'function') {
        fire('handled');
        action(signal, info);
        continue;
      }
      if (action === 'ignore') {
        fire('ignored');
        continue;
      }
      const act = defaultAction(signal);
      if (act === 'ign' || act === 'cont' || (target.unkillable && !isKernelOnly(signal))) {
        fire('ignored');
        continue;
      }
      if (act === 'stop') {
        target.stopSignal = signal;
        target.waitReport = 'stopped';
        fire('stopped');
        this.notifyParentCldstop(target, 'CLD_STOPPED', signal);
        return;
      }
      fire('killed');
      this.doExit(target, signaledStatus(signal, act === 'core' && target.rlimitCore > 0), signal);
      return;
    }
  }

  private senderOf(target: Process, info: SigInfo): Process | undefined {
    return info.pid > 0 ? this.find(info.pid, target.pid.ns) : undefined;
  }

  /** do_notify_parent_cldstop: SIGCHLD for a stop or continue, unless the parent ignores SIGCHLD. */
  private notifyParentCldstop(child: Process, code: 'CLD_STOPPED' | 'CLD_CONTINUED', signal: number): void {
    const parent = child.parent;
    if (!parent) return;
    if (parent.sigaction(SIGCHLD) !== 'ignore') {
      const info: SigInfo = {
        signo: SIGCHLD, code, pid: child.pid.nrIn(parent.pid.ns), uid: parent.cred.userNs.fromKuidMunged(child.cred.uid), status: signal,
      };
      this.sendSignal(parent, SIGCHLD, undefined, info);
    }
    this.wakeWaiters(parent);
  }

  /**
   * do_exit: drop the program and the namespaces; a pid namespace's init first kills every other process
   * of its namespace (zap_pid_ns_processes) and reaps its children, and finishes dying only once the
   * namespace is empty; then children are reparented and the parent notified.
   */
  private doExit(proc: Process, status: number, killedBy: number): void {
    if (proc.exiting || proc.exitState !== undefined) return;
    proc.exiting = true;
    proc.exitStatus = status;
    proc.stopSignal = 0;
    this.contexts.get(proc)?.dispose();
    this.contexts.delete(proc);
    this.waiters.delete(proc);
    if (killedBy !== 0) proc.program?.onKilled?.(killedBy);
    proc.nsproxy?.release();
    proc.nsproxy = undefined;

    const ns = proc.pid.ns;
    if (ns.childReaper === proc) {
      if (ns.level === 0) {
        throw new Error(`Kernel panic - not syncing: Attempted to kill init! exitcode=0x${status.toString(16).padStart(8, '0')}`);
      }
      this.zapPidNs(proc, ns);
      if (ns.allocated > 1) {
        this.exitsAwaitingNs.set(ns, { init: proc, status });
        return;
      }
    }
    this.exitNotify(proc, status);
  }

  private zapPidNs(init: Process, ns: PidNamespace): void {
    ns.disableAllocation();
    init.sigactions.set(SIGCHLD, 'ignore');
    for (const nr of ns.numbers()) {
      const pid = ns.findPid(nr);
      const task = pid && this.tasks.get(pid);
      if (task && task !== init) this.sendSignal(task, SIGKILL, undefined);
    }
    for (const child of [...init.children]) if (child.exitState === 'zombie') this.release(child);
  }

  /** exit_notify: reparent the children, then tell the parent (or be reaped at once). */
  private exitNotify(proc: Process, status: number): void {
    for (const child of [...proc.children]) this.reparent(child, proc);
    proc.exitState = 'zombie';
    this._onDidExit.fire(proc);
    const parent = proc.parent;
    if (!parent) return;
    const autoreap = proc.exitSignal === SIGCHLD && parent.sigaction(SIGCHLD) === 'ignore';
    if (autoreap) {
      this.release(proc);
      return;
    }
    if (proc.exitSignal !== 0) {
      const signaled = !WIFEXITED(status);
      const info: SigInfo = {
        signo: proc.exitSignal,
        code: !signaled ? 'CLD_EXITED' : WCOREDUMP(status) ? 'CLD_DUMPED' : 'CLD_KILLED',
        pid: proc.pid.nrIn(parent.pid.ns),
        uid: parent.cred.userNs.fromKuidMunged(proc.cred.uid),
        status: signaled ? WTERMSIG(status) : WEXITSTATUS(status),
      };
      this.sendSignal(parent, proc.exitSignal, undefined, info);
    }
    if (proc.exitState === 'zombie') this.wakeWaiters(parent);
  }

  /** forget_original_parent for one child: find_new_reaper, PR_SET_PDEATHSIG, a zombie's notification. */
  private reparent(child: Process, father: Process): void {
    const reaper = this.findNewReaper(father);
    father.children.delete(child);
    child.parent = reaper;
    reaper.children.add(child);
    this._onDidReparent.fire({ process: child, from: father, to: reaper });
    if (child.pdeathSignal !== 0 && child.exitState === undefined) this.sendSignal(child, child.pdeathSignal, undefined);
    if (child.exitState === 'zombie') {
      if (child.exitSignal === SIGCHLD && reaper.sigaction(SIGCHLD) === 'ignore') this.release(child);
      else {
        if (child.exitSignal !== 0) this.sendSignal(reaper, child.exitSignal, undefined);
        if (child.exitState === 'zombie') this.wakeWaiters(reaper);
      }
    }
  }

  /** The nearest living subreaper ancestor in the same pid namespace, else the namespace's init. */
  private findNewReaper(father: Process): Process {
    const childReaper = father.pid.ns.childReaper!;
    if (childReaper === father) return father;
    for (let r = father.parent; r && r.pid.level === father.pid.level; r = r.parent) {
      if (r === this.initNs.pid.childReaper) break;
      if (r.isChildSubreaper && !r.exiting) return r;
    }
    return childReaper;
  }

  /** release_task: forget a reaped process and free its pid. */
  private release(proc: Process): void {
    proc.exitState = 'dead';
    proc.parent?.children.delete(proc);
    this.tasks.delete(proc.pid);
    const namespaces = proc.pid.numbers.map((u) => u.ns);
    proc.pid.detach();
    proc.pgrp.detach();
    proc.session.detach();
    proc.cred.userNs.put();
    this._onDidReap.fire(proc);
    for (const ns of namespaces) {
      const pending = this.exitsAwaitingNs.get(ns);
      if (pending && ns.allocated <= 1) {
        this.exitsAwaitingNs.delete(ns);
        this.exitNotify(pending.init, pending.status);
      }
    }
  }
}

/** kill_ok_by_cred: same real or effective uid against the target's real or saved uid, or CAP_KILL over it. */
function killAllowed(cred: Cred, target: Cred): boolean {
  return (
    cred.euid === target.suid ||
    cred.euid === target.uid ||
    cred.uid === target.suid ||
    cred.uid === target.uid ||
    nsCapable(cred, target.userNs, CAP.CAP_KILL)
  );
}

function basename(path: string): string {
  const parts = path.split('/').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? path;
}

/** The ProgramContext a process hands its program: system calls bound to it, timers it owns. */
class ProcessContext implements ProgramContext {
  private readonly timers = new Set<{ cancel(): void }>();
  private disposed = false;

  constructor(
    private readonly table: ProcessTable,
    readonly process: Process,
  ) {}

  now(): number {
    return this.table.clock.now();
  }

  after(ms: number, fn: () => void, label = `${this.process.comm}[${this.process.hostPid}]`) {
    const timer = this.table.clock.after(ms, () => {
      this.timers.delete(timer);
      if (!this.disposed) fn();
    }, label);
    this.timers.add(timer);
    return timer;
  }

  every(ms: number, fn: () => void, label = `${this.process.comm}[${this.process.hostPid}]`) {
    const timer = this.table.clock.every(ms, () => {
      if (!this.disposed) fn();
    }, label);
    this.timers.add(timer);
    return timer;
  }

  exit(code: number): void {
    this.table.exit(this.process, code);
  }

  sigaction(signal: number, action: SignalAction): SignalAction {
    return this.table.sigaction(this.process, signal, action);
  }

  sigprocmask(how: 'SIG_BLOCK' | 'SIG_UNBLOCK' | 'SIG_SETMASK', set: bigint): bigint {
    return this.table.sigprocmask(this.process, how, set);
  }

  kill(pid: number, signal: number): void {
    this.table.kill(this.process, pid, signal);
  }

  setRunState(state: RunState): void {
    this.table.setRunState(this.process, state);
  }

  clone(options?: CloneOptions): Process {
    return this.table.clone(this.process, options);
  }

  execve(path: string, argv: readonly string[], env: readonly string[], program: Program): void {
    this.table.execve(this.process, { path, argv, env, program });
  }

  waitpid(pid: number, options = 0): WaitResult | undefined {
    return this.table.waitpid(this.process, pid, options);
  }

  waitAsync(pid: number, options: number, callback: (result: WaitResult) => void): void {
    this.table.waitAsync(this.process, pid, options, callback);
  }

  setChildSubreaper(on: boolean): void {
    this.table.setChildSubreaper(this.process, on);
  }

  /** Stop every timer: the process exited or exec'd. */
  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }
}
