/**
 * /proc/<pid>/stat and /proc/<pid>/statm — fs/proc/array.c's do_task_stat (the 52 fields proc(5) lists,
 * what ps and top parse) and proc_pid_statm (sizes in pages).
 */
import { makedev } from '../fs/makedev.ts';
import type { PidNamespace } from '../ns/pidNamespace.ts';
import type { Process } from '../process/process.ts';
import { mmCounters, rssOf } from './mmCounters.ts';
import type { ProcHost } from './procHost.ts';

const PAGE_SIZE = 4096;
/** task->flags of a user process after exec (PF_RANDOMIZE) and of a kernel thread (PF_KTHREAD | PF_NOFREEZE…). */
const PF_USER = 0x00400000;
const PF_KTHREAD_FLAGS = 0x00208040;
/** RLIM_INFINITY as an unsigned long. */
const RLIM_INFINITY = '18446744073709551615';

/** The tty_nr of a controlling terminal name: "pts/3" → (136, 3), "tty1" → (4, 1), none → 0. */
export function ttyNr(tty: string | undefined): number {
  if (!tty) return 0;
  const pts = /^pts\/(\d+)$/.exec(tty);
  if (pts) return makedev(136 + (Number(pts[1]) >> 20), Number(pts[1]) & 0xfffff);
  const vt = /^tty(\d+)$/.exec(tty);
  if (vt) return makedev(4, Number(vt[1]));
  const serial = /^ttyS(\d+)$/.exec(tty);
  return serial ? makedev(4, 64 + Number(serial[1])) : 0;
}

/** The text of /proc/<pid>/stat of `process` seen through a proc mount of `pidNs`. */
export function procPidStat(host: ProcHost, process: Process, pidNs: PidNamespace): string {
  const mm = mmCounters(host, process);
  const stats = host.scheduler.taskStats(host.taskOf(process));
  const ticks = (ns: number) => Math.floor(ns / 1e7);
  const utime = stats ? ticks(stats.utimeNs) : process.utime;
  const stime = stats ? ticks(stats.stimeNs) : process.stime;
  const tty = ttyNr(process.tty);
  const pgrp = process.kthread ? 0 : process.pgidIn(pidNs);
  const session = process.kthread ? 0 : process.sidIn(pidNs);
  const exitCode = process.exitState ? (process.exitStatus ?? 0) : 0;
  const fields: Array<string | number> = [
    process.pidIn(pidNs),
    `(${process.comm})`,
    process.state,
    process.ppidIn(pidNs),
    pgrp,
    session,
    tty,
    tty ? pgrp : -1,
    process.kthread ? PF_KTHREAD_FLAGS : PF_USER,
    0, 0, 0, 0,
    utime,
    stime,
    0, 0,
    20 + process.nice,
    process.nice,
    process.threads,
    0,
    process.starttime,
    mm ? mm.vm : 0,
    mm ? Math.floor(rssOf(mm) / PAGE_SIZE) : 0,
    mm ? RLIM_INFINITY : 0,
    mm ? 1 : 0, mm ? 1 : 0, 0, 0, 0,
    0, 0, 0, 0,
    0, 0, 0,
    process.exitSignal,
    stats ? stats.cpu : 0,
    0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0,
    exitCode,
  ];
  return fields.join(' ') + '\n';
}

/** The text of /proc/<pid>/statm: size resident shared text lib data dt, in pages. */
export function procPidStatm(host: ProcHost, process: Process): string {
  const mm = mmCounters(host, process);
  if (!mm) return '0 0 0 0 0 0 0\n';
  const pages = (bytes: number) => Math.floor(bytes / PAGE_SIZE);
  return `${pages(mm.vm)} ${pages(rssOf(mm))} ${pages(mm.file + mm.shmem)} ${pages(mm.exe)} 0 ${pages(Math.max(0, mm.vm - mm.file))} 0\n`;
}
