import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { KernelError } from './errno.ts';
import { elfHeader } from './exec.ts';
import { MS_NOEXEC, MS_PRIVATE, MS_REC } from './fs/mountTable.ts';
import { ProcessFileSystem } from './fs/processFileSystem.ts';
import { Host, type HostOptions } from './host.ts';
import { CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID } from './ns/cloneFlags.ts';
import type { Process } from './process/process.ts';
import type { ProgramContext } from './process/program.ts';

const GiB = 1024 ** 3;
const BOOT = Date.UTC(2026, 0, 1);

function boot(options: Partial<HostOptions> = {}): Host {
  const clock = new Clock({ startTime: BOOT + 30_000 });
  const host = new Host({ clock, rng: new SeededRng(7), hostname: 'node-1', cpus: 2, memoryBytes: 4 * GiB, cgroupVersion: 2, bootTime: BOOT, ...options });
  /** A program that sleeps until it is killed. */
  host.programs.register('sleep', () => ({ start: (sys: ProgramContext) => sys.setRunState('S') }));
  host.installProgram('/usr/bin/sleep', 'sleep');
  return host;
}

function read(host: Host, process: Process, path: string): string {
  return host.vfsFor(process).readFile(path);
}

function errno(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
  return undefined;
}

describe('Host boot', () => {
  it('shows the mounts of a small Ubuntu server in /proc/self/mountinfo', () => {
    const host = boot();
    const lines = read(host, host.init, '/proc/self/mountinfo').trimEnd().split('\n');
    const byPoint = new Map(lines.map((l) => [l.split(' ')[4], l]));
    expect(byPoint.get('/')).toMatch(/^21 1 252:1 \/ \/ rw,relatime shared:1 - ext4 \/dev\/vda1 rw,discard,errors=remount-ro$/);
    expect(byPoint.get('/proc')).toMatch(/^\d+ 21 0:\d+ \/ \/proc rw,nosuid,nodev,noexec,relatime shared:\d+ - proc proc rw$/);
    expect(byPoint.get('/sys/fs/cgroup')).toMatch(/ \/sys\/fs\/cgroup rw,nosuid,nodev,noexec,relatime shared:\d+ - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot$/);
    expect(byPoint.get('/dev')).toMatch(/ - devtmpfs udev rw,/);
    expect([...byPoint.keys()]).toEqual(['/', '/dev', '/dev/shm', '/proc', '/sys', '/sys/fs/cgroup', '/run', '/run/lock', '/tmp']);
    expect(read(host, host.init, '/proc/mounts')).toContain('proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n');
  });

  it('runs init as pid 1 and kthreadd as pid 2 with kernel threads beneath it', () => {
    const host = boot();
    const status = read(host, host.init, '/proc/1/status');
    expect(status).toMatch(/^Name:\tinit\nUmask:\t0022\nState:\tS \(sleeping\)\nTgid:\t1\nNgid:\t0\nPid:\t1\nPPid:\t0\nTracerPid:\t0\n/);
    expect(status).toContain('Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t \nNStgid:\t1\nNSpid:\t1\nNSpgid:\t1\nNSsid:\t1\nKthread:\t0\n');
    expect(status).toContain('CapEff:\t000001ffffffffff\n');
    expect(status).toContain('Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\n');
    expect(status).toMatch(/Mems_allowed:\t(00000000,){31}00000001\nMems_allowed_list:\t0\n/);
    const kthreadd = read(host, host.init, '/proc/2/status');
    expect(kthreadd).toContain('Name:\tkthreadd\n');
    expect(kthreadd).toContain('PPid:\t0\n');
    expect(kthreadd).toContain('Kthread:\t1\n');
    expect(kthreadd).not.toContain('VmRSS');
    const worker = host.table.list().find((p) => p.comm === 'ksoftirqd/0')!;
    expect(read(host, host.init, `/proc/${worker.hostPid}/stat`)).toMatch(new RegExp(`^${worker.hostPid} \\(ksoftirqd/0\\) I 2 0 0 0 -1 `));
    expect(read(host, host.init, `/proc/${worker.hostPid}/cmdline`)).toBe('');
    expect(read(host, host.init, '/proc/1/cmdline')).toBe('/sbin/init\0');
  });

  it('reports memory consistent with the root cgroup in /proc/meminfo', () => {
    const host = boot();
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(read(host, host.init, '/proc/meminfo'))![1]);
    expect(read(host, host.init, '/proc/meminfo')).toMatch(/^MemTotal: {8}4194304 kB\nMemFree:  +\d+ kB\nMemAvailable: +\d+ kB\nBuffers: +\d+ kB\n/);
    const free = field('MemFree');
    const proc = host.spawn(['sleep']);
    expect(host.hierarchy.memory.charge(host.taskOf(proc), 512 * 1024 * 1024).ok).toBe(true);
    expect(free - field('MemFree')).toBeGreaterThanOrEqual(512 * 1024);
    expect(field('AnonPages')).toBeGreaterThanOrEqual(512 * 1024);
    expect(field('MemAvailable')).toBeLessThan(field('MemTotal'));
  });

  it('counts cpu time, forks and load in /proc/stat and /proc/loadavg', () => {
    const host = boot();
    const busy = host.spawn(['sleep']);
    host.scheduler.setDemand(host.taskOf(busy), 1);
    host.clock.advance(60_000);
    const stat = read(host, host.init, '/proc/stat');
    const cpu = /^cpu {2}(\d+) (\d+) (\d+) (\d+) 0 0 0 0 0 0$/m.exec(stat)!;
    expect(Number(cpu[1])).toBe(6000);
    expect(Number(cpu[1]) + Number(cpu[4])).toBe(2 * 6000);
    expect(stat).toMatch(/^cpu0 \d+ 0 \d+ \d+ 0 0 0 0 0 0\ncpu1 /m);
    expect(stat).toContain(`btime ${BOOT / 1000}\n`);
    expect(stat).toContain(`processes ${host.forks}\nprocs_running 1\nprocs_blocked 0\n`);
    const loadavg = read(host, host.init, '/proc/loadavg');
    expect(loadavg).toMatch(new RegExp(`^0\\.\\d\\d 0\\.\\d\\d 0\\.\\d\\d 1/${host.table.list().length} ${busy.hostPid}\\n$`));
    expect(Number(loadavg.split(' ')[0])).toBeGreaterThan(0.5);
    expect(read(host, host.init, '/proc/uptime')).toMatch(/^90\.00 \d+\.\d\d\n$/);
  });

  it('answers uname, /proc/version and /etc files from its options', () => {
    const host = boot({ kernelRelease: '6.8.0-49-generic' });
    expect(host.uname()).toMatchObject({ sysname: 'Linux', nodename: 'node-1', release: '6.8.0-49-generic', machine: 'x86_64' });
    expect(read(host, host.init, '/proc/version')).toMatch(/^Linux version 6\.8\.0-49-generic \(buildd@.*\) #49-Ubuntu SMP PREEMPT_DYNAMIC .*\n$/);
    expect(read(host, host.init, '/proc/sys/kernel/hostname')).toBe('node-1\n');
    expect(read(host, host.init, '/etc/hostname')).toBe('node-1\n');
    expect(read(host, host.init, '/etc/passwd')).toMatch(/^root:x:0:0:root:\/root:\/bin\/bash\n/);
    host.sethostname(host.init, 'renamed');
    expect(read(host, host.init, '/proc/sys/kernel/hostname')).toBe('renamed\n');
    expect(new ProcessFileSystem(host.vfsFor(host.init)).readFile('/proc/sys/kernel/ostype')).toBe('Linux\n');
  });
});

