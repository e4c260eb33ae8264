/**
 * IpcNamespace — ipc_namespaces(7) (ipc/namespace.c, ipc/util.c, msg.c, sem.c, shm.c): the System V
 * message queues, semaphore sets and shared memory segments of one namespace, with the keys, ids, owners
 * and modes `ipcs` lists and `ipcmk`/`ipcrm` change.
 *
 * Ids are made as ipc_idr_alloc does on current kernels: an index taken cyclically from 0 plus a
 * sequence number (bumped when the index wraps) shifted left by 15, so a fresh namespace hands out
 * 0, 1, 2… for each kind separately. Message contents, semaphore values and semop, and the memory behind
 * a segment are left out: a queue counts its messages and bytes, a segment its attaches.
 */
import { KernelError } from '../errno.ts';
import { CAP, nsCapable } from '../process/capability.ts';
import type { Cred } from '../process/cred.ts';
import { NsCommon, type NsSet } from './nsCommon.ts';
import { PROC_IPC_INIT_INO, type NsTree } from './nsTree.ts';
import type { UserNamespace } from './userNamespace.ts';

/** The key that always makes a new object. */
export const IPC_PRIVATE = 0;
/** msgget/semget/shmget flag: create if the key does not exist. */
export const IPC_CREAT = 0o1000;
/** With IPC_CREAT: fail with EEXIST if the key exists. */
export const IPC_EXCL = 0o2000;
/** Most objects of one kind per namespace (IPCMNI). */
export const IPCMNI = 32768;
/** The largest message queue (MSGMNB), in bytes. */
export const MSGMNB = 16384;
/** The largest message (MSGMAX), in bytes. */
export const MSGMAX = 8192;
/** Most semaphores in one set (SEMMSL). */
export const SEMMSL = 32000;
/** The largest segment (SHMMAX, as on 64-bit). */
export const SHMMAX = Number.MAX_SAFE_INTEGER;
/** The smallest segment (SHMMIN), in bytes. */
export const SHMMIN = 1;

/** The kinds of System V object, as `ipcs` names its sections. */
export type IpcKind = 'msg' | 'sem' | 'shm';

/** What every System V object has (struct kern_ipc_perm). Ids are kernel ids. */
export interface IpcPerm {
  /** Its key (IPC_PRIVATE = 0 shows as 0x00000000). */
  readonly key: number;
  /** Its id, what msgget/semget/shmget return. */
  readonly id: number;
  /** Owner uid and gid (changeable by IPC_SET). */
  uid: number;
  gid: number;
  /** Creator uid and gid. */
  readonly cuid: number;
  readonly cgid: number;
  /** The low 9 permission bits. */
  mode: number;
  /** When it was created or last changed, ms of virtual time. */
  ctime: number;
}

/** A message queue (struct msg_queue). */
export interface MsgQueue extends IpcPerm {
  readonly kind: 'msg';
  /** Bytes in the queue ("used-bytes"). */
  cbytes: number;
  /** Messages in the queue. */
  qnum: number;
  /** The most bytes it may hold. */
  qbytes: number;
  /** Sizes and types of the queued messages, oldest first. */
  readonly messages: Array<{ type: number; size: number }>;
}

/** A semaphore set (struct sem_array). */
export interface SemSet extends IpcPerm {
  readonly kind: 'sem';
  /** Semaphores in the set. */
  readonly nsems: number;
}

/** A shared memory segment (struct shmid_kernel). */
export interface ShmSegment extends IpcPerm {
  readonly kind: 'shm';
  /** Its size in bytes. */
  readonly size: number;
  /** Current attaches. */
  nattch: number;
  /** Marked for removal once the last attach goes ("dest" in ipcs' status). */
  dest: boolean;
}

/** Any System V object. */
export type IpcObject = MsgQueue | SemSet | ShmSegment;

/** One kind's id table (struct ipc_ids). */
class IpcIds<T extends IpcObject> {
  readonly byIndex = new Map<number, T>();
  private seq = 0;
  private lastIdx = -1;

  /** ipc_idr_alloc's choice of id: the next free index cyclically, the sequence bumped on a wrap. */
  nextId(): number {
    if (this.byIndex.size >= IPCMNI) throw new KernelError('ENOSPC');
    let idx = (this.lastIdx + 1) % IPCMNI;
    while (this.byIndex.has(idx)) idx = (idx + 1) % IPCMNI;
    if (idx <= this.lastIdx) this.seq = (this.seq + 1) % 65536;
    this.lastIdx = idx;
    return this.seq * IPCMNI + idx;
  }

