/**
 * UserNamespace — user_namespaces(7) (kernel/user_namespace.c): an id space with uid_map and gid_map
 * onto its parent's, an owner (the creator's effective uid), and the capabilities its creator gets in it.
 *
 * Ids are kept as kernel ids (kuid/kgid): the id in the initial namespace. A map extent is stored as the
 * kernel does after a write: `first` inside this namespace, `lowerFirst` as a kernel id, `count` ids.
 * Writing a map follows map_write()/new_idmap_permitted(): once only, at most 340 lines, no overlaps,
 * the writer in this namespace or its parent with CAP_SYS_ADMIN here, and either CAP_SETUID/CAP_SETGID
 * in the parent or a single line mapping the writer's own effective id (for gid_map only after
 * `deny` was written to setgroups). Left out: the "verify the opener" cases for a map file opened by one
 * process and written by another (the writer is the opener here), and max_user_namespaces.
 */
import { KernelError } from '../errno.ts';
import { CAP, nsCapable } from '../process/capability.ts';
import { setCredUserNs, type Cred } from '../process/cred.ts';
import { NsCommon, type NsSet } from './nsCommon.ts';
import { PROC_USER_INIT_INO, type NsTree } from './nsTree.ts';

/** One line of a uid_map or gid_map. */
export interface IdMapExtent {
  /** The first id inside the namespace. */
  readonly first: number;
  /** The first id it maps to, as a kernel id (the initial namespace's id). */
  readonly lowerFirst: number;
  /** How many consecutive ids the line maps. */
  readonly count: number;
}

/** The most lines a uid_map or gid_map may hold (UID_GID_MAP_MAX_EXTENTS, since Linux 4.15). */
export const UID_GID_MAP_MAX_EXTENTS = 340;
/** The id an unmapped id shows as (/proc/sys/kernel/overflowuid and overflowgid). */
export const OVERFLOW_UID = 65534;
/** The group id an unmapped group shows as. */
export const OVERFLOW_GID = 65534;
/** How deep user namespaces nest below the initial one before clone/unshare fail with ENOSPC. */
export const MAX_USER_NS_LEVEL = 33;
/** A map file takes writes smaller than one page. */
const PAGE_SIZE = 4096;
const U32_MAX = 0xffffffff;

export class UserNamespace extends NsCommon {
  /** Always 'user'. */
  readonly type = 'user';
  /** 0 for the initial namespace, its parent's plus one below it. */
  readonly level: number;
  /** The effective uid (kernel id) of the process that created it. */
  readonly owner: number;
  /** The effective gid (kernel id) of the process that created it. */
  readonly group: number;
  /** Whether its creator held CAP_SETFCAP: needed to map the parent's uid 0 from inside. */
  readonly parentCouldSetfcap: boolean;
  private uidExtents: IdMapExtent[] = [];
  private gidExtents: IdMapExtent[] = [];
  private setgroupsAllowed = true;

  private constructor(tree: NsTree, readonly parent: UserNamespace | undefined, owner: number, group: number, couldSetfcap: boolean) {
    super(tree, parent, parent ? undefined : PROC_USER_INIT_INO);
    this.level = parent ? parent.level + 1 : 0;
    this.owner = owner;
    this.group = group;
    this.parentCouldSetfcap = couldSetfcap;
    if (parent) {
      parent.get();
      this.setgroupsAllowed = parent.setgroupsAllowed;
    } else {
      this.uidExtents = [{ first: 0, lowerFirst: 0, count: U32_MAX }];
      this.gidExtents = [{ first: 0, lowerFirst: 0, count: U32_MAX }];
    }
    this.register();
  }

  /** The initial user namespace (init_user_ns): identity maps `0 0 4294967295`. */
  static initial(tree: NsTree): UserNamespace {
    return new UserNamespace(tree, undefined, 0, 0, true);
  }

  /**
   * A new user namespace for a process with credentials `cred` (create_user_ns): a child of the
   * process's user namespace, owned by its effective ids, with empty maps. Returns it with the creator's
   * new credentials (every capability inside it). ENOSPC past the nesting limit, EPERM when the
   * creator's effective uid or gid has no mapping in its own namespace.
   */
  static create(tree: NsTree, cred: Cred): { ns: UserNamespace; cred: Cred } {
    const parent = cred.userNs;
    if (parent.level + 1 > MAX_USER_NS_LEVEL) throw new KernelError('ENOSPC');
    if (parent.fromKuid(cred.euid) === undefined || parent.fromKgid(cred.egid) === undefined) throw new KernelError('EPERM');
    const couldSetfcap = (cred.capEffective & (1n << BigInt(CAP.CAP_SETFCAP))) !== 0n;
    const ns = new UserNamespace(tree, parent, cred.euid, cred.egid, couldSetfcap);
    return { ns, cred: setCredUserNs(cred, ns) };
  }

