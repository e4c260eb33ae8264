/**
 * CgroupNamespace — cgroup_namespaces(7) (kernel/cgroup/namespace.c): a namespace whose root is the cgroup
 * its creator was in, so /proc/<pid>/cgroup shows paths relative to it ("0::/" for a container's own
 * cgroup, "0::/../other" for one outside it). The cgroup tree itself belongs to the cgroup code; this
 * holds the Cgroup objects of kernel/cgroup.
 */
import type { Cgroup } from '../cgroup/cgroup.ts';
import { NsCommon, type NsSet } from './nsCommon.ts';
import { PROC_CGROUP_INIT_INO, type NsTree } from './nsTree.ts';
import type { UserNamespace } from './userNamespace.ts';

export class CgroupNamespace extends NsCommon {
  /** Always 'cgroup'. */
  readonly type = 'cgroup';
  declare readonly userNs: UserNamespace;

  private constructor(
    tree: NsTree,
    userNs: UserNamespace,
    /** The cgroup this namespace shows as "/". */
    readonly root: Cgroup,
    initial: boolean,
  ) {
    super(tree, userNs, initial ? PROC_CGROUP_INIT_INO : undefined);
    userNs.get();
    this.register();
  }

  /** The initial cgroup namespace (init_cgroup_ns), rooted at the hierarchy's root. */
  static initial(tree: NsTree, userNs: UserNamespace, root: Cgroup): CgroupNamespace {
    return new CgroupNamespace(tree, userNs, root, true);
  }

  /** A new cgroup namespace owned by `userNs`, rooted at `root`: the creator's cgroup (copy_cgroup_ns). */
  static create(tree: NsTree, userNs: UserNamespace, root: Cgroup): CgroupNamespace {
    return new CgroupNamespace(tree, userNs, root, false);
  }

  /**
   * The path of `cgroup` as seen from this namespace (cgroup_path_ns): relative to the root, with ".."
   * steps for cgroups outside it.
   */
  relativePath(cgroup: Pick<Cgroup, 'path'>): string {
    const from = segments(this.root.path);
    const to = segments(cgroup.path);
    let common = 0;
    while (common < from.length && common < to.length && from[common] === to[common]) common++;
    const steps = [...from.slice(common).map(() => '..'), ...to.slice(common)];
    return '/' + steps.join('/');
  }

  /** setns(2) into it: CAP_SYS_ADMIN over its owner and over the caller's own user namespace. */
  install(nsset: NsSet): void {
    this.requireSysAdmin(nsset);
    nsset.nsproxy.replace('cgroup', this);
  }

  protected override onRelease(): void {
    this.userNs.put();
  }
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}
