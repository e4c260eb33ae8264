/**
 * kernel/fs — the Linux VFS of an emulated node: inodes and superblocks, tmpfs, an ext4-like disk,
 * overlayfs (copy-up, whiteouts, opaque directories), pseudo file systems for proc/sysfs/cgroup2 to build
 * on, mount namespaces (MountTable: bind, rbind, propagation, pivot_root, clone for CLONE_NEWNS), and the
 * system calls of a process (Vfs: path walk, permissions, open/read/write, mkdir, rename, link, xattrs,
 * mount). ProcessFileSystem lets the lab shell's commands run on it.
 *
 * Left out: file data other than text (a file's bytes are a JS string; an apparent size may exceed the
 * stored text, and reads stop at the stored text), block devices and on-disk formats, file locks, inotify,
 * ACLs, capabilities other than uid 0, idmapped mounts, and overlayfs's redirect_dir, metacopy and index.
 */
export { CharDevices, type CharDevice } from './charDevices.ts';
export { directorySize } from './directorySize.ts';
export { Ext4, type Ext4Options } from './ext4.ts';
export { FileSystemTypes, type FileSystemFactory, type FileSystemType, type MountRequest } from './fileSystemTypes.ts';
export * from './inode.ts';
export { major, makedev, minor } from './makedev.ts';
export * from './mountTable.ts';
export { OVERLAY_OPAQUE_XATTR, OverlayFs, OverlayInode, isWhiteout, type OverlayLayer, type OverlayMountRequest } from './overlayFs.ts';
export { MAY_EXEC, MAY_READ, MAY_WRITE, ROOT_CRED, genericPermission, inGroup, type Cred } from './permission.ts';
export { ProcessFileSystem } from './processFileSystem.ts';
export { PseudoFs, PseudoInode, pseudoDir, type PseudoAttrs, type PseudoDir, type PseudoFile, type PseudoFsOptions, type PseudoNode, type PseudoSymlink } from './pseudoFs.ts';
export { ROOTFS_SKELETON, createRootfsSkeleton, type SkeletonEntry } from './rootfsSkeleton.ts';
export * from './superBlock.ts';
export { Tmpfs, TmpfsInode, memparse, utf8Length, type TmpfsOptions } from './tmpfs.ts';
export { MAXSYMLINKS, OpenFile, O_ACCMODE, O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, PATH_MAX, Vfs, type VfsOptions } from './vfs.ts';