  /** The uid_map lines, as the kernel keeps them (lower ids as kernel ids). */
  get uidMap(): readonly IdMapExtent[] {
    return this.uidExtents;
  }

  /** The gid_map lines, as the kernel keeps them (lower ids as kernel ids). */
  get gidMap(): readonly IdMapExtent[] {
    return this.gidExtents;
  }

  /** Whether setgroups(2) may be called in it: false once `deny` was written to /proc/<pid>/setgroups. */
  get setgroups(): 'allow' | 'deny' {
    return this.setgroupsAllowed ? 'allow' : 'deny';
  }

  /** The kernel id of uid `id` of this namespace (make_kuid), or undefined when it is not mapped. */
  makeKuid(id: number): number | undefined {
    return mapDown(this.uidExtents, id);
  }

  /** The kernel id of gid `id` of this namespace (make_kgid), or undefined when it is not mapped. */
  makeKgid(id: number): number | undefined {
    return mapDown(this.gidExtents, id);
  }

  /** The uid this namespace sees for kernel id `kuid` (from_kuid), or undefined when unmapped. */
  fromKuid(kuid: number): number | undefined {
    return mapUp(this.uidExtents, kuid);
  }

  /** The gid this namespace sees for kernel id `kgid` (from_kgid), or undefined when unmapped. */
  fromKgid(kgid: number): number | undefined {
    return mapUp(this.gidExtents, kgid);
  }

  /** from_kuid_munged: the uid seen here, or the overflow uid 65534 when unmapped. */
  fromKuidMunged(kuid: number): number {
    return this.fromKuid(kuid) ?? OVERFLOW_UID;
  }

  /** from_kgid_munged: the gid seen here, or the overflow gid 65534 when unmapped. */
  fromKgidMunged(kgid: number): number {
    return this.fromKgid(kgid) ?? OVERFLOW_GID;
  }

  /** Whether `ns` is this namespace or one of its descendants (in_userns). */
  isAncestorOf(ns: UserNamespace): boolean {
    for (let n: UserNamespace | undefined = ns; n; n = n.parent) if (n === this) return true;
    return false;
  }

  /** Write /proc/<pid>/uid_map of a process in this namespace, by a process with credentials `writer`. */
  writeUidMap(text: string, writer: Cred): void {
    this.writeMap('uid', text, writer);
  }

  /** Write /proc/<pid>/gid_map of a process in this namespace, by a process with credentials `writer`. */
  writeGidMap(text: string, writer: Cred): void {
    this.writeMap('gid', text, writer);
  }

  /**
   * Write /proc/<pid>/setgroups ("allow" or "deny"). EPERM without CAP_SYS_ADMIN here, to allow again
   * after deny, or to deny once gid_map is written; EINVAL for anything else.
   */
  writeSetgroups(text: string, writer: Cred): void {
    if (!nsCapable(writer, this, CAP.CAP_SYS_ADMIN)) throw new KernelError('EPERM');
    const m = /^(allow|deny)\s*$/.exec(text);
    if (!m) throw new KernelError('EINVAL');
    if (m[1] === 'allow') {
      if (!this.setgroupsAllowed) throw new KernelError('EPERM');
    } else {
      if (this.gidExtents.length > 0) throw new KernelError('EPERM');
      this.setgroupsAllowed = false;
    }
  }

  /**
   * The text of /proc/<pid>/uid_map (or gid_map) as a process in user namespace `reader` reads it: lower
   * ids shown in the reader's namespace, or in the parent's when the reader lives here (uid_m_show).
   */
  readMap(which: 'uid' | 'gid', reader: UserNamespace): string {
    const lowerNs = reader === this && this.parent ? this.parent : reader;
    const extents = which === 'uid' ? this.uidExtents : this.gidExtents;
    let out = '';
    for (const e of extents) {
      const lower = which === 'uid' ? lowerNs.fromKuid(e.lowerFirst) : lowerNs.fromKgid(e.lowerFirst);
      if (lower === undefined) continue;
      out += `${pad(e.first)} ${pad(lower)} ${pad(e.count)}\n`;
    }
    return out;
  }

  /**
   * setns(2) into a user namespace (userns_install): EINVAL for the caller's own namespace or a
   * multithreaded caller, EPERM without CAP_SYS_ADMIN in the target; the caller gets every capability in it.
   */
  install(nsset: NsSet): void {
    if (nsset.cred.userNs === this) throw new KernelError('EINVAL');
    if (nsset.threads !== 1) throw new KernelError('EINVAL');
    if (!nsCapable(nsset.cred, this, CAP.CAP_SYS_ADMIN)) throw new KernelError('EPERM');
    nsset.cred = setCredUserNs(nsset.cred, this);
  }

