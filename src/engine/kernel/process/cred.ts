/**
 * Cred — a process's credentials (struct cred, include/linux/cred.h). Ids are kernel ids (kuid/kgid): the
 * id as the initial user namespace sees it; a namespace shows its own view through its uid_map/gid_map
 * (UserNamespace.fromKuid). Credentials are immutable: a change makes a new Cred, as commit_creds does.
 */
import type { UserNamespace } from '../ns/userNamespace.ts';
import { CAP_FULL_SET } from './capability.ts';

export interface Cred {
  /** Real user id. */
  readonly uid: number;
  /** Effective user id: what permission checks use. */
  readonly euid: number;
  /** Saved set-user-id. */
  readonly suid: number;
  /** Filesystem user id. */
  readonly fsuid: number;
  /** Real group id. */
  readonly gid: number;
  /** Effective group id. */
  readonly egid: number;
  /** Saved set-group-id. */
  readonly sgid: number;
  /** Filesystem group id. */
  readonly fsgid: number;
  /** Supplementary groups. */
  readonly groups: readonly number[];
  /** Capabilities preserved across execve for a file that allows them. */
  readonly capInheritable: bigint;
  /** Capabilities the process may take into its effective set. */
  readonly capPermitted: bigint;
  /** Capabilities the kernel checks. */
  readonly capEffective: bigint;
  /** The bounding set: a limit on what execve can grant. */
  readonly capBounding: bigint;
  /** Ambient capabilities, kept across execve of an unprivileged program. */
  readonly capAmbient: bigint;
  /** The user namespace these credentials live in. */
  readonly userNs: UserNamespace;
}

/** Root's credentials in `userNs`: uid and gid 0 (as mapped there) with every capability (init_cred). */
export function rootCred(userNs: UserNamespace): Cred {
  const uid = userNs.makeKuid(0) ?? 0;
  const gid = userNs.makeKgid(0) ?? 0;
  return {
    uid, euid: uid, suid: uid, fsuid: uid,
    gid, egid: gid, sgid: gid, fsgid: gid,
    groups: [],
    capInheritable: 0n,
    capPermitted: CAP_FULL_SET,
    capEffective: CAP_FULL_SET,
    capBounding: CAP_FULL_SET,
    capAmbient: 0n,
    userNs,
  };
}

/** Credentials of an ordinary user: all ids `uid`/`gid`, no capabilities, the full bounding set. */
export function userCred(userNs: UserNamespace, uid: number, gid: number, groups: readonly number[] = []): Cred {
  return {
    uid, euid: uid, suid: uid, fsuid: uid,
    gid, egid: gid, sgid: gid, fsgid: gid,
    groups: [...groups],
    capInheritable: 0n,
    capPermitted: 0n,
    capEffective: 0n,
    capBounding: CAP_FULL_SET,
    capAmbient: 0n,
    userNs,
  };
}

/**
 * The credentials of a process moved into user namespace `ns` (set_cred_user_ns): every capability in
 * it, nothing inheritable or ambient; the ids stay the same kernel ids.
 */
export function setCredUserNs(cred: Cred, ns: UserNamespace): Cred {
  return {
    ...cred,
    capInheritable: 0n,
    capPermitted: CAP_FULL_SET,
    capEffective: CAP_FULL_SET,
    capBounding: CAP_FULL_SET,
    capAmbient: 0n,
    userNs: ns,
  };
}

/**
 * The credentials after execve of a file without file capabilities or set-id bits
 * (cap_bprm_creds_from_file; capabilities(7), "Transformation of capabilities during execve()"): for root
 * (real or effective uid 0 in the process's user namespace) the file counts as having every capability,
 * so permitted = inheritable | bounding | ambient and, when the effective uid is 0, effective = permitted;
 * anyone else keeps the ambient set as permitted and effective. The saved and filesystem ids become the
 * effective ones.
 */
export function credAfterExecve(cred: Cred): Cred {
  const root = cred.userNs.makeKuid(0);
  const euidRoot = root !== undefined && cred.euid === root;
  const ruidRoot = root !== undefined && cred.uid === root;
  const permitted = (euidRoot || ruidRoot ? cred.capInheritable | cred.capBounding : 0n) | cred.capAmbient;
  return {
    ...cred,
    suid: cred.euid,
    fsuid: cred.euid,
    sgid: cred.egid,
    fsgid: cred.egid,
    capPermitted: permitted,
    capEffective: euidRoot ? permitted : cred.capAmbient,
  };
}
