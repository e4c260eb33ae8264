/**
 * Process — one process of a host (struct task_struct with its signal_struct and sighand): identity in
 * every pid namespace, parent and children, what it runs, credentials, namespaces, signal state, and the
 * numbers `ps` and /proc/<pid>/stat show. The ProcessTable creates processes and makes every change of
 * state; other code reads them, and sets the accounting fields (cpu times, memory, cgroup) it owns.
 */
import { NULL_STDIO, type Stdio } from './stdio.ts';
import type { Cgroup } from '../cgroup/cgroup.ts';
import type { NsCommon } from '../ns/nsCommon.ts';
import type { NsProxy } from '../ns/nsproxy.ts';
import type { PidNamespace } from '../ns/pidNamespace.ts';
import type { Cred } from './cred.ts';
import type { Pid } from './pid.ts';
import type { Program } from './program.ts';
import { sigmask } from './signal.ts';

/** The state letter `ps` shows: Running, Sleeping, Disk sleep, sTopped, Zombie, Idle (kernel thread). */
export type ProcessState = 'R' | 'S' | 'D' | 'T' | 'Z' | 'I';

/** The states a program chooses for itself while alive and not stopped. */
export type RunState = 'R' | 'S' | 'D' | 'I';

/** How a signal reaches a handler: who sent it, as the receiver sees them (siginfo_t). */
export interface SigInfo {
  /** The signal number. */
  readonly signo: number;
  /** SI_USER for kill(2), SI_KERNEL for the kernel's own, CLD_* for SIGCHLD. */
  readonly code: 'SI_USER' | 'SI_KERNEL' | 'CLD_EXITED' | 'CLD_KILLED' | 'CLD_DUMPED' | 'CLD_STOPPED' | 'CLD_CONTINUED';
  /** The sender's pid in the receiver's pid namespace; 0 from the kernel or an ancestor namespace. */
  readonly pid: number;
  /** The sender's real uid as the receiver's user namespace sees it. */
  readonly uid: number;
  /** For SIGCHLD: the child's exit code or signal (si_status). */
  readonly status?: number;
}

/** A signal handler a program installs: called with the signal and who sent it. */
export type SignalHandler = (signal: number, info: SigInfo) => void;

/** A signal's disposition: the default action, ignored, or a handler. */
export type SignalAction = 'default' | 'ignore' | SignalHandler;

/** What wait(2) returns: the child's pid in the waiter's namespace and its wait status. */
export interface WaitResult {
  /** The child's pid as the waiter's pid namespace numbers it. */
  readonly pid: number;
  /** The status word (decode with WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG…). */
  readonly status: number;
}

/** USER_HZ: the clock ticks per second /proc reports times in. */
export const USER_HZ = 100;
/** The longest comm: TASK_COMM_LEN - 1. */
export const TASK_COMM_LEN_MAX = 15;

/** The order /proc/<pid>/ns lists its links in the kernel (ns_entries, without time). */
const NS_ENTRY_ORDER = ['net', 'uts', 'ipc', 'pid', 'pid_for_children', 'user', 'mnt', 'cgroup'] as const;

/** One /proc/<pid>/ns entry. */
export interface NsLink {
  /** The entry's name: net, uts, ipc, pid, pid_for_children, user, mnt, cgroup. */
  readonly name: (typeof NS_ENTRY_ORDER)[number];
  /** The namespace it refers to. */
  readonly ns: NsCommon;
  /** Its link text, e.g. "net:[4026531840]". */
  readonly link: string;
}

