/**
 * /proc/<pid>/status — fs/proc/array.c's proc_pid_status for Linux 6.8 on x86_64, field by field: names,
 * ids (pids as the proc mount's pid namespace numbers them, uids and gids as the reader's user namespace
 * maps them), memory (absent for kernel threads and zombies), signals, capabilities, and the CPU and
 * memory-node masks of the process's cpuset.
 */
import { formatCpulist } from '../cgroup/cpulist.ts';
import type { PidNamespace } from '../ns/pidNamespace.ts';
import type { UserNamespace } from '../ns/userNamespace.ts';
import type { Pid } from '../process/pid.ts';
import type { Process } from '../process/process.ts';
import { maxThreadsHalf } from './limits.ts';
import { mmCounters, rssOf } from './mmCounters.ts';
import type { ProcHost } from './procHost.ts';

/** MAX_NUMNODES on Ubuntu (CONFIG_NODES_SHIFT=10): Mems_allowed prints this many bits. */
const MAX_NUMNODES = 1024;

const STATE_NAMES: Record<string, string> = { R: 'R (running)', S: 'S (sleeping)', D: 'D (disk sleep)', T: 'T (stopped)', Z: 'Z (zombie)', I: 'I (idle)' };

/** A 64-bit set as 16 hex digits (SigPnd, CapEff…). */
export function hex64(set: bigint): string {
  return set.toString(16).padStart(16, '0');
}

/** A bitmap as the kernel's %*pb prints it: hex in comma-separated 32-bit groups, `nbits` wide. */
export function bitmapHex(members: readonly number[], nbits: number): string {
  let set = 0n;
  for (const m of members) set |= 1n << BigInt(m);
  const digits = Math.ceil(nbits / 4);
  const text = set.toString(16).padStart(digits, '0');
  const groups: string[] = [];
  for (let end = text.length; end > 0; end -= 8) groups.unshift(text.slice(Math.max(0, end - 8), end));
  return groups.join(',');
}

