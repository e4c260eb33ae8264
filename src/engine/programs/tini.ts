/**
 * tini — krallin/tini 0.19.0, the init Docker's `--init` and many images run: it spawns its program as a
 * child in its own process group, forwards every signal it gets to that child (to the child's process
 * group with `-g` or TINI_KILL_PROCESS_GROUP), reaps every zombie it inherits, and exits with the child's
 * exit code (128 + signal when a signal killed it; codes given to `-e` become 0) as soon as the child is
 * gone. Not pid 1 and not a subreaper (`-s`, TINI_SUBREAPER), it warns that zombie reaping won't work.
 * `-p SIGNAL` asks for a signal when its parent dies, `-v` raises verbosity (INFO and DEBUG lines), `-w`
 * warns on each reaped zombie.
 *
 * Left out: `-l` (the licence text), the controlling terminal hand-over (tcsetpgrp), and the one-second
 * sigtimedwait loop: signals are handled as they arrive.
 */
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import type { Process } from '../kernel/process/process.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { SIGABRT, SIGBUS, SIGCHLD, SIGFPE, SIGILL, SIGSEGV, SIGSYS, SIGTRAP, SIGTTIN, SIGTTOU, NSIG, isKernelOnly, parseSignal } from '../kernel/process/signal.ts';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WNOHANG, WTERMSIG } from '../kernel/process/waitStatus.ts';
import { signalDescription } from '../kernel/process/signal.ts';
import { AddressSpace } from './addressSpace.ts';
import { reapAll } from './reap.ts';

/** What `tini --version` prints. */
export const TINI_VERSION = 'tini version 0.19.0 - git.de40ad0';

/** print_usage: `name` is the base name tini was invoked as. */
function usage(name: string): string {
  return `${name} (${TINI_VERSION})
Usage: ${name} [OPTIONS] PROGRAM -- [ARGS] | --version

Execute a program under the supervision of a valid init process (tini)

Command line options:

  --version: Show version and exit.
  -h: Show this help message and exit.
  -s: Register as a process subreaper (requires Linux >= 3.4).
  -p SIGNAL: Trigger SIGNAL when parent dies, e.g. "-p SIGKILL".
  -v: Generate more verbose output. Repeat up to 3 times.
  -w: Print a warning when processes are getting reaped.
  -g: Send signals to the child's process group.
  -e EXIT_CODE: Remap EXIT_CODE (from 0 to 255) to 0.
  -l: Show license and exit.

Environment variables:

  TINI_SUBREAPER: Register as a process subreaper (requires Linux >= 3.4).
  TINI_VERBOSITY: Set the verbosity level (default: 1).
  TINI_KILL_PROCESS_GROUP: Send signals to the child's process group.

`;
}

/** Signals tini leaves to their default action: the synchronous ones (and it ignores SIGTTIN/SIGTTOU). */
const NOT_FORWARDED = new Set([SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU, SIGCHLD]);

interface TiniOptions {
  subreaper: boolean;
  verbosity: number;
  warnOnReap: boolean;
  killProcessGroup: boolean;
  parentDeathSignal: number;
  expectStatus: Set<number>;
  command: string[];
}

export class Tini implements Program {
  private child: Process | undefined;
  private childPid = 0;
  private sys!: ProgramContext;
  private options!: TiniOptions;

  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    const parsed = this.parseArgs(process.argv.slice(1), process.environ);
    if (typeof parsed === 'number') return sys.exit(parsed);
    this.options = parsed;
    new AddressSpace(this.host, process, { vszKb: 2_400, rssKb: 640 });

