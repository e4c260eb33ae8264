/**
 * Host — one emulated Linux machine (a node): the kernel's pieces assembled and wired as a small Ubuntu
 * server boots them. It owns the file system types and character devices, an ext4 disk on /dev/vda1
 * mounted at / with the root file system skeleton, devtmpfs on /dev, proc on /proc, sysfs on /sys with the
 * cgroup hierarchy on /sys/fs/cgroup (cgroup2, or the v1 tmpfs with one mount per hierarchy), tmpfs on
 * /dev/shm, /run, /run/lock and /tmp, every mount shared as systemd leaves them; the process table with
 * pid 1 (/sbin/init, which reaps orphans), kthreadd (pid 2) and its kernel threads; the cgroup hierarchy
 * and the CFS scheduler; the TCP socket table; the kernel log; the programs binaries may name; and /etc/hostname, /etc/hosts,
 * /etc/passwd and /etc/group.
 *
 * Wiring: a fork puts the child into its parent's cgroup (pids.max may refuse it with EAGAIN); an exit
 * leaves the cgroup and the scheduler; the OOM killer's victims get SIGKILL through the process table;
 * the OOM killer's and overlayfs's lines go to the kernel log. Each process has a Vfs (its mount
 * namespace, root, cwd and credentials) kept in step with clone, unshare and setns. System calls made
 * through `vfsFor(process)` run with that process as `current`, which is what /proc/self, a proc mount's
 * pid namespace, a sysfs mount's net namespace and a cgroup2 mount's cgroup namespace are taken from.
 */
import type { Stdio } from './process/stdio.ts';
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { CgroupHierarchy, type Cgroup, type CgroupTask, type KernLevel } from './cgroup/cgroup.ts';
import { V1_MOUNTS } from './cgroup/cgroupV1Fs.ts';
import { KernelError } from './errno.ts';
import { ProgramRegistry, elfHeader, execve, type ExecHost } from './exec.ts';
import { CharDevices } from './fs/charDevices.ts';
import { Ext4 } from './fs/ext4.ts';
import { FileSystemTypes } from './fs/fileSystemTypes.ts';
import { S_IFBLK, S_IFMT, isRegular } from './fs/inode.ts';
import { makedev } from './fs/makedev.ts';
import { MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RDONLY, MS_REC, MS_REMOUNT, MS_SHARED, MountTable, dPath } from './fs/mountTable.ts';
import { ROOT_CRED, type Cred as FsCred } from './fs/permission.ts';
import { createRootfsSkeleton, ROOTFS_SKELETON } from './fs/rootfsSkeleton.ts';
import { Tmpfs } from './fs/tmpfs.ts';
import { OpenFile, Vfs } from './fs/vfs.ts';
import { Kmsg, type KernLogLevel } from './kmsg.ts';
import { Tcp } from './net/tcp.ts';
import { Udp } from './net/udp.ts';
import type { NetNamespace } from './ns/netNamespace.ts';
import type { PidNamespace } from './ns/pidNamespace.ts';
import type { Utsname } from './ns/utsNamespace.ts';
import { registerProcFs } from './proc/procFs.ts';
import type { Partition, ProcHost } from './proc/procHost.ts';
import { CAP, nsCapable } from './process/capability.ts';
import { userCred } from './process/cred.ts';
import type { Process } from './process/process.ts';
import { ProcessTable } from './process/processTable.ts';
import type { Program, ProgramContext } from './process/program.ts';
import { SIGCHLD, SIGKILL } from './process/signal.ts';
import { WNOHANG } from './process/waitStatus.ts';
import { CfsScheduler } from './sched/cfsScheduler.ts';
import { registerCgroupFs } from './sysfs/cgroupKernfs.ts';
import { registerSysFs } from './sysfs/sysFs.ts';