  get(id: number): T | undefined {
    const obj = this.byIndex.get(id % IPCMNI);
    return obj && obj.id === id ? obj : undefined;
  }

  findKey(key: number): T | undefined {
    for (const obj of this.byIndex.values()) if (obj.key === key) return obj;
    return undefined;
  }

  list(): T[] {
    return [...this.byIndex.values()].sort((a, b) => (a.id % IPCMNI) - (b.id % IPCMNI));
  }
}

export class IpcNamespace extends NsCommon {
  /** Always 'ipc'. */
  readonly type = 'ipc';
  declare readonly userNs: UserNamespace;
  private readonly msgIds = new IpcIds<MsgQueue>();
  private readonly semIds = new IpcIds<SemSet>();
  private readonly shmIds = new IpcIds<ShmSegment>();

  private constructor(
    tree: NsTree,
    userNs: UserNamespace,
    initial: boolean,
    private readonly now: () => number,
  ) {
    super(tree, userNs, initial ? PROC_IPC_INIT_INO : undefined);
    userNs.get();
    this.register();
  }

  /** The initial IPC namespace (init_ipc_ns). `now` gives virtual time for ctime. */
  static initial(tree: NsTree, userNs: UserNamespace, now: () => number): IpcNamespace {
    return new IpcNamespace(tree, userNs, true, now);
  }

  /** A new, empty IPC namespace owned by `userNs` (copy_ipcs). */
  clone(userNs: UserNamespace): IpcNamespace {
    return new IpcNamespace(this.tree, userNs, false, this.now);
  }

  /** The message queues, as `ipcs -q` lists them. */
  msgQueues(): MsgQueue[] {
    return this.msgIds.list();
  }

  /** The semaphore sets, as `ipcs -s` lists them. */
  semSets(): SemSet[] {
    return this.semIds.list();
  }

  /** The shared memory segments, as `ipcs -m` lists them. */
  shmSegments(): ShmSegment[] {
    return this.shmIds.list();
  }

  /** msgget(2): the id of the queue with `key`, made when IPC_CREAT asks (`ipcmk -Q`). */
  msgget(key: number, msgflg: number, cred: Cred): number {
    return this.getOrCreate(this.msgIds, key, msgflg, cred, (perm) => ({ ...perm, kind: 'msg', cbytes: 0, qnum: 0, qbytes: MSGMNB, messages: [] }));
  }

  /** semget(2): EINVAL for nsems outside 0..SEMMSL, or 0 when creating (`ipcmk -S`). */
  semget(key: number, nsems: number, semflg: number, cred: Cred): number {
    if (!Number.isInteger(nsems) || nsems < 0 || nsems > SEMMSL) throw new KernelError('EINVAL');
    const existing = key === IPC_PRIVATE ? undefined : this.semIds.findKey(key);
    if (existing && nsems > existing.nsems) throw new KernelError('EINVAL');
    if (!existing && nsems === 0 && (semflg & IPC_CREAT) !== 0) throw new KernelError('EINVAL');
    return this.getOrCreate(this.semIds, key, semflg, cred, (perm) => ({ ...perm, kind: 'sem', nsems }));
  }

  /** shmget(2): EINVAL for a size outside SHMMIN..SHMMAX when creating, or larger than an existing one. */
  shmget(key: number, size: number, shmflg: number, cred: Cred): number {
    const existing = key === IPC_PRIVATE ? undefined : this.shmIds.findKey(key);
    if (existing && size > existing.size) throw new KernelError('EINVAL');
    if (!existing && (shmflg & IPC_CREAT) !== 0 && (!Number.isInteger(size) || size < SHMMIN || size > SHMMAX)) throw new KernelError('EINVAL');
    return this.getOrCreate(this.shmIds, key, shmflg, cred, (perm) => ({ ...perm, kind: 'shm', size, nattch: 0, dest: false }));
  }

  /** msgsnd(2) of a message of `size` bytes: EINVAL for a bad id, type < 1 or size > MSGMAX, EAGAIN when full. */
  msgsnd(id: number, type: number, size: number, cred: Cred): void {
    const q = this.msgIds.get(id);
    if (!q || type < 1 || size < 0 || size > MSGMAX) throw new KernelError('EINVAL');
    this.checkAccess(q, 0o2, cred);
    if (q.cbytes + size > q.qbytes) throw new KernelError('EAGAIN');
    q.messages.push({ type, size });
    q.qnum++;
    q.cbytes += size;
  }