  protected override onRelease(): void {
    this.parent?.put();
  }

  private writeMap(which: 'uid' | 'gid', text: string, writer: Cred): void {
    const parent = this.parent;
    if (!parent) throw new KernelError('EPERM');
    if (writer.userNs !== this && writer.userNs !== parent) throw new KernelError('EPERM');
    if (text.length >= PAGE_SIZE) throw new KernelError('EINVAL');
    const current = which === 'uid' ? this.uidExtents : this.gidExtents;
    if (current.length > 0) throw new KernelError('EPERM');
    if (!nsCapable(writer, this, CAP.CAP_SYS_ADMIN)) throw new KernelError('EPERM');

    const extents = parseMap(text);
    if (!this.idmapPermitted(which, extents, writer)) throw new KernelError('EPERM');
    const lowered: IdMapExtent[] = [];
    for (const e of extents) {
      const parentExtents = which === 'uid' ? parent.uidExtents : parent.gidExtents;
      const lowerFirst = mapRangeDown(parentExtents, e.lowerFirst, e.count);
      if (lowerFirst === undefined) throw new KernelError('EPERM');
      lowered.push({ first: e.first, lowerFirst, count: e.count });
    }
    if (which === 'uid') this.uidExtents = lowered;
    else this.gidExtents = lowered;
  }

  /** new_idmap_permitted, with verify_root_map for uid maps. `extents` hold the parent's ids. */
  private idmapPermitted(which: 'uid' | 'gid', extents: readonly IdMapExtent[], writer: Cred): boolean {
    const parent = this.parent!;
    const setid = which === 'uid' ? CAP.CAP_SETUID : CAP.CAP_SETGID;
    if (which === 'uid' && extents.some((e) => e.lowerFirst === 0)) {
      const rootOk = writer.userNs === this ? this.parentCouldSetfcap : nsCapable(writer, parent, CAP.CAP_SETFCAP);
      if (!rootOk) return false;
    }
    const only = extents.length === 1 ? extents[0]! : undefined;
    if (only && only.count === 1 && this.owner === writer.euid) {
      if (which === 'uid' && parent.makeKuid(only.lowerFirst) === writer.euid) return true;
      if (which === 'gid' && !this.setgroupsAllowed && parent.makeKgid(only.lowerFirst) === writer.egid) return true;
    }
    return nsCapable(writer, parent, setid);
  }
}

/** Parse the text written to a map file; EINVAL for malformed, zero-length, wrapping or overlapping lines. */
function parseMap(text: string): IdMapExtent[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > UID_GID_MAP_MAX_EXTENTS) throw new KernelError('EINVAL');
  const extents: IdMapExtent[] = [];
  for (const line of lines) {
    const m = /^[ \t]*(\d+)[ \t]+(\d+)[ \t]+(\d+)[ \t]*$/.exec(line);
    if (!m) throw new KernelError('EINVAL');
    const [first, lowerFirst, count] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (first >= U32_MAX || lowerFirst >= U32_MAX || count > U32_MAX) throw new KernelError('EINVAL');
    if (count === 0 || first + count > U32_MAX + 1 || lowerFirst + count > U32_MAX + 1) throw new KernelError('EINVAL');
    const overlaps = extents.some(
      (e) => rangesOverlap(e.first, e.count, first, count) || rangesOverlap(e.lowerFirst, e.count, lowerFirst, count),
    );
    if (overlaps) throw new KernelError('EINVAL');
    extents.push({ first, lowerFirst, count });
  }
  if (extents.length === 0) throw new KernelError('EINVAL');
  return extents;
}

function rangesOverlap(a: number, aCount: number, b: number, bCount: number): boolean {
  return a < b + bCount && b < a + aCount;
}

function mapDown(extents: readonly IdMapExtent[], id: number): number | undefined {
  return mapRangeDown(extents, id, 1);
}

/** map_id_range_down: the kernel id of [id, id+count) when one extent maps all of it. */
function mapRangeDown(extents: readonly IdMapExtent[], id: number, count: number): number | undefined {
  for (const e of extents) {
    if (id >= e.first && id + count - 1 <= e.first + e.count - 1) return e.lowerFirst + (id - e.first);
  }
  return undefined;
}

function mapUp(extents: readonly IdMapExtent[], kid: number): number | undefined {
  for (const e of extents) {
    if (kid >= e.lowerFirst && kid <= e.lowerFirst + e.count - 1) return e.first + (kid - e.lowerFirst);
  }
  return undefined;
}

/** The kernel prints each map column as %10u. */
function pad(n: number): string {
  return String(n).padStart(10, ' ');
}
