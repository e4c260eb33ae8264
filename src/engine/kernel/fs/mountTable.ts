/**
 * MountTable — one mount namespace's tree of mounts (fs/namespace.c and fs/pnode.c): mount, bind and
 * rbind, umount (EBUSY with mounts beneath, EINVAL when not a mountpoint; lazy with `detach`), move,
 * remount, the propagation types (shared peer groups, slaves, private, unbindable) with propagation of
 * mount and umount events between peers and to slaves, pivot_root, and `clone()` for CLONE_NEWNS.
 *
 * A `Mount` is a superblock seen from a directory (its `root`, which a bind mount of a subdirectory sets
 * below the superblock's root) attached at a mountpoint inode of its parent mount. A location is a
 * `PathRef` (Linux's struct path): a mount and an inode in it.
 *
 * Mount ids and peer group ids are kernel-wide: tables cloned from one another share one `MountIds`.
 * Left out: "busy" from open files or working directories (umount without `detach` fails only for
 * mounts beneath), mount expiry, and per-mount idmaps.
 */
import { KernelError } from '../errno.ts';
import { isDir, isSubdir, type Inode } from './inode.ts';
import { major, minor } from './makedev.ts';
import type { SuperBlock } from './superBlock.ts';

/** mount(2) flags (<sys/mount.h>). */
export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_REMOUNT = 32;
export const MS_NOSYMFOLLOW = 256;
export const MS_NOATIME = 1024;
export const MS_NODIRATIME = 2048;
export const MS_BIND = 4096;
export const MS_MOVE = 8192;
export const MS_REC = 16384;
export const MS_UNBINDABLE = 1 << 17;
export const MS_PRIVATE = 1 << 18;
export const MS_SLAVE = 1 << 19;
export const MS_SHARED = 1 << 20;
export const MS_RELATIME = 1 << 21;
export const MS_STRICTATIME = 1 << 24;

/** The flags that live on a mount (the rest are requests). */
export const MNT_FLAGS = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOSYMFOLLOW | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;

/** A location: a mount and an inode within it (struct path). */
export interface PathRef {
  readonly mount: Mount;
  readonly inode: Inode;
}

/** A location reached by a name: the directory it is in and its name there (needed for non-directories). */
export interface NamedPathRef extends PathRef {
  readonly dir?: Inode;
  readonly name?: string;
}

/** How a mount takes part in propagation, as mountinfo's optional fields show it. */
export type Propagation = 'shared' | 'slave' | 'private' | 'unbindable';

/** Kernel-wide allocators and peer groups, shared by every table cloned from one another. */
export class MountIds {
  private nextId: number;
  private nextGroup = 1;
  /** Members of each peer group. */
  readonly peers = new Map<number, Set<Mount>>();
  /** Slaves of each peer group. */
  readonly slaves = new Map<number, Set<Mount>>();

  /** `firstId` is the first mount id handed out; the namespace root's parent id shows as 1. */
  constructor(firstId = 21) {
    this.nextId = firstId;
  }

  /** A new mount id. */
  mountId(): number {
    return this.nextId++;
  }

  /** A new peer group id. */
  groupId(): number {
    return this.nextGroup++;
  }
}

/** One entry of /proc/<pid>/mountinfo, before formatting (see proc(5)). */
export interface MountInfo {
  id: number;
  parentId: number;
  major: number;
  minor: number;
  /** The mount's root within its file system ("/" unless a bind mount of a subdirectory). */
  root: string;
  /** Where it is mounted, relative to the reader's root. */
  mountPoint: string;
  /** Per-mount options: "rw,nosuid,nodev,relatime". */
  options: string;
  /** "shared:N", "master:N", "unbindable". */
  optionalFields: string[];
  fsType: string;
  source: string;
  /** Superblock options: "rw,size=65536k,inode64". */
  superOptions: string;
}

/** Per-mount options and their mountinfo names, in the kernel's order (show_mnt_opts). */
const MNT_OPTION_NAMES: Array<[number, string]> = [
  [MS_NOSUID, 'nosuid'],
  [MS_NODEV, 'nodev'],
  [MS_NOEXEC, 'noexec'],
  [MS_NOATIME, 'noatime'],
  [MS_NODIRATIME, 'nodiratime'],
  [MS_RELATIME, 'relatime'],
  [MS_NOSYMFOLLOW, 'nosymfollow'],
];