describe('procfs', () => {
  it('shows a process in new pid and mount namespaces as pid 1 of its own /proc', () => {
    const host = boot();
    const child = host.table.clone(host.init, { flags: CLONE_NEWPID | CLONE_NEWNS });
    const vfs = host.vfsFor(child);
    vfs.mount('none', '/', '', MS_PRIVATE | MS_REC);
    vfs.mount('proc', '/proc', 'proc', MS_NOEXEC);
    expect(vfs.readlink('/proc/self')).toBe('1');
    expect(vfs.readFile('/proc/self/status')).toContain('\nPid:\t1\nPPid:\t0\n');
    expect(vfs.readdir('/proc').filter((e) => /^\d+$/.test(e.name)).map((e) => e.name)).toEqual(['1']);
    const hostView = read(host, host.init, `/proc/${child.hostPid}/status`);
    expect(hostView).toContain(`NSpid:\t${child.hostPid}\t1\n`);
    expect(read(host, host.init, '/proc/self/mountinfo')).not.toMatch(/ \/proc rw,noexec/);
  });

  it('links /proc/<pid>/ns entries to their namespaces', () => {
    const host = boot();
    const child = host.table.clone(host.init, { flags: CLONE_NEWNET });
    const vfs = host.vfsFor(host.init);
    expect(vfs.readdir(`/proc/${child.hostPid}/ns`).map((e) => e.name)).toEqual(['net', 'uts', 'ipc', 'pid', 'pid_for_children', 'user', 'mnt', 'cgroup']);
    expect(vfs.readlink('/proc/1/ns/net')).toBe('net:[4026531840]');
    expect(vfs.readlink(`/proc/${child.hostPid}/ns/net`)).toBe(child.nsproxy!.net.link);
    expect(vfs.readlink(`/proc/${child.hostPid}/ns/net`)).not.toBe('net:[4026531840]');
    expect(vfs.readlink(`/proc/${child.hostPid}/ns/uts`)).toBe(vfs.readlink('/proc/1/ns/uts'));
  });

  it.each([
    [2, (path: string) => `0::${path}\n`],
    [1, (path: string) => `8:pids:${path}\n`],
  ] as const)('prints /proc/<pid>/cgroup for cgroup v%i', (version, line) => {
    const host = boot({ cgroupVersion: version });
    const pod = host.hierarchy.mkdirp('/kubepods/pod1');
    const proc = host.spawn(['sleep']);
    host.hierarchy.moveProcess(host.taskOf(proc), pod);
    const text = read(host, host.init, `/proc/${proc.hostPid}/cgroup`);
    expect(text).toContain(line('/kubepods/pod1'));
    if (version === 1) expect(text.trimEnd().split('\n').at(-1)).toBe('1:name=systemd:/kubepods/pod1');
    else expect(text).toBe('0::/kubepods/pod1\n');
  });

  it('mounts the v1 hierarchies on a read-only tmpfs', () => {
    const host = boot({ cgroupVersion: 1 });
    const vfs = host.vfsFor(host.init);
    expect(vfs.readdir('/sys/fs/cgroup').map((e) => e.name).sort()).toEqual(['blkio', 'cpu', 'cpu,cpuacct', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'pids', 'systemd']);
    expect(vfs.readFile('/sys/fs/cgroup/memory/memory.limit_in_bytes')).toBe('9223372036854771712\n');
    expect(read(host, host.init, '/proc/self/mounts')).toContain('cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0\n');
    expect(errno(() => vfs.mkdir('/sys/fs/cgroup/extra'))).toBe('EROFS');
  });

  it('lets root raise and lower oom_score_adj, and a user only raise it', () => {
    const host = boot();
    const proc = host.spawn(['sleep'], { uid: 1000 });
    const user = host.vfsFor(proc);
    user.writeFile('/proc/self/oom_score_adj', '500\n');
    expect(proc.oomScoreAdj).toBe(500);
    expect(errno(() => user.writeFile('/proc/self/oom_score_adj', '100'))).toBe('EACCES');
    expect(errno(() => user.writeFile('/proc/self/oom_score_adj', '1001'))).toBe('EINVAL');
    host.vfsFor(host.init).writeFile(`/proc/${proc.hostPid}/oom_score_adj`, '-1000');
    expect(read(host, host.init, `/proc/${proc.hostPid}/oom_score`)).toBe('0\n');
    expect(read(host, proc, '/proc/self/status')).toContain('Uid:\t1000\t1000\t1000\t1000\n');
  });
});

