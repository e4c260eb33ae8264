/**
 * MntNamespace — mount_namespaces(7) (fs/namespace.c's struct mnt_namespace): a namespace's own mount
 * table. CLONE_NEWNS copies the creator's table (copy_mnt_ns); the mounts, their propagation and what
 * they show belong to the filesystem code (kernel/fs/mountTable.ts).
 */
import { KernelError } from '../errno.ts';
import type { MountTable } from '../fs/mountTable.ts';
import { CAP, nsCapable } from '../process/capability.ts';
import { NsCommon, type NsSet } from './nsCommon.ts';
import type { NsTree } from './nsTree.ts';
import type { UserNamespace } from './userNamespace.ts';

export class MntNamespace extends NsCommon {
  /** Always 'mnt'. */
  readonly type = 'mnt';
  declare readonly userNs: UserNamespace;

  private constructor(
    tree: NsTree,
    userNs: UserNamespace,
    /** The namespace's mount table. */
    readonly mounts: MountTable,
  ) {
    super(tree, userNs);
    userNs.get();
    this.register();
  }

  /** The initial mount namespace, holding the host's mount table. */
  static initial(tree: NsTree, userNs: UserNamespace, mounts: MountTable): MntNamespace {
    return new MntNamespace(tree, userNs, mounts);
  }

  /** A new mount namespace owned by `userNs` with a copy of this one's mounts (copy_mnt_ns). */
  clone(userNs: UserNamespace): MntNamespace {
    return new MntNamespace(this.tree, userNs, this.mounts.clone());
  }

  /**
   * setns(2) into it (mntns_install): EINVAL when the caller shares its filesystem information (more
   * than one thread here), EPERM without CAP_SYS_ADMIN over its owner and CAP_SYS_CHROOT and
   * CAP_SYS_ADMIN in the caller's own user namespace. Root and working directory become its "/".
   */
  install(nsset: NsSet): void {
    if (nsset.threads !== 1) throw new KernelError('EINVAL');
    const own = nsset.cred.userNs;
    if (
      !nsCapable(nsset.cred, this.userNs, CAP.CAP_SYS_ADMIN) ||
      !nsCapable(nsset.cred, own, CAP.CAP_SYS_CHROOT) ||
      !nsCapable(nsset.cred, own, CAP.CAP_SYS_ADMIN)
    ) {
      throw new KernelError('EPERM');
    }
    nsset.nsproxy.replace('mnt', this);
    nsset.fs = { root: '/', cwd: '/' };
  }

  protected override onRelease(): void {
    this.userNs.put();
  }
}
