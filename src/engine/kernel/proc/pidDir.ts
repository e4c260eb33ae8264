/**
 * /proc/<pid>/ — fs/proc/base.c's per-process directory (tgid_base_stuff): the files a process's state is
 * read and changed through. Pids are numbered as the proc mount's pid namespace sees them; uids, uid_map
 * lines and cgroup paths as the reading process's namespaces see them. The ns/ links name namespaces
 * (`net:[4026531840]`), and root, cwd and exe name paths as the reader sees them. net/ shows the sockets
 * of the process's network namespace (tcp, tcp6), fd/ its stdio and its sockets.
 *
 * Left out: following the ns/, root, cwd and exe links into the target's own namespaces (they resolve as
 * plain paths in the reader's view), ptrace access checks (hidepid), the time namespace, and most of the
 * ~60 entries a real /proc/<pid> has (maps, smaps, io, wchan…).
 */
import { V1_MOUNTS } from '../cgroup/cgroupV1Fs.ts';
import { oomBadness } from '../cgroup/oomKill.ts';
import { KernelError } from '../errno.ts';
import { dPath } from '../fs/mountTable.ts';
import { procNetTcp, procNetTcp6 } from '../net/procNetTcp.ts';
import { pseudoDir, type PseudoDir, type PseudoFile, type PseudoNode } from '../fs/pseudoFs.ts';
import type { PidNamespace } from '../ns/pidNamespace.ts';
import { CAP, nsCapable } from '../process/capability.ts';
import type { Process } from '../process/process.ts';
import { procPidLimits } from './limits.ts';
import { procMountinfo, procMounts } from './mountinfo.ts';
import { procPidSched } from './pidSched.ts';
import { procPidStat, procPidStatm } from './pidStat.ts';
import type { ProcHost } from './procHost.ts';
import { procPidStatus } from './status.ts';

/** OOM_SCORE_ADJ_MIN and _MAX. */
const OOM_ADJ_MIN = -1000;
const OOM_ADJ_MAX = 1000;

/** The v1 hierarchy ids /proc/<pid>/cgroup prints: name=systemd is 1, the others follow V1_MOUNTS' order. */
const V1_HIERARCHY_IDS: ReadonlyArray<[number, string]> = [
  [1, 'name=systemd'],
  ...V1_MOUNTS.filter((m) => m.name !== 'systemd').map((m, i): [number, string] => [i + 2, m.name]),
];

/** The directory /proc/<pid> (or /proc/<pid>/task/<tid> with `task` false) of `process`, through a proc mount of `pidNs`. */
export function pidDir(host: ProcHost, process: Process, pidNs: PidNamespace, task = true): PseudoDir {
  const owner = { uid: process.cred.euid, gid: process.cred.egid };
  const file = (read: () => string, mode = 0o444, write?: PseudoFile['write']): PseudoFile => ({ type: 'file', ...owner, mode, read, write });
  const reader = () => host.current();
  const entries: Record<string, PseudoNode> = {
    stat: file(() => procPidStat(host, process, pidNs)),
    status: file(() => procPidStatus(host, process, pidNs, reader().cred.userNs)),
    statm: file(() => procPidStatm(host, process)),
    cmdline: file(() => (process.exitState || process.kthread ? '' : process.argv.map((a) => `${a}\0`).join(''))),
    comm: file(
      () => `${process.comm}\n`,
      0o644,
      (data) => {
        if (reader() !== process) throw new KernelError('EINVAL');
        process.comm = data.replace(/\n$/, '').slice(0, 15);
      },
    ),
    environ: file(() => (process.exitState ? '' : process.environ.map((e) => `${e}\0`).join('')), 0o400),
    cgroup: file(() => procPidCgroup(host, process)),
    mountinfo: file(() => procMountinfo(liveVfs(host, process))),
    mounts: file(() => procMounts(liveVfs(host, process))),
    limits: file(() => procPidLimits(process, host.memoryBytes)),
    sched: file(() => procPidSched(host, process, pidNs)),
    oom_score: file(() => `${oomScore(host, process)}\n`),
    oom_score_adj: file(() => `${process.oomScoreAdj}\n`, 0o644, (data) => writeOomScoreAdj(host, process, data)),
    uid_map: file(() => process.cred.userNs.readMap('uid', reader().cred.userNs), 0o644, (data) => process.cred.userNs.writeUidMap(data, reader().cred)),
    gid_map: file(() => process.cred.userNs.readMap('gid', reader().cred.userNs), 0o644, (data) => process.cred.userNs.writeGidMap(data, reader().cred)),
    setgroups: file(() => `${process.cred.userNs.setgroups}\n`, 0o644, (data) => process.cred.userNs.writeSetgroups(data, reader().cred)),
    ns: nsDir(process, owner),
    fd: fdDir(host, process, owner),
    net: netDir(host, process, owner),
    root: { type: 'symlink', ...owner, readlink: () => fsLink(host, process, 'root') },
    cwd: { type: 'symlink', ...owner, readlink: () => fsLink(host, process, 'cwd') },
    exe: {
      type: 'symlink',
      ...owner,
      readlink: () => {
        if (!process.exe || process.exitState) throw new KernelError('ENOENT');
        return process.exe;
      },
    },
  };
  if (task) {
    const tid = () => String(process.pidIn(pidNs));
    entries.task = { type: 'dir', ...owner, mode: 0o555, list: () => [[tid(), pidDir(host, process, pidNs, false)]] };
  }
  return pseudoDir(entries, { ...owner, mode: 0o555 });
}

