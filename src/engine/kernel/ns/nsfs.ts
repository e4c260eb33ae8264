/**
 * nsfs (fs/nsfs.c) as far as `ip netns` and the CRI's pinned pod network namespaces need it: the file
 * system behind /proc/<pid>/ns/<type>, whose inode for a namespace is named `type:[inum]` and numbered
 * inum. Binding one onto a file (what `mount --bind /proc/self/ns/net /run/netns/NAME` does) keeps the
 * namespace alive: the kernel's /proc/<pid>/ns links are plain symlinks, so the binders mount this file
 * system's inode directly, and the mount's reference is taken here and dropped by `ip netns delete`.
 *
 * Left out: /proc/<pid>/ns links into this file system (nsenter --net=/run/netns/NAME reads a plain
 * link), a reference dropped by a plain `umount`, and any namespace type but net.
 */
import { KernelError } from '../errno.ts';
import type { Inode } from '../fs/inode.ts';
import { PseudoFs, PseudoInode, type PseudoNode } from '../fs/pseudoFs.ts';
import type { Vfs } from '../fs/vfs.ts';
import type { Host } from '../host.ts';
import type { Process } from '../process/process.ts';
import { NetNamespace } from './netNamespace.ts';

/** Who binds: the process and its file system view (every call on it runs as the process). */
export interface NsfsCaller {
  readonly host: Host;
  readonly process: Process;
  readonly vfs: Vfs;
}

/** NSFS_MAGIC. */
const NSFS_MAGIC = 0x6e736673;

const nsfsOf = new WeakMap<Host, PseudoFs>();

/** The host's nsfs: a directory of every live namespace's file, looked up by `type:[inum]`. */
function nsfs(host: Host): PseudoFs {
  let sb = nsfsOf.get(host);
  if (sb) return sb;
  const node = (link: string): PseudoNode | undefined => {
    const inum = /^[a-z_]+:\[(\d+)\]$/.exec(link)?.[1];
    const ns = inum === undefined ? undefined : host.table.nsTree.find(Number(inum));
    return ns && ns.link === link ? { type: 'file', ino: ns.inum, mode: 0o444, read: () => '' } : undefined;
  };
  const root = {
    type: 'dir' as const,
    list: () => host.table.nsTree.all().flatMap((ns): Array<[string, PseudoNode]> => [[ns.link, node(ns.link)!]]),
    lookup: node,
  };
  sb = new PseudoFs({ fsType: 'nsfs', magic: NSFS_MAGIC, dev: host.fsTypes.anonDev(), clock: host.clock, root });
  nsfsOf.set(host, sb);
  return sb;
}

/** Bind `ns`'s nsfs file onto the existing file `path` in the caller's mount namespace, holding `ns`. */
export function bindNamespace(caller: NsfsCaller, ns: NetNamespace, path: string): void {
  const sb = nsfs(caller.host);
  const inode = sb.root.lookup(ns.link);
  if (!inode) throw new KernelError('ENOENT');
  if (caller.process.cred.euid !== 0) throw new KernelError('EPERM');
  const { mounts } = caller.vfs;
  mounts.mount(mounts.followMounts(caller.vfs.resolve(path)), sb, { source: 'nsfs', root: inode, rootPath: ns.link });
  ns.get();
}

/** The namespace an nsfs inode stands for (what setns on an open file of it enters), if it is one. */
export function namespaceOf(host: Host, inode: Inode): NetNamespace | undefined {
  if (!(inode instanceof PseudoInode) || inode.sb !== nsfsOf.get(host)) return undefined;
  const ns = host.table.nsTree.find(inode.ino);
  return ns instanceof NetNamespace ? ns : undefined;
}