/** How a host is built. */
export interface HostOptions {
  /** Virtual time. */
  clock: Clock;
  /** Randomness: the disk's UUID, /dev/urandom. */
  rng: SeededRng;
  /** The hostname (initial UTS namespace, /etc/hostname). */
  hostname: string;
  /** Online CPUs. */
  cpus: number;
  /** RAM in bytes. */
  memoryBytes: number;
  /** 2 for the unified cgroup hierarchy, 1 for the legacy per-controller ones. */
  cgroupVersion: 1 | 2;
  /** uname -r (default "6.8.0-49-generic"). */
  kernelRelease?: string;
  /** uname -v (default: an Ubuntu build string whose number comes from the release). */
  kernelVersion?: string;
  /** /proc/version's line (default: `Linux version <release> (buildd@…) (<gcc>) <uname -v>`). */
  linuxVersion?: string;
  /** The kernel command line, /proc/cmdline (default: Ubuntu's GRUB line for the release). */
  cmdline?: string;
  /** The boot log printed when the host boots (default: an Ubuntu server's on KVM). */
  bootLog?: (host: Host) => readonly BootMessage[];
  /** uname -m (default "x86_64"). */
  machine?: string;
  /** When the host booted, ms of virtual time (default: now). */
  bootTime?: number;
  /** The root disk's size in bytes (default 20 GiB). */
  diskBytes?: number;
}

/** One line of a boot log: its stamp in µs since boot, its printk level and its text. */
export interface BootMessage {
  /** Microseconds since boot. */
  readonly usec: number;
  /** printk level. */
  readonly level: KernLogLevel;
  /** The line. */
  readonly text: string;
}

/** How `spawn` starts a process. */
export interface SpawnOptions {
  /** Its user (default 0: root). */
  uid?: number;
  /** Its group (default: the uid). */
  gid?: number;
  /** Supplementary groups. */
  groups?: readonly number[];
  /** Working directory (default "/"). */
  cwd?: string;
  /** Environment (default: PATH, HOME, TERM for root). */
  env?: readonly string[];
  /** Parent process (default: init). */
  parent?: Process;
  /** Controlling terminal, e.g. "pts/0". */
  tty?: string;
  /** Descriptors 0-2 of the child (default: inherited from the parent). */
  stdio?: Stdio;
}

/** The PATH a login shell gets on Ubuntu. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The kernel threads a freshly booted host shows, besides kthreadd and the per-CPU ones. */
const GLOBAL_KTHREADS = ['pool_workqueue_release', 'kworker/R-rcu_g', 'kworker/R-mm_pe', 'rcu_tasks_kthread', 'rcu_sched', 'kdevtmpfs', 'khungtaskd', 'oom_reaper', 'kcompactd0', 'khugepaged', 'kswapd0', 'jbd2/vda1-8'];
/** Per-CPU kernel threads, `N` replaced by the CPU number. */
const PERCPU_KTHREADS = ['cpuhp/N', 'migration/N', 'ksoftirqd/N', 'kworker/N:0-events', 'kworker/N:0H-kblockd'];

/** System users and groups of /etc/passwd and /etc/group. */
const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
  'sys:x:3:3:sys:/dev:/usr/sbin/nologin',
  'sync:x:4:65534:sync:/bin:/bin/sync',
  'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  'systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin',
  'messagebus:x:101:102::/nonexistent:/usr/sbin/nologin',
  'ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash',
];
const GROUP = [
  'root:x:0:',
  'daemon:x:1:',
  'bin:x:2:',
  'sys:x:3:',
  'adm:x:4:syslog,ubuntu',
  'tty:x:5:',
  'disk:x:6:',
  'www-data:x:33:',
  'sudo:x:27:ubuntu',
  'systemd-network:x:998:',
  'messagebus:x:102:',
  'nogroup:x:65534:',
  'ubuntu:x:1000:',
];

/** A process seen by the cgroup code (its thread-group leader: pid and tgid are its host pid). */
class ProcessTask implements CgroupTask {
  constructor(readonly process: Process) {}

  get pid(): number {
    return this.process.hostPid;
  }

  get tgid(): number {
    return this.process.hostPid;
  }

  get comm(): string {
    return this.process.comm;
  }

  get uid(): number {
    return this.process.cred.uid;
  }

  get nice(): number {
    return this.process.nice;
  }

  get oomScoreAdj(): number {
    return this.process.oomScoreAdj;
  }

  get totalVmBytes(): number | undefined {
    return this.process.vszKb > 0 ? this.process.vszKb * 1024 : undefined;
  }

  get cgroup(): Cgroup {
    return this.process.cgroup;
  }

