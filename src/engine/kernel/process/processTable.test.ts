import { describe, expect, it } from 'vitest';
import { CgroupHierarchy } from '../cgroup/cgroup.ts';
import { bootHost } from '../fs/testing.ts';
import { KernelError } from '../errno.ts';
import {
  CLONE_FS, CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_PARENT, CLONE_SIGHAND,
  CLONE_SYSVSEM, CLONE_THREAD, CLONE_VM,
} from '../ns/cloneFlags.ts';
import { CAP_FULL_SET } from './capability.ts';
import { userCred } from './cred.ts';
import type { Process } from './process.ts';
import type { Program, ProgramContext } from './program.ts';
import { ProcessTable, type SignalEvent } from './processTable.ts';
import { SIGCHLD, SIGCONT, SIGINT, SIGKILL, SIGSTOP, SIGTERM, SIGUSR1, sigset } from './signal.ts';
import { shellExitStatus, WIFSTOPPED, WIFCONTINUED, WUNTRACED, WCONTINUED } from './waitStatus.ts';

interface TestProgram extends Program {
  sys?: ProgramContext;
  readonly killedBy: number[];
}

/** A program double: remembers its context and what killed it, and runs `body` when started. */
function program(body?: (sys: ProgramContext) => void): TestProgram {
  const p: TestProgram = {
    killedBy: [],
    start(sys) {
      p.sys = sys;
      body?.(sys);
    },
    onKilled(signal) {
      p.killedBy.push(signal);
    },
  };
  return p;
}

function boot() {
  const { clock, mounts } = bootHost({ skeleton: false });
  const cgroups = new CgroupHierarchy({ version: 2, cpus: 1, totalRamBytes: 2 ** 30, kill: () => {}, log: () => {} });
  const table = new ProcessTable({ clock, mounts, rootCgroup: cgroups.root, utsname: { nodename: 'node-1' } });
  const init = table.spawnInit({ exe: '/sbin/init', argv: ['/sbin/init'], program: program() });
  return { clock, table, init };
}

const CONTAINER_FLAGS = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;

/** init → containerd → shim (a subreaper) → a container's init in new namespaces. */
function container() {
  const host = boot();
  const { table, init } = host;
  const containerd = table.fork(init);
  table.execve(containerd, { path: '/usr/bin/containerd', argv: ['containerd'], env: [], program: program() });
  const shim = table.fork(containerd);
  table.execve(shim, { path: '/usr/bin/containerd-shim-runc-v2', argv: ['containerd-shim-runc-v2'], env: [], program: program() });
  table.setChildSubreaper(shim, true);
  const ctr = table.clone(shim, { flags: CONTAINER_FLAGS, program: program() });
  table.execve(ctr, { path: '/usr/sbin/nginx', argv: ['nginx', '-g', 'daemon off;'], env: ['PATH=/usr/bin'], program: program() });
  return { ...host, containerd, shim, ctr, ns: ctr.pidNs };
}

function errno(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
}

function unprivileged(table: ProcessTable, parent: Process): Process {
  const p = table.fork(parent);
  table.commitCreds(p, userCred(table.initNs.user, 1000, 1000));
  return p;
}

