/**
 * capability — the POSIX capabilities of capabilities(7) with their Linux numbers
 * (include/uapi/linux/capability.h), capability sets as 64-bit masks (bigint, as /proc/<pid>/status
 * prints them: CapEff 000001ffffffffff), and the kernel's check of a capability against a user namespace
 * (security/commoncap.c cap_capable).
 */
import type { UserNamespace } from '../ns/userNamespace.ts';
import type { Cred } from './cred.ts';

/** Capability numbers by name. */
export const CAP = {
  CAP_CHOWN: 0,
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_FOWNER: 3,
  CAP_FSETID: 4,
  CAP_KILL: 5,
  CAP_SETGID: 6,
  CAP_SETUID: 7,
  CAP_SETPCAP: 8,
  CAP_LINUX_IMMUTABLE: 9,
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_IPC_LOCK: 14,
  CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16,
  CAP_SYS_RAWIO: 17,
  CAP_SYS_CHROOT: 18,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21,
  CAP_SYS_BOOT: 22,
  CAP_SYS_NICE: 23,
  CAP_SYS_RESOURCE: 24,
  CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26,
  CAP_MKNOD: 27,
  CAP_LEASE: 28,
  CAP_AUDIT_WRITE: 29,
  CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31,
  CAP_MAC_OVERRIDE: 32,
  CAP_MAC_ADMIN: 33,
  CAP_SYSLOG: 34,
  CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36,
  CAP_AUDIT_READ: 37,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
  CAP_CHECKPOINT_RESTORE: 40,
} as const;

/** A capability's name, e.g. "CAP_SYS_ADMIN". */
export type CapName = keyof typeof CAP;

/** The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap). */
export const CAP_LAST_CAP = 40;

/** Every capability: the set a root process or a user namespace's creator holds (0x1ffffffffff). */
export const CAP_FULL_SET = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;

/** The mask with just this capability. */
export function capMask(cap: number): bigint {
  return 1n << BigInt(cap);
}

/** The mask holding every capability named or numbered. */
export function capSet(caps: ReadonlyArray<CapName | number>): bigint {
  let mask = 0n;
  for (const cap of caps) mask |= capMask(typeof cap === 'number' ? cap : CAP[cap]);
  return mask;
}

/** The capability names in a mask, lowest number first (as capsh --decode lists them, lowercased there). */
export function capNames(mask: bigint): CapName[] {
  return (Object.keys(CAP) as CapName[]).filter((name) => (mask & capMask(CAP[name])) !== 0n);
}

/**
 * Whether credentials hold `cap` over user namespace `ns` (cap_capable): a process has it when it lives
 * in `ns` and has it in its effective set, or in an ancestor of `ns` where it has it, or when it is the
 * owner of `ns` (or of an ancestor below its own namespace) and lives in that namespace's parent.
 */
export function nsCapable(cred: Cred, ns: UserNamespace, cap: number): boolean {
  for (let target: UserNamespace | undefined = ns; target; target = target.parent) {
    if (target === cred.userNs) return (cred.capEffective & capMask(cap)) !== 0n;
    if (target.level <= cred.userNs.level) return false;
    if (target.parent === cred.userNs && target.owner === cred.euid) return true;
  }
  return false;
}