/** /proc/<pid>/cgroup: `0::/path` on cgroup v2, one line per hierarchy on v1; paths from the reader's cgroup namespace. */
export function procPidCgroup(host: ProcHost, process: Process): string {
  const ns = host.current().nsproxy?.cgroup ?? host.table.initNs.cgroup;
  const path = ns.relativePath(process.cgroup);
  if (host.hierarchy.version === 2) return `0::${path}\n`;
  return [...V1_HIERARCHY_IDS]
    .reverse()
    .map(([id, name]) => `${id}:${name}:${path}\n`)
    .join('');
}

function liveVfs(host: ProcHost, process: Process) {
  if (process.exitState || process.kthread) throw new KernelError('EINVAL');
  return host.vfsFor(process);
}

/** proc_oom_score: the badness scaled into 0..2000 and then by 2/3, 0 for init and kernel threads. */
function oomScore(host: ProcHost, process: Process): number {
  if (process.kthread || process.exitState) return 0;
  const memory = host.hierarchy.memory;
  const task = host.taskOf(process);
  const totalPages = Math.floor(memory.totalRamBytes / memory.pageSize);
  const badness = oomBadness(task, memory.usage(task), totalPages, memory.pageSize);
  if (badness === undefined) return 0;
  return Math.max(0, Math.floor(((1000 + Math.trunc((badness * 1000) / totalPages)) * 2) / 3));
}

/** oom_score_adj_write: an integer in -1000..1000; lowering it needs CAP_SYS_RESOURCE (EACCES). */
function writeOomScoreAdj(host: ProcHost, process: Process, data: string): void {
  if (!/^\s*-?\d+\s*$/.test(data)) throw new KernelError('EINVAL');
  const value = Number(data.trim());
  if (value < OOM_ADJ_MIN || value > OOM_ADJ_MAX) throw new KernelError('EINVAL');
  const writer = host.current().cred;
  if (value < process.oomScoreAdj && !nsCapable(writer, host.table.initNs.user, CAP.CAP_SYS_RESOURCE)) throw new KernelError('EACCES');
  process.oomScoreAdj = value;
}

/** /proc/<pid>/ns: one symlink per namespace, `type:[inum]`. */
function nsDir(process: Process, owner: { uid: number; gid: number }): PseudoDir {
  const links = () => process.nsLinks().map((l): [string, PseudoNode] => [l.name, { type: 'symlink', ...owner, readlink: () => l.link }]);
  return { type: 'dir', ...owner, mode: 0o511, list: links };
}

/** /proc/<pid>/fd: stdin, stdout and stderr on the controlling terminal (or /dev/null without one), then its sockets, `socket:[inode]`. */
function fdDir(host: ProcHost, process: Process, owner: { uid: number; gid: number }): PseudoDir {
  const list = (): Array<[string, PseudoNode]> => {
    if (process.exitState || process.kthread) return [];
    const target = process.tty ? `/dev/${process.tty}` : '/dev/null';
    const stdio = ['0', '1', '2'].map((fd): [string, PseudoNode] => [fd, { type: 'symlink', ...owner, mode: 0o700, readlink: () => target }]);
    const sockets = host.tcp.socketsOf(process).map((s): [string, PseudoNode] => [String(s.fd), { type: 'symlink', ...owner, mode: 0o700, readlink: () => `socket:[${s.inode}]` }]);
    return [...stdio, ...sockets];
  };
  return { type: 'dir', ...owner, mode: 0o500, list };
}

/** /proc/<pid>/net: the files of the process's network namespace (tcp, tcp6), as /proc/net shows the reader's. */
function netDir(host: ProcHost, process: Process, owner: { uid: number; gid: number }): PseudoDir {
  const netns = () => {
    const net = process.exitState ? undefined : process.nsproxy?.net;
    if (!net) throw new KernelError('EINVAL');
    return net;
  };
  return pseudoDir(
    {
      tcp: { type: 'file', mode: 0o444, read: () => procNetTcp(host.tcp.sockets(netns())) },
      tcp6: { type: 'file', mode: 0o444, read: () => (netns(), procNetTcp6()) },
    },
    { ...owner, mode: 0o555 },
  );
}

/** The root or cwd of `process` as the reader's root sees it (from the namespace root when outside it). */
function fsLink(host: ProcHost, process: Process, which: 'root' | 'cwd'): string {
  if (process.exitState || process.kthread) throw new KernelError('ENOENT');
  const vfs = host.vfsFor(process);
  const ref = which === 'root' ? vfs.root : vfs.cwd;
  const readerRoot = host.vfsFor(host.current()).root;
  return dPath(ref, readerRoot) ?? dPath(ref, ref.mount.table.rootPath()) ?? '/';
}