export class Mount {
  /** The mount this one is attached to (undefined for a namespace root or a detached mount). */
  parent: Mount | undefined;
  /** The inode of `parent` it covers. */
  mountpoint: Inode | undefined;
  /** For a non-directory mountpoint: the directory holding it and its name (for d_path). */
  mountpointDir: Inode | undefined;
  mountpointName = '';
  /** Mounts attached at inodes of this mount, by mountpoint. */
  readonly children = new Map<Inode, Mount>();
  /** Peer group id when shared (0 otherwise). */
  group = 0;
  /** The peer group this mount is a slave of (0 when not a slave). */
  master = 0;
  unbindable = false;

  constructor(
    /** The table (mount namespace) holding it. */
    public table: MountTable,
    readonly id: number,
    readonly sb: SuperBlock,
    /** The directory (or file, for a bind mount of one) of `sb` this mount shows at its mountpoint. */
    readonly root: Inode,
    /** `root`'s path within `sb`, "/" for the superblock's root. */
    readonly rootPath: string,
    /** The source mountinfo shows ("/dev/vda1", "tmpfs", "overlay"). */
    public source: string,
    /** MS_* flags of this mount (MS_RDONLY, MS_NOSUID…); MS_RELATIME when no atime flag is given. */
    public flags: number,
  ) {}

  /** Whether writes through this mount fail with EROFS (the mount or its superblock is read-only). */
  get readOnly(): boolean {
    return (this.flags & MS_RDONLY) !== 0 || this.sb.readOnly;
  }

  /** The propagation type. */
  get propagation(): Propagation {
    if (this.group) return 'shared';
    if (this.master) return 'slave';
    return this.unbindable ? 'unbindable' : 'private';
  }

  /** Per-mount options as mountinfo field 6 shows them. */
  get options(): string {
    const names = [this.flags & MS_RDONLY ? 'ro' : 'rw'];
    for (const [flag, name] of MNT_OPTION_NAMES) if (this.flags & flag) names.push(name);
    return names.join(',');
  }

  /** This mount's root as a location. */
  get rootRef(): PathRef {
    return { mount: this, inode: this.root };
  }
}

/** Atime flags default to relatime, as the kernel does when none is given. */
function withAtimeDefault(flags: number): number {
  const atime = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;
  if (flags & MS_STRICTATIME) return flags & ~atime;
  return flags & atime ? flags : flags | MS_RELATIME;
}

/**
 * d_path(): the path of `ref` as seen from `root`, or undefined when `ref` is not reachable from it
 * (outside a chroot, or on a detached mount).
 */
export function dPath(ref: NamedPathRef, root: PathRef): string | undefined {
  const names: string[] = [];
  let mount = ref.mount;
  let inode = ref.inode;
  if (!(mount === root.mount && inode === root.inode) && inode !== mount.root && !isDir(inode.getattr().mode)) {
    if (!ref.dir || ref.name === undefined) return undefined;
    names.push(ref.name);
    inode = ref.dir;
  }
  for (;;) {
    if (mount === root.mount && inode === root.inode) break;
    if (inode === mount.root) {
      if (!mount.parent || !mount.mountpoint) return undefined;
      const mountpoint = mount.mountpoint;
      if (mount.mountpointDir) {
        names.push(mount.mountpointName);
        inode = mount.mountpointDir;
      } else inode = mountpoint;
      mount = mount.parent;
      continue;
    }
    names.push(inode.dirName());
    inode = inode.parentDir();
  }
  return '/' + names.reverse().join('/');
}

function joinPath(base: string, rest: string): string {
  if (rest === '/') return base;
  return base === '/' ? rest : base + rest;
}

export class MountTable {
  /** Kernel-wide mount and peer group ids. */
  readonly ids: MountIds;
  private _root: Mount;
  private readonly order: Mount[] = [];
  /** For a table made by clone(): the mount of the source table each copy came from. */
  private readonly copies = new Map<Mount, Mount>();

