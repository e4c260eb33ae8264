/**
 * UtsNamespace — uts_namespaces(7) (kernel/utsname.c): the names uname(2) returns. A new namespace starts
 * as a copy of its creator's; sethostname(2) and setdomainname(2) need CAP_SYS_ADMIN over the owning
 * user namespace and take at most 64 bytes (__NEW_UTS_LEN).
 */
import { KernelError } from '../errno.ts';
import { CAP, nsCapable } from '../process/capability.ts';
import type { Cred } from '../process/cred.ts';
import { NsCommon, type NsSet } from './nsCommon.ts';
import { PROC_UTS_INIT_INO, type NsTree } from './nsTree.ts';
import type { UserNamespace } from './userNamespace.ts';

/** The longest hostname or domainname, in bytes (__NEW_UTS_LEN). */
export const NEW_UTS_LEN = 64;

/** What uname(2) returns (struct new_utsname). */
export interface Utsname {
  /** "Linux". */
  sysname: string;
  /** The hostname. */
  nodename: string;
  /** The kernel release, e.g. "6.8.0-45-generic". */
  release: string;
  /** The kernel build, e.g. "#45-Ubuntu SMP PREEMPT_DYNAMIC …". */
  version: string;
  /** The hardware name, e.g. "x86_64". */
  machine: string;
  /** The NIS domain name; "(none)" until set. */
  domainname: string;
}

/** The names a host boots with unless told otherwise. */
export const DEFAULT_UTSNAME: Readonly<Utsname> = {
  sysname: 'Linux',
  nodename: 'localhost',
  release: '6.8.0-45-generic',
  version: '#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024',
  machine: 'x86_64',
  domainname: '(none)',
};

export class UtsNamespace extends NsCommon {
  /** Always 'uts'. */
  readonly type = 'uts';
  declare readonly userNs: UserNamespace;
  private readonly name: Utsname;

  private constructor(tree: NsTree, userNs: UserNamespace, name: Utsname, initial: boolean) {
    super(tree, userNs, initial ? PROC_UTS_INIT_INO : undefined);
    this.name = { ...name };
    userNs.get();
    this.register();
  }

  /** The initial UTS namespace (init_uts_ns). */
  static initial(tree: NsTree, userNs: UserNamespace, name: Partial<Utsname> = {}): UtsNamespace {
    return new UtsNamespace(tree, userNs, { ...DEFAULT_UTSNAME, ...name }, true);
  }

  /** A new namespace owned by `userNs`, starting with a copy of this one's names (copy_utsname). */
  clone(userNs: UserNamespace): UtsNamespace {
    return new UtsNamespace(this.tree, userNs, this.name, false);
  }

  /** What uname(2) returns in this namespace. */
  get utsname(): Readonly<Utsname> {
    return { ...this.name };
  }

  /** The hostname (nodename). */
  get hostname(): string {
    return this.name.nodename;
  }

  /** The NIS domain name. */
  get domainname(): string {
    return this.name.domainname;
  }

  /** sethostname(2): EPERM without CAP_SYS_ADMIN over the owning user namespace, EINVAL past 64 bytes. */
  sethostname(name: string, cred: Cred): void {
    this.setName('nodename', name, cred);
  }

  /** setdomainname(2): same rules as sethostname. */
  setdomainname(name: string, cred: Cred): void {
    this.setName('domainname', name, cred);
  }

  /** setns(2) into it: CAP_SYS_ADMIN over its owner and over the caller's own user namespace. */
  install(nsset: NsSet): void {
    this.requireSysAdmin(nsset);
    nsset.nsproxy.replace('uts', this);
  }

  protected override onRelease(): void {
    this.userNs.put();
  }

  private setName(field: 'nodename' | 'domainname', name: string, cred: Cred): void {
    if (!nsCapable(cred, this.userNs, CAP.CAP_SYS_ADMIN)) throw new KernelError('EPERM');
    if (new TextEncoder().encode(name).length > NEW_UTS_LEN) throw new KernelError('EINVAL');
    this.name[field] = name;
  }
}