    if (parsed.parentDeathSignal !== 0) this.host.table.setPdeathSignal(process, parsed.parentDeathSignal);
    if (parsed.subreaper) {
      sys.setChildSubreaper(true);
      this.trace('Registered as child subreaper');
    }
    if (process.pidIn(process.pidNs) !== 1 && !process.isChildSubreaper) {
      this.warning(
        "Tini is not running as PID 1 and isn't registered as a child subreaper.\n" +
          "Zombie processes will not be re-parented to Tini, so zombie reaping won't work.\n" +
          'To fix the problem, use the -s option or set the environment variable TINI_SUBREAPER to register Tini as a child subreaper, or run Tini as PID 1.',
      );
    }
    for (let sig = 1; sig <= NSIG; sig++) {
      if (isKernelOnly(sig) || sig === 32 || sig === 33) continue;
      if (sig === SIGTTIN || sig === SIGTTOU) sys.sigaction(sig, 'ignore');
      else if (sig === SIGCHLD) sys.sigaction(sig, () => this.reapZombies());
      else if (!NOT_FORWARDED.has(sig)) sys.sigaction(sig, (signal) => this.forward(signal));
    }
    if (!this.spawn(parsed.command)) return;
    sys.setRunState('S');
    this.reapZombies();
  }

  /** fork, setpgid, execvp; false when tini has already exited. */
  private spawn(command: string[]): boolean {
    const { sys, host } = this;
    const child = sys.clone();
    this.child = child;
    this.childPid = child.pidIn(sys.process.pidNs);
    try {
      host.table.setpgid(child, 0, 0);
      for (const sig of [SIGTTIN, SIGTTOU]) host.table.sigaction(child, sig, 'default');
      const env = child.environ;
      host.execve(child, host.lookPath(host.vfsFor(child), command[0]!, env), command, env);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      const status = error.code === 'ENOENT' ? 127 : error.code === 'EACCES' ? 126 : 1;
      child.stdio.stderr.write(`[FATAL tini (${this.childPid})] exec ${command[0]} failed: ${error.describe}\n`);
      host.table.exit(child, status);
      return !sys.process.exiting && sys.process.exitState === undefined;
    }
    this.info(`Spawned child process '${command[0]}' with pid '${this.childPid}'`);
    return true;
  }

  private forward(signal: number): void {
    const target = this.options.killProcessGroup ? -this.childPid : this.childPid;
    this.debug(`Passing signal: '${signalDescription(signal)}'`);
    try {
      this.sys.kill(target, signal);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      if (error.code === 'ESRCH') this.warning('Child was dead when forwarding signal');
      else {
        this.fatal(`Unexpected error when forwarding signal: '${error.describe}'`);
        this.sys.exit(1);
      }
    }
  }

  private reapZombies(): void {
    let exitCode: number | undefined;
    reapAll(this.sys, WNOHANG, ({ pid, status }) => {
      if (pid === this.childPid) {
        if (WIFEXITED(status)) {
          this.info(`Main child exited normally (with status '${WEXITSTATUS(status)}')`);
          exitCode = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
          this.info(`Main child exited with signal (with signal '${signalDescription(WTERMSIG(status))}')`);
          exitCode = 128 + WTERMSIG(status);
        }
        if (exitCode !== undefined && this.options.expectStatus.has(exitCode)) exitCode = 0;
      } else if (this.options.warnOnReap) {
        this.warning(`Reaped zombie process with pid=${pid}`);
      }
    });
    if (exitCode !== undefined) {
      this.trace('Exiting: child has exited');
      this.sys.exit(exitCode);
    }
  }

  /** getopt over `argv` (glibc's, permuting), then the environment. A number is an exit status. */
  private parseArgs(argv: string[], environ: readonly string[]): TiniOptions | number {
    const { stdout, stderr } = this.sys.process.stdio;
    const name = (this.sys.process.argv[0] ?? 'tini').replace(/^.*\//, '');
    const env = new Map(environ.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const));
    const options: TiniOptions = { subreaper: false, verbosity: 1, warnOnReap: false, killProcessGroup: false, parentDeathSignal: 0, expectStatus: new Set(), command: [] };
    if (argv.length === 1 && argv[0] === '--version') {
      stdout.write(`${TINI_VERSION}\n`);
      return 0;
    }
    const operands: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '--') {
        operands.push(...argv.slice(i + 1));
        break;
      }
      if (!arg.startsWith('-') || arg === '-') {
        operands.push(arg);
        continue;
      }
      for (let j = 1; j < arg.length; j++) {
        const flag = arg[j]!;
        const value = (): string | undefined => {
          const rest = arg.slice(j + 1);
          j = arg.length;
          return rest !== '' ? rest : argv[++i];
        };
        switch (flag) {
          case 'h':
            stdout.write(usage(name));
            return 0;
          case 's':
            options.subreaper = true;
            break;
          case 'v':
            options.verbosity++;
            break;
          case 'w':
            options.warnOnReap = true;
            break;
          case 'g':
            options.killProcessGroup = true;
            break;
          case 'p': {
            const text = value();
            const sig = text === undefined ? undefined : parseSignal(text);
            if (text === undefined || sig === undefined || sig === 0 || !/^SIG/.test(text)) {
              if (text === undefined) return this.usageError(name, `option requires an argument -- 'p'`);
              this.fatal(`Not a valid option for -p: ${text}`);
              return 1;
            }
            options.parentDeathSignal = sig;
            break;
          }
          case 'e': {
            const text = value();
            if (text === undefined) return this.usageError(name, `option requires an argument -- 'e'`);
            const code = /^\d+$/.test(text) ? Number(text) : NaN;
            if (!(code >= 0 && code <= 255)) {
              this.fatal(`Not a valid option for -e: ${text}`);
              return 1;
            }
            options.expectStatus.add(code);
            break;
          }
          default:
            return this.usageError(name, `invalid option -- '${flag}'`);
        }
      }
    }
    if (env.has('TINI_SUBREAPER')) options.subreaper = true;
    if (env.has('TINI_KILL_PROCESS_GROUP')) options.killProcessGroup = true;
    const verbosity = env.get('TINI_VERBOSITY');
    if (verbosity !== undefined) options.verbosity = Number.parseInt(verbosity, 10) || 0;
    if (operands.length === 0) {
      stderr.write(usage(name));
      return 1;
    }
    options.command = operands;
    return options;
  }

  /** getopt's complaint (`argv[0]: message`), then the usage, both on stderr. */
  private usageError(name: string, message: string): number {
    const { stderr } = this.sys.process.stdio;
    stderr.write(`${this.sys.process.argv[0] ?? name}: ${message}\n`);
    stderr.write(usage(name));
    return 1;
  }

  private fatal(message: string): void {
    this.sys.process.stdio.stderr.write(`[FATAL tini (${this.pid})] ${message}\n`);
  }

  private warning(message: string): void {
    if (this.options.verbosity > 0) this.sys.process.stdio.stderr.write(`[WARN  tini (${this.pid})] ${message}\n`);
  }

  private info(message: string): void {
    if (this.options.verbosity > 1) this.sys.process.stdio.stdout.write(`[INFO  tini (${this.pid})] ${message}\n`);
  }

  private debug(message: string): void {
    if (this.options.verbosity > 2) this.sys.process.stdio.stdout.write(`[DEBUG tini (${this.pid})] ${message}\n`);
  }

  private trace(message: string): void {
    if (this.options.verbosity > 3) this.sys.process.stdio.stdout.write(`[TRACE tini (${this.pid})] ${message}\n`);
  }

  private get pid(): number {
    return this.sys.process.pidIn(this.sys.process.pidNs);
  }
}