  set cgroup(cg: Cgroup) {
    this.process.cgroup = cg;
  }
}

/** /sbin/init: reaps every child that dies (orphans included), as pid 1 must. */
class InitProgram implements Program {
  start(sys: ProgramContext): void {
    sys.sigaction(SIGCHLD, () => {
      for (;;) {
        try {
          if (!sys.waitpid(-1, WNOHANG)) return;
        } catch (error) {
          if (error instanceof KernelError && error.code === 'ECHILD') return;
          throw error;
        }
      }
    });
  }
}

export class Host implements ProcHost, ExecHost {
  /** Virtual time. */
  readonly clock: Clock;
  /** The host's randomness. */
  readonly rng: SeededRng;
  /** When the host booted, ms of virtual time. */
  readonly bootTime: number;
  /** Online CPUs. */
  readonly cpus: number;
  /** RAM in bytes. */
  readonly memoryBytes: number;
  /** uname -m. */
  readonly machine: string;
  /** uname -r. */
  readonly kernelRelease: string;
  /** /proc/version's line. */
  readonly linuxVersion: string;
  /** The kernel command line. */
  readonly cmdline: string;
  /** Block devices for /proc/partitions. */
  readonly partitions: readonly Partition[];
  /** Per-host sysctls. */
  readonly sysctl: { overcommitMemory: number; dmesgRestrict: number; transparentHugepage: 'always' | 'madvise' | 'never' } = { overcommitMemory: 0, dmesgRestrict: 1, transparentHugepage: 'madvise' };
  /** The kernel log (dmesg, /dev/kmsg). */
  readonly kmsg: Kmsg;
  /** Registered file system types. */
  readonly fsTypes: FileSystemTypes;
  /** Character device drivers. */
  readonly devices: CharDevices;
  /** The root disk, /dev/vda1. */
  readonly disk: Ext4;
  /** devtmpfs, mounted on /dev. */
  readonly devtmpfs: Tmpfs;
  /** The initial mount namespace's table. */
  readonly mounts: MountTable;
  /** The cgroup tree and memory controller. */
  readonly hierarchy: CgroupHierarchy;
  /** The CPU scheduler. */
  readonly scheduler: CfsScheduler;
  /** The processes. */
  readonly table: ProcessTable;
  /** The TCP sockets of every network namespace on the host (/proc/net/tcp, ss). */
  readonly tcp: Tcp;
  /** The UDP sockets of every network namespace on the host, and its UDP conntrack entries. */
  readonly udp: Udp;
  /** Programs binaries may name (`program=<name>`). */
  readonly programs = new ProgramRegistry();
  /** pid 1. */
  readonly init: Process;
  /** pid 2, parent of the kernel threads. */
  readonly kthreadd: Process;
  private readonly tasks = new Map<Process, ProcessTask>();
  private readonly vfss = new Map<Process, Vfs>();
  private readonly views = new Map<Process, Vfs>();
  private readonly vfsCreds = new WeakMap<Vfs, Process['cred']>();
  private readonly lastPids = new WeakMap<PidNamespace, number>();
  private currentProcess: Process | undefined;
  private forkCount = 0;
  private poweredOff = false;