  /**
   * A namespace whose root is `sb` (e.g. a node's ext4 disk), mounted from `source` with `flags`.
   * `ids` is shared with tables cloned from this one.
   */
  /**
   * A namespace whose root is `sb` (e.g. a node's ext4 disk) — or the directory `root` of it — mounted from
   * `source` with `flags`. `ids` is shared with tables cloned from this one.
   */
  constructor(sb: SuperBlock, options: { source: string; flags?: number; ids?: MountIds; root?: Inode; rootPath?: string }) {
    this.ids = options.ids ?? new MountIds();
    this._root = new Mount(this, this.ids.mountId(), sb, options.root ?? sb.root, options.rootPath ?? '/', options.source, withAtimeDefault(options.flags ?? 0));
    this.order.push(this._root);
  }

  /** The namespace's root mount (what pivot_root replaces). */
  get root(): Mount {
    return this._root;
  }

  /** The namespace's root directory, past anything mounted on top of it. */
  rootPath(): PathRef {
    return this.followMounts(this._root.rootRef);
  }

  /** The mounts in the order mountinfo lists them. */
  list(): readonly Mount[] {
    return this.order;
  }

  /** The location past every mount stacked on `ref` (follow_mount). */
  followMounts(ref: PathRef): PathRef {
    let { mount, inode } = ref;
    for (let child = mount.children.get(inode); child; child = mount.children.get(inode)) {
      mount = child;
      inode = child.root;
    }
    return mount === ref.mount ? ref : { mount, inode };
  }

  /** Whether something is mounted on `ref`. */
  isMountpoint(ref: PathRef): boolean {
    return ref.mount.children.has(ref.inode);
  }

  /**
   * Attach `sb` on `target` (which must be past any stacked mounts: `followMounts`). `root` selects a
   * directory of `sb` other than its root; `rootPath` is that directory's path within `sb`.
   */
  mount(target: NamedPathRef, sb: SuperBlock, options: { source: string; flags?: number; root?: Inode; rootPath?: string }): Mount {
    this.owns(target.mount);
    const mount = new Mount(this, this.ids.mountId(), sb, options.root ?? sb.root, options.rootPath ?? '/', options.source, withAtimeDefault(options.flags ?? 0));
    this.attach(mount, target);
    this.propagateMount(mount);
    return mount;
  }

  /**
   * mount --bind (or --rbind with `recursive`): show `source` again at `target`. A bind mount of a shared
   * mount joins its peer group; unbindable mounts fail with EINVAL and are skipped beneath an rbind.
   */
  bindMount(source: NamedPathRef, target: NamedPathRef, options: { recursive?: boolean; flags?: number } = {}): Mount {
    this.owns(target.mount);
    if (source.mount.unbindable) throw new KernelError('EINVAL');
    const relative = dPath(source, source.mount.rootRef);
    if (relative === undefined) throw new KernelError('EINVAL');
    const flags = options.flags === undefined ? source.mount.flags : withAtimeDefault(options.flags);
    const tree = options.recursive ? this.treeBeneath(source.mount, source.inode, (child) => !child.unbindable) : [];
    const mount = this.copyMount(source.mount, this, { root: source.inode, rootPath: joinPath(source.mount.rootPath, relative), flags });
    this.attach(mount, target);
    this.copyTree(tree, source.mount, mount);
    this.propagateMount(mount);
    return mount;
  }

  /**
   * umount(2) of the mount whose root is `target`: EINVAL when `target` is not a mount root of this
   * namespace, EBUSY for the namespace root or with mounts beneath (unless `detach`, which takes the
   * whole subtree away, as umount -l does).
   */
  umount(target: PathRef, options: { detach?: boolean } = {}): void {
    const mount = target.mount;
    if (mount.table !== this || target.inode !== mount.root || !this.order.includes(mount)) throw new KernelError('EINVAL');
    if (!mount.parent) throw new KernelError('EBUSY');
    if (!options.detach && mount.children.size > 0) throw new KernelError('EBUSY');
    const parent = mount.parent;
    const mountpoint = mount.mountpoint!;
    this.detachTree(mount);
    this.propagateUmount(parent, mountpoint, mount);
  }

  /** mount --move: move the mount whose root is `source` (and its subtree) to `target`. */
  move(source: PathRef, target: NamedPathRef): void {
    const mount = source.mount;
    this.owns(target.mount);
    if (mount.table !== this || source.inode !== mount.root || !mount.parent) throw new KernelError('EINVAL');
    if (mount.parent.group || mount.unbindable) throw new KernelError('EINVAL');
    for (let at: Mount | undefined = target.mount; at; at = at.parent) if (at === mount) throw new KernelError('ELOOP');
    this.unhook(mount);
    this.attach(mount, target, false);
  }

