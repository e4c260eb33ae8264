/**
 * SuperBlock — one mounted instance of a file system (Linux's struct super_block): its type name, the
 * device number every inode's st_dev reports, the block size, statfs(2) numbers and the options
 * /proc/mounts shows. Several mounts (bind mounts, mounts in other namespaces) may share one superblock.
 */
import type { Inode } from './inode.ts';

/** f_type magic numbers of statfs(2) (<linux/magic.h>). */
export const TMPFS_MAGIC = 0x01021994;
export const EXT4_SUPER_MAGIC = 0xef53;
export const OVERLAYFS_SUPER_MAGIC = 0x794c7630;
export const PROC_SUPER_MAGIC = 0x9fa0;
export const SYSFS_MAGIC = 0x62656572;
export const CGROUP2_SUPER_MAGIC = 0x63677270;

/** What statfs(2) returns (struct statfs), counts in blocks of `bsize` and in inodes. */
export interface StatFs {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
  frsize: number;
  /** ST_* mount flags (ST_RDONLY, ST_NOSUID…), filled in by the VFS from the mount. */
  flags: number;
}

/** The longest file name component (NAME_MAX). */
export const NAME_MAX = 255;

export abstract class SuperBlock {
  /** The block size st_blksize and statfs report. */
  readonly blockSize: number = 4096;
  /** SB_RDONLY: the whole file system is read-only (an overlay without upperdir). */
  readOnly = false;

  /**
   * @param fsType the name in /proc/filesystems and mountinfo ("tmpfs", "overlay", "ext4", "proc").
   * @param dev the st_dev of its inodes (major 0 and an anonymous minor for tmpfs, overlay, proc).
   */
  constructor(
    readonly fsType: string,
    readonly dev: number,
  ) {}

  /** The root directory of this file system. */
  abstract readonly root: Inode;

  /** statfs(2) numbers (without the mount's flags). */
  abstract statfs(): StatFs;

  /**
   * A counter that moves whenever a directory entry is added, removed or renamed anywhere in this file
   * system, so a stacked file system (overlayfs) knows when its cached lookups in a layer may be stale.
   */
  abstract readonly generation: number;

  /** The file-system-specific options after "rw" in /proc/mounts ("size=65536k,mode=755,inode64"). */
  showOptions(): string {
    return '';
  }
}
