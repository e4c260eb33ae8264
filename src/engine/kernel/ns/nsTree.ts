/**
 * NsTree — a host's registry of live namespaces and its proc inode allocator (fs/proc/generic.c's
 * proc_alloc_inum, kernel/nstree.c's tree).
 *
 * Inode numbers. The initial ipc, uts, user, pid and cgroup namespaces have fixed numbers
 * (PROC_*_INIT_INO, include/linux/proc_ns.h). Every other namespace takes the lowest free number of the
 * proc inode allocator (an IDA starting at PROC_DYNAMIC_FIRST = 0xF0000000), and a released number is
 * reused. On kernels 5.x–6.17 the initial net namespace is the first to allocate (4026531840) and the
 * initial mount namespace the second (4026531841), which is what `lsns` shows on today's hosts; this
 * emulation allocates them in that order. (Linux 6.18 gave both fixed numbers instead, 0xEFFFFFF9 and
 * 0xEFFFFFF8; older 4.x kernels allocated mnt first and net after /proc's entries, e.g. 4026531992.)
 * Between those two and the first namespace made after boot, /proc registers its own entries from the
 * same allocator: `firstFree` stands for where they end, so a container's namespaces get 4026532xxx.
 */
import { Emitter } from '../../base/emitter.ts';
import type { NsCommon } from './nsCommon.ts';

/** The initial IPC namespace's inode number (0xEFFFFFFF). */
export const PROC_IPC_INIT_INO = 0xefffffff;
/** The initial UTS namespace's inode number (0xEFFFFFFE). */
export const PROC_UTS_INIT_INO = 0xeffffffe;
/** The initial user namespace's inode number (0xEFFFFFFD). */
export const PROC_USER_INIT_INO = 0xeffffffd;
/** The initial pid namespace's inode number (0xEFFFFFFC). */
export const PROC_PID_INIT_INO = 0xeffffffc;
/** The initial cgroup namespace's inode number (0xEFFFFFFB). */
export const PROC_CGROUP_INIT_INO = 0xeffffffb;
/** The first inode number proc_alloc_inum hands out (0xF0000000 = 4026531840). */
export const PROC_DYNAMIC_FIRST = 0xf0000000;
/** Where the proc inode allocator stands once a host has booted (past /proc's own entries). */
export const DEFAULT_FIRST_FREE_INUM = 4026532160;

export class NsTree {
  private readonly live = new Map<number, NsCommon>();
  private readonly freed = new Set<number>();
  private next = PROC_DYNAMIC_FIRST;
  private booted = false;

  private readonly _onDidCreate = new Emitter<NsCommon>();
  /** Fires when a namespace is created (including the initial ones). */
  readonly onDidCreate = this._onDidCreate.event;
  private readonly _onDidRelease = new Emitter<NsCommon>();
  /** Fires when the last holder of a namespace lets go of it; its inode number is free again. */
  readonly onDidRelease = this._onDidRelease.event;

  /** @param firstFree the allocator's position after boot (see the module comment). */
  constructor(private readonly firstFree = DEFAULT_FIRST_FREE_INUM) {
    if (!Number.isInteger(firstFree) || firstFree < PROC_DYNAMIC_FIRST + 2) {
      throw new RangeError(`NsTree: firstFree must be an integer ≥ ${PROC_DYNAMIC_FIRST + 2}, got ${firstFree}`);
    }
  }

  /**
   * The lowest free proc inode number (proc_alloc_inum). The first two calls get PROC_DYNAMIC_FIRST and
   * the number after it (the initial net and mnt namespaces); later calls start at `firstFree`.
   */
  allocInum(): number {
    if (this.freed.size > 0) {
      const lowest = Math.min(...this.freed);
      this.freed.delete(lowest);
      return lowest;
    }
    if (!this.booted && this.next === PROC_DYNAMIC_FIRST + 2) {
      this.booted = true;
      this.next = this.firstFree;
    }
    if (this.next > 0xffffffff) throw new RangeError('NsTree: proc inode numbers exhausted');
    return this.next++;
  }

  /** Called by a namespace when it is created. */
  add(ns: NsCommon): void {
    this.live.set(ns.inum, ns);
    this._onDidCreate.fire(ns);
  }

  /** Called by a namespace when its last reference is dropped: frees a dynamic inode number for reuse. */
  remove(ns: NsCommon): void {
    if (this.live.get(ns.inum) !== ns) return;
    this.live.delete(ns.inum);
    if (ns.inum >= PROC_DYNAMIC_FIRST) this.freed.add(ns.inum);
    this._onDidRelease.fire(ns);
  }

  /** The live namespace with this inode number (what opening /proc/<pid>/ns/x or a bind mount of it finds). */
  find(inum: number): NsCommon | undefined {
    return this.live.get(inum);
  }

  /** Every live namespace, in creation order. */
  all(): NsCommon[] {
    return [...this.live.values()];
  }
}
