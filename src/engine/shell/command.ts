/**
 * The contract between the shell and a command it runs: what bash gives a process (argv, environment,
 * stdin, stdout, stderr, a signal on Ctrl-C) and what it gets back (an exit status).
 *
 * A command writes text with "\n" line ends; the session's terminal layer turns them into "\r\n" for a
 * terminal (as a pty's ONLCR does) and leaves them alone for a headless run. A command that waits
 * (`sleep`, `watch`, `kubectl get -w`) awaits virtual time through `ctx.clock` and must stop promptly,
 * with status 130, when `ctx.interrupt` fires.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { Emitter, type Disposable, type Event } from '../base/emitter.ts';
import type { Transport } from '../client/rest/transport.ts';
import type { Host } from '../kernel/host.ts';
import type { Process } from '../kernel/process/process.ts';
import type { FileSystem, FsError } from './fs.ts';
import type { JobTable } from './jobs.ts';
import type { Stdin } from './stdin.ts';
import type { Variables } from './variables.ts';

export interface CommandContext {
  /** argv[0] is the name the command was invoked by. */
  readonly argv: readonly string[];
  readonly env: ReadonlyMap<string, string>;
  /**
   * All of stdin not yet read (a pipe's or a file's contents); empty for a terminal. Reading it takes it
   * all: a later command reading the same stdin (in a loop with `< file`) gets nothing more.
   */
  readonly stdin: string;
  /** Stdin as a stream, for the one command that reads only part of it (`read`). */
  readonly input?: Stdin;
  /** The argv indexes that were unquoted compound assignments `NAME=(…)` (bash's W_COMPASSIGN), for declare/local. */
  readonly compoundAssignments?: ReadonlySet<number>;
  /**
   * Write to stdout; throws WriteError when the write(2) fails (stdout redirected to a file that refuses
   * the data). A command lets it through: the shell that ran it reports it.
   */
  stdout(text: string): void;
  /** Write to stderr; a failed write is dropped, as nowhere is left to report it. */
  stderr(text: string): void;
  readonly interrupt: Interrupt;
  readonly clock: Clock;
  readonly rng: SeededRng;
  /** The shell running the command, for built-ins that act on it (history, clear, cd…). */
  readonly shell: ShellHost;
  /** The files the command sees. */
  readonly fs: FileSystem;
  /** The working directory, absolute. Relative paths resolve with `ctx.fs.resolve(path, ctx.cwd)`. */
  readonly cwd: string;
  /** How kubectl and friends reach the cluster's apiserver (as the lab's admin user). */
  readonly kube: { transport: Transport };
  /**
   * On an emulated host (shell/host/): the process running the command (a builtin's is the shell's own)
   * and its host, for commands that make system calls (kill, nsenter, hostname…). Absent on the laptop.
   */
  readonly process?: { readonly host: Host; readonly process: Process };
  /** The terminal, when stdin is one and the command may take it over (`ssh` opening a remote shell). */
  readonly terminal?: TerminalAttach;
}

/**
 * Where the keys of a taken-over terminal go, as its tab names it: a login on a host (`ssh worker-1`), a
 * process in a container (`kubectl exec -it`, `docker exec -it`) or a container's own terminal
 * (`kubectl attach -it`, `kubectl run -it`, `docker run -it`, `docker attach`).
 */
export interface TerminalTarget {
  kind: 'ssh' | 'exec' | 'attach';
  /** ssh: the host; kubectl: the pod; docker: the container (as named on the command line, or its ID). */
  name: string;
  /** The user logged in as (ssh). */
  user?: string;
  /** kubectl: the pod's container. */
  container?: string;
}

/** A command's hold on the terminal: dispose to give the keys back to the shell. */
export interface TerminalHold extends Disposable {
  /** The keys now reach something else (a shell logged in by `ssh` ran `kubectl exec -it`), or, undefined, the target given to `attach` again. */
  retarget(target: TerminalTarget | undefined): void;
}

/** A terminal a command takes over: every key typed goes to it, and it writes to the screen unchanged. */
export interface TerminalAttach {
  /**
   * Send every key typed (Ctrl-C included) to `onInput` until the returned handle is disposed. `target`
   * says what the keys reach, for the terminal's title (the session reports it as its foreground target).
   */
  attach(onInput: (data: string) => void, target?: TerminalTarget): TerminalHold;
  /** Write to the screen as is ("\r\n" line ends and escape sequences included). */
  write(text: string): void;
  /** The terminal's size. */
  readonly cols: number;
  readonly rows: number;
}

/** What built-ins may ask of the shell that runs them. */
export interface ShellHost {
  readonly history: readonly string[];
  clearHistory(): void;
  /** The status of the last command, bash's `$?`. */
  readonly lastStatus: number;
  clearScreen(): void;
  /** Every command this shell can run, sorted by name, for `help` and completion. */
  commands(): Array<{ name: string; summary: string; builtin?: boolean }>;
  /** End the shell once the current command returns. */
  exit(status: number): void;

  // —— for the shell's own built-ins (cd, export, alias, set, source, type, return…) ——