  constructor(options: HostOptions) {
    this.clock = options.clock;
    this.rng = options.rng;
    this.bootTime = options.bootTime ?? options.clock.now();
    this.cpus = options.cpus;
    this.memoryBytes = options.memoryBytes;
    this.machine = options.machine ?? 'x86_64';
    this.kernelRelease = options.kernelRelease ?? '6.8.0-49-generic';
    const utsVersion =
      options.kernelVersion ?? `#${/^\d+\.\d+\.\d+-(\d+)/.exec(this.kernelRelease)?.[1] ?? '1'}-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024`;
    const gcc = `${this.machine}-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42`;
    this.linuxVersion = options.linuxVersion ?? `Linux version ${this.kernelRelease} (buildd@lcy02-amd64-103) (${gcc}) ${utsVersion}`;
    // systemd mounts the legacy hierarchies only when the command line asks for them (Ubuntu 21.10 and later).
    const legacyCgroups = options.cgroupVersion === 1 ? ' systemd.unified_cgroup_hierarchy=0' : '';
    this.cmdline = options.cmdline ?? `BOOT_IMAGE=/vmlinuz-${this.kernelRelease} root=/dev/vda1 ro console=tty1 console=ttyS0${legacyCgroups}`;
    const diskBytes = options.diskBytes ?? 20 * 1024 ** 3;
    this.partitions = [
      { major: 252, minor: 0, blocks: Math.floor(diskBytes / 1024) + 1024, name: 'vda' },
      { major: 252, minor: 1, blocks: Math.floor(diskBytes / 1024), name: 'vda1' },
    ];

    this.kmsg = new Kmsg(this.clock, this.bootTime);
    this.fsTypes = new FileSystemTypes(this.clock, { ramBytes: this.memoryBytes, printk: (line) => this.kmsg.printk('warning', line) });
    this.devices = new CharDevices();
    this.registerDevices();
    this.disk = new Ext4({ clock: this.clock, dev: makedev(252, 1), sizeBytes: diskBytes, options: 'discard,errors=remount-ro' });
    this.devtmpfs = new Tmpfs({ clock: this.clock, dev: this.fsTypes.anonDev(), mode: 0o755, ramBytes: this.memoryBytes, nrInodes: Math.floor(this.memoryBytes / 8192) }, 'devtmpfs');
    this.mounts = new MountTable(this.disk, { source: '/dev/vda1' });

    this.hierarchy = new CgroupHierarchy({
      version: options.cgroupVersion,
      cpus: this.cpus,
      totalRamBytes: this.memoryBytes,
      kill: (task) => {
        const process = this.processOf(task);
        if (process) this.table.signalFromKernel(process, SIGKILL);
      },
      log: (line: string, level: KernLevel) => this.kmsg.printk(level, line),
      findTask: (pid) => {
        const process = this.table.find(pid);
        return process && !process.exitState ? this.taskOf(process) : undefined;
      },
    });
    this.scheduler = new CfsScheduler({ clock: this.clock, hierarchy: this.hierarchy });
    const utsname: Partial<Utsname> = { nodename: options.hostname, release: this.kernelRelease, version: utsVersion, machine: this.machine };
    this.table = new ProcessTable({
      clock: this.clock,
      mounts: this.mounts,
      rootCgroup: this.hierarchy.root,
      utsname,
      bootTime: this.bootTime,
      cgroupFork: (parent, child) => this.cgroupFork(parent, child),
    });
    this.table.onDidFork(({ parent, child }) => this.didFork(parent, child));
    this.table.onDidChangeNamespaces(({ process, cause }) => this.didChangeNamespaces(process, cause));
    this.table.onDidExit((process) => this.didExit(process));
    this.table.onDidReap((process) => this.forget(process));
    const nsTree = this.table.nsTree;
    const netRng = this.rng.fork('net');
    this.tcp = new Tcp({
      clock: this.clock,
      initial: this.table.initNs.net,
      namespaces: () => nsTree.all().filter((ns): ns is NetNamespace => ns.type === 'net'),
      onDidExit: this.table.onDidExit,
      random: () => netRng.next(),
    });
    const udpRng = this.rng.fork('udp');
    this.udp = new Udp({
      clock: this.clock,
      initial: this.table.initNs.net,
      namespaces: () => nsTree.all().filter((ns): ns is NetNamespace => ns.type === 'net'),
      onDidExit: this.table.onDidExit,
      random: () => udpRng.next(),
    });

    this.registerFileSystems();
    const rootVfs = new Vfs({ mounts: this.mounts, fsTypes: this.fsTypes, devices: this.devices });
    createRootfsSkeleton(rootVfs);
    this.writeEtc(rootVfs, options.hostname);
    this.programs.register('init', () => new InitProgram());
    rootVfs.writeFile('/usr/sbin/init', elfHeader('init', this.machine), { mode: 0o755, apparentSize: 1_838_456 });

    this.init = this.table.spawnInit({ exe: '/usr/sbin/init', argv: ['/sbin/init'], env: ['HOME=/', 'TERM=linux'], program: this.programs.create('init') });
    this.vfss.set(this.init, rootVfs);
    this.adopt(this.init);
    this.kthreadd = this.kthread('kthreadd');
    for (const name of GLOBAL_KTHREADS.slice(0, 5)) this.kthread(name, this.kthreadd);
    for (let cpu = 0; cpu < this.cpus; cpu++) for (const name of PERCPU_KTHREADS) this.kthread(name.replace('N', String(cpu)), this.kthreadd);
    for (const name of GLOBAL_KTHREADS.slice(5)) this.kthread(name, this.kthreadd);

    this.mountFileSystems();
    for (const line of (options.bootLog ?? ubuntuBootLog)(this)) this.kmsg.printk(line.level, line.text, line.usec);
  }

