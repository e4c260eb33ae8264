/**
 * readproc — procps-ng's library reading of /proc (library/readproc.c): one `ProcTask` per process from
 * `/proc/<pid>/stat`, `status`, `cmdline`, `cgroup`, `wchan` and the `ns/*` links, as text through the
 * shell's FileSystem, so the tools see exactly what the emulated kernel's procfs shows. A process that
 * vanishes between readdir and read is skipped, as procps skips it; an unreadable file leaves its fields
 * empty (procps prints `-`).
 */
import type { FileSystem } from '../../fs.ts';

/** The namespace types of /proc/<pid>/ns, in lsns's order. */
export const NS_TYPES = ['mnt', 'net', 'pid', 'uts', 'ipc', 'user', 'cgroup', 'time'] as const;
export type NsType = (typeof NS_TYPES)[number];

/** USER_HZ: the clock ticks of /proc times (100 on every Linux architecture procps runs on). */
export const HERTZ = 100;

/** One process (or, with `readTasks`, one thread) as procps sees it. */
export interface ProcTask {
  /** The pid (the tid for a thread). */
  readonly pid: number;
  /** The thread group id: the process's pid. */
  readonly tgid: number;
  readonly comm: string;
  /** The one-letter state of stat: R S D T t Z X I. */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  /** The controlling terminal as the kernel encodes it (major << 8 | minor), 0 for none. */
  readonly ttyNr: number;
  readonly tpgid: number;
  /** The kernel's PF_* flags. */
  readonly flags: number;
  /** CPU ticks in user and kernel mode, and those of waited-for children. */
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
  /** The kernel's priority (20 + nice for normal tasks; negative for real-time ones). */
  readonly priority: number;
  readonly nice: number;
  readonly nlwp: number;
  /** When the process started, in ticks after boot. */
  readonly startTime: number;
  /** Virtual memory size in bytes. */
  readonly vsize: number;
  /** Resident set in KiB (VmRSS, or stat's pages × 4). */
  readonly rssKb: number;
  /** Shared resident memory in KiB (RssFile + RssShmem). */
  readonly shareKb: number;
  /** Locked memory in KiB (VmLck). */
  readonly lockedKb: number;
  /** The CPU it last ran on. */
  readonly processor: number;
  /** The scheduling policy: 0 normal, 1 FIFO, 2 RR, 3 batch, 5 idle, 6 deadline. */
  readonly policy: number;
  /** Real, effective, saved and filesystem ids. */
  readonly uids: readonly [number, number, number, number];
  readonly gids: readonly [number, number, number, number];
  /** Supplementary groups. */
  readonly groups: readonly number[];
  /** The arguments; empty for a kernel thread (or a zombie). */
  readonly cmdline: readonly string[];
  /** The lines of /proc/<pid>/cgroup, or undefined when unreadable. */
  readonly cgroup: readonly string[] | undefined;
  /** The kernel function it sleeps in, '' when running or unknown. */
  readonly wchan: string;
  /** The inode of each namespace link; absent when the link cannot be read. */
  readonly ns: Partial<Record<NsType, number>>;
}

/** Every process under /proc, by pid. */
export function readproc(fs: FileSystem, root = '/proc'): ProcTask[] {
  const tasks: ProcTask[] = [];
  for (const pid of pidsIn(fs, root)) {
    const task = readTask(fs, `${root}/${pid}`);
    if (task) tasks.push(task);
  }
  return tasks;
}

/** The threads of one process (its /proc/<pid>/task entries), each with the process's status fields. */
export function readTasks(fs: FileSystem, process: ProcTask, root = '/proc'): ProcTask[] {
  const out: ProcTask[] = [];
  for (const tid of pidsIn(fs, `${root}/${process.pid}/task`)) {
    const stat = parseStat(tryRead(fs, `${root}/${process.pid}/task/${tid}/stat`));
    if (stat) out.push({ ...process, ...stat, pid: tid, tgid: process.pid });
  }
  return out.length > 0 ? out : [process];
}

/** One process from its /proc directory, or undefined when it is gone. */
export function readTask(fs: FileSystem, dir: string): ProcTask | undefined {
  const stat = parseStat(tryRead(fs, `${dir}/stat`));
  if (!stat) return undefined;
  const status = parseStatus(tryRead(fs, `${dir}/status`) ?? '');
  const ids = (key: string): [number, number, number, number] => {
    const v = (status.get(key) ?? '0 0 0 0').split(/\s+/).map(Number);
    return [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0, v[3] ?? 0];
  };
  const kb = (key: string): number | undefined => {
    const v = status.get(key);
    return v === undefined ? undefined : parseInt(v, 10);
  };
  const cmdline = tryRead(fs, `${dir}/cmdline`) ?? '';
  const cgroup = tryRead(fs, `${dir}/cgroup`);
  const wchan = tryRead(fs, `${dir}/wchan`) ?? '';
  const ns: Partial<Record<NsType, number>> = {};
  for (const type of NS_TYPES) {
    const inode = nsInode(fs, `${dir}/ns/${type}`);
    if (inode !== undefined) ns[type] = inode;
  }
  return {
    ...stat,
    tgid: parseInt(status.get('Tgid') ?? String(stat.pid), 10),
    rssKb: kb('VmRSS') ?? stat.rssPages * 4,
    shareKb: (kb('RssFile') ?? 0) + (kb('RssShmem') ?? 0),
    lockedKb: kb('VmLck') ?? 0,
    uids: ids('Uid'),
    gids: ids('Gid'),
    groups: (status.get('Groups') ?? '').split(/\s+/).filter((g) => g !== '').map(Number),
    cmdline: cmdline === '' ? [] : cmdline.replace(/\0$/, '').split('\0'),
    cgroup: cgroup === undefined ? undefined : cgroup.split('\n').filter((l) => l !== ''),
    wchan: wchan === '0' ? '' : wchan,
    ns,
  };
}

/** The inode in a namespace link's target (`net:[4026531840]`), or undefined when it cannot be read. */
export function nsInode(fs: FileSystem, path: string): number | undefined {
  try {
    const m = /:\[(\d+)\]$/.exec(fs.readlink(path));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A file's text, or undefined when it cannot be read (gone, EACCES…). */
export function tryRead(fs: FileSystem, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}

/** The numeric entries of a /proc directory, ascending. */
function pidsIn(fs: FileSystem, dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
}

type StatFields = Omit<ProcTask, 'tgid' | 'rssKb' | 'shareKb' | 'lockedKb' | 'uids' | 'gids' | 'groups' | 'cmdline' | 'cgroup' | 'wchan' | 'ns'> & { rssPages: number };

/** /proc/<pid>/stat: `pid (comm) state ppid …`; comm may hold spaces and parentheses, so split at the last ')'. */
function parseStat(text: string | undefined): StatFields | undefined {
  if (text === undefined) return undefined;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const f = text.slice(close + 2).trim().split(/\s+/);
  const n = (i: number) => Number(f[i] ?? 0);
  return {
    pid: parseInt(text, 10),
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: n(1),
    pgrp: n(2),
    session: n(3),
    ttyNr: n(4),
    tpgid: n(5),
    flags: n(6),
    utime: n(11),
    stime: n(12),
    cutime: n(13),
    cstime: n(14),
    priority: n(15),
    nice: n(16),
    nlwp: n(17),
    startTime: n(19),
    vsize: n(20),
    rssPages: n(21),
    processor: n(36),
    policy: n(38),
  };
}

/** /proc/<pid>/status as `Key:\tvalue` pairs. */
function parseStatus(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) map.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return map;
}
