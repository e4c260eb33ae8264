/**
 * CommandProgram — a lab shell command (ls, cat, ps, kubectl…) as the program of a process on a host: what
 * runs when bash forks and execs /usr/bin/ls. The command gets the process's argv and environment, its
 * working directory and its view of the files (a ProcessFileSystem over the process's Vfs, so /proc/self is
 * the command itself), reads all of the process's stdin, writes to its stdout and stderr, and its status
 * becomes the process's exit code. A signal that kills the process interrupts the command and drops what it
 * still writes.
 */
import type { Disposable } from '../../base/emitter.ts';
import type { Transport } from '../../client/rest/transport.ts';
import { ProcessFileSystem } from '../../kernel/fs/processFileSystem.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import type { Source } from '../../kernel/process/stdio.ts';
import { Pty } from '../../kernel/tty/pty.ts';
import { EXIT, Interrupt, WriteError, type CommandContext, type ShellHost } from '../command.ts';
import type { CommandSpec } from '../commands/index.ts';
import { TextStdin } from '../stdin.ts';

/** What a shell that started a process left for its program. */
export interface Launch {
  /** The shell that ran the command (`which` and `xargs` ask it). */
  readonly shell: ShellHost;
  /** A pipeline's start gate: the command runs once every stage has started. */
  readonly ready?: Promise<void>;
}

/** What a command's process needs of the shell on its host. */
export interface CommandRuntime {
  readonly host: Host;
  /** How kubectl reaches the cluster. */
  readonly kube: { transport: Transport };
  /** What the shell that started `process` left for it, if a shell did. */
  launchOf(process: Process): Launch | undefined;
  /** A shell for the command of `process` to ask: one whose commands are children of `process`. */
  shellFor(process: Process): ShellHost;
}

/** How a CommandProgram runs its command. */
export interface CommandProgramOptions {
  /** The arguments (default: the process's argv; busybox passes `ls -l` for `busybox ls -l`). */
  argv?: readonly string[];
  /** Rewrites what the command writes to stderr (busybox words its errors its own way). */
  stderr?: (text: string) => string;
  /** Maps the command's status to the process's exit code (busybox's ls fails with 1 where GNU's says 2). */
  status?: (status: number) => number;
}

export class CommandProgram implements Program {
  private readonly interrupt = new Interrupt();

  constructor(
    private readonly runtime: CommandRuntime,
    private readonly spec: CommandSpec,
    private readonly options: CommandProgramOptions = {},
  ) {}

  start(sys: ProgramContext): void {
    void this.run(sys);
  }

  onKilled(): void {
    this.interrupt.fire();
  }

  private async run(sys: ProgramContext): Promise<void> {
    const process = sys.process;
    const alive = () => !process.exiting && process.exitState === undefined;
    const ready = this.runtime.launchOf(process)?.ready;
    if (ready) await ready;
    if (!alive()) return;
    sys.setRunState('R');
    const stdio = process.stdio;
    // A terminal is never read to its end before the command runs: as the contract of `ctx.stdin` says,
    // a command's stdin at a terminal is empty (`docker run -t busybox echo hi` runs at once).
    const stdin = Pty.of(stdio) ? () => '' : await stdinOf(stdio.stdin, this.interrupt);
    if (!alive()) return;
    const { host, kube } = this.runtime;
    const vfs = host.vfsFor(process);
    const argv = this.options.argv ?? process.argv;
    const rewrite = this.options.stderr;
    const runtime = this.runtime;
    let shell: ShellHost | undefined;
    let input: TextStdin | undefined;
    const ctx: CommandContext = {
      argv,
      env: environment(process.environ),
      get stdin() {
        return stdin();
      },
      get input() {
        return (input ??= new TextStdin(stdin()));
      },
      stdout: (text) => {
        if (alive()) stdio.stdout.write(text);
      },
      stderr: (text) => {
        if (alive()) stdio.stderr.write(rewrite ? rewrite(text) : text);
      },
      interrupt: this.interrupt,
      clock: host.clock,
      rng: host.rng,
      get shell() {
        return (shell ??= runtime.shellFor(process));
      },
      fs: new ProcessFileSystem(vfs),
      cwd: vfs.getcwd(),
      kube,
      process: { host, process },
    };
    let status: number;
    try {
      status = await this.spec.run(ctx);
    } catch (error) {
      const name = argv[0] ?? '';
      ctx.stderr(error instanceof WriteError ? `${name}: ${error.message}\n` : `kubelab: ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      status = EXIT.failure;
    }
    if (alive()) sys.exit(this.options.status ? this.options.status(status) : status);
  }
}

/** "NAME=value" strings as the map a command's `env` is. */
export function environment(environ: readonly string[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of environ) {
    const at = entry.indexOf('=');
    if (at > 0) env.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return env;
}

/**
 * The command's stdin, read when the command first asks for it: a pipe is waited on to its end without
 * being read, so a command that never reads stdin (`true` in a `while read` loop) leaves it to the next
 * reader, as with a real descriptor. A source that cannot wait unread is read to its end at once.
 */
async function stdinOf(source: Source, interrupt: Interrupt): Promise<() => string> {
  if (!source.ended || !source.takeAll) {
    const text = await readAll(source, interrupt);
    return () => text;
  }
  let interrupted: Disposable | undefined;
  await Promise.race([source.ended(), new Promise<void>((resolve) => (interrupt.fired ? resolve() : (interrupted = interrupt.onDidFire(resolve))))]);
  interrupted?.dispose();
  let text: string | undefined;
  return () => (text ??= source.takeAll!());
}

/** Everything `source` gives until its end (or Ctrl-C). */
async function readAll(source: Source, interrupt: Interrupt): Promise<string> {
  let text = '';
  for (;;) {
    if (interrupt.fired) return text;
    const chunk = await source.read();
    if (chunk === undefined) return text;
    text += chunk;
  }
}
