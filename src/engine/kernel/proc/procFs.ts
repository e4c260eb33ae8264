/**
 * ProcFs — the proc file system (fs/proc/root.c, base.c, generic.c, proc_sysctl.c): a PseudoFs bound, as
 * each proc mount is, to the pid namespace of the process that mounted it. Its root lists one directory per
 * process that namespace can see (by the number it has there), `self` and `thread-self` (the reader, or
 * dangling when the reader is not in that namespace), and the global files: meminfo, stat, uptime,
 * loadavg, version, cpuinfo, filesystems, mounts and net (links into self/), cmdline, swaps, partitions,
 * kmsg, and sys/kernel and sys/vm entries.
 */
import { KernelError } from '../errno.ts';
import type { FileSystemTypes } from '../fs/fileSystemTypes.ts';
import { PseudoFs, pseudoDir, type PseudoDir, type PseudoFile, type PseudoNode } from '../fs/pseudoFs.ts';
import { PROC_SUPER_MAGIC } from '../fs/superBlock.ts';
import { PID_MAX_LIMIT, RESERVED_PIDS, type PidNamespace } from '../ns/pidNamespace.ts';
import { procCpuinfo } from './cpuinfo.ts';
import { procMeminfo } from './meminfo.ts';
import { pidDir } from './pidDir.ts';
import type { ProcHost } from './procHost.ts';
import { procStat, procUptime } from './procStat.ts';

/** A proc superblock for a mount made by a process whose active pid namespace is `pidNs`. */
export function createProcFs(host: ProcHost, pidNs: PidNamespace, dev: number): PseudoFs {
  return new PseudoFs({ fsType: 'proc', magic: PROC_SUPER_MAGIC, dev, clock: host.clock, root: procRoot(host, pidNs) });
}

/** Register the `proc` file system type: each mount is bound to the mounter's active pid namespace. */
export function registerProcFs(fsTypes: FileSystemTypes, host: ProcHost): void {
  fsTypes.register('proc', (request) => createProcFs(host, host.current().pidNs, request.anonDev()));
}

function procRoot(host: ProcHost, pidNs: PidNamespace): PseudoDir {
  const file = (read: () => string, mode = 0o444, write?: PseudoFile['write']): PseudoFile => ({ type: 'file', mode, read, write });
  const selfPid = () => {
    const nr = host.current().pidIn(pidNs);
    if (nr === 0) throw new KernelError('ENOENT');
    return nr;
  };
  const fixed: Record<string, PseudoNode> = {
    self: { type: 'symlink', readlink: () => String(selfPid()) },
    'thread-self': { type: 'symlink', readlink: () => `${selfPid()}/task/${selfPid()}` },
    cmdline: file(() => `${host.cmdline}\n`),
    cpuinfo: file(() => procCpuinfo(host.cpus)),
    filesystems: file(() => host.fsTypes.list().map((t) => `${t.nodev ? 'nodev' : ''}\t${t.name}\n`).join('')),
    kmsg: file(() => host.kmsg.syslog(), 0o400),
    loadavg: file(() => procLoadavg(host)),
    meminfo: file(() => procMeminfo(host)),
    mounts: { type: 'symlink', readlink: () => 'self/mounts' },
    net: { type: 'symlink', readlink: () => 'self/net' },
    partitions: file(() => procPartitions(host)),
    stat: file(() => procStat(host)),
    swaps: file(() => 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n'),
    sys: procSys(host),
    uptime: file(() => procUptime(host)),
    version: file(() => `${host.linuxVersion}\n`),
  };
  const lookupPid = (name: string): PseudoNode | undefined => {
    if (!/^[1-9]\d*$/.test(name)) return undefined;
    const process = host.table.find(Number(name), pidNs);
    return process ? pidDir(host, process, pidNs) : undefined;
  };
  return {
    type: 'dir',
    mode: 0o555,
    lookup: (name) => fixed[name] ?? lookupPid(name),
    *list() {
      yield* Object.entries(fixed);
      for (const process of host.table.list(pidNs)) yield [String(process.pidIn(pidNs)), pidDir(host, process, pidNs)] as const;
    },
  };
}

/** /proc/loadavg: the averages, runnable/total threads, and the last pid of the reader's pid namespace. */
function procLoadavg(host: ProcHost): string {
  const processes = host.table.list();
  const threads = processes.reduce((n, p) => n + p.threads, 0);
  const running = Math.max(1, host.scheduler.nrRunning());
  return host.scheduler.loadavg.procLoadavg(running, threads, host.lastPid(host.current().pidNs));
}

/** /proc/partitions: `major minor  #blocks  name`, then one `%4d  %7d %10llu %s` line per device. */
function procPartitions(host: ProcHost): string {
  return 'major minor  #blocks  name\n\n' + host.partitions.map((p) => `${String(p.major).padStart(4)}  ${String(p.minor).padStart(7)} ${String(p.blocks).padStart(10)} ${p.name}\n`).join('');
}

/** /proc/sys: the sysctls the lab reads and writes. */
function procSys(host: ProcHost): PseudoDir {
  const uts = () => (host.current().nsproxy ?? host.table.initNs).uts;
  const sysctl = (read: () => string, write?: (value: string) => void): PseudoFile => ({
    type: 'file',
    mode: write ? 0o644 : 0o444,
    read: () => `${read()}\n`,
    write: write && ((data) => write(data.replace(/\n$/, ''))),
  });
  const integer = (text: string, min: number, max: number): number => {
    if (!/^\s*-?\d+\s*$/.test(text)) throw new KernelError('EINVAL');
    const n = Number(text.trim());
    if (n < min || n > max) throw new KernelError('EINVAL');
    return n;
  };
  const kernel = pseudoDir({
    hostname: sysctl(() => uts().hostname, (v) => uts().sethostname(v, host.current().cred)),
    domainname: sysctl(() => uts().domainname, (v) => uts().setdomainname(v, host.current().cred)),
    osrelease: sysctl(() => uts().utsname.release),
    ostype: sysctl(() => uts().utsname.sysname),
    version: sysctl(() => uts().utsname.version),
    pid_max: sysctl(
      () => String(host.table.initNs.pid.pidMax),
      (v) => (host.table.initNs.pid.pidMax = integer(v, RESERVED_PIDS + 1, PID_MAX_LIMIT)),
    ),
    dmesg_restrict: sysctl(
      () => String(host.sysctl.dmesgRestrict),
      (v) => (host.sysctl.dmesgRestrict = integer(v, 0, 1)),
    ),
  });
  const vm = pseudoDir({
    overcommit_memory: sysctl(
      () => String(host.sysctl.overcommitMemory),
      (v) => (host.sysctl.overcommitMemory = integer(v, 0, 2)),
    ),
  });
  return pseudoDir({ kernel, vm });
}