  /** mount -o remount: replace the per-mount flags (MS_RDONLY, MS_NOSUID…) of `mount`. */
  remount(mount: Mount, flags: number): void {
    this.owns(mount);
    mount.flags = withAtimeDefault(flags & MNT_FLAGS);
  }

  /** mount --make-{shared,slave,private,unbindable} (with `recursive`, the --make-r* forms). */
  setPropagation(mount: Mount, type: Propagation, recursive = false): void {
    this.owns(mount);
    const targets = recursive ? this.subtree(mount) : [mount];
    for (const m of targets) {
      if (type === 'shared') {
        m.unbindable = false;
        if (!m.group) this.joinGroup(m, this.ids.groupId());
        continue;
      }
      if (type === 'slave' || type === 'private' || type === 'unbindable') {
        const group = m.group;
        if (group) this.leaveGroup(m);
        if (type === 'slave') {
          if (group && this.ids.peers.has(group)) this.setMaster(m, group);
        } else this.setMaster(m, 0);
      }
      m.unbindable = type === 'unbindable';
    }
  }

  /**
   * pivot_root(new_root, put_old) for a process whose root is `root`: `newRoot` becomes the namespace's
   * root (or takes the old root's place, when the process is chrooted below it) and the old root mount is
   * attached at `putOld`. EINVAL unless `newRoot` and `root` are mount roots, `newRoot` is another mount
   * below `root`, `putOld` is at or under `newRoot`, and neither parent is shared. The caller moves each
   * process whose root or cwd was `root` to the new root, as the kernel does.
   */
  pivotRoot(newRoot: PathRef, putOld: NamedPathRef, root: PathRef): void {
    const newMount = newRoot.mount;
    const rootMount = root.mount;
    for (const m of [newMount, rootMount, putOld.mount]) this.owns(m);
    if (newRoot.inode !== newMount.root || root.inode !== rootMount.root) throw new KernelError('EINVAL');
    if (newMount === rootMount || putOld.mount === rootMount) throw new KernelError('EBUSY');
    if (!newMount.parent || newMount.parent.group || rootMount.parent?.group || putOld.mount.group) throw new KernelError('EINVAL');
    if (dPath(newRoot, root) === undefined) throw new KernelError('EINVAL');
    if (dPath(putOld, newRoot) === undefined) throw new KernelError('EINVAL');
    const rootParent = rootMount.parent;
    const rootMountpoint = rootMount.mountpoint;
    const rootDir = rootMount.mountpointDir;
    const rootName = rootMount.mountpointName;
    this.unhook(newMount);
    if (rootParent && rootMountpoint) {
      this.unhook(rootMount);
      this.hook(newMount, rootParent, rootMountpoint, rootDir, rootName);
    } else this._root = newMount;
    this.hook(rootMount, putOld.mount, putOld.inode, putOld.dir, putOld.name);
  }

  /**
   * CLONE_NEWNS: a copy of this namespace's tree sharing the same superblocks. Shared mounts' copies join
   * their peer groups (so later mounts propagate between the two namespaces until made private); slaves
   * stay slaves of the same master. Map a process's root and cwd into the copy with `mapPath`.
   */
  clone(): MountTable {
    const from = this._root;
    const copy = new MountTable(from.sb, { source: from.source, flags: from.flags, ids: this.ids, root: from.root, rootPath: from.rootPath });
    copy.order.length = 0;
    const map = new Map<Mount, Mount>();
    for (const mount of this.order) {
      const twin = mount === from ? copy._root : new Mount(copy, this.ids.mountId(), mount.sb, mount.root, mount.rootPath, mount.source, mount.flags);
      if (mount.group) this.joinGroup(twin, mount.group);
      if (mount.master) this.setMaster(twin, mount.master);
      twin.unbindable = mount.unbindable;
      map.set(mount, twin);
      copy.copies.set(mount, twin);
      copy.order.push(twin);
    }
    for (const mount of this.order) {
      const parent = mount.parent && map.get(mount.parent);
      if (parent) copy.hook(map.get(mount)!, parent, mount.mountpoint!, mount.mountpointDir, mount.mountpointName, false);
    }
    return copy;
  }

  /** For a table made by `clone()`: the location in this table matching `ref` of the source table. */
  mapPath(ref: PathRef): PathRef {
    const mount = this.copies.get(ref.mount);
    return mount ? { mount, inode: ref.inode } : ref;
  }