  /**
   * msgrcv(2) with IPC_NOWAIT: takes the first message (of `type` when > 0) and returns its size;
   * ENOMSG is reported as undefined.
   */
  msgrcv(id: number, type: number, cred: Cred): number | undefined {
    const q = this.msgIds.get(id);
    if (!q) throw new KernelError('EINVAL');
    this.checkAccess(q, 0o4, cred);
    const i = q.messages.findIndex((m) => type <= 0 || m.type === type);
    if (i < 0) return undefined;
    const [m] = q.messages.splice(i, 1);
    q.qnum--;
    q.cbytes -= m!.size;
    return m!.size;
  }

  /** shmat(2): count an attach. EINVAL for a bad id. */
  shmat(id: number, cred: Cred): void {
    const seg = this.shmIds.get(id);
    if (!seg) throw new KernelError('EINVAL');
    this.checkAccess(seg, 0o4, cred);
    seg.nattch++;
  }

  /** shmdt(2): drop an attach; a segment marked for removal goes with its last attach. */
  shmdt(id: number): void {
    const seg = this.shmIds.get(id);
    if (!seg || seg.nattch === 0) throw new KernelError('EINVAL');
    seg.nattch--;
    if (seg.dest && seg.nattch === 0) this.shmIds.byIndex.delete(seg.id % IPCMNI);
  }

  /**
   * IPC_RMID (`ipcrm -q/-s/-m`): EINVAL for an unknown id, EPERM unless the caller owns or created it or
   * has CAP_SYS_ADMIN over the namespace's owner. An attached segment is only marked for removal, and
   * its key becomes IPC_PRIVATE.
   */
  rmid(kind: IpcKind, id: number, cred: Cred): void {
    const ids: IpcIds<IpcObject> = this.ids(kind);
    const obj = ids.get(id);
    if (!obj) throw new KernelError('EINVAL');
    const owner = cred.euid === obj.uid || cred.euid === obj.cuid;
    if (!owner && !nsCapable(cred, this.userNs, CAP.CAP_SYS_ADMIN)) throw new KernelError('EPERM');
    if (obj.kind === 'shm' && obj.nattch > 0) {
      obj.dest = true;
      (obj as { key: number }).key = IPC_PRIVATE;
      return;
    }
    ids.byIndex.delete(obj.id % IPCMNI);
  }

  /** The object of `kind` with this id. */
  find(kind: IpcKind, id: number): IpcObject | undefined {
    return this.ids(kind).get(id);
  }

  /** setns(2) into it: CAP_SYS_ADMIN over its owner and over the caller's own user namespace. */
  install(nsset: NsSet): void {
    this.requireSysAdmin(nsset);
    nsset.nsproxy.replace('ipc', this);
  }

  protected override onRelease(): void {
    for (const kind of ['msg', 'sem', 'shm'] as const) this.ids(kind).byIndex.clear();
    this.userNs.put();
  }

  private ids(kind: IpcKind): IpcIds<IpcObject> {
    return kind === 'msg' ? this.msgIds : kind === 'sem' ? this.semIds : this.shmIds;
  }

  /** ipcget: a new object for IPC_PRIVATE or an unknown key with IPC_CREAT, else the existing one. */
  private getOrCreate<T extends IpcObject>(ids: IpcIds<T>, key: number, flags: number, cred: Cred, make: (perm: IpcPerm) => T): number {
    const existing = key === IPC_PRIVATE ? undefined : ids.findKey(key);
    if (existing) {
      if ((flags & IPC_CREAT) !== 0 && (flags & IPC_EXCL) !== 0) throw new KernelError('EEXIST');
      const mode = flags & 0o777;
      this.checkAccess(existing, (mode >> 6) | (mode >> 3) | mode, cred);
      return existing.id;
    }
    if (key !== IPC_PRIVATE && (flags & IPC_CREAT) === 0) throw new KernelError('ENOENT');
    const id = ids.nextId();
    const obj = make({ key, id, uid: cred.euid, gid: cred.egid, cuid: cred.euid, cgid: cred.egid, mode: flags & 0o777, ctime: this.now() });
    ids.byIndex.set(id % IPCMNI, obj);
    return id;
  }

  /** ipcperms: EACCES unless the mode grants `want` (rwx bits) to the caller or it has CAP_IPC_OWNER. */
  private checkAccess(obj: IpcPerm, want: number, cred: Cred): void {
    let granted = obj.mode;
    if (cred.euid === obj.cuid || cred.euid === obj.uid) granted >>= 6;
    else if (cred.egid === obj.cgid || cred.egid === obj.gid || cred.groups.includes(obj.gid)) granted >>= 3;
    if ((want & ~granted & 0o7) === 0) return;
    if (nsCapable(cred, this.userNs, CAP.CAP_IPC_OWNER)) return;
    throw new KernelError('EACCES');
  }
}