describe('kernel log', () => {
  it('starts with the Linux version line at 0.000000', () => {
    const host = boot();
    expect(host.dmesg()).toMatch(/^\[ {4}0\.000000\] Linux version 6\.8\.0-49-generic /);
    expect(read(host, host.init, '/dev/kmsg')).toMatch(/^5,0,0,-;Linux version /);
  });

  it('records an OOM kill with its timestamp', () => {
    const host = boot();
    const pod = host.hierarchy.mkdirp('/pod');
    const victim = host.spawn(['sleep']);
    host.hierarchy.moveProcess(host.taskOf(victim), pod);
    host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+memory');
    host.vfsFor(host.init).writeFile('/sys/fs/cgroup/pod/memory.max', '64M');
    host.clock.advance(4_567);
    const result = host.hierarchy.memory.charge(host.taskOf(victim), 128 * 1024 * 1024);
    expect(result).toEqual({ ok: false, reason: 'oom-killed' });
    expect(victim.exitState).toBe('dead');
    const dmesg = host.dmesg();
    expect(dmesg).toMatch(/\[ {3}34\.567000\] sleep invoked oom-killer: /);
    expect(dmesg).toMatch(new RegExp(`\\[ {3}34\\.567000\\] Memory cgroup out of memory: Killed process ${victim.hostPid} \\(sleep\\)`));
  });
});