  /** /proc/<pid>/mountinfo's entries for a process whose root is `root`: mounts reachable from it, in order. */
  mountinfo(root: PathRef): MountInfo[] {
    const entries: MountInfo[] = [];
    for (const mount of this.order) {
      const mountPoint = dPath(mount.rootRef, root);
      if (mountPoint === undefined) continue;
      const optionalFields: string[] = [];
      if (mount.group) optionalFields.push(`shared:${mount.group}`);
      if (mount.master) optionalFields.push(`master:${mount.master}`);
      if (mount.unbindable) optionalFields.push('unbindable');
      const extra = mount.sb.showOptions();
      const dev = mount.sb.dev;
      entries.push({
        id: mount.id,
        parentId: mount.parent?.id ?? 1,
        major: major(dev),
        minor: minor(dev),
        root: mount.rootPath,
        mountPoint,
        options: mount.options,
        optionalFields,
        fsType: mount.sb.fsType,
        source: mount.source,
        superOptions: (mount.sb.readOnly ? 'ro' : 'rw') + (extra ? `,${extra}` : ''),
      });
    }
    return entries;
  }

  // —— tree surgery ——

  private owns(mount: Mount): void {
    if (mount.table !== this) throw new KernelError('EINVAL');
  }

  private copyMount(from: Mount, table: MountTable, options: { root: Inode; rootPath: string; flags: number }): Mount {
    const mount = new Mount(table, this.ids.mountId(), from.sb, options.root, options.rootPath, from.source, options.flags);
    if (from.group) this.joinGroup(mount, from.group);
    if (from.master) this.setMaster(mount, from.master);
    return mount;
  }

  /** The mounts beneath `from` at or below its inode `under` that `keep` accepts, parents before children. */
  private treeBeneath(from: Mount, under: Inode, keep: (child: Mount) => boolean): Mount[] {
    const out: Mount[] = [];
    const parents = new Set([from]);
    for (const child of this.order) {
      if (!child.parent || !parents.has(child.parent) || !keep(child)) continue;
      if (child.parent === from && !this.inside(child, from, under)) continue;
      out.push(child);
      parents.add(child);
    }
    return out;
  }

  /** Copy `tree` (from `treeBeneath(from…)`) onto `to`, keeping its shape. */
  private copyTree(tree: Mount[], from: Mount, to: Mount): void {
    const twins = new Map<Mount, Mount>([[from, to]]);
    for (const child of tree) {
      const twin = this.copyMount(child, to.table, { root: child.root, rootPath: child.rootPath, flags: child.flags });
      twins.set(child, twin);
      to.table.hook(twin, twins.get(child.parent!)!, child.mountpoint!, child.mountpointDir, child.mountpointName);
    }
  }

  /** Whether `child`'s mountpoint lies at or below `under` in `parent`. */
  private inside(child: Mount, parent: Mount, under: Inode): boolean {
    if (under === parent.root) return true;
    const at = child.mountpointDir ?? child.mountpoint!;
    return isDir(under.getattr().mode) ? isSubdir(at, under) : child.mountpoint === under;
  }

  private attach(mount: Mount, target: NamedPathRef, listed = true): void {
    const top = this.followMounts(target);
    const dir = top.inode === target.inode ? target.dir : undefined;
    const name = top.inode === target.inode ? target.name : undefined;
    this.hook(mount, top.mount, top.inode, dir, name, listed);
  }

  /** Link `mount` at (`parent`, `mountpoint`); `dir`/`name` name a non-directory mountpoint. */
  private hook(mount: Mount, parent: Mount, mountpoint: Inode, dir: Inode | undefined, name: string | undefined, listed = true): void {
    const nonDir = mountpoint !== parent.root && !isDir(mountpoint.getattr().mode);
    if (nonDir && (!dir || name === undefined)) throw new KernelError('EINVAL');
    mount.parent = parent;
    mount.mountpoint = mountpoint;
    mount.mountpointDir = nonDir ? dir : undefined;
    mount.mountpointName = nonDir ? name! : '';
    parent.children.set(mountpoint, mount);
    if (listed && !mount.table.order.includes(mount)) mount.table.order.push(mount);
  }

