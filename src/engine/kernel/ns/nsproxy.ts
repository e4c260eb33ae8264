/**
 * NsProxy — the namespaces a process holds (struct nsproxy, kernel/nsproxy.c): one of each kind except
 * user (held by the credentials) and its own pid namespace (held by its pids), plus pid_for_children —
 * the pid namespace its children will be born in, which unshare(CLONE_NEWPID) and setns change.
 * A proxy holds a reference on each member until released.
 */
import type { CgroupNamespace } from './cgroupNamespace.ts';
import type { IpcNamespace } from './ipcNamespace.ts';
import type { MntNamespace } from './mntNamespace.ts';
import type { NetNamespace } from './netNamespace.ts';
import type { PidNamespace } from './pidNamespace.ts';
import type { UtsNamespace } from './utsNamespace.ts';

/** The members of an nsproxy. */
export interface NsProxyMembers {
  uts: UtsNamespace;
  ipc: IpcNamespace;
  mnt: MntNamespace;
  /** The pid namespace of children made from now on (pid_ns_for_children). */
  pidForChildren: PidNamespace;
  net: NetNamespace;
  cgroup: CgroupNamespace;
}

export class NsProxy {
  private members: NsProxyMembers;
  private released = false;

  /** A proxy holding a new reference on each member. */
  constructor(members: NsProxyMembers) {
    this.members = { ...members };
    for (const ns of Object.values(this.members)) ns.get();
  }

  /** The UTS namespace. */
  get uts(): UtsNamespace {
    return this.members.uts;
  }

  /** The IPC namespace. */
  get ipc(): IpcNamespace {
    return this.members.ipc;
  }

  /** The mount namespace. */
  get mnt(): MntNamespace {
    return this.members.mnt;
  }

  /** The pid namespace children will be born in. */
  get pidForChildren(): PidNamespace {
    return this.members.pidForChildren;
  }

  /** The network namespace. */
  get net(): NetNamespace {
    return this.members.net;
  }

  /** The cgroup namespace. */
  get cgroup(): CgroupNamespace {
    return this.members.cgroup;
  }

  /** Whether `release` was called. */
  get isReleased(): boolean {
    return this.released;
  }

  /** A new proxy holding the same namespaces (its own references). */
  copy(): NsProxy {
    return new NsProxy(this.members);
  }

  /** Swap one member, moving this proxy's reference from the old namespace to the new one. */
  replace<K extends keyof NsProxyMembers>(kind: K, ns: NsProxyMembers[K]): void {
    if (this.released) throw new Error('NsProxy: replace after release');
    const old = this.members[kind];
    if (old === ns) return;
    ns.get();
    this.members[kind] = ns;
    old.put();
  }

  /** Drop every reference (exit_task_namespaces, or a proxy setns built but did not commit). */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const ns of Object.values(this.members)) ns.put();
  }
}
