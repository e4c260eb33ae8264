/**
 * mmCounters — a process's memory map sizes as /proc/<pid>/status, stat and statm report them (the
 * mm_struct counters of include/linux/mm_types.h), from what the memory controller has charged for it.
 * A process whose program charged nothing shows the RSS its accounting fields carry (Process.rssKb), as
 * anonymous memory. Kernel threads and zombies have no memory map.
 */
import type { Process } from '../process/process.ts';
import type { ProcHost } from './procHost.ts';

/** Sizes in bytes. */
export interface MmCounters {
  /** Total mapped (VmSize, ps VSZ). */
  readonly vm: number;
  /** Resident anonymous, file-backed and shared memory. */
  readonly anon: number;
  readonly file: number;
  readonly shmem: number;
  /** Page tables (VmPTE). */
  readonly pagetables: number;
  /** The stack mapping (VmStk). */
  readonly stack: number;
  /** The executable's text (VmExe). */
  readonly exe: number;
}

/** The stack of a fresh process: 132 KiB. */
const STACK_BYTES = 132 * 1024;

/** The counters of `process`, or undefined for one without a memory map. */
export function mmCounters(host: ProcHost, process: Process): MmCounters | undefined {
  if (process.kthread || process.exitState !== undefined) return undefined;
  const usage = host.hierarchy.memory.usage(host.taskOf(process));
  let anon = usage.anon;
  if (usage.anon + usage.file + usage.shmem === 0) anon = process.rssKb * 1024;
  const rss = anon + usage.file + usage.shmem;
  const vm = Math.max(process.vszKb * 1024, rss + STACK_BYTES);
  return { vm, anon, file: usage.file, shmem: usage.shmem, pagetables: usage.pagetables, stack: STACK_BYTES, exe: Math.min(usage.file, 1024 * 1024) };
}

/** The resident total (VmRSS). */
export function rssOf(mm: MmCounters): number {
  return mm.anon + mm.file + mm.shmem;
}
