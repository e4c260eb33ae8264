/**
 * NsCommon — what every namespace shares (struct ns_common and proc_ns_operations): a type, a proc inode
 * number, an owning user namespace, a reference count that is its lifetime, and the rule for setns(2)
 * into it (`install`).
 *
 * Lifetime: a namespace lives while something holds a reference — a process (through its nsproxy, its
 * credentials or its pids), a bind mount of /proc/<pid>/ns/<type> (`ip netns add`), an open ns file, or a
 * child namespace. Holders call `get()` and `put()`; the last `put()` releases it: `onRelease` runs, the
 * inode number goes back to the allocator and NsTree.onDidRelease fires.
 */
import { KernelError } from '../errno.ts';
import { CAP, nsCapable } from '../process/capability.ts';
import type { Cred } from '../process/cred.ts';
import type { NsType } from './cloneFlags.ts';
import type { NsProxy } from './nsproxy.ts';
import type { NsTree } from './nsTree.ts';
import type { PidNamespace } from './pidNamespace.ts';
import type { UserNamespace } from './userNamespace.ts';

/**
 * The state setns(2) builds before committing it (struct nsset): the caller's new credentials and nsproxy
 * and its root and working directory. An `install` changes them or throws a KernelError.
 */
export interface NsSet {
  /** The caller's credentials; entering a user namespace replaces them. */
  cred: Cred;
  /** The caller's namespaces, a private copy being changed. */
  readonly nsproxy: NsProxy;
  /** The caller's root and working directory; entering a mount namespace sets both to its root. */
  fs: { root: string; cwd: string };
  /** The caller's own pid namespace (task_active_pid_ns), which setns cannot change. */
  readonly activePidNs: PidNamespace;
  /** Threads in the caller's thread group (entering a user or mount namespace needs exactly one). */
  readonly threads: number;
}

export abstract class NsCommon {
  /** Which kind of namespace this is. */
  abstract readonly type: NsType;
  /** The proc inode number: what /proc/<pid>/ns/<type> links to and lsns prints. */
  readonly inum: number;
  private refs = 0;
  private dead = false;

  /**
   * @param tree the host's namespace registry
   * @param userNs the owning user namespace (for a user namespace: its parent; none for the initial one)
   * @param fixedInum a PROC_*_INIT_INO for an initial namespace; otherwise one is allocated
   */
  constructor(
    protected readonly tree: NsTree,
    readonly userNs: UserNamespace | undefined,
    fixedInum?: number,
  ) {
    this.inum = fixedInum ?? tree.allocInum();
  }

  /** The link text of /proc/<pid>/ns/<type>: `net:[4026531840]`. */
  get link(): string {
    return `${this.type}:[${this.inum}]`;
  }

  /** Whether something still holds this namespace. */
  get alive(): boolean {
    return !this.dead;
  }

  /** References held on it. */
  get refCount(): number {
    return this.refs;
  }

  /** Take a reference (get_*_ns). */
  get(): this {
    if (this.dead) throw new Error(`${this.link} was already released`);
    this.refs++;
    return this;
  }

  /** Drop a reference (put_*_ns); the last one releases the namespace. */
  put(): void {
    if (this.dead || this.refs <= 0) throw new Error(`${this.link}: put without a matching get`);
    if (--this.refs > 0) return;
    this.dead = true;
    this.onRelease();
    this.tree.remove(this);
  }

  /**
   * setns(2) into this namespace: check the caller's rights and change `nsset` (the namespace's
   * proc_ns_operations.install). Throws KernelError EPERM or EINVAL as the kernel does.
   */
  abstract install(nsset: NsSet): void;

  /** Called once when the last reference is dropped: drop what this namespace holds. */
  protected onRelease(): void {}

  /**
   * The check most installs make: CAP_SYS_ADMIN over the namespace's owner and over the caller's own user
   * namespace, else EPERM.
   */
  protected requireSysAdmin(nsset: NsSet): void {
    const owner = this.userNs ?? nsset.cred.userNs;
    if (!nsCapable(nsset.cred, owner, CAP.CAP_SYS_ADMIN) || !nsCapable(nsset.cred, nsset.cred.userNs, CAP.CAP_SYS_ADMIN)) {
      throw new KernelError('EPERM');
    }
  }

  /** Subclasses call this at the end of their constructor, once fully built. */
  protected register(): void {
    this.tree.add(this);
  }
}
