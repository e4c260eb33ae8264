/**
 * Ext4 — a node's disk (e.g. /dev/vda1 mounted on /) as ext4 presents it: an in-memory Tmpfs with ext4's
 * numbers. The root is inode 2, /lost+found (0700) is inode 11 and files count up from 12; a directory
 * takes one 4096-byte block; 5% of the blocks are reserved for root (statfs f_bavail); the inode count is
 * one per 16 KiB (mke2fs's default inode_ratio). There is no journal, no block device underneath and no
 * on-disk format: the disk is the memory.
 */
import type { Clock } from '../../base/clock.ts';
import { S_IFDIR, isDir, isSymlink } from './inode.ts';
import { EXT4_SUPER_MAGIC, NAME_MAX, type StatFs } from './superBlock.ts';
import { Tmpfs, type TmpfsInode } from './tmpfs.ts';

const INODE_RATIO = 16384;
/** Symlink targets shorter than this live in the inode (fast symlinks) and take no block. */
const FAST_SYMLINK_MAX = 60;

/** The options an Ext4 disk is made with. */
export interface Ext4Options {
  clock: Pick<Clock, 'now'>;
  /** st_dev: the disk partition's device number (e.g. makedev(252, 1) for /dev/vda1). */
  dev: number;
  /** The partition's size in bytes. */
  sizeBytes: number;
  /** Options /proc/mounts shows after "rw" (e.g. "errors=remount-ro"). */
  options?: string;
}

export class Ext4 extends Tmpfs {
  private readonly options: string;
  /** Directories, one block each (the root's is counted from the start). */
  private dirs: number;

  constructor(options: Ext4Options) {
    super(
      { clock: options.clock, dev: options.dev, sizeBytes: options.sizeBytes, nrInodes: Math.floor(options.sizeBytes / INODE_RATIO), mode: 0o755 },
      'ext4',
      2,
    );
    this.options = options.options ?? '';
    this.dirs = 1;
    this.nextIno = 11;
    this.root.create('lost+found', { mode: S_IFDIR | 0o700, uid: 0, gid: 0 });
  }

  override statfs(): StatFs {
    const used = this.usedBlocks + this.dirs;
    const reserved = Math.floor(this.maxBlocks / 20);
    return {
      type: EXT4_SUPER_MAGIC,
      bsize: this.blockSize,
      blocks: this.maxBlocks,
      bfree: this.maxBlocks - used,
      bavail: Math.max(0, this.maxBlocks - used - reserved),
      files: this.maxInodes,
      ffree: this.maxInodes - this.usedInodes,
      namelen: NAME_MAX,
      frsize: this.blockSize,
      flags: 0,
    };
  }

  override showOptions(): string {
    return this.options;
  }

  override allocInode(mode: number, uid: number, gid: number, rdev: number, parent: TmpfsInode | undefined): TmpfsInode {
    const inode = super.allocInode(mode, uid, gid, rdev, parent);
    if (isDir(mode) && parent) this.dirs++;
    return inode;
  }

  override release(inode: TmpfsInode): void {
    super.release(inode);
    if (isDir(inode.mode)) this.dirs--;
  }

  override dirSize(): number {
    return this.blockSize;
  }

  override blocksOf(inode: TmpfsInode): number {
    const perBlock = this.blockSize / 512;
    if (isDir(inode.mode)) return perBlock;
    if (isSymlink(inode.mode)) return inode.size < FAST_SYMLINK_MAX ? 0 : perBlock;
    return super.blocksOf(inode);
  }
}
