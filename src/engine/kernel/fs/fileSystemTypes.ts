/**
 * FileSystemTypes — the kernel's list of registered file system types (register_filesystem, what
 * /proc/filesystems lists) and the allocator of anonymous device numbers (get_anon_bdev: major 0) that
 * tmpfs, overlay, proc and the other memory file systems report as st_dev. mount(2) asks it for a new
 * superblock of a type by name; an unknown type fails with ENODEV.
 *
 * Built in: tmpfs, overlay, and devpts and mqueue as empty memory file systems (a container runtime mounts
 * them; ptys and message queues are not emulated). Pieces that build proc, sysfs or cgroup2 on PseudoFs register them here;
 * block-device file systems (ext4 on /dev/vda1) are made by whoever owns the disk.
 */
import type { Clock } from '../../base/clock.ts';
import { KernelError } from '../errno.ts';
import { makedev } from './makedev.ts';
import type { PathRef } from './mountTable.ts';
import { OverlayFs } from './overlayFs.ts';
import type { SuperBlock } from './superBlock.ts';
import { Tmpfs } from './tmpfs.ts';

/** What mount(2) hands a file system type to make a superblock. */
export interface MountRequest {
  /** The mount source ("tmpfs", "overlay", "/dev/vdb"). */
  source: string;
  /** MS_* flags of the call. */
  flags: number;
  /** The file-system-specific options ("size=64m", "lowerdir=…"). */
  data: string;
  /** A fresh anonymous device number for a memory file system. */
  anonDev(): number;
  /** Resolve a path as the mounter sees it (overlayfs's layer directories). */
  resolve(path: string): PathRef;
  /** Kernel log, for dmesg. */
  printk(line: string): void;
}

/** Makes a superblock for a mount request, or throws KernelError. */
export type FileSystemFactory = (request: MountRequest) => SuperBlock;

/** A registered type: its name and whether it needs no block device ("nodev" in /proc/filesystems). */
export interface FileSystemType {
  name: string;
  nodev: boolean;
  factory: FileSystemFactory;
}

export class FileSystemTypes {
  private readonly types = new Map<string, FileSystemType>();
  private nextAnonMinor: number;

  /**
   * @param clock for inode times of the file systems made here.
   * @param options `ramBytes`: the host's RAM (tmpfs's default size is half); `printk`: the kernel log;
   *   `firstAnonMinor`: the first anonymous minor handed out.
   */
  constructor(
    readonly clock: Pick<Clock, 'now'>,
    private readonly options: { ramBytes?: number; printk?: (line: string) => void; firstAnonMinor?: number } = {},
  ) {
    this.nextAnonMinor = options.firstAnonMinor ?? 20;
    this.register('tmpfs', (request) => new Tmpfs({ ...Tmpfs.parseOptions(request.data, options.ramBytes), clock, dev: request.anonDev() }));
    this.register('devpts', (request) => new Tmpfs({ clock, dev: request.anonDev(), mode: 0o755, ramBytes: options.ramBytes }, 'devpts'));
    this.register('mqueue', (request) => new Tmpfs({ clock, dev: request.anonDev(), ramBytes: options.ramBytes }, 'mqueue'));
    this.register('overlay', (request) => OverlayFs.mount({ data: request.data, dev: request.anonDev(), resolve: request.resolve, printk: request.printk }));
  }

  /** register_filesystem(). */
  register(name: string, factory: FileSystemFactory, nodev = true): void {
    this.types.set(name, { name, nodev, factory });
  }

  /** The registered types in registration order, for /proc/filesystems. */
  list(): FileSystemType[] {
    return [...this.types.values()];
  }

  /** A new anonymous st_dev (major 0). */
  anonDev(): number {
    return makedev(0, this.nextAnonMinor++);
  }

  /** Make a superblock of type `fsType` for a mount; ENODEV for an unknown type. */
  create(fsType: string, request: Omit<MountRequest, 'anonDev' | 'printk'>): SuperBlock {
    const type = this.types.get(fsType);
    if (!type) throw new KernelError('ENODEV');
    return type.factory({ ...request, anonDev: () => this.anonDev(), printk: (line) => this.options.printk?.(line) });
  }
}
