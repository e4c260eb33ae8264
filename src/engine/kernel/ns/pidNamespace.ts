/**
 * PidNamespace — pid_namespaces(7) (kernel/pid_namespace.c, kernel/pid.c's allocator): a level in the
 * tree of pid namespaces. A process has a pid in its own namespace and in every ancestor; the first
 * process made in a namespace gets pid 1 and is its init (child_reaper). Numbers are handed out as
 * alloc_pid does: the lowest free number from just after the last one, up to pid_max - 1, then wrapping
 * back to RESERVED_PIDS (300) once past it; EAGAIN when none is free, ENOMEM once init has died.
 * pid_max is per namespace (as since Linux 6.14), inherited from the parent.
 */
import type { Pid } from '../process/pid.ts';
import type { Process } from '../process/process.ts';
import { KernelError } from '../errno.ts';
import { CAP, nsCapable } from '../process/capability.ts';
import { NsCommon, type NsSet } from './nsCommon.ts';
import { PROC_PID_INIT_INO, type NsTree } from './nsTree.ts';
import type { UserNamespace } from './userNamespace.ts';

/** How deep pid namespaces nest below the initial one (MAX_PID_NS_LEVEL); deeper is ENOSPC. */
export const MAX_PID_NS_LEVEL = 32;
/** Where pid allocation restarts after wrapping (RESERVED_PIDS). */
export const RESERVED_PIDS = 300;
/** The default /proc/sys/kernel/pid_max (PID_MAX_DEFAULT). */
export const PID_MAX_DEFAULT = 32768;
/** The largest pid_max on 64-bit (PID_MAX_LIMIT). */
export const PID_MAX_LIMIT = 4194304;

export class PidNamespace extends NsCommon {
  /** Always 'pid'. */
  readonly type = 'pid';
  declare readonly userNs: UserNamespace;
  /** 0 for the initial namespace, its parent's plus one below it. */
  readonly level: number;
  /** pids run from 1 to pidMax - 1 (/proc/sys/kernel/pid_max). */
  pidMax: number;
  /** The process reaping orphans here: the namespace's init, pid 1 (undefined until it exists). */
  childReaper: Process | undefined;
  private readonly idr = new Map<number, Pid>();
  private cursor = 0;
  private addingOpen = true;

  private constructor(tree: NsTree, userNs: UserNamespace, readonly parent: PidNamespace | undefined, pidMax: number) {
    super(tree, userNs, parent ? undefined : PROC_PID_INIT_INO);
    this.level = parent ? parent.level + 1 : 0;
    this.pidMax = pidMax;
    userNs.get();
    parent?.get();
    this.register();
  }

  /** The initial pid namespace (init_pid_ns). */
  static initial(tree: NsTree, userNs: UserNamespace, pidMax = PID_MAX_DEFAULT): PidNamespace {
    return new PidNamespace(tree, userNs, undefined, pidMax);
  }

  /**
   * A child namespace owned by `userNs` (create_pid_namespace): EINVAL unless `userNs` is this one's
   * owner or below it, ENOSPC past the nesting limit.
   */
  createChild(userNs: UserNamespace): PidNamespace {
    if (!this.userNs.isAncestorOf(userNs)) throw new KernelError('EINVAL');
    if (this.level + 1 > MAX_PID_NS_LEVEL) throw new KernelError('ENOSPC');
    return new PidNamespace(this.tree, userNs, this, this.pidMax);
  }

  /** Whether new processes may still get a pid here: false once its init has died (PIDNS_ADDING). */
  get adding(): boolean {
    return this.addingOpen;
  }

  /** Refuse every later pid allocation here (disable_pid_allocation), as init's death does. */
  disableAllocation(): void {
    this.addingOpen = false;
  }

  /** The pids allocated here (pid_allocated, without the ADDING bit). */
  get allocated(): number {
    return this.idr.size;
  }

  /** The next free number (idr_alloc_cyclic over [1 or RESERVED_PIDS, pidMax)); EAGAIN when none is. */
  allocNr(): number {
    const min = this.cursor > RESERVED_PIDS ? RESERVED_PIDS : 1;
    const max = this.pidMax - 1;
    const start = Math.max(this.cursor + 1, min);
    for (let nr = start; nr <= max; nr++) if (this.take(nr)) return nr;
    for (let nr = min; nr < start && nr <= max; nr++) if (this.take(nr)) return nr;
    throw new KernelError('EAGAIN');
  }

  /** Bind an allocated number to its pid (idr_replace in alloc_pid). */
  bind(nr: number, pid: Pid): void {
    this.idr.set(nr, pid);
  }

  /** Give a number back (free_pid). */
  freeNr(nr: number): void {
    this.idr.delete(nr);
  }

  /** The pid with number `nr` here (find_pid_ns). */
  findPid(nr: number): Pid | undefined {
    return this.idr.get(nr);
  }

  /** Every number in use here, ascending. */
  numbers(): number[] {
    return [...this.idr.keys()].sort((a, b) => a - b);
  }

  /** Whether `ns` is this namespace or a descendant of it. */
  isAncestorOf(ns: PidNamespace): boolean {
    for (let n: PidNamespace | undefined = ns; n; n = n.parent) if (n === this) return true;
    return false;
  }

  /**
   * setns(2) into it (pidns_install): EPERM without CAP_SYS_ADMIN over its owner and in the caller's own
   * user namespace; EINVAL unless it is the caller's active pid namespace or below it. Only the pid
   * namespace of the caller's future children changes (pid_for_children).
   */
  install(nsset: NsSet): void {
    if (!nsCapable(nsset.cred, this.userNs, CAP.CAP_SYS_ADMIN) || !nsCapable(nsset.cred, nsset.cred.userNs, CAP.CAP_SYS_ADMIN)) {
      throw new KernelError('EPERM');
    }
    if (!nsset.activePidNs.isAncestorOf(this)) throw new KernelError('EINVAL');
    nsset.nsproxy.replace('pidForChildren', this);
  }

  protected override onRelease(): void {
    this.parent?.put();
    this.userNs.put();
  }

  private take(nr: number): boolean {
    if (this.idr.has(nr)) return false;
    this.cursor = nr;
    return true;
  }
}