  // —— ProcHost / ExecHost ——

  /** The process making the current system call; init when the kernel itself asks. */
  current(): Process {
    return this.currentProcess ?? this.init;
  }

  /** Processes forked since boot (init and kernel threads included). */
  get forks(): number {
    return this.forkCount;
  }

  /** The last pid handed out in `ns`. */
  lastPid(ns: PidNamespace): number {
    return this.lastPids.get(ns) ?? 0;
  }

  /** The cgroup task standing for `process`. */
  taskOf(process: Process): CgroupTask {
    let task = this.tasks.get(process);
    if (!task) this.tasks.set(process, (task = new ProcessTask(process)));
    return task;
  }

  /** The process a cgroup task stands for. */
  processOf(task: CgroupTask): Process | undefined {
    return task instanceof ProcessTask ? task.process : undefined;
  }

  /**
   * The file system view of `process` (ESRCH once it has exited): its mount namespace, root, cwd and
   * credentials. Every call on it, and on the files it opens, runs with `process` as `current`. Wrap it in a
   * ProcessFileSystem to run the lab shell's commands as that process.
   */
  vfsFor(process: Process): Vfs {
    const view = this.views.get(process);
    if (view) return view;
    const vfs = this.vfss.get(process);
    if (!vfs) throw new KernelError('ESRCH');
    const wrapped = this.asCurrent(process, vfs);
    this.views.set(process, wrapped);
    return wrapped;
  }

  /** Run `fn` as a system call of `process`: it is `current`, and its Vfs has its file system credentials. */
  runAs<T>(process: Process, fn: () => T): T {
    const previous = this.currentProcess;
    this.currentProcess = process;
    const vfs = this.vfss.get(process);
    if (vfs && this.vfsCreds.get(vfs) !== process.cred) {
      const cred = process.cred;
      vfs.cred = cred.fsuid === 0 && cred.fsgid === 0 && cred.groups.length === 0 ? ROOT_CRED : ({ uid: cred.fsuid, gid: cred.fsgid, groups: cred.groups } satisfies FsCred);
      this.vfsCreds.set(vfs, cred);
    }
    try {
      return fn();
    } finally {
      this.currentProcess = previous;
    }
  }

  // —— what the shell hook and the runtime use ——

  /** execve(2) of `path` by `process` (see exec.ts): ENOENT, EACCES, ENOEXEC, ELOOP. */
  execve(process: Process, path: string, argv: readonly string[], env: readonly string[]): void {
    this.runAs(process, () => execve(this, process, path, argv, env));
  }

  /**
   * fork + execve: a child of `parent` (default init) with `uid`/`gid`, `cwd`, `env` and `tty`, running the
   * binary `argv[0]` names (searched in the environment's PATH when it has no slash). On failure the child
   * exits with 127 and the error is thrown.
   */
  spawn(argv: readonly string[], options: SpawnOptions = {}): Process {
    if (this.poweredOff) throw new KernelError('EPERM', argv[0]);
    const env = options.env ?? [`PATH=${DEFAULT_PATH}`, 'HOME=/root', 'TERM=xterm-256color'];
    const child = this.table.clone(options.parent ?? this.init);
    try {
      const uid = options.uid ?? 0;
      if (uid !== 0 || (options.gid ?? 0) !== 0 || options.groups?.length) {
        this.table.commitCreds(child, userCred(child.cred.userNs, uid, options.gid ?? uid, options.groups ?? []));
      }
      child.tty = options.tty ?? options.stdio?.tty;
      if (options.stdio) child.stdio = options.stdio;
      const vfs = this.vfsFor(child);
      vfs.chdir(options.cwd ?? '/');
      const name = argv[0] ?? '';
      this.execve(child, this.lookPath(vfs, name, env), argv, env);
    } catch (error) {
      if (child.exitState === undefined && !child.exiting) this.table.exit(child, 127);
      throw error;
    }
    return child;
  }