describe('ProcessTable', () => {
  describe('pids and pid namespaces', () => {
    it('numbers a container’s init 1 inside and with a host pid outside', () => {
      const { table, ctr, shim, ns } = container();
      expect(ctr.hostPid).toBe(4);
      expect(ctr.pidIn(ns)).toBe(1);
      expect(ctr.pidsFrom(table.initNs.pid)).toEqual([4, 1]);
      expect(ctr.pidsFrom(ns)).toEqual([1]);
      expect(shim.pidsFrom(ns)).toEqual([]);
      expect([ctr.ppidIn(ns), ctr.ppidIn(table.initNs.pid)]).toEqual([0, 3]);
      expect(ns.childReaper).toBe(ctr);
      const worker = table.fork(ctr);
      expect(worker.pidsFrom(table.initNs.pid)).toEqual([5, 2]);
      expect(table.list(ns).map((p) => p.pidIn(ns))).toEqual([1, 2]);
      expect(table.find(2, ns)).toBe(worker);
      expect(table.find(5)).toBe(worker);
      expect(table.list().map((p) => p.comm)).toEqual(['init', 'containerd', 'containerd-shim', 'nginx', 'nginx']);
    });

    it('counts start times in USER_HZ ticks since boot', () => {
      const { clock, table, init } = boot();
      clock.advance(12_345);
      expect(table.fork(init).starttime).toBe(1234);
    });

    it('wraps pid allocation at pid_max back to RESERVED_PIDS', () => {
      const { table, init } = boot();
      table.initNs.pid.pidMax = 305;
      const alive = [];
      for (let i = 0; i < 302; i++) alive.push(table.fork(init));
      expect(alive.at(-1)!.hostPid).toBe(303);
      for (const p of alive.slice(0, 200)) table.exit(p, 0);
      for (let i = 0; i < 200; i++) table.waitpid(init, -1);
      expect(table.fork(init).hostPid).toBe(304);
      expect(errno(() => table.fork(init))).toBe('EAGAIN');
      for (const p of alive.slice(-3)) table.exit(p, 0);
      for (let i = 0; i < 3; i++) table.waitpid(init, -1);
      expect([table.fork(init).hostPid, table.fork(init).hostPid]).toEqual([301, 302]);
    });
  });

  describe('exit, zombies and reaping', () => {
    it('keeps a zombie until its parent reaps it, with the exit code in the status', () => {
      const { table, init } = boot();
      const sh = table.fork(init);
      const child = table.fork(sh, program((sys) => sys.exit(3)));
      expect(child.state).toBe('Z');
      expect(table.find(child.hostPid)).toBe(child);
      expect(sh.nsLinks().map((l) => l.name)).toContain('net');
      expect(child.nsLinks().map((l) => l.name)).toEqual(['pid', 'user']);
      const result = table.waitpid(sh, -1)!;
      expect([result.pid, shellExitStatus(result.status)]).toEqual([child.hostPid, 3]);
      expect(table.find(child.hostPid)).toBeUndefined();
      expect(child.exitState).toBe('dead');
      expect(errno(() => table.waitpid(sh, -1))).toBe('ECHILD');
    });

    it('sends SIGCHLD to the parent, whose handler can reap', () => {
      const { table, init } = boot();
      const reaped: number[] = [];
      const parent = table.fork(init, program((sys) => {
        sys.sigaction(SIGCHLD, (_sig, info) => {
          expect(info.code).toBe('CLD_EXITED');
          reaped.push(sys.waitpid(-1)!.status);
        });
      }));
      table.fork(parent, program((sys) => sys.after(1000, () => sys.exit(7))));
      expect(reaped).toEqual([]);
      table.clock.advance(1000);
      expect(reaped.map(shellExitStatus)).toEqual([7]);
    });

    it('reaps at once when the parent ignores SIGCHLD', () => {
      const { table, init } = boot();
      const parent = table.fork(init, program((sys) => sys.sigaction(SIGCHLD, 'ignore')));
      const child = table.fork(parent);
      table.exit(child, 0);
      expect(child.exitState).toBe('dead');
    });

    it('calls back a blocking wait when the child exits, and stops the program’s timers', () => {
      const { clock, table, init } = boot();
      let ticks = 0;
      const parent = table.fork(init);
      const child = table.fork(parent, program((sys) => {
        sys.every(100, () => ticks++);
        sys.after(350, () => sys.kill(sys.process.pidIn(sys.process.pidNs), SIGTERM));
      }));
      const results: number[] = [];
      table.waitAsync(parent, child.hostPid, 0, (r) => results.push(shellExitStatus(r.status)));
      clock.advance(1000);
      expect(results).toEqual([143]);
      expect(ticks).toBe(3);
    });

    it('reparents orphans to the nearest child subreaper', () => {
      const { table, shim, ctr } = container();
      const middle = table.fork(shim);
      const orphan = table.fork(middle);
      const seen: string[] = [];
      table.onDidReparent((e) => seen.push(`${e.process.hostPid}:${e.from.hostPid}→${e.to.hostPid}`));
      table.exit(middle, 0);
      expect(orphan.parent).toBe(shim);
      expect(seen).toEqual([`${orphan.hostPid}:${middle.hostPid}→${shim.hostPid}`]);
      expect(ctr.parent).toBe(shim);
    });

    it('reparents orphans to the pid namespace’s init, which must reap them', () => {
      const { table, ctr, ns } = container();
      const a = table.fork(ctr);
      const b = table.fork(a);
      table.exit(a, 0);
      expect(b.parent).toBe(ctr);
      expect(b.ppidIn(ns)).toBe(1);
      table.exit(b, 1);
      expect(b.state).toBe('Z');
      expect(table.waitpid(ctr, -1)).toMatchObject({ pid: 2 });
      expect(table.waitpid(ctr, -1)).toMatchObject({ pid: 3 });
    });

    it('sends a child its PR_SET_PDEATHSIG when its parent dies', () => {
      const { table, init } = boot();
      const parent = table.fork(init);
      const child = table.fork(parent);
      table.setPdeathSignal(child, SIGKILL);
      table.exit(parent, 0);
      expect(shellExitStatus(child.exitStatus!)).toBe(137);
    });
  });

  describe('a pid namespace’s init', () => {
    it('takes every process of its namespace with it, then refuses new ones with ENOMEM', () => {
      const { table, shim, ctr, ns } = container();
      const worker = program();
      const w = table.fork(ctr, worker);
      const grandchild = table.fork(w);
      table.signalFromKernel(ctr, SIGKILL);
      expect([w.exitState, grandchild.exitState]).toEqual(['dead', 'dead']);
      expect(worker.killedBy).toEqual([SIGKILL]);
      expect(ctr.state).toBe('Z');
      expect(ns.adding).toBe(false);
      expect(shellExitStatus(table.waitpid(shim, -1)!.status)).toBe(137);
      expect(ns.alive).toBe(false);
    });

    it('finishes dying only once a process entered from outside is reaped', () => {
      const { table, init, ctr, ns } = container();
      const nsenter = table.fork(init);
      table.setns(nsenter, ns);
      const entered = table.fork(nsenter);
      expect(entered.pidsFrom(table.initNs.pid)).toEqual([entered.hostPid, 2]);
      table.exit(ctr, 0);
      expect(entered.state).toBe('Z');
      expect(ctr.exitState).toBeUndefined();
      expect(errno(() => table.clone(nsenter))).toBe('ENOMEM');
      table.waitpid(nsenter, -1);
      expect(ctr.state).toBe('Z');
    });

    it('panics when the host’s init exits', () => {
      const { table, init } = boot();
      expect(() => table.exit(init, 1)).toThrow(/Attempted to kill init! exitcode=0x00000100/);
    });
  });

  describe('signals', () => {
    it.each([
      ['default SIGTERM terminates', undefined, SIGTERM, 'Z', 143],
      ['default SIGINT terminates', undefined, SIGINT, 'Z', 130],
      ['an ignored SIGTERM does nothing', 'ignore', SIGTERM, 'S', undefined],
      ['a handled SIGTERM runs the handler', 'handler', SIGTERM, 'S', undefined],
      ['SIGKILL cannot be handled', 'none', SIGKILL, 'Z', 137],
      ['SIGSTOP stops', 'none', SIGSTOP, 'T', undefined],
    ] as const)('%s', (_what, disposition, signal, state, status) => {
      const { table, init } = boot();
      const handled: number[] = [];
      const p = table.fork(init, program((sys) => {
        if (disposition === 'ignore') sys.sigaction(SIGTERM, 'ignore');
        if (disposition === 'handler') sys.sigaction(SIGTERM, (sig) => handled.push(sig));
      }));
      table.kill(init, p.hostPid, signal);
      expect(p.state).toBe(state);
      expect(p.exitStatus === undefined ? undefined : shellExitStatus(p.exitStatus)).toBe(status);
      expect(handled).toEqual(disposition === 'handler' ? [SIGTERM] : []);
    });

    it('holds a blocked signal pending until it is unblocked', () => {
      const { table, init } = boot();
      const handled: number[] = [];
      const p = table.fork(init, program((sys) => {
        sys.sigaction(SIGUSR1, (sig) => handled.push(sig));
        sys.sigprocmask('SIG_BLOCK', sigset([SIGUSR1]));
      }));
      table.kill(init, p.hostPid, SIGUSR1);
      expect([handled, p.pending]).toEqual([[], sigset([SIGUSR1])]);
      table.sigprocmask(p, 'SIG_UNBLOCK', sigset([SIGUSR1]));
      expect([handled, p.pending]).toEqual([[SIGUSR1], 0n]);
    });

    it('stops and continues, reporting both to a waiting parent, and kills a stopped process on SIGTERM', () => {
      const { table, init } = boot();
      const parent = table.fork(init);
      const handled: number[] = [];
      const p = table.fork(parent, program((sys) => sys.sigaction(SIGUSR1, (sig) => handled.push(sig))));
      table.kill(parent, p.hostPid, SIGSTOP);
      expect(WIFSTOPPED(table.waitpid(parent, p.hostPid, WUNTRACED)!.status)).toBe(true);
      table.kill(parent, p.hostPid, SIGUSR1);
      expect([p.state, handled]).toEqual(['T', []]);
      table.kill(parent, p.hostPid, SIGCONT);
      expect([p.state, handled]).toEqual(['S', [SIGUSR1]]);
      expect(WIFCONTINUED(table.waitpid(parent, p.hostPid, WCONTINUED)!.status)).toBe(true);
      const q = table.fork(parent);
      table.kill(parent, q.hostPid, SIGSTOP);
      table.kill(parent, q.hostPid, SIGTERM);
      expect(shellExitStatus(q.exitStatus!)).toBe(143);
    });

    it.each([
      ['SIGTERM from inside, no handler', 'inside', SIGTERM, false, 'S'],
      ['SIGKILL from inside', 'inside', SIGKILL, false, 'S'],
      ['SIGTERM from the host, no handler', 'host', SIGTERM, false, 'S'],
      ['SIGKILL from the host', 'host', SIGKILL, false, 'Z'],
      ['SIGSTOP from the host', 'host', SIGSTOP, false, 'T'],
      ['SIGTERM from inside, with a handler', 'inside', SIGTERM, true, 'S'],
    ] as const)('protects a container’s init: %s → %s', (_what, from, signal, withHandler, state) => {
      const { table, init, ctr, ns } = container();
      const handled: number[] = [];
      if (withHandler) table.sigaction(ctr, SIGTERM, (sig) => handled.push(sig));
      const insider = table.fork(ctr);
      const outcomes: SignalEvent['outcome'][] = [];
      table.onDidSignal((e) => e.target === ctr && outcomes.push(e.outcome));
      if (from === 'inside') table.kill(insider, 1, signal);
      else table.kill(init, ctr.hostPid, signal);
      expect(ctr.state).toBe(state);
      expect(handled).toEqual(withHandler ? [SIGTERM] : []);
      expect(ns.childReaper).toBe(ctr);
      expect(outcomes.length).toBeGreaterThan(0);
    });

    it('never lets SIGKILL reach the host’s init', () => {
      const { table, init } = boot();
      table.kill(init, 1, SIGKILL);
      expect(init.state).toBe('S');
    });

    it.each([
      ['a user signals root', 'user', 'root', 'EPERM'],
      ['a user signals its own process', 'user', 'user', undefined],
      ['root signals a user', 'root', 'user', undefined],
    ] as const)('kill(2) permission: %s → %s', (_what, from, to, expected) => {
      const { table, init } = boot();
      const make = (who: 'user' | 'root') => (who === 'user' ? unprivileged(table, init) : table.fork(init));
      const sender = make(from);
      const target = make(to);
      expect(errno(() => table.kill(sender, target.hostPid, SIGTERM))).toBe(expected);
      expect(target.state).toBe(expected ? 'S' : 'Z');
    });

    it('lets a user send SIGCONT within its session even to another user', () => {
      const { table, init } = boot();
      const root = table.fork(init);
      const user = unprivileged(table, root);
      expect(errno(() => table.kill(user, root.hostPid, SIGCONT))).toBeUndefined();
      expect(errno(() => table.kill(user, root.hostPid, 0))).toBe('EPERM');
    });

    it.each([
      ['a pid nobody has', 999, 'ESRCH'],
      ['a host pid from inside a container', 2, 'ESRCH'],
      ['signal 65', 1, 'EINVAL'],
    ])('kill(2) of %s → %s', (_what, pid, expected) => {
      const { table, ctr } = container();
      const insider = table.fork(ctr);
      expect(errno(() => table.kill(insider, pid === 2 ? 3 : pid, pid === 1 ? 65 : SIGTERM))).toBe(expected);
    });

    it('kill(-1) signals everything the sender may signal but itself and init', () => {
      const { table, init } = boot();
      const root = table.fork(init);
      const user = unprivileged(table, init);
      const mine = table.fork(user);
      table.kill(user, -1, SIGTERM);
      expect([root.state, user.state, mine.state, init.state]).toEqual(['S', 'S', 'Z', 'S']);
    });

    it('killpg signals a process group; ESRCH for an empty one', () => {
      const { table, init } = boot();
      const leader = table.fork(init);
      table.setpgid(leader, 0, 0);
      const member = table.fork(leader);
      const outsider = table.fork(init);
      table.kill(init, -leader.hostPid, SIGTERM);
      expect([leader.state, member.state, outsider.state]).toEqual(['Z', 'Z', 'S']);
      expect(errno(() => table.killpg(init, 4242, SIGTERM))).toBe('ESRCH');
    });

    it('tells a program it was killed and reports SIGCHLD with CLD_KILLED', () => {
      const { table, init } = boot();
      const codes: string[] = [];
      const parent = table.fork(init, program((sys) => sys.sigaction(SIGCHLD, (_s, info) => codes.push(`${info.code} ${info.status}`))));
      const victim = program();
      const p = table.fork(parent, victim);
      table.kill(parent, p.hostPid, SIGTERM);
      expect(victim.killedBy).toEqual([SIGTERM]);
      expect(codes).toEqual([`CLD_KILLED ${SIGTERM}`]);
    });
  });

  describe('execve', () => {
    it('sets comm from the path (15 characters), resets handlers but keeps ignored signals', () => {
      const { table, init } = boot();
      const p = table.fork(init);
      table.sigaction(p, SIGTERM, () => {});
      table.sigaction(p, SIGINT, 'ignore');
      const seen: string[] = [];
      table.onDidExec((proc) => seen.push(proc.comm));
      table.execve(p, { path: '/usr/local/bin/a-very-long-program-name', argv: ['x'], env: ['A=1'], program: program() });
      expect(p.comm).toBe('a-very-long-pro');
      expect([p.sigaction(SIGTERM), p.sigaction(SIGINT)]).toEqual(['default', 'ignore']);
      expect(p.exe).toBe('/usr/local/bin/a-very-long-program-name');
      expect(seen).toEqual(['a-very-long-pro']);
    });

    it('recomputes capabilities: root keeps them, another user keeps only ambient ones', () => {
      const { table, init } = boot();
      const root = table.fork(init);
      table.execve(root, { path: '/bin/sh', argv: ['sh'], env: [], program: program() });
      expect(root.cred.capEffective).toBe(CAP_FULL_SET);
      const user = table.fork(init);
      table.commitCreds(user, { ...userCred(table.initNs.user, 1000, 1000), capEffective: CAP_FULL_SET, capPermitted: CAP_FULL_SET });
      table.execve(user, { path: '/bin/sh', argv: ['sh'], env: [], program: program() });
      expect([user.cred.capEffective, user.cred.capPermitted]).toEqual([0n, 0n]);
    });
  });

  describe('namespaces: clone, unshare, setns', () => {
    it('lists /proc/<pid>/ns links with the initial inode numbers and new ones for a container', () => {
      const { init, ctr } = container();
      expect(init.nsLinks().map((l) => `${l.name} -> ${l.link}`)).toEqual([
        'net -> net:[4026531840]',
        'uts -> uts:[4026531838]',
        'ipc -> ipc:[4026531839]',
        'pid -> pid:[4026531836]',
        'pid_for_children -> pid:[4026531836]',
        'user -> user:[4026531837]',
        'mnt -> mnt:[4026531841]',
        'cgroup -> cgroup:[4026531835]',
      ]);
      const links = Object.fromEntries(ctr.nsLinks().map((l) => [l.name, l.link]));
      expect(links.user).toBe('user:[4026531837]');
      expect(Object.values(links).filter((l) => /\[40265321\d\d\]/.test(l))).toHaveLength(7);
    });

    it('copies the mount table for CLONE_NEWNS and roots a new cgroup namespace at the creator’s cgroup', () => {
      const { table, init, shim } = container();
      const pod = shim.cgroup.hierarchy.mkdirp('/kubepods/pod1');
      shim.cgroup = pod;
      const ctr = table.clone(shim, { flags: CLONE_NEWNS | CLONE_NEWCGROUP, cgroup: shim.cgroup.hierarchy.mkdirp('/kubepods/pod1/ctr') });
      expect(ctr.nsproxy!.mnt.mounts).not.toBe(init.nsproxy!.mnt.mounts);
      expect(ctr.nsproxy!.cgroup.root).toBe(pod);
      expect(ctr.nsproxy!.cgroup.relativePath(ctr.cgroup)).toBe('/ctr');
      expect(init.nsproxy!.cgroup.relativePath(ctr.cgroup)).toBe('/kubepods/pod1/ctr');
    });

    it('isolates the hostname of a new UTS namespace', () => {
      const { table, init, ctr } = container();
      ctr.nsproxy!.uts.sethostname('web-0', ctr.cred);
      expect([init.nsproxy!.uts.hostname, ctr.nsproxy!.uts.hostname]).toEqual(['node-1', 'web-0']);
      expect(table.fork(ctr).nsproxy!.uts.hostname).toBe('web-0');
    });

    it('gives a new network namespace its own lo, down', () => {
      const { ctr, init } = container();
      expect(ctr.nsproxy!.net.device('lo')!.operstate).toBe('DOWN');
      expect(init.nsproxy!.net.device('lo')!.operstate).toBe('UNKNOWN');
    });

    it('moves only future children into a pid namespace made by unshare(CLONE_NEWPID)', () => {
      const { table, init } = boot();
      const p = table.fork(init);
      table.unshare(p, CLONE_NEWPID);
      const links = Object.fromEntries(p.nsLinks().map((l) => [l.name, l.link]));
      expect(links.pid).toBe('pid:[4026531836]');
      expect(links.pid_for_children).toMatch(/^pid:\[40265321\d\d\]$/);
      expect(p.pidNs).toBe(table.initNs.pid);
      expect(errno(() => table.unshare(p, CLONE_NEWPID))).toBe('EINVAL');
      const child = table.fork(p);
      expect(child.pidIn(child.pidNs)).toBe(1);
      expect(child.pidNs.childReaper).toBe(child);
      expect(errno(() => table.clone(p, { flags: CLONE_NEWPID }))).toBe('EINVAL');
    });

    it.each([
      ['CLONE_NEWNS|CLONE_FS', CLONE_NEWNS | CLONE_FS],
      ['CLONE_NEWUSER|CLONE_FS', CLONE_NEWUSER | CLONE_FS],
      ['CLONE_THREAD without CLONE_SIGHAND', CLONE_THREAD],
      ['CLONE_SIGHAND without CLONE_VM', CLONE_SIGHAND],
      ['CLONE_NEWIPC|CLONE_SYSVSEM', CLONE_NEWIPC | CLONE_SYSVSEM],
      ['CLONE_THREAD|CLONE_NEWPID', CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID],
      ['an exit signal in the flags', 17],
      ['CLONE_NEWTIME', 0x80],
    ])('clone refuses %s with EINVAL', (_what, flags) => {
      const { table, init } = boot();
      expect(errno(() => table.clone(table.fork(init), { flags }))).toBe('EINVAL');
    });

    it('refuses CLONE_PARENT from a namespace’s init, and counts a CLONE_THREAD thread', () => {
      const { table, ctr } = container();
      expect(errno(() => table.clone(ctr, { flags: CLONE_PARENT }))).toBe('EINVAL');
      expect(table.clone(ctr, { flags: CLONE_THREAD | CLONE_SIGHAND | CLONE_VM })).toBe(ctr);
      expect(ctr.threads).toBe(2);
      expect(errno(() => table.unshare(ctr, CLONE_NEWUSER))).toBe('EINVAL');
    });

    it.each([
      ['CLONE_NEWNET', CLONE_NEWNET, 'EPERM'],
      ['CLONE_NEWUTS|CLONE_NEWPID', CLONE_NEWUTS | CLONE_NEWPID, 'EPERM'],
      ['CLONE_NEWUSER', CLONE_NEWUSER, undefined],
      ['CLONE_NEWUSER|CLONE_NEWNET|CLONE_NEWNS', CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS, undefined],
    ])('an unprivileged user unsharing %s → %s', (_what, flags, expected) => {
      const { table, init } = boot();
      const user = unprivileged(table, init);
      expect(errno(() => table.unshare(user, flags))).toBe(expected);
      if (!expected) {
        expect(user.cred.userNs).not.toBe(table.initNs.user);
        expect(user.cred.userNs.fromKuidMunged(user.cred.euid)).toBe(65534);
      }
      if (expected) expect(user.nsproxy!.net).toBe(table.initNs.net);
    });

    it('setns joins a container’s namespaces and checks type and rights', () => {
      const { table, init, ctr } = container();
      const nsenter = table.fork(init);
      const net = ctr.nsproxy!.net;
      expect(errno(() => table.setns(nsenter, net, CLONE_NEWUTS))).toBe('EINVAL');
      table.setns(nsenter, net, CLONE_NEWNET);
      expect(nsenter.nsproxy!.net).toBe(net);
      nsenter.cwd = '/root';
      table.setns(nsenter, ctr.nsproxy!.mnt);
      expect([nsenter.root, nsenter.cwd]).toEqual(['/', '/']);
      const user = unprivileged(table, init);
      expect(errno(() => table.setns(user, ctr.nsproxy!.uts))).toBe('EPERM');
      expect(errno(() => table.setns(nsenter, table.initNs.user))).toBe('EINVAL');
    });

    it('setns refuses a pid namespace that is not the caller’s own or below it', () => {
      const { table, init, ctr, ns } = container();
      const insider = table.fork(ctr);
      expect(errno(() => table.setns(insider, table.initNs.pid))).toBe('EINVAL');
      const outsider = table.fork(init);
      table.setns(outsider, ns);
      expect(outsider.nsproxy!.pidForChildren).toBe(ns);
      expect(outsider.pidNs).toBe(table.initNs.pid);
    });

    it('releases a namespace with its last process, unless something else holds it', () => {
      const { table, init } = boot();
      const p = table.fork(init);
      table.unshare(p, CLONE_NEWNET);
      const net = p.nsproxy!.net;
      net.get();
      table.exit(p, 0);
      expect(net.alive).toBe(true);
      net.put();
      expect(net.alive).toBe(false);
      expect(table.nsTree.find(net.inum)).toBeUndefined();
    });
  });

  describe('sessions and process groups', () => {
    it('makes a session leader with no tty, and refuses a group leader', () => {
      const { table, init } = boot();
      const p = table.fork(init);
      p.tty = 'pts/0';
      expect(table.setsid(p)).toBe(p.hostPid);
      expect([p.sidIn(table.initNs.pid), p.pgidIn(table.initNs.pid), p.tty]).toEqual([p.hostPid, p.hostPid, undefined]);
      expect(errno(() => table.setsid(p))).toBe('EPERM');
    });
  });
});
