/**
 * Test support for the programs: a booted Host with every program registered and installed at
 * /usr/bin/<name>, a captured stdio, and `runContainer`, which starts a program as pid 1 of a new pid
 * namespace in its own cgroup (as runc would), so tests see what a container's log and `ps` would.
 */
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import type { Cgroup } from '../kernel/cgroup/cgroup.ts';
import { Host } from '../kernel/host.ts';
import { CLONE_NEWPID } from '../kernel/ns/cloneFlags.ts';
import type { Process } from '../kernel/process/process.ts';
import { NULL_STDIO, type Stdio } from '../kernel/process/stdio.ts';
import { PROGRAMS, registerPrograms } from './index.ts';

/** When test hosts boot. */
export const TEST_BOOT = Date.UTC(2026, 0, 1);

/** A host of `cpus` CPUs and 4 GiB, cgroup v2 with every controller enabled for the root's children. */
export function bootHost(cpus = 2): Host {
  const clock = new Clock({ startTime: TEST_BOOT });
  const host = new Host({ clock, rng: new SeededRng(7), hostname: 'node-1', cpus, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, bootTime: TEST_BOOT });
  registerPrograms(host.programs, host);
  for (const name of Object.keys(PROGRAMS)) host.installProgram(`/usr/bin/${name}`, name);
  host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpu +memory +pids +cpuset');
  return host;
}

/** Stdio that keeps what is written: `out` and `err` separately, `all` interleaved. */
export class CapturedStdio implements Stdio {
  out = '';
  err = '';
  all = '';
  readonly stdin = NULL_STDIO.stdin;
  readonly stdout = { write: (text: string) => ((this.out += text), (this.all += text)) };
  readonly stderr = { write: (text: string) => ((this.err += text), (this.all += text)) };
}

/** A started container: its init process, its cgroup and its output. */
export interface TestContainer {
  process: Process;
  cgroup: Cgroup;
  stdio: CapturedStdio;
}

/**
 * Start `argv` as pid 1 of a new pid namespace in cgroup `/<name>`, whose files `cgroupFiles` (e.g.
 * `{'memory.max': '64M'}`) are written first.
 */
export function runContainer(host: Host, argv: string[], options: { name?: string; cgroupFiles?: Record<string, string>; env?: string[] } = {}): TestContainer {
  const name = options.name ?? 'ctr';
  const cgroup = host.hierarchy.mkdirp(`/${name}`);
  const vfs = host.vfsFor(host.init);
  for (const [file, value] of Object.entries(options.cgroupFiles ?? {})) vfs.writeFile(`/sys/fs/cgroup/${name}/${file}`, value);
  const stdio = new CapturedStdio();
  const process = host.table.clone(host.init, { flags: CLONE_NEWPID });
  process.stdio = stdio;
  host.hierarchy.moveProcess(host.taskOf(process), cgroup);
  const env = options.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=ctr', 'HOME=/root'];
  host.execve(process, host.lookPath(host.vfsFor(process), argv[0]!, env), argv, env);
  return { process, cgroup, stdio };
}

/** The processes of `ns`'s view, as `ps -o pid,stat,args` would list them: `1 S nginx: master…`. */
export function psLines(host: Host, container: TestContainer): string[] {
  const ns = container.process.pidNs;
  return host.table.list(ns).map((p) => `${p.pidIn(ns)} ${p.state} ${p.exitState ? `[${p.comm}] <defunct>` : p.argv.join(' ')}`);
}