  /** Whether `halt` has powered the host off. */
  get halted(): boolean {
    return this.poweredOff;
  }

  /**
   * Power the machine off, as the end of `systemctl poweroff` does: every process but init and the kernel
   * threads is killed (SIGKILL, children before parents, so nothing is left to react), and the host runs
   * nothing again: `spawn` fails with EPERM. What was on its disk goes with it.
   */
  halt(): void {
    this.poweredOff = true;
    for (const process of this.table.list().reverse()) {
      if (process !== this.init && !process.kthread && process.exitState === undefined) this.table.signalFromKernel(process, SIGKILL);
    }
  }

  /** Write a lab binary at `path` (mode 0755) whose ELF head names `program`. */
  installProgram(path: string, program: string, apparentSize = 1_000_000): void {
    this.vfsFor(this.init).writeFile(path, elfHeader(program, this.machine), { mode: 0o755, apparentSize });
  }

  /** uname(2) as `process` (default: the host) sees it. */
  uname(process: Process = this.init): Readonly<Utsname> {
    return (process.nsproxy ?? this.table.initNs).uts.utsname;
  }

  /** The host's hostname (the initial UTS namespace's). */
  get hostname(): string {
    return this.table.initNs.uts.hostname;
  }

  /** sethostname(2) by `process` in its UTS namespace: EPERM without CAP_SYS_ADMIN there, EINVAL past 64 bytes. */
  sethostname(process: Process, name: string): void {
    const uts = process.nsproxy?.uts;
    if (!uts) throw new KernelError('ESRCH');
    uts.sethostname(name, process.cred);
  }

  /** What `dmesg` prints. */
  dmesg(): string {
    return this.kmsg.dmesg();
  }

  /**
   * syslog(2) SYSLOG_ACTION_READ_ALL by `process` (klogctl, how busybox's dmesg and util-linux's without
   * /dev/kmsg read the log): the kept records as `<6>[    4.567890] text` lines. With kernel.dmesg_restrict
   * set (Ubuntu's default) it takes CAP_SYSLOG in the initial user namespace, which a container's root
   * lacks: EPERM.
   */
  syslog(process: Process): string {
    if (this.sysctl.dmesgRestrict && !nsCapable(process.cred, this.table.initNs.user, CAP.CAP_SYSLOG)) throw new KernelError('EPERM');
    return this.kmsg.syslog();
  }

  // —— wiring ——

  private cgroupFork(parent: Process, child: Process): void {
    const target = child.cgroup;
    const task = new ProcessTask(child);
    this.hierarchy.fork(this.taskOf(parent), task);
    this.tasks.set(child, task);
    if (target !== parent.cgroup) this.hierarchy.move(task, target);
  }

  private didFork(parent: Process, child: Process): void {
    this.noteNewPid(child);
    const parentVfs = this.vfss.get(parent);
    if (!parentVfs) return;
    const vfs = parentVfs.fork();
    const mnt = child.nsproxy?.mnt;
    if (mnt && mnt.mounts !== vfs.mounts) vfs.setMounts(mnt.mounts);
    this.vfss.set(child, vfs);
  }

  private didChangeNamespaces(process: Process, cause: 'unshare' | 'setns'): void {
    const vfs = this.vfss.get(process);
    const mounts = process.nsproxy?.mnt.mounts;
    if (!vfs || !mounts || mounts === vfs.mounts) return;
    if (cause === 'unshare') vfs.setMounts(mounts);
    else {
      vfs.mounts = mounts;
      vfs.root = mounts.rootPath();
      vfs.cwd = vfs.root;
    }
  }

  private didExit(process: Process): void {
    const task = this.tasks.get(process);
    if (!task) return;
    this.hierarchy.exit(task);
    this.scheduler.remove(task);
  }

  private forget(process: Process): void {
    this.tasks.delete(process);
    this.vfss.delete(process);
    this.views.delete(process);
  }

