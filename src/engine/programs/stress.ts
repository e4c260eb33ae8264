/**
 * stress — Amos Waterland's stress 1.0.4 as polinux/stress ships it (`/usr/local/bin/stress`): it forks
 * `--cpu N` workers spinning on sqrt() (one CPU each), `--io N` spinning on sync() (kernel time), and
 * `--vm N` workers that malloc `--vm-bytes` (256M), touch a byte every `--vm-stride` (4096) bytes, sleep
 * `--vm-hang` seconds (none by default: they spin on malloc/free; 0 is forever) and free it; touched
 * pages are charged to the cgroup, so past memory.max the OOM killer SIGKILLs a worker. `--timeout N`
 * arms alarm(2) in every worker. The parent waits for its workers and reports as stress does:
 * `stress: info: [1] dispatching hogs: 1 cpu, 0 io, 1 vm, 0 hdd`, a worker killed by a signal other than
 * SIGALRM as `stress: FAIL: [1] (415) <-- worker 7 got signal 9` followed by the reaping of the others
 * (SIGUSR1 to its process group), then `successful run completed in 10s` or `failed run completed in 2s`;
 * it exits with the number of failed workers.
 *
 * Left out: `--hdd` workers, `--dry-run`, `--verbose` debug lines, `--backoff`, and the error lines for
 * malformed numbers (a bad value prints the usage and exits 1). A vm worker spinning on malloc/free holds
 * its memory (its average) rather than freeing and refaulting it every few milliseconds.
 */
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { SIGALRM, SIGUSR1 } from '../kernel/process/signal.ts';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../kernel/process/waitStatus.ts';
import { AddressSpace } from './addressSpace.ts';

const USAGE = `\`stress' imposes certain types of compute stress on your system

Usage: stress [OPTION [ARG]] ...
 -?, --help         show this help statement
     --version      show version statement
 -v, --verbose      be verbose
 -q, --quiet        be quiet
 -n, --dry-run      show what would have been done
 -t, --timeout N    timeout after N seconds
     --backoff N    wait factor of N microseconds before work starts
 -c, --cpu N        spawn N workers spinning on sqrt()
 -i, --io N         spawn N workers spinning on sync()
 -m, --vm N         spawn N workers spinning on malloc()/free()
     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)
     --vm-stride B  touch a byte every B bytes (default is 4096)
     --vm-hang N    sleep N secs before free (default none, 0 is inf)
     --vm-keep      redirty memory instead of freeing and reallocating
 -d, --hdd N        spawn N workers spinning on write()/unlink()
     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)

Example: stress --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s

Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).
`;

/** The backoff each worker sleeps per forked worker before it starts (do_backoff, µs). */
const BACKOFF_US = 3000;
/** The share of a spinning vm worker's CPU time spent in the kernel (page faults, mmap/munmap). */
const VM_SYSTEM_SHARE = 0.7;
const PAGE = 4096;

/** stress's options after parsing. */
interface StressOptions {
  quiet: boolean;
  timeoutS: number;
  cpu: number;
  io: number;
  vm: number;
  vmBytes: number;
  vmStride: number;
  vmHangS: number;
  vmKeep: boolean;
}

/** atoll_b: a size with an optional B, K, M or G suffix (powers of 1024). */
function parseSize(text: string): number | undefined {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()] ?? 1);
}

/** atoll_s: seconds with an optional s, m, h, d or y suffix. */
function parseSeconds(text: string): number | undefined {
  const m = /^(\d+)([smhdy]?)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86_400, y: 31_536_000 }[m[2]!] ?? 1);
}

/** A worker spinning on sqrt(rand()): one CPU of user time. */
class CpuHog implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    this.host.scheduler.setDemand(this.host.taskOf(sys.process), 1);
    sys.setRunState('R');
  }
}

/** A worker spinning on sync(): kernel time. */
class IoHog implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    this.host.scheduler.setDemand(this.host.taskOf(sys.process), { cpu: 1, system: 1 });
    sys.setRunState('D');
  }
}

/** A worker that mallocs, touches, hangs and frees, over and over (hogvm). */
class VmHog implements Program {
  constructor(
    private readonly host: Host,
    private readonly options: StressOptions,
  ) {}

  start(sys: ProgramContext): void {
    const { vmBytes, vmStride, vmHangS, vmKeep } = this.options;
    const memory = new AddressSpace(this.host, sys.process, { vszKb: sys.process.vszKb, rssKb: 0 });
    const task = this.host.taskOf(sys.process);
    const touched = Math.min(vmBytes, Math.ceil(vmBytes / Math.max(vmStride, 1)) * PAGE);
    const alloc = (): boolean => {
      sys.setRunState('R');
      memory.map(vmBytes);
      return memory.touch(touched).ok;
    };
    if (!alloc()) return;
    if (vmHangS < 0 || (vmKeep && vmHangS !== 0)) {
      this.host.scheduler.setDemand(task, { cpu: 1, system: VM_SYSTEM_SHARE });
      if (vmHangS < 0) return;
    }
    if (vmHangS === 0) {
      sys.setRunState('S');
      return;
    }
    const cycle = () => {
      sys.setRunState('S');
      sys.after(vmHangS * 1000, () => {
        if (!vmKeep) {
          memory.unmap(vmBytes, touched);
          if (!alloc()) return;
        }
        cycle();
      });
    };
    cycle();
  }
}

