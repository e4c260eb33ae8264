/**
 * /proc/<pid>/limits — the resource limits (getrlimit(2)) as fs/proc/base.c's proc_pid_limits prints them,
 * with the defaults a process of a freshly booted Ubuntu host inherits from init: RLIMIT_NPROC and
 * RLIMIT_SIGPENDING from the RAM (max_threads / 2), an 8 MiB stack, 1024/524288 open files (systemd's),
 * 8 MiB of locked memory, and the core size the process carries.
 */
import type { Process } from '../process/process.ts';

/** THREAD_SIZE / PAGE_SIZE × 8: set_max_threads' divisor of the RAM pages. */
const PAGES_PER_THREAD = 32;

/** RLIMIT_NPROC's and RLIMIT_SIGPENDING's default for a host with `memoryBytes` of RAM. */
export function maxThreadsHalf(memoryBytes: number): number {
  return Math.floor(Math.floor(memoryBytes / 4096 / PAGES_PER_THREAD) / 2);
}

/** One row: name, soft and hard limits (undefined for unlimited), unit. */
type LimitRow = [string, number | undefined, number | undefined, string];

/** The text of /proc/<pid>/limits for `process` on a host with `memoryBytes` of RAM. */
export function procPidLimits(process: Process, memoryBytes: number): string {
  const nproc = maxThreadsHalf(memoryBytes);
  const rows: LimitRow[] = [
    ['Max cpu time', undefined, undefined, 'seconds'],
    ['Max file size', undefined, undefined, 'bytes'],
    ['Max data size', undefined, undefined, 'bytes'],
    ['Max stack size', 8388608, undefined, 'bytes'],
    ['Max core file size', process.rlimitCore, undefined, 'bytes'],
    ['Max resident set', undefined, undefined, 'bytes'],
    ['Max processes', nproc, nproc, 'processes'],
    ['Max open files', 1024, 524288, 'files'],
    ['Max locked memory', 8388608, 8388608, 'bytes'],
    ['Max address space', undefined, undefined, 'bytes'],
    ['Max file locks', undefined, undefined, 'locks'],
    ['Max pending signals', nproc, nproc, 'signals'],
    ['Max msgqueue size', 819200, 819200, 'bytes'],
    ['Max nice priority', 0, 0, ''],
    ['Max realtime priority', 0, 0, ''],
    ['Max realtime timeout', undefined, undefined, 'us'],
  ];
  const cell = (v: number | undefined) => (v === undefined ? 'unlimited' : String(v)).padEnd(20);
  let out = `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n`;
  for (const [name, soft, hard, unit] of rows) out += `${name.padEnd(25)} ${cell(soft)} ${cell(hard)} ${unit ? unit.padEnd(10) : ''}\n`;
  return out;
}