  /** Put a process made outside fork (init, kernel threads) into the root cgroup. */
  private adopt(process: Process): void {
    this.hierarchy.attach(this.taskOf(process), this.hierarchy.root);
    this.noteNewPid(process);
  }

  private kthread(name: string, parent?: Process): Process {
    const kthread = this.table.kthreadCreate(name, parent);
    this.adopt(kthread);
    return kthread;
  }

  private noteNewPid(process: Process): void {
    this.forkCount++;
    for (const upid of process.pid.numbers) this.lastPids.set(upid.ns, upid.nr);
  }

  /** A view of `target` whose calls (and the calls of the files it opens) run as `process`. */
  private asCurrent<T extends object>(process: Process, target: T): T {
    return new Proxy(target, {
      get: (object, property) => {
        const value: unknown = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          this.runAs(process, () => {
            const result: unknown = Reflect.apply(value, object, args);
            if (property === 'chdir' || property === 'chroot' || property === 'pivotRoot') this.syncFsStrings(process);
            return result instanceof OpenFile ? this.asCurrent(process, result) : result;
          });
      },
    });
  }

  /** Keep Process.cwd and Process.root (what setns and ps read) in step with the Vfs. */
  private syncFsStrings(process: Process): void {
    const vfs = this.vfss.get(process);
    if (!vfs) return;
    process.cwd = vfs.getcwd();
    process.root = dPath(vfs.root, vfs.mounts.rootPath()) ?? '/';
  }

  /** execvp(3)'s search in `vfs`: a name with a slash is a path; otherwise the first regular file in `env`'s PATH (ENOENT). */
  lookPath(vfs: Vfs, name: string, env: readonly string[]): string {
    if (name === '') throw new KernelError('ENOENT', name);
    if (name.includes('/')) return name;
    const path = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
    for (const dir of path.split(':')) {
      const candidate = `${dir || '.'}/${name}`;
      try {
        if (isRegular(vfs.stat(candidate).mode)) return candidate;
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
      }
    }
    throw new KernelError('ENOENT', name);
  }

  // —— boot ——

  private registerDevices(): void {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const random = { read: () => this.rng.string(alphabet, 512), write: () => {} };
    this.devices.register(makedev(1, 8), random);
    this.devices.register(makedev(1, 9), random);
    this.devices.register(makedev(1, 11), this.kmsg.device());
    this.devices.register(makedev(5, 1), { read: () => '', write: () => {} });
  }

  private registerFileSystems(): void {
    registerSysFs(this.fsTypes, this);
    registerProcFs(this.fsTypes, this);
    registerCgroupFs(this.fsTypes, this);
    this.fsTypes.register('devtmpfs', () => this.devtmpfs);
    this.fsTypes.register(
      'ext4',
      (request) => {
        const device = request.resolve(request.source).inode.getattr();
        if ((device.mode & S_IFMT) !== S_IFBLK) throw new KernelError('ENOTBLK');
        if (device.rdev !== this.disk.dev) throw new KernelError('ENXIO');
        return this.disk;
      },
      false,
    );
  }

  private writeEtc(vfs: Vfs, hostname: string): void {
    vfs.writeFile('/etc/hostname', `${hostname}\n`);
    vfs.writeFile(
      '/etc/hosts',
      `127.0.0.1 localhost\n127.0.1.1 ${hostname}\n\n# The following lines are desirable for IPv6 capable hosts\n` +
        '::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n',
    );
    vfs.writeFile('/etc/passwd', PASSWD.map((l) => `${l}\n`).join(''));
    vfs.writeFile('/etc/group', GROUP.map((l) => `${l}\n`).join(''));
    vfs.mkdirAll('/home/ubuntu', 0o750);
    vfs.chown('/home/ubuntu', 1000, 1000);
  }