export class Stress implements Program {
  private sys!: ProgramContext;

  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    const { stdout } = process.stdio;
    const options = this.parse(process.argv.slice(1));
    if (options === undefined) return;
    new AddressSpace(this.host, process, { vszKb: 1_676, rssKb: 512 });
    const startS = Math.floor(sys.now() / 1000);
    if (!options.quiet) stdout.write(`${this.prefix('info')}dispatching hogs: ${options.cpu} cpu, ${options.io} io, ${options.vm} vm, 0 hdd\n`);
    const forks = options.cpu + options.io + options.vm;
    const workers: Array<() => Program> = [
      ...Array.from({ length: options.cpu }, () => () => new CpuHog(this.host)),
      ...Array.from({ length: options.io }, () => () => new IoHog(this.host)),
      ...Array.from({ length: options.vm }, () => () => new VmHog(this.host, options)),
    ];
    let children = 0;
    for (const make of workers) {
      const host = this.host;
      const worker: Program = {
        start(child) {
          if (options.timeoutS > 0) child.after(options.timeoutS * 1000, () => host.table.signalFromKernel(child.process, SIGALRM), 'alarm');
          child.setRunState('S');
          child.after((BACKOFF_US * forks) / 1000, () => make().start(child));
        },
      };
      try {
        sys.clone({ program: worker });
        children++;
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        process.stdio.stderr.write(`${this.prefix('FAIL', 366)}fork failed: ${error.describe}\n`);
        break;
      }
    }
    sys.setRunState('S');
    let retval = 0;
    const finish = () => {
      const runtime = Math.floor(sys.now() / 1000) - startS;
      if (retval) process.stdio.stderr.write(`${this.prefix('FAIL', 451)}failed run completed in ${runtime}s\n`);
      else if (!options.quiet) stdout.write(`${this.prefix('info')}successful run completed in ${runtime}s\n`);
      sys.exit(retval);
    };
    const reapOthers = () => {
      process.stdio.stderr.write(`${this.prefix('WARN', this.line(417, 394))}now reaping child worker processes\n`);
      sys.sigaction(SIGUSR1, 'ignore');
      try {
        sys.kill(-process.pidIn(process.pidNs), SIGUSR1);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        process.stdio.stderr.write(`${this.prefix('FAIL', this.line(421, 398))}kill error: ${error.describe}\n`);
      }
    };
    const wait = () => {
      if (children === 0) return finish();
      sys.waitAsync(-1, 0, ({ pid, status }) => {
        children--;
        if (WIFEXITED(status) && WEXITSTATUS(status) !== 0) {
          this.failedBy = 'exit';
          process.stdio.stderr.write(`${this.prefix('FAIL', 392)}<-- worker ${pid} returned error ${WEXITSTATUS(status)}\n`);
          retval++;
          reapOthers();
        } else if (WIFSIGNALED(status) && WTERMSIG(status) !== SIGALRM && WTERMSIG(status) !== SIGUSR1) {
          this.failedBy = 'signal';
          process.stdio.stderr.write(`${this.prefix('FAIL', 415)}<-- worker ${pid} got signal ${WTERMSIG(status)}\n`);
          retval++;
          reapOthers();
        }
        wait();
      });
    };
    wait();
  }

  /** Which branch of the wait loop reported the failure being handled (they print different line numbers). */
  private failedBy: 'exit' | 'signal' = 'signal';

  private line(signalBranch: number, exitBranch: number): number {
    return this.failedBy === 'signal' ? signalBranch : exitBranch;
  }

  /** `stress: info: [1] ` or `stress: FAIL: [1] (415) `. */
  private prefix(level: 'info' | 'WARN' | 'FAIL', line?: number): string {
    const pid = this.sys.process.pidIn(this.sys.process.pidNs);
    return `stress: ${level}: [${pid}] ${line === undefined ? '' : `(${line}) `}`;
  }

  /** The options, or undefined once stress has exited (usage, version, or a bad value). */
  private parse(args: string[]): StressOptions | undefined {
    const { sys } = this;
    const { stdout } = sys.process.stdio;
    const options: StressOptions = { quiet: false, timeoutS: 0, cpu: 0, io: 0, vm: 0, vmBytes: 256 * 1024 * 1024, vmStride: PAGE, vmHangS: -1, vmKeep: false };
    const usage = (code: number) => {
      stdout.write(USAGE);
      sys.exit(code);
      return undefined;
    };
    if (args.length === 0) return usage(0);
    const takesValue: Record<string, (value: string) => boolean> = {
      timeout: (v) => set('timeoutS', parseSeconds(v)),
      backoff: (v) => /^\d+$/.test(v),
      cpu: (v) => set('cpu', parseCount(v)),
      io: (v) => set('io', parseCount(v)),
      vm: (v) => set('vm', parseCount(v)),
      'vm-bytes': (v) => set('vmBytes', parseSize(v)),
      'vm-stride': (v) => set('vmStride', parseSize(v)),
      'vm-hang': (v) => set('vmHangS', parseSeconds(v)),
    };
    const short: Record<string, string> = { t: 'timeout', c: 'cpu', i: 'io', m: 'vm' };
    function parseCount(v: string): number | undefined {
      return /^\d+$/.test(v) ? Number(v) : undefined;
    }
    function set(key: 'timeoutS' | 'cpu' | 'io' | 'vm' | 'vmBytes' | 'vmStride' | 'vmHangS', value: number | undefined): boolean {
      if (value === undefined) return false;
      options[key] = value;
      return true;
    }
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '-?' || arg === '--help') return usage(0);
      if (arg === '--version') {
        stdout.write('stress 1.0.4\n');
        sys.exit(0);
        return undefined;
      }
      if (arg === '-q' || arg === '--quiet') options.quiet = true;
      else if (arg === '--vm-keep') options.vmKeep = true;
      else {
        const long = arg.startsWith('--') ? arg.slice(2) : short[arg.slice(1)];
        const handler = long === undefined ? undefined : takesValue[long];
        const value = args[++i];
        if (!handler || value === undefined || !handler(value)) return usage(1);
      }
    }
    return options;
  }
}