  private unhook(mount: Mount): void {
    if (mount.parent && mount.parent.children.get(mount.mountpoint!) === mount) mount.parent.children.delete(mount.mountpoint!);
    mount.parent = undefined;
    mount.mountpoint = undefined;
  }

  private detachTree(mount: Mount): void {
    for (const m of this.subtree(mount)) {
      this.leaveGroup(m);
      this.setMaster(m, 0);
      const i = this.order.indexOf(m);
      if (i >= 0) this.order.splice(i, 1);
    }
    this.unhook(mount);
  }

  /** `mount` and every mount beneath it. */
  private subtree(mount: Mount): Mount[] {
    const out = [mount];
    for (let i = 0; i < out.length; i++) for (const child of out[i]!.children.values()) out.push(child);
    return out;
  }

  private joinGroup(mount: Mount, group: number): void {
    mount.group = group;
    let members = this.ids.peers.get(group);
    if (!members) this.ids.peers.set(group, (members = new Set()));
    members.add(mount);
  }

  private leaveGroup(mount: Mount): void {
    const members = this.ids.peers.get(mount.group);
    members?.delete(mount);
    if (members?.size === 0) this.ids.peers.delete(mount.group);
    mount.group = 0;
  }

  private setMaster(mount: Mount, group: number): void {
    this.ids.slaves.get(mount.master)?.delete(mount);
    mount.master = group;
    if (!group) return;
    let slaves = this.ids.slaves.get(group);
    if (!slaves) this.ids.slaves.set(group, (slaves = new Set()));
    slaves.add(mount);
  }

  // —— propagation (fs/pnode.c) ——

  /** The mounts a mount or umount event at `dest` reaches: its peers as peers, slaves (recursively) as slaves. */
  private propagationTargets(dest: Mount): Array<{ mount: Mount; asPeer: boolean }> {
    const out: Array<{ mount: Mount; asPeer: boolean }> = [];
    if (!dest.group) return out;
    const seenGroups = new Set<number>();
    const seen = new Set<Mount>([dest]);
    const visit = (group: number, asPeer: boolean): void => {
      if (seenGroups.has(group)) return;
      seenGroups.add(group);
      for (const peer of this.ids.peers.get(group) ?? []) {
        if (!seen.has(peer)) out.push({ mount: peer, asPeer });
        seen.add(peer);
      }
      for (const slave of [...(this.ids.slaves.get(group) ?? [])]) {
        if (slave.group) visit(slave.group, false);
        else if (!seen.has(slave)) {
          seen.add(slave);
          out.push({ mount: slave, asPeer: false });
        }
      }
    };
    visit(dest.group, true);
    return out;
  }

  private propagateMount(mount: Mount): void {
    const dest = mount.parent!;
    if (!dest.group) return;
    if (!mount.group) this.joinGroup(mount, this.ids.groupId());
    const mountpoint = mount.mountpoint!;
    const tree = this.treeBeneath(mount, mount.root, (child) => !child.unbindable);
    for (const { mount: peer, asPeer } of this.propagationTargets(dest)) {
      if (peer.sb !== dest.sb || peer.children.has(mountpoint) || !peer.table.order.includes(peer)) continue;
      if (!this.reaches(peer, mountpoint, mount)) continue;
      const table = peer.table;
      const twin = new Mount(table, this.ids.mountId(), mount.sb, mount.root, mount.rootPath, mount.source, mount.flags);
      if (asPeer) this.joinGroup(twin, mount.group);
      else this.setMaster(twin, mount.group);
      table.hook(twin, peer, mountpoint, mount.mountpointDir, mount.mountpointName);
      this.copyTree(tree, mount, twin);
    }
  }

  /** Whether `peer` shows `mountpoint` (it lies under the peer's root). */
  private reaches(peer: Mount, mountpoint: Inode, mount: Mount): boolean {
    if (mountpoint === peer.root || peer.root === peer.sb.root) return true;
    const at = mount.mountpointDir ?? mountpoint;
    return isDir(peer.root.getattr().mode) && isSubdir(at, peer.root);
  }

  private propagateUmount(parent: Mount, mountpoint: Inode, mount: Mount): void {
    for (const { mount: peer } of this.propagationTargets(parent)) {
      const child = peer.children.get(mountpoint);
      if (!child || child.sb !== mount.sb || child.root !== mount.root || child.children.size > 0) continue;
      child.table.detachTree(child);
    }
  }
}