/** `kB` lines: the name, a tab, the value right-aligned to 8, " kB". */
function kb(name: string, bytes: number): string {
  return `${name}:\t${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;
}

/** The text of /proc/<pid>/status of `process`, read through a proc mount of `pidNs` by a reader in `userNs`. */
export function procPidStatus(host: ProcHost, process: Process, pidNs: PidNamespace, userNs: UserNamespace): string {
  const cred = process.cred;
  const uid = (id: number) => userNs.fromKuidMunged(id);
  const gid = (id: number) => userNs.fromKgidMunged(id);
  const vfs = process.kthread || process.exitState !== undefined ? undefined : host.vfsFor(process);
  const umask = (vfs ? vfs.umask : process.kthread ? 0 : 0o022).toString(8).padStart(4, '0');
  const tgid = process.pidIn(pidNs);
  const nsPids = (pids: number[]) => (pids.length ? pids.join('\t') : '0');
  const pidsOf = (pid: Pid) =>
    pid.nrIn(pidNs) === 0 ? [] : pid.numbers.slice(pidNs.level).map((u) => u.nr);
  const sigq = maxThreadsHalf(host.memoryBytes);
  let out = '';
  out += `Name:\t${escapeComm(process.comm)}\n`;
  out += `Umask:\t${umask}\n`;
  out += `State:\t${STATE_NAMES[process.state]}\n`;
  out += `Tgid:\t${tgid}\nNgid:\t0\nPid:\t${tgid}\nPPid:\t${process.exitState === 'dead' ? 0 : process.ppidIn(pidNs)}\nTracerPid:\t0\n`;
  out += `Uid:\t${uid(cred.uid)}\t${uid(cred.euid)}\t${uid(cred.suid)}\t${uid(cred.fsuid)}\n`;
  out += `Gid:\t${gid(cred.gid)}\t${gid(cred.egid)}\t${gid(cred.sgid)}\t${gid(cred.fsgid)}\n`;
  out += `FDSize:\t${process.exitState ? 0 : 64}\n`;
  out += `Groups:\t${cred.groups.map(gid).join(' ')} \n`;
  out += `NStgid:\t${nsPids(process.pidsFrom(pidNs))}\nNSpid:\t${nsPids(process.pidsFrom(pidNs))}\n`;
  out += `NSpgid:\t${nsPids(process.kthread ? [] : pidsOf(process.pgrp))}\n`;
  out += `NSsid:\t${nsPids(process.kthread ? [] : pidsOf(process.session))}\n`;
  out += `Kthread:\t${process.kthread ? 1 : 0}\n`;
  const mm = mmCounters(host, process);
  if (mm) {
    const rss = rssOf(mm);
    out += kb('VmPeak', mm.vm) + kb('VmSize', mm.vm) + kb('VmLck', 0) + kb('VmPin', 0) + kb('VmHWM', rss) + kb('VmRSS', rss);
    out += kb('RssAnon', mm.anon) + kb('RssFile', mm.file) + kb('RssShmem', mm.shmem);
    out += kb('VmData', Math.max(0, mm.vm - mm.stack - mm.file)) + kb('VmStk', mm.stack) + kb('VmExe', mm.exe);
    out += kb('VmLib', Math.max(0, mm.file - mm.exe)) + kb('VmPTE', mm.pagetables) + kb('VmSwap', 0) + kb('HugetlbPages', 0);
    out += 'CoreDumping:\t0\nTHP_enabled:\t1\n';
  }
  out += 'untag_mask:\t0xffffffffffffffff\n';
  out += `Threads:\t${process.threads}\n`;
  out += `SigQ:\t${countBits(process.pending)}/${sigq}\n`;
  out += `SigPnd:\t${hex64(0n)}\nShdPnd:\t${hex64(process.pending)}\n`;
  out += `SigBlk:\t${hex64(process.blocked)}\nSigIgn:\t${hex64(process.kthread ? 0xffffffffffffffffn : process.ignoredSignals)}\nSigCgt:\t${hex64(process.caughtSignals)}\n`;
  out += `CapInh:\t${hex64(cred.capInheritable)}\nCapPrm:\t${hex64(cred.capPermitted)}\nCapEff:\t${hex64(cred.capEffective)}\n`;
  out += `CapBnd:\t${hex64(cred.capBounding)}\nCapAmb:\t${hex64(cred.capAmbient)}\n`;
  out += 'NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n';
  out += 'Speculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n';
  const cpuset = process.cgroup.css('cpuset');
  const cpus = cpuset.effectiveCpus;
  out += `Cpus_allowed:\t${bitmapHex(cpus, host.cpus)}\nCpus_allowed_list:\t${formatCpulist(cpus)}\n`;
  const mems = cpuset.effectiveMems;
  out += `Mems_allowed:\t${bitmapHex(mems, MAX_NUMNODES)}\nMems_allowed_list:\t${formatCpulist(mems)}\n`;
  const switches = contextSwitches(host, process);
  out += `voluntary_ctxt_switches:\t${switches.voluntary}\nnonvoluntary_ctxt_switches:\t${switches.nonvoluntary}\n`;
  if (host.machine === 'x86_64') out += 'x86_Thread_features:\t\nx86_Thread_features_locked:\t\n';
  return out;
}

/**
 * Context switches of a process: a sleeping process switched out once per second of its life it spent
 * waiting (voluntary), a running one once per 4 ms slice of CPU it used (involuntary). A model, not a count.
 */
export function contextSwitches(host: ProcHost, process: Process): { voluntary: number; nonvoluntary: number } {
  const stats = host.scheduler.taskStats(host.taskOf(process));
  const cpuMs = stats ? (stats.utimeNs + stats.stimeNs) / 1e6 : process.utimeMs + process.stimeMs;
  const lifeMs = host.clock.now() - process.startTime;
  return { voluntary: Math.floor(Math.max(0, lifeMs - cpuMs) / 1000) + 1, nonvoluntary: Math.floor(cpuMs / 4) };
}

/** The Name line escapes backslashes and newlines of comm (proc_task_name with ESCAPE_SPACE). */
function escapeComm(comm: string): string {
  return comm.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function countBits(set: bigint): number {
  let n = 0;
  for (let s = set; s > 0n; s >>= 1n) if (s & 1n) n++;
  return n;
}