export class Process {
  /** Its parent (real_parent); undefined for the host's init, whose parent is the kernel (ppid 0). */
  parent: Process | undefined;
  /** Its living and zombie children. */
  readonly children = new Set<Process>();
  /** Threads in its thread group (counted; threads are not modelled as tasks). */
  threads = 1;
  /** Its command name: the executable's base name, at most 15 characters. */
  comm: string;
  /** Arguments, as /proc/<pid>/cmdline holds them. */
  argv: readonly string[];
  /** Environment, "NAME=value" strings, as /proc/<pid>/environ holds them. */
  environ: readonly string[];
  /** The executable's path (/proc/<pid>/exe). */
  exe: string;
  /** Credentials (replaced as a whole through ProcessTable.commitCreds). */
  cred: Cred;
  /** Nice value, -20..19. */
  nice = 0;
  /** What the running program says it is doing (shown unless stopped or a zombie). */
  runState: RunState = 'S';
  /** Stopped by a stop signal (state T) and by which one. */
  stopSignal = 0;
  /** A stop or continue not yet reported to a waiting parent. */
  waitReport: 'stopped' | 'continued' | undefined;
  /** Set once exit has begun (PF_EXITING). */
  exiting = false;
  /** 'zombie' between exit and reaping, 'dead' once reaped. */
  exitState: 'zombie' | 'dead' | undefined;
  /** The wait status it exited with (once exiting). */
  exitStatus: number | undefined;
  /** When it was created, ms of virtual time since the Unix epoch. */
  readonly startTime: number;
  /** /proc/<pid>/stat's starttime: clock ticks (USER_HZ) since boot. */
  readonly starttime: number;
  /** CPU time in user mode, ms (charged by the scheduler's accounting). */
  utimeMs = 0;
  /** CPU time in kernel mode, ms. */
  stimeMs = 0;
  /** Virtual memory size in KiB (ps VSZ). */
  vszKb = 0;
  /** Resident set size in KiB (ps RSS). */
  rssKb = 0;
  /** /proc/<pid>/oom_score_adj, -1000..1000. */
  oomScoreAdj = 0;
  /** Working directory path. */
  cwd: string;
  /** Root directory path (chroot/pivot_root). */
  root: string;
  /** Its namespaces; undefined once it has exited (exit_task_namespaces). */
  nsproxy: NsProxy | undefined;
  /** Controlling terminal, e.g. "pts/0"; undefined for none ("?" in ps). */
  tty: string | undefined;
  /** Descriptors 0, 1 and 2 (inherited from the parent on clone; /dev/null for init and kernel threads). */
  stdio: Stdio = NULL_STDIO;
  /** Its process group (the group leader's pid). */
  pgrp: Pid;
  /** Its session (the session leader's pid). */
  session: Pid;
  /** Its cgroup (moved by the cgroup code). */
  cgroup: Cgroup;
  /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are reparented to it. */
  isChildSubreaper = false;
  /** prctl(PR_SET_PDEATHSIG): the signal it gets when its parent dies; 0 for none. */
  pdeathSignal = 0;
  /** The signal its parent gets when it dies (SIGCHLD for fork; 0 for none). */
  exitSignal: number;
  /** RLIMIT_CORE soft limit in bytes: 0 (the usual default) means no core file, so no "(core dumped)". */
  rlimitCore = 0;
  /** PF_KTHREAD: a kernel thread (no memory map, no argv; ps shows its comm in brackets). */
  kthread = false;
  /** SIGNAL_UNKILLABLE: it is a pid namespace's init, protected from signals it has no handler for. */
  unkillable = false;
  /** Dispositions that are not the default, by signal number. */
  readonly sigactions = new Map<number, SignalAction>();
  /** Blocked signals (SigBlk). */
  blocked = 0n;
  /** Pending signals (SigPnd/ShdPnd). */
  pending = 0n;
  /** Who sent each pending signal. */
  readonly pendingInfo = new Map<number, SigInfo>();
  /** The program it runs, if any (a process between fork and execve may run none). */
  program: Program | undefined;

