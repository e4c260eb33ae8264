/**
 * A node's file systems for tests: a virtual clock, the kernel's file system types, an ext4 disk as
 * /dev/vda1 mounted on / with the rootfs skeleton, and a root Vfs over its mount namespace.
 */
import { Clock } from '../../base/clock.ts';
import { Ext4 } from './ext4.ts';
import { FileSystemTypes } from './fileSystemTypes.ts';
import { makedev } from './makedev.ts';
import { MountTable } from './mountTable.ts';
import { createRootfsSkeleton } from './rootfsSkeleton.ts';
import { Vfs } from './vfs.ts';

/** What `bootHost` returns. */
export interface TestHost {
  clock: Clock;
  fsTypes: FileSystemTypes;
  disk: Ext4;
  mounts: MountTable;
  /** Root's view, cwd /. */
  vfs: Vfs;
  /** Lines the kernel logged. */
  dmesg: string[];
}

/** A fresh host with a 20 GiB disk. */
export function bootHost(options: { skeleton?: boolean } = {}): TestHost {
  const clock = new Clock();
  const dmesg: string[] = [];
  const fsTypes = new FileSystemTypes(clock, { printk: (line) => dmesg.push(line) });
  const disk = new Ext4({ clock, dev: makedev(252, 1), sizeBytes: 20 * 1024 ** 3 });
  const mounts = new MountTable(disk, { source: '/dev/vda1' });
  const vfs = new Vfs({ mounts, fsTypes });
  if (options.skeleton !== false) createRootfsSkeleton(vfs);
  return { clock, fsTypes, disk, mounts, vfs, dmesg };
}