  /** A shell variable, or undefined when unset. */
  getVar(name: string): string | undefined;
  /** Set (and with `exported`, export) a variable; a readonly one refuses with an error message. */
  setVar(name: string, value: string, exported?: boolean): void;
  /** Mark a variable for export (an unset one is exported once it gets a value). */
  exportVar(name: string): void;
  unsetVar(name: string): void;
  /** Every variable, sorted by name. */
  variables(): Array<{ name: string; value: string; exported: boolean }>;
  /** The working directory; `chdir` takes an absolute, existing directory and updates PWD and OLDPWD. */
  readonly cwd: string;
  chdir(path: string): void;
  readonly aliases: Map<string, string>;
  /** `set -o` options by long name (errexit, nounset, xtrace, pipefail…). */
  readonly shellOptions: Map<string, boolean>;
  /** Function names, sorted, and a function's definition as `type` prints it. */
  functions(): string[];
  functionSource(name: string): string | undefined;
  unsetFunction(name: string): boolean;
  /** What a command name runs, for `type` and `which`. */
  resolveCommand(name: string): { kind: 'alias' | 'keyword' | 'function' | 'builtin' | 'file'; path?: string } | undefined;
  /** All the paths where a name is found as a file on PATH (`type -a`, `which -a`). */
  commandPaths(name: string): string[];
  /** Run a file's text in this shell (bash's `source`), with `args` as the positional parameters. */
  source(path: string, text: string, args: readonly string[]): Promise<number>;
  /**
   * Run a command found on PATH (never a function, alias or shell-only builtin), as `env` and `xargs`
   * exec one: the status, or 127 after no message when there is no such file (the caller words it).
   */
  exec(argv: readonly string[], env: ReadonlyMap<string, string>, io: { stdin: string; stdout(text: string): void; stderr(text: string): void }, interrupt: Interrupt): Promise<number>;
  /** `break`/`continue` N loops, or `return` from a function or sourced file with a status. */
  control(kind: 'break' | 'continue', levels: number): boolean;
  returnFrom(status: number): boolean;
  /** The positional parameters ($1…), settable with `set -- …` and `shift`. */
  positional: string[];
  /** How this shell starts an error message here: "bash: " at a prompt, "bash: line 3: " in a script. */
  readonly errorPrefix: string;

  // —— arrays, declare/local, read, jobs ——

  /** The shell's variables with arrays and attributes (declare, local, read -a). */
  readonly vars: Variables;
  /** Whether `ref` (`NAME` or `NAME[SUB]`) is set, for `-v`. */
  isVarSet(ref: string): boolean;
  /**
   * Assign `NAME=(…)` from its text (`declare -a x='(1 2)'` re-reads it as bash does); its words are
   * expanded here. False after a message when an element cannot be assigned.
   */
  assignCompound(name: string, text: string, append: boolean, stderr: (text: string) => void): Promise<boolean>;
  /** bash's arithmetic in this shell's variables; throws ArithmeticError with bash's message. */
  arithmetic(expr: string): bigint;
  /** `$$` */
  readonly pid: number;
  /** An interactive shell: job control (`fg`, `bg`), `[1] PID` lines and job notices. */
  readonly interactive: boolean;
  /** This shell's background jobs. */
  readonly jobs: JobTable;
  /** Report jobs that have ended (as bash does after waiting) and forget them. */
  reapJobs(): void;
}

export type Command = (ctx: CommandContext) => number | Promise<number>;

/**
 * A command's write to stdout failed: its stdout is a file that refuses the data (garbage written to a
 * cgroup file: EINVAL; /dev/full: ENOSPC). The command ends there, and what ran it prints
 * `NAME: write error: …` with status 1, as bash does for a builtin and coreutils' close_stdout for a program.
 */
export class WriteError extends Error {
  constructor(readonly error: FsError) {
    super(`write error: ${error.describe}`);
    this.name = 'WriteError';
  }
}

/** Exit statuses bash reports. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notExecutable: 126,
  notFound: 127,
  /** 128 + SIGINT(2): a command stopped by Ctrl-C. */
  interrupted: 130,
} as const;

/** Ctrl-C for one running command: a flag plus an event. */
export class Interrupt {
  private _fired = false;
  private readonly _onDidFire = new Emitter<void>();
  readonly onDidFire: Event<void> = this._onDidFire.event;

  get fired(): boolean {
    return this._fired;
  }

  fire(): void {
    if (this._fired) return;
    this._fired = true;
    this._onDidFire.fire();
    this._onDidFire.dispose();
  }
}

/**
 * Wait `ms` of virtual time, or less if interrupted. Resolves true when the time passed, false when
 * Ctrl-C cut it short.
 */
export function sleepOn(clock: Clock, ms: number, interrupt: Interrupt, label = 'sleep'): Promise<boolean> {
  if (interrupt.fired) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = clock.after(ms, () => {
      sub.dispose();
      resolve(true);
    }, label);
    const sub = interrupt.onDidFire(() => {
      timer.cancel();
      resolve(false);
    });
  });
}