  constructor(
    /** Its pid in every namespace from the initial one down to its own. */
    readonly pid: Pid,
    init: {
      comm: string;
      argv: readonly string[];
      environ: readonly string[];
      exe: string;
      cred: Cred;
      cwd: string;
      root: string;
      nsproxy: NsProxy;
      pgrp: Pid;
      session: Pid;
      cgroup: Cgroup;
      exitSignal: number;
      startTime: number;
      bootTime: number;
    },
  ) {
    this.comm = init.comm.slice(0, TASK_COMM_LEN_MAX);
    this.argv = init.argv;
    this.environ = init.environ;
    this.exe = init.exe;
    this.cred = init.cred;
    this.cwd = init.cwd;
    this.root = init.root;
    this.nsproxy = init.nsproxy;
    this.pgrp = init.pgrp;
    this.session = init.session;
    this.cgroup = init.cgroup;
    this.exitSignal = init.exitSignal;
    this.startTime = init.startTime;
    this.starttime = Math.floor(((init.startTime - init.bootTime) * USER_HZ) / 1000);
  }

  /** The state letter `ps` shows. */
  get state(): ProcessState {
    if (this.exitState !== undefined) return 'Z';
    if (this.stopSignal !== 0) return 'T';
    return this.runState;
  }

  /** Its own pid namespace (task_active_pid_ns). */
  get pidNs(): PidNamespace {
    return this.pid.ns;
  }

  /** Its pid on the host (the initial pid namespace). */
  get hostPid(): number {
    return this.pid.nr;
  }

  /** Its pid as `ns` sees it, 0 when invisible there. */
  pidIn(ns: PidNamespace): number {
    return this.pid.nrIn(ns);
  }

  /** Its parent's pid as `ns` sees it (getppid): 0 for no parent or a parent invisible there. */
  ppidIn(ns: PidNamespace): number {
    return this.parent ? this.parent.pid.nrIn(ns) : 0;
  }

  /** Its process group id as `ns` sees it, 0 when invisible there. */
  pgidIn(ns: PidNamespace): number {
    return this.pgrp.nrIn(ns);
  }

  /** Its session id as `ns` sees it, 0 when invisible there. */
  sidIn(ns: PidNamespace): number {
    return this.session.nrIn(ns);
  }

  /**
   * Its pids from the level of `viewer` down to its own namespace, as /proc/<pid>/status' NSpid line
   * shows them ([4127, 1] for a container's init seen from the host); empty when `viewer` cannot see it.
   */
  pidsFrom(viewer: PidNamespace): number[] {
    if (this.pid.nrIn(viewer) === 0) return [];
    return this.pid.numbers.slice(viewer.level).map((u) => u.nr);
  }

  /** Clock ticks (USER_HZ) of user CPU time, as /proc/<pid>/stat's utime. */
  get utime(): number {
    return Math.floor((this.utimeMs * USER_HZ) / 1000);
  }

  /** Clock ticks (USER_HZ) of system CPU time, as /proc/<pid>/stat's stime. */
  get stime(): number {
    return Math.floor((this.stimeMs * USER_HZ) / 1000);
  }

  /** The disposition of `signal`. */
  sigaction(signal: number): SignalAction {
    return this.sigactions.get(signal) ?? 'default';
  }

  /** Signals set to be ignored (SigIgn). */
  get ignoredSignals(): bigint {
    let set = 0n;
    for (const [sig, action] of this.sigactions) if (action === 'ignore') set |= sigmask(sig);
    return set;
  }

  /** Signals with a handler (SigCgt). */
  get caughtSignals(): bigint {
    let set = 0n;
    for (const [sig, action] of this.sigactions) if (typeof action === 'function') set |= sigmask(sig);
    return set;
  }

  /**
   * The links of /proc/<pid>/ns, in the kernel's order. A zombie has dropped its nsproxy and keeps only
   * pid and user.
   */
  nsLinks(): NsLink[] {
    const proxy = this.nsproxy;
    const byName: Partial<Record<NsLink['name'], NsCommon>> = {
      pid: this.pid.ns,
      user: this.cred.userNs,
      ...(proxy && { net: proxy.net, uts: proxy.uts, ipc: proxy.ipc, pid_for_children: proxy.pidForChildren, mnt: proxy.mnt, cgroup: proxy.cgroup }),
    };
    const out: NsLink[] = [];
    for (const name of NS_ENTRY_ORDER) {
      const ns = byName[name];
      if (ns) out.push({ name, ns, link: ns.link });
    }
    return out;
  }
}