  /** The mounts systemd leaves on a small Ubuntu server, all shared. */
  private mountFileSystems(): void {
    const vfs = this.vfsFor(this.init);
    const nosuidNodevNoexec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    vfs.mount('udev', '/dev', 'devtmpfs', MS_NOSUID);
    createRootfsSkeleton(vfs, '/', ROOTFS_SKELETON.filter((e) => e.path.startsWith('/dev/')));
    createRootfsSkeleton(vfs, '/', [
      { path: '/dev/kmsg', chr: 0o644, major: 1, minor: 11 },
      { path: '/dev/console', chr: 0o600, major: 5, minor: 1 },
    ]);
    for (const [path, minor] of [['/dev/vda', 0], ['/dev/vda1', 1]] as const) {
      vfs.mknod(path, S_IFBLK | 0o660, makedev(252, minor));
      vfs.chown(path, 0, 6);
    }
    vfs.mount('tmpfs', '/dev/shm', 'tmpfs', MS_NOSUID | MS_NODEV);
    vfs.mount('proc', '/proc', 'proc', nosuidNodevNoexec);
    vfs.mount('sysfs', '/sys', 'sysfs', nosuidNodevNoexec);
    if (this.hierarchy.version === 2) vfs.mount('cgroup2', '/sys/fs/cgroup', 'cgroup2', nosuidNodevNoexec);
    else {
      vfs.mount('tmpfs', '/sys/fs/cgroup', 'tmpfs', nosuidNodevNoexec, 'mode=755');
      for (const hierarchy of V1_MOUNTS) {
        const dir = `/sys/fs/cgroup/${hierarchy.name}`;
        vfs.mkdir(dir, 0o555);
        vfs.mount('cgroup', dir, 'cgroup', nosuidNodevNoexec, hierarchy.name === 'systemd' ? 'xattr,name=systemd' : hierarchy.name);
        for (const link of hierarchy.links) vfs.symlink(hierarchy.name, `/sys/fs/cgroup/${link}`);
      }
      vfs.mount('tmpfs', '/sys/fs/cgroup', 'tmpfs', MS_REMOUNT | MS_RDONLY | nosuidNodevNoexec);
    }
    vfs.mount('tmpfs', '/run', 'tmpfs', nosuidNodevNoexec, `size=${Math.floor(this.memoryBytes / 10 / 1024)}k,mode=755`);
    vfs.mkdir('/run/lock', 0o1777);
    vfs.mount('tmpfs', '/run/lock', 'tmpfs', nosuidNodevNoexec, 'size=5120k');
    vfs.mount('tmpfs', '/tmp', 'tmpfs', MS_NOSUID | MS_NODEV);
    vfs.mount('none', '/', '', MS_SHARED | MS_REC);
  }
}

/** An Ubuntu server's short boot log on KVM, stamped as the kernel stamped it while booting. */
function ubuntuBootLog(host: Host): BootMessage[] {
  const ramKb = Math.floor(host.memoryBytes / 1024);
  const reservedKb = Math.floor(ramKb * 0.03);
  const uuid = host.rng.uuid();
  const lines: Array<[number, 'notice' | 'info' | 'warning', string]> = [
    [0, 'notice', host.linuxVersion],
    [0, 'info', `Command line: ${host.cmdline}`],
    [0, 'info', 'KERNEL supported cpus:'],
    [0, 'info', '  Intel GenuineIntel'],
    [0, 'info', '  AMD AuthenticAMD'],
    [0, 'info', 'DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014'],
    [0, 'info', 'Hypervisor detected: KVM'],
    [0, 'info', `Memory: ${ramKb - reservedKb}K/${ramKb}K available (22528K kernel code, 4432K rwdata, 14332K rodata, 4948K init, 4836K bss, ${reservedKb}K reserved, 0K cma-reserved)`],
    [0, 'info', `SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=${host.cpus}, Nodes=1`],
    [0, 'info', 'rcu: Hierarchical RCU implementation.'],
    [41_207, 'info', 'smp: Bringing up secondary CPUs ...'],
    [48_931, 'info', `smp: Brought up 1 node, ${host.cpus} CPU${host.cpus === 1 ? '' : 's'}`],
    [52_114, 'info', 'devtmpfs: initialized'],
    [412_560, 'info', 'NET: Registered PF_INET protocol family'],
    [987_331, 'info', `EXT4-fs (vda1): mounted filesystem ${uuid} ro with ordered data mode. Quota mode: none.`],
    [1_001_274, 'info', 'Run /sbin/init as init process'],
    [1_462_802, 'info', `EXT4-fs (vda1): re-mounted ${uuid} r/w. Quota mode: none.`],
  ];
  return lines.map(([usec, level, text]) => ({ usec, level, text }));
}
