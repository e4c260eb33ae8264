/**
 * generic_permission — the discretionary access check of fs/namei.c: owner, then group, then other bits;
 * uid 0 stands for a task holding CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (it may read and write
 * anything, search any directory, and execute a file only when one of its x bits is set).
 */
import { isDir } from './inode.ts';

/** The credentials a file system call runs with (fsuid, fsgid and supplementary groups). */
export interface Cred {
  uid: number;
  gid: number;
  groups: readonly number[];
}

/** The credentials of root. */
export const ROOT_CRED: Cred = Object.freeze({ uid: 0, gid: 0, groups: Object.freeze([]) as readonly number[] });

/** Access bits asked for (MAY_EXEC, MAY_WRITE, MAY_READ). */
export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;

/** Whether `cred` is in group `gid`. */
export function inGroup(cred: Cred, gid: number): boolean {
  return cred.gid === gid || cred.groups.includes(gid);
}

/** Whether `cred` may access a file with `mode`, `uid`, `gid` for `mask` (MAY_* bits). */
export function genericPermission(attr: { mode: number; uid: number; gid: number }, cred: Cred, mask: number): boolean {
  if (cred.uid === 0) {
    if (!(mask & MAY_EXEC) || isDir(attr.mode)) return true;
    return (attr.mode & 0o111) !== 0;
  }
  let bits: number;
  if (cred.uid === attr.uid) bits = attr.mode >> 6;
  else if (inGroup(cred, attr.gid)) bits = attr.mode >> 3;
  else bits = attr.mode;
  return (bits & mask & 7) === mask;
}