describe('execve', () => {
  function prepare(): { host: Host; proc: Process } {
    const host = boot();
    host.programs.register('true', () => ({ start: (sys: ProgramContext) => sys.exit(0) }));
    host.programs.register('sh', () => ({ start: (sys: ProgramContext) => sys.setRunState('S') }));
    host.installProgram('/usr/bin/sh', 'sh');
    const vfs = host.vfsFor(host.init);
    vfs.writeFile('/usr/local/bin/script', '#!/bin/sh -e\necho hi\n', { mode: 0o755 });
    vfs.writeFile('/usr/local/bin/data', 'just text\n', { mode: 0o755 });
    vfs.writeFile('/usr/local/bin/noexec', elfHeader('sh', 'x86_64'), { mode: 0o644 });
    vfs.writeFile('/usr/local/bin/arm', elfHeader('sh', 'aarch64'), { mode: 0o755 });
    vfs.writeFile('/usr/local/bin/unknown', elfHeader('nginx', 'x86_64'), { mode: 0o755 });
    vfs.writeFile('/usr/local/bin/badinterp', '#!/nonexistent/python\n', { mode: 0o755 });
    vfs.writeFile('/tmp/tool', elfHeader('sh', 'x86_64'), { mode: 0o755 });
    vfs.mount('tmpfs', '/mnt', 'tmpfs', MS_NOEXEC);
    vfs.writeFile('/mnt/tool', elfHeader('sh', 'x86_64'), { mode: 0o755 });
    return { host, proc: host.table.clone(host.init) };
  }

  it.each([
    ['/usr/local/bin/missing', 'ENOENT'],
    ['/usr/local/bin/noexec', 'EACCES'],
    ['/usr/local/bin', 'EACCES'],
    ['/mnt/tool', 'EACCES'],
    ['/usr/local/bin/data', 'ENOEXEC'],
    ['/usr/local/bin/arm', 'ENOEXEC'],
    ['/usr/local/bin/unknown', 'ENOEXEC'],
    ['/usr/local/bin/badinterp', 'ENOENT'],
  ])('fails %s with %s', (path, code) => {
    const { host, proc } = prepare();
    expect(errno(() => host.execve(proc, path, [path], []))).toBe(code);
  });

  it('runs a #! script with its interpreter', () => {
    const { host, proc } = prepare();
    host.execve(proc, '/usr/local/bin/script', ['script', 'arg'], ['A=1']);
    expect(proc.comm).toBe('script');
    expect(proc.exe).toBe('/usr/bin/sh');
    expect(proc.argv).toEqual(['/bin/sh', '-e', '/usr/local/bin/script', 'arg']);
    expect(read(host, host.init, `/proc/${proc.hostPid}/cmdline`)).toBe('/bin/sh\0-e\0/usr/local/bin/script\0arg\0');
    expect(read(host, host.init, `/proc/${proc.hostPid}/environ`)).toBe('A=1\0');
  });

  it('runs a registered program found in PATH and lets init reap it', () => {
    const { host } = prepare();
    host.installProgram('/usr/bin/true', 'true');
    const proc = host.spawn(['true']);
    expect(proc.exe).toBe('/usr/bin/true');
    expect(proc.exitState).toBe('dead');
    expect(host.table.find(proc.hostPid)).toBeUndefined();
    expect(errno(() => host.spawn(['no-such-command']))).toBe('ENOENT');
  });

  it('refuses a file without an x bit for its user', () => {
    const { host } = prepare();
    host.vfsFor(host.init).chmod('/tmp/tool', 0o744);
    expect(errno(() => host.spawn(['/tmp/tool'], { uid: 1000 }))).toBe('EACCES');
    expect(host.spawn(['/tmp/tool']).comm).toBe('tool');
  });
});

describe('sysfs', () => {
  it('shows the loopback device of the reader\'s network namespace', () => {
    const host = boot();
    const vfs = host.vfsFor(host.init);
    expect(vfs.readFile('/sys/class/net/lo/operstate')).toBe('unknown\n');
    host.table.initNs.net.device('lo')!.setUp(false);
    expect(vfs.readFile('/sys/class/net/lo/operstate')).toBe('down\n');
    expect(errno(() => vfs.readFile('/sys/class/net/lo/carrier'))).toBe('EINVAL');
    expect(vfs.readFile('/sys/class/net/lo/mtu')).toBe('65536\n');
    expect(vfs.readFile('/sys/class/net/lo/type')).toBe('772\n');
    expect(vfs.readlink('/sys/class/net/lo')).toBe('../../devices/virtual/net/lo');
    expect(vfs.readFile('/sys/devices/system/cpu/online')).toBe('0-1\n');
    expect(vfs.readFile('/sys/kernel/mm/transparent_hugepage/enabled')).toBe('always [madvise] never\n');
  });
});

describe('halt', () => {
  it('kills every process but init and the kernel threads, and spawns nothing after', () => {
    const host = boot();
    const parent = host.spawn(['sleep', 'infinity']);
    const child = host.spawn(['sleep', 'infinity'], { parent });
    const kthreads = host.table.list().filter((p) => p.kthread).length;
    expect(host.halted).toBe(false);
    host.halt();
    expect(host.halted).toBe(true);
    expect([parent.exitState, child.exitState].map((s) => s !== undefined)).toEqual([true, true]);
    expect(host.table.list().filter((p) => p.exitState === undefined).map((p) => p.kthread || p === host.init)).toEqual(Array(kthreads + 1).fill(true));
    expect(errno(() => host.spawn(['sleep', '1']))).toBe('EPERM');
  });
});
