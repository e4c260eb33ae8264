/**
 * Interpreter — one bash process running the syntax tree: the session's shell, or a subshell forked from
 * it (`( … )`, `$(…)`, a pipeline stage, a background job), each with its own copy of the shell state.
 *
 * It does what bash's execute_cmd.c, subst.c and arrayfunc.c do: variables (exported ones are the
 * environment commands get; arrays; `local` scopes), `VAR=x cmd`, word expansion (parameters and their
 * operators, arrays, `$(…)`, arithmetic, `~`, field splitting on IFS, globbing against the file system),
 * redirections (/dev/null, /dev/stdin, /dev/stdout, /dev/stderr, /dev/fd/N provided as bash provides the
 * last four; a file opened with O_TRUNC or O_APPEND, each write to it one that may fail as the command's
 * `write error`), pipelines (each stage a subshell, as without `lastpipe`, run to completion before its
 * stdout becomes the next one's stdin), `&&`/`||`, compound commands (`[[ … ]]` with patterns and `=~`,
 * `(( … ))`, `for ((…))`), functions with `$1…`/`$#`/`$@`, `local` and `return`, `break`/`continue`,
 * `set -e`, `exec COMMAND`, and background jobs (`cmd &`: a forked interpreter runs it on the virtual
 * clock while this one goes on; `$!`; job notices as bash prints them).
 *
 * Stdin is shared by the commands that read it in turn (see stdin.ts): `read` takes a line, any other
 * command that reads stdin takes the rest. A loop yields to the clock every 10,000 iterations so Ctrl-C
 * can stop it.
 *
 * On an emulated host (InterpreterHost.processes, given by shell/host/) the shell is a process: a command
 * that is not a builtin or function is an executable found on PATH in the host's files and run as a child
 * process; subshells, pipeline stages and jobs are forked processes (a lone simple command exec'd in
 * place), and a pipeline's stages run at once joined by pipes. Left out: traps, `set -x`, brace
 * expansion, process substitution, coprocesses.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import type { Transport } from '../client/rest/transport.ts';
import type { Host } from '../kernel/host.ts';
import type { Process } from '../kernel/process/process.ts';
import { ArithmeticError, evaluateArithmetic } from './arithmetic.ts';
import { EXIT, Interrupt, WriteError, sleepOn, type CommandContext, type ShellHost, type TerminalAttach } from './command.ts';
import type { CommandTable } from './commands/index.ts';
import { RegexError, translateRegex } from './commands/coreutils/regex.ts';
import { binaryTest, unaryTest } from './commands/test.ts';
import { FsError, type FileSystem } from './fs.ts';
import { JobTable } from './jobs.ts';
import {
  KEYWORDS,
  ShellSyntaxError,
  parse,
  parseArrayLiteral,
  splitSubscript,
  type AndOrList,
  type Assignment,
  type Command,
  type CompoundCommand,
  type CondExpr,
  type FunctionDefinition,
  type ParseResult,
  type Pipeline,
  type Redirect,
  type Script,
  type PatternOp,
  type SimpleCommand,
  type Word,
  type WordPart,
} from './parser.ts';
import { jobText, wordText } from './printCommand.ts';
import { SIGINT, SIGPIPE, SIGTERM } from './signals.ts';
import { EMPTY_STDIN, TextStdin, type Stdin } from './stdin.ts';
import { VariableError, Variables } from './variables.ts';

/** Loop iterations between yields to the clock (so Ctrl-C reaches a busy loop). */
const LOOP_YIELD_EVERY = 10_000;
/** bash's limit on nested function calls is FUNCNEST (unset: none); ours keeps the JS stack safe. */
const MAX_CALL_DEPTH = 200;

/** What all the processes of one session share: its terminal, clock, commands and files. */
export interface InterpreterHost {
  readonly clock: Clock;
  readonly rng: SeededRng;
  readonly commands: CommandTable;
  readonly fs: FileSystem;
  readonly kube: { transport: Transport };
  /** A terminal session (`$-` has `i`). */
  readonly tty: boolean;
  readonly history: string[];
  clearScreen(): void;
  /** Write to the terminal (or the headless output); "\n" becomes "\r\n" on a terminal. */
  emit(stream: 'stdout' | 'stderr', text: string): void;
  /** A fresh process id, for a background job. */
  nextPid(): number;
  /** The shell is a process of an emulated host: what is not a builtin runs as a process (shell/host/). */
  readonly processes?: ProcessHooks;
  /** How the shell words its messages (default: bash's). */
  readonly dialect?: ShellDialect;
  /** The terminal, for a foreground command that takes it over (`ssh` to a host). */
  readonly terminal?: TerminalAttach;
}

/** How a shell words what it says itself: bash, or busybox's ash, or dash. */
export interface ShellDialect {
  /** `$0` where no script names it. */
  readonly name: string;
  /** The start of an error message: bash's `bash: ` at a prompt, `NAME: line N: ` in a script. */
  errorPrefix(where: Where | undefined, line: number): string;
  /** The message after the prefix for a command found nowhere: bash's `NAME: command not found`. */
  notFound(command: string): string;
  /** The message after the prefix when a redirection cannot open its file (`create`: for `>` and `>>`). */
  redirectionFailed(target: string, error: FsError, create: boolean): string;
  /** The status of a command whose redirection failed: bash's 1, 2 in dash and ash. */
  readonly redirectionStatus: number;
}

/** GNU bash's wording. */
export const BASH_DIALECT: ShellDialect = {
  name: 'bash',
  errorPrefix: (where, line) => (where ? `${where.name}: line ${where.lineBase + line}: ` : 'bash: '),
  notFound: (command) => `${command}: command not found`,
  redirectionFailed: (target, error) => `${target}: ${error.describe}`,
  redirectionStatus: EXIT.failure,
};

/**
 * What a shell that is a process of an emulated host is given (shell/host/ provides it): a command that is
 * not a builtin or function is an executable file on PATH in the host's file system, run as a process, and a
 * subshell (a pipeline stage, `( … )`, `$(…)`, a job) is a forked process, as bash forks them.
 */
export interface ProcessHooks {
  /** The host the processes live on. */
  readonly host: Host;
  /**
   * The executables `name` is on `path` (a PATH value) as `process` sees the files, first match first; a
   * name with a slash is itself when it exists.
   */
  lookPath(process: Process, name: string, path: string, cwd: string): string[];
  /** A subshell's process: `parent` forked. */
  fork(parent: Process): Process;
  /** The subshell process ends with `status` (nothing when it has exited already, having exec'd a command). */
  exit(process: Process, status: number): void;
  /** Run an executable as a process; resolves with the status bash reports (128+N when signal N killed it). */
  run(command: ExternalCommand): Promise<number>;
  /** A pipe between two stages of a pipeline: what `write` puts in, `stdin` reads; `close` is the writer's end of file. */
  pipe(): { readonly stdin: Stdin; write(text: string): void; close(): void };
  /** kill(2) of `process` by `sender` (a job's `kill %1`); a process already gone is ignored. */
  signal(sender: Process, process: Process, signal: number): void;
}

/** An executable to run for a shell (see ProcessHooks.run). */
export interface ExternalCommand {
  /** The shell's process: it forks a child that execs `path`, or with `inPlace` execs it itself (a subshell's last command). */
  readonly parent: Process;
  readonly inPlace: boolean;
  readonly path: string;
  readonly argv: readonly string[];
  readonly env: ReadonlyMap<string, string>;
  readonly cwd: string;
  readonly io: Io;
  /** Ctrl-C (or a job's signal): the process gets SIGINT. */
  readonly interrupt: Interrupt;
  /** The shell that runs it, for the commands that ask their shell (`which`, `xargs`). */
  readonly shell: Interpreter;
  /** Where bash's own messages start (`bash: `), for an exec that fails (`Permission denied`). */
  readonly errorPrefix: string;
  /** A pipeline's start: the command runs only once every stage has started; `arrive` once exec'd. */
  readonly gate?: StartGate;
}

/**
 * bash forks every stage of a pipeline before any of them gets far: so `ps -ef | grep ps` lists the grep.
 * Each stage arrives once it has exec'd its command or begun a builtin; commands wait for `ready`.
 */
export interface StartGate {
  readonly ready: Promise<void>;
  arrive(): void;
}

/** Where a command's standard streams go. */
export interface Io {
  stdin: Stdin;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** How errors name the place: a script name and the line its text started on (none at a prompt). */
export interface Where {
  name: string;
  lineBase: number;
}

interface ShellState {
  vars: Variables;
  positional: string[];
  functions: Map<string, { def: FunctionDefinition; where: Where }>;
  aliases: Map<string, string>;
  options: Map<string, boolean>;
  cwd: string;
}

/** How the interpreter unwinds: loops, functions, the shell itself, or the current line (an expansion error). */
class Unwind {
  constructor(
    readonly kind: 'break' | 'continue' | 'return' | 'exit' | 'abort',
    readonly value: number,
  ) {}
}

/** An expansion failed (`${x:?}`, bad arithmetic, a readonly variable): bash prints it and abandons the command line. */
class ExpansionError extends Error {}

/** A write to stderr whose failure goes unreported: the message would go to the same stderr. */
function unreported(write: (text: string) => void): (text: string) => void {
  return (text) => {
    try {
      write(text);
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
    }
  };
}

/** `[[ … ]]` ends with this status at once (an invalid regular expression: 2; a bad number: 1). */
class ConditionStatus {
  constructor(readonly status: number) {}
}

export class Interpreter implements ShellHost {
  private shell: ShellState;
  private _lastStatus = 0;
  /** Set by `exit`: the shell ends once the current command returns. */
  exitRequested: number | undefined;
  private where: Where | undefined;
  private currentLine = 1;
  private conditionDepth = 0;
  private loopDepth = 0;
  private callDepth = 0;
  private pendingUnwind: Unwind | undefined;
  private iterations = 0;
  /** Ctrl-C (or a signal, for a job) for what this process runs now. */
  current: Interrupt | undefined;
  jobs = new JobTable();
  /** On a host: the process this shell is (a subshell may have its own, forked from its parent's). */
  process: Process | undefined;
  /** A subshell whose one simple command replaces it (bash execs it in place rather than forking again). */
  private execInPlace = false;
  /** A pipeline stage's start gate, until the stage has started its first command. */
  private gate: StartGate | undefined;

  /**
   * `interactive`: the session's own shell at a terminal (a subshell never is). `pid` is `$$`, which a
   * subshell shares with its parent, as in bash.
   */
  constructor(
    private readonly host: InterpreterHost,
    state: ShellState,
    readonly pid: number,
    readonly interactive: boolean,
  ) {
    this.shell = state;
    this.shell.vars.evaluate = (expr) => String(this.arithmeticOrThrow(expr));
  }

  /** The session's shell: its variables and options as a login bash starts. */
  static create(host: InterpreterHost, options: { user: string; host: string; pid: number; interactive: boolean; process?: Process; cwd?: string }): Interpreter {
    const home = options.user === 'root' ? '/root' : `/home/${options.user}`;
    const vars = new Variables();
    const env: Array<[string, string]> = [
      ['HOME', home],
      ['USER', options.user],
      ['LOGNAME', options.user],
      ['HOSTNAME', options.host],
      ['SHELL', '/bin/bash'],
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['PWD', home],
      ['LANG', 'C.UTF-8'],
      ['TERM', host.tty ? 'xterm-256color' : 'dumb'],
    ];
    for (const [k, v] of env) vars.set(k, v, { exported: true });
    vars.set('IFS', ' \t\n');
    vars.set('PS1', '\\u@\\h:\\w\\$ ');
    vars.set('PS2', '> ');
    const cwd = options.cwd ?? (host.fs.stat(home)?.type === 'dir' ? home : '/');
    if (cwd !== home) vars.set('PWD', cwd);
    const state: ShellState = {
      vars,
      positional: [],
      functions: new Map(),
      aliases: new Map([['k', 'kubectl']]),
      options: new Map([
        ['errexit', false],
        ['nounset', false],
        ['pipefail', false],
        ['noglob', false],
      ]),
      cwd,
    };
    const shell = new Interpreter(host, state, options.pid, options.interactive);
    shell.process = options.process;
    return shell;
  }

  /**
   * A subshell: a copy of this shell's state that nothing it does can change back here. On a host, with
   * `ownProcess`, it is a forked process of its own (else it runs in this shell's process).
   */
  fork(ownProcess = false): Interpreter {
    const s = this.shell;
    const child = new Interpreter(
      this.host,
      {
        vars: s.vars.clone(),
        positional: [...s.positional],
        functions: new Map(s.functions),
        aliases: new Map(s.aliases),
        options: new Map(s.options),
        cwd: s.cwd,
      },
      this.pid,
      false,
    );
    child.where = this.where;
    child.currentLine = this.currentLine;
    child._lastStatus = this._lastStatus;
    child.current = this.current;
    child.jobs = this.jobs.fork();
    const hooks = this.host.processes;
    child.process = ownProcess && hooks && this.process ? hooks.fork(this.process) : this.process;
    return child;
  }

  /** The dialect this shell speaks. */
  private get dialect(): ShellDialect {
    return this.host.dialect ?? BASH_DIALECT;
  }

  get lastStatus(): number {
    return this._lastStatus;
  }

  set lastStatus(status: number) {
    this._lastStatus = status;
  }

  get aliases(): Map<string, string> {
    return this.shell.aliases;
  }

  /** Run one complete command text read at the top level, with `interrupt` for Ctrl-C. */
  async execute(script: Script, where: Where | undefined, io: Io, interrupt: Interrupt): Promise<void> {
    this.current = interrupt;
    this.where = where;
    this.iterations = 0;
    try {
      await this.runScript(script, io);
    } catch (error) {
      if (error instanceof Unwind) {
        if (error.kind === 'exit') this.exitRequested = error.value;
      } else {
        this.host.emit('stderr', `kubelab: internal error in the shell: ${error instanceof Error ? error.message : String(error)}\n`);
        this._lastStatus = EXIT.failure;
      }
    } finally {
      this.current = undefined;
      this.pendingUnwind = undefined;
      this.loopDepth = 0;
      this.callDepth = 0;
      this.conditionDepth = 0;
    }
    if (interrupt.fired) this._lastStatus = EXIT.interrupted;
  }

  // —— ShellHost ——

  get history(): readonly string[] {
    return this.host.history;
  }

  clearHistory(): void {
    this.host.history.length = 0;
  }

  clearScreen(): void {
    this.host.clearScreen();
  }

  commands(): Array<{ name: string; summary: string; builtin?: boolean }> {
    return [...this.host.commands].map(([name, spec]) => ({ name, summary: spec.summary, builtin: spec.builtin })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  exit(status: number): void {
    this.exitRequested = status;
  }

  get errorPrefix(): string {
    if (!this.host.dialect) return this.where ? `${this.where.name}: line ${this.where.lineBase + this.currentLine}: ` : 'bash: ';
    return this.host.dialect.errorPrefix(this.where, this.currentLine);
  }

  get vars(): Variables {
    return this.shell.vars;
  }

  getVar(name: string): string | undefined {
    return this.shell.vars.scalar(name);
  }

  setVar(name: string, value: string, exported?: boolean): void {
    this.shell.vars.set(name, value, { exported });
  }

  exportVar(name: string): void {
    this.shell.vars.declare(name, ['exported']);
  }

  unsetVar(ref: string): void {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(ref);
    try {
      if (!m) this.shell.vars.unset(ref);
      else {
        const key = m[2] === '@' || m[2] === '*' ? m[2] : this.subscriptKey(m[1]!, m[2]!);
        if (key !== undefined) this.shell.vars.unsetElement(m[1]!, key);
      }
    } catch (error) {
      if (error instanceof VariableError) throw new VariableError(`unset: ${error.message}`);
      throw error;
    }
  }

  isVarSet(ref: string): boolean {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(ref);
    if (!m) return this.shell.vars.isSet(ref);
    if (m[2] === '@' || m[2] === '*') return this.shell.vars.isSet(m[1]!);
    const key = this.subscriptKey(m[1]!, m[2]!);
    return key !== undefined && this.shell.vars.element(m[1]!, key) !== undefined;
  }

  variables(): Array<{ name: string; value: string; exported: boolean }> {
    const out: Array<{ name: string; value: string; exported: boolean }> = [];
    for (const name of this.shell.vars.names()) {
      const v = this.shell.vars.get(name)!;
      if (v.value !== undefined && !v.indexed && !v.assoc) out.push({ name, value: v.value, exported: v.exported });
    }
    return out;
  }

  get cwd(): string {
    return this.shell.cwd;
  }

  chdir(path: string): void {
    this.setVar('OLDPWD', this.shell.cwd);
    this.shell.cwd = path;
    this.setVar('PWD', path);
  }

  get shellOptions(): Map<string, boolean> {
    return this.shell.options;
  }

  get positional(): string[] {
    return this.shell.positional;
  }

  set positional(args: string[]) {
    this.shell.positional = args;
  }

  functions(): string[] {
    return [...this.shell.functions.keys()].sort();
  }

  functionSource(name: string): string | undefined {
    return this.shell.functions.get(name)?.def.source;
  }

  unsetFunction(name: string): boolean {
    return this.shell.functions.delete(name);
  }

  resolveCommand(name: string): { kind: 'alias' | 'keyword' | 'function' | 'builtin' | 'file'; path?: string } | undefined {
    if (this.shell.aliases.has(name)) return { kind: 'alias' };
    if (KEYWORDS.has(name)) return { kind: 'keyword' };
    if (this.shell.functions.has(name)) return { kind: 'function' };
    if (this.host.processes) {
      if (this.host.commands.get(name)?.builtin) return { kind: 'builtin' };
      const path = this.commandPaths(name)[0];
      return path === undefined ? undefined : { kind: 'file', path };
    }
    const spec = this.host.commands.get(name);
    if (!spec) return undefined;
    if (spec.builtin) return { kind: 'builtin' };
    return { kind: 'file', path: this.commandPaths(name)[0] };
  }

  commandPaths(name: string): string[] {
    if (this.host.processes) return this.process ? this.host.processes.lookPath(this.process, name, this.getVar('PATH') ?? '', this.shell.cwd) : [];
    const spec = this.host.commands.get(name);
    if (!spec || (spec.builtin && spec.path === undefined)) return [];
    return [spec.path ?? `/usr/bin/${name}`];
  }

  async source(path: string, text: string, args: readonly string[]): Promise<number> {
    const savedWhere = this.where;
    const savedLine = this.currentLine;
    const savedPositional = this.shell.positional;
    if (args.length > 0) this.shell.positional = [...args];
    this.callDepth++;
    try {
      if (this.callDepth > MAX_CALL_DEPTH) throw new ExpansionError(`${path}: maximum nesting level exceeded (${MAX_CALL_DEPTH})`);
      return await this.runSource(text, path);
    } finally {
      this.callDepth--;
      if (args.length > 0) this.shell.positional = savedPositional;
      this.where = savedWhere;
      this.currentLine = savedLine;
    }
  }

  /** A sourced file: parsed whole (bash reads it command by command; errors end it the same way). */
  private async runSource(text: string, name: string): Promise<number> {
    let parsed: ParseResult;
    try {
      parsed = parse(text, { atEof: true, aliases: this.shell.aliases });
    } catch (error) {
      const line = error instanceof ShellSyntaxError ? error.line : text.split('\n').length + 1;
      this.host.emit('stderr', `${name}: line ${line}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.usage;
    }
    this.where = { name, lineBase: 0 };
    try {
      return await this.runScript(parsed, this.terminalIo());
    } catch (error) {
      if (error instanceof Unwind && error.kind === 'return') return error.value;
      throw error;
    }
  }

  async exec(argv: readonly string[], env: ReadonlyMap<string, string>, io: { stdin: string; stdout(text: string): void; stderr(text: string): void }, interrupt: Interrupt): Promise<number> {
    const name = argv[0];
    const hooks = this.host.processes;
    if (hooks && this.process) {
      const path = name === undefined ? undefined : this.commandPaths(name)[0];
      if (path === undefined) return EXIT.notFound;
      const stdio: Io = { stdin: new TextStdin(io.stdin), out: (text) => io.stdout(text), err: (text) => io.stderr(text) };
      return hooks.run({ parent: this.process, inPlace: false, path, argv, env, cwd: this.shell.cwd, io: stdio, interrupt, shell: this, errorPrefix: this.errorPrefix });
    }
    const spec = name === undefined || this.commandPaths(name).length === 0 ? undefined : this.host.commands.get(name);
    if (!spec) return EXIT.notFound;
    const ctx: CommandContext = {
      argv,
      env,
      stdin: io.stdin,
      stdout: (text) => io.stdout(text),
      stderr: (text) => io.stderr(text),
      interrupt,
      clock: this.host.clock,
      rng: this.host.rng,
      shell: this,
      fs: this.host.fs,
      cwd: this.shell.cwd,
      kube: this.host.kube,
    };
    try {
      return await spec.run(ctx);
    } catch (error) {
      io.stderr(`kubelab: ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failure;
    }
  }

  control(kind: 'break' | 'continue', levels: number): boolean {
    if (this.loopDepth === 0) return false;
    this.pendingUnwind = new Unwind(kind, Math.min(levels, this.loopDepth));
    return true;
  }

  returnFrom(status: number): boolean {
    if (this.callDepth === 0) return false;
    this.pendingUnwind = new Unwind('return', status);
    return true;
  }

  arithmetic(expr: string): bigint {
    return evaluateArithmetic(expr, {
      get: (name, subscript) => (subscript === undefined ? this.lookup(name) : this.elementRef(name, subscript)),
      set: (name, value, subscript) => {
        if (subscript === undefined) this.shell.vars.set(name, value);
        else {
          const key = this.subscriptKey(name, subscript);
          if (key === undefined) throw new ArithmeticError(`${name}[${subscript}]: bad array subscript`);
          this.shell.vars.setElement(name, key, value);
        }
      },
    });
  }

  async assignCompound(name: string, text: string, append: boolean, stderr: (text: string) => void): Promise<boolean> {
    const words = parseArrayLiteral(text);
    if (!words) {
      this.shell.vars.set(name, text, { append });
      return true;
    }
    try {
      await this.assignArray(name, words, append, this.terminalIo());
      return true;
    } catch (error) {
      if (!(error instanceof VariableError || error instanceof ExpansionError)) throw error;
      stderr(`${this.errorPrefix}${error.message}\n`);
      return false;
    }
  }

  /**
   * An interactive shell prints every ended job (`[1]+  Done …`) and forgets it. A script forgets only
   * jobs a signal ended, reporting those but SIGINT, SIGTERM and SIGPIPE (`line 3:  1234 Killed …`);
   * the others stay for `jobs` and `wait %N` to report, as bash reading a script does.
   */
  reapJobs(): void {
    const ended = this.jobs.list().filter((j) => j.done && this.jobs.owns(j) && (this.interactive || j.signal !== undefined));
    if (ended.length === 0) return;
    let out = '';
    for (const job of ended) {
      if (this.interactive) out += this.jobs.format(job);
      else if (job.signal !== SIGINT && job.signal !== SIGTERM && job.signal !== SIGPIPE) {
        out += `${this.errorPrefix}${String(job.pid).padStart(5)} ${this.jobs.stateText(job).padEnd(24)}${job.command}\n`;
      }
    }
    for (const job of ended) this.jobs.remove(job);
    this.host.emit('stderr', out);
  }

  /** Stop every job (the shell is going away), as the SIGHUP a closing terminal sends. */
  hangUp(signal: number): void {
    for (const job of this.jobs.list()) this.jobs.kill(job, signal);
  }

  private arithmeticOrThrow(expr: string): bigint {
    try {
      return this.arithmetic(expr);
    } catch (error) {
      if (error instanceof ArithmeticError) throw new ExpansionError(error.message);
      throw error;
    }
  }

  /** The terminal's streams (the session's output, no input): for sourced files and compound assignments run by builtins. */
  private terminalIo(): Io {
    return {
      stdin: EMPTY_STDIN,
      out: (text) => this.host.emit('stdout', text),
      err: (text) => this.host.emit('stderr', text),
    };
  }

  private get interrupt(): Interrupt {
    return this.current ?? new Interrupt();
  }

  // —— execution ——

  private async runScript(script: Script, io: Io): Promise<number> {
    for (const list of script.lists) {
      if (list.background) this.background(list, io);
      else await this.runAndOr(list, io);
    }
    return this._lastStatus;
  }

  /** `list &`: a forked shell runs it as a job while this one goes on. */
  private background(list: AndOrList, io: Io): void {
    const hooks = this.host.processes;
    const child = this.fork(true);
    const own = hooks && child.process && child.process !== this.process ? child.process : undefined;
    const pid = own && this.process ? own.pidIn(this.process.pidNs) : this.host.nextPid();
    child.execInPlace = list.rest.length === 0 && list.first.commands.length === 1 && list.first.commands[0]!.type === 'simple';
    this.jobs.start(pid, jobText(list), (job, live) => {
      if (this.interactive) io.err(`[${job.number}] ${pid}\n`);
      child.current = job.interrupt;
      if (own && hooks && this.process) {
        const sender = this.process;
        job.interrupt.onDidFire(() => hooks.signal(sender, own, job.signal ?? SIGTERM));
      }
      const jobIo: Io = {
        stdin: EMPTY_STDIN,
        out: (text) => live() && io.out(text),
        err: (text) => live() && io.err(text),
      };
      return this.runForked(child, () => child.runAndOr(list, jobIo));
    });
    this._lastStatus = EXIT.ok;
  }

  /** Run a forked shell's body; a subshell with a process of its own ends it with the body's status. */
  private async runForked(child: Interpreter, body: () => Promise<number>): Promise<number> {
    let status: number = EXIT.interrupted;
    try {
      status = await child.runSubshell(body);
      return status;
    } finally {
      const hooks = this.host.processes;
      if (hooks && child.process && child.process !== this.process) hooks.exit(child.process, status);
    }
  }

  private async runAndOr(list: AndOrList, io: Io): Promise<number> {
    let status = await this.runPipeline(list.first, io, list.rest.length > 0);
    for (let i = 0; i < list.rest.length; i++) {
      const { op, pipeline } = list.rest[i]!;
      if ((op === '&&') === (status === 0)) status = await this.runPipeline(pipeline, io, i < list.rest.length - 1);
    }
    return status;
  }

  /** Run each command of a pipeline in turn, the stdout of one the stdin of the next. */
  private async runPipeline(pipeline: Pipeline, io: Io, inCondition: boolean): Promise<number> {
    let status = 0;
    let stdin = io.stdin;
    let statuses: number[] = [];
    if (pipeline.negated) this.conditionDepth++;
    try {
      const alone = pipeline.commands.length === 1;
      const hooks = !alone && this.process ? this.host.processes : undefined;
      if (hooks) {
        statuses = await this.runStages(pipeline, io, hooks);
        status = statuses[statuses.length - 1]!;
      }
      for (let i = 0; i < pipeline.commands.length && !hooks; i++) {
        const last = i === pipeline.commands.length - 1;
        if (alone) {
          status = await this.runCommand(pipeline.commands[i]!, io);
        } else {
          // Every stage of a pipeline is a subshell (bash without lastpipe): `echo a | read x` sets no x here.
          let captured = '';
          const child = this.fork();
          const stageIo = last ? { ...io, stdin } : { ...io, stdin, out: (text: string) => (captured += text) };
          status = await child.runSubshell(() => child.runCommand(pipeline.commands[i]!, stageIo));
          stdin = new TextStdin(captured);
        }
        statuses.push(status);
      }
    } finally {
      if (pipeline.negated) this.conditionDepth--;
    }

    if (this.shell.options.get('pipefail')) status = [...statuses].reverse().find((s) => s !== 0) ?? 0;
    if (pipeline.negated) status = status === 0 ? 1 : 0;
    this._lastStatus = status;
    if (status !== 0 && !pipeline.negated && !inCondition && this.conditionDepth === 0 && this.shell.options.get('errexit')) throw new Unwind('exit', status);
    return status;
  }

  /**
   * A pipeline on a host: every stage a forked process at once, each one's stdout a pipe to the next's
   * stdin, a simple command exec'd in its stage's process; the statuses in order.
   */
  private async runStages(pipeline: Pipeline, io: Io, hooks: ProcessHooks): Promise<number[]> {
    const stages = pipeline.commands.length;
    let arrived = 0;
    let open!: () => void;
    const ready = new Promise<void>((resolve) => (open = resolve));
    const pipes = Array.from({ length: stages - 1 }, () => hooks.pipe());
    const runs = pipeline.commands.map((command, i) => {
      const child = this.fork(true);
      child.execInPlace = command.type === 'simple';
      let done = false;
      const arrive = () => {
        if (done) return;
        done = true;
        if (++arrived === stages) open();
      };
      child.gate = { ready, arrive };
      const pipe = pipes[i];
      const stageIo: Io = { stdin: i === 0 ? io.stdin : pipes[i - 1]!.stdin, out: pipe ? (text) => pipe.write(text) : io.out, err: io.err };
      return this.runForked(child, () => child.runCommand(command, stageIo)).finally(() => {
        arrive();
        pipe?.close();
      });
    });
    const results = await Promise.allSettled(runs);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results.map((r) => (r as PromiseFulfilledResult<number>).value);
  }

  /** The stage has begun its first command: the pipeline may start once every stage has. */
  private arriveAtGate(): void {
    this.gate?.arrive();
    this.gate = undefined;
  }

  /** After each command: Ctrl-C, `exit`, `break`/`continue`/`return` requests unwind the interpreter. */
  private checkUnwind(): void {
    if (this.current?.fired) throw new Unwind('abort', EXIT.interrupted);
    if (this.exitRequested !== undefined) throw new Unwind('exit', this.exitRequested);
    const pending = this.pendingUnwind;
    if (pending) {
      this.pendingUnwind = undefined;
      throw pending;
    }
  }

  private async runCommand(command: Command, io: Io): Promise<number> {
    this.currentLine = command.line;
    let status: number;
    try {
      if (command.type === 'function') {
        this.shell.functions.set(command.name, { def: command, where: this.where ?? { name: 'bash', lineBase: 0 } });
        status = EXIT.ok;
      } else if (command.type === 'simple') status = await this.runSimple(command, io);
      else {
        this.arriveAtGate();
        const redirected = await this.redirect(command.redirects, io);
        status = redirected === undefined ? this.dialect.redirectionStatus : await this.runCompound(command, redirected);
      }
    } catch (error) {
      if (!(error instanceof ExpansionError || error instanceof VariableError)) throw error;
      this.currentLine = command.line;
      io.err(`${this.errorPrefix}${error.message}\n`);
      this._lastStatus = EXIT.failure;
      // bash abandons the line at a prompt and ends a script.
      throw new Unwind(this.where ? 'exit' : 'abort', EXIT.failure);
    }
    this._lastStatus = status;
    this.checkUnwind();
    return status;
  }

  private async runCompound(command: CompoundCommand, io: Io): Promise<number> {
    switch (command.type) {
      case 'group':
        return this.runScript(command.body, io);
      case 'subshell': {
        const child = this.fork(true);
        child.execInPlace = isOneSimpleCommand(command.body);
        return this.runForked(child, () => child.runScript(command.body, io));
      }
      case 'if': {
        for (const clause of command.clauses) {
          if ((await this.condition(clause.cond, io)) === 0) return this.runScript(clause.body, io);
        }
        return command.otherwise ? this.runScript(command.otherwise, io) : EXIT.ok;
      }
      case 'while': {
        let status: number = EXIT.ok;
        for (;;) {
          await this.loopTick();
          const cond = await this.condition(command.cond, io);
          if ((cond === 0) === command.until) break;
          const result = await this.loopBody(command.body, io);
          status = result.status;
          if (result.stop) break;
        }
        return status;
      }
      case 'for': {
        const items = command.items ? await this.expandWords(command.items, io) : [...this.shell.positional];
        let status: number = EXIT.ok;
        for (const item of items) {
          await this.loopTick();
          this.shell.vars.set(command.name, item);
          const result = await this.loopBody(command.body, io);
          status = result.status;
          if (result.stop) break;
        }
        return status;
      }
      case 'arithFor': {
        const [init, cond, step] = command.parts;
        let status: number = EXIT.ok;
        if ((await this.arithCommand(init, io, true)) === undefined) return EXIT.failure;
        for (;;) {
          await this.loopTick();
          const go = await this.arithCommand(cond, io, true);
          if (go === undefined) return EXIT.failure;
          if (go === 0n) break;
          const result = await this.loopBody(command.body, io);
          status = result.status;
          if (result.stop) break;
          if ((await this.arithCommand(step, io, true)) === undefined) return EXIT.failure;
        }
        return status;
      }
      case 'case': {
        const value = await this.expandString(command.word, io);
        for (const item of command.items) {
          for (const pattern of item.patterns) {
            if (globRegExp(await this.expandPattern(pattern, io), true).test(value)) return item.body.lists.length > 0 ? this.runScript(item.body, io) : EXIT.ok;
          }
        }
        return EXIT.ok;
      }
      case 'arith': {
        const value = await this.arithCommand(command.expr, io, false);
        return value === undefined ? EXIT.failure : value !== 0n ? EXIT.ok : EXIT.failure;
      }
      case 'cond': {
        try {
          return (await this.cond(command.expr, io)) ? EXIT.ok : EXIT.failure;
        } catch (error) {
          if (error instanceof ConditionStatus) return error.status;
          throw error;
        }
      }
    }
  }

  /**
   * `(( … ))` or a part of `for ((…))`: the value, or undefined after bash's `((: …` message. An empty
   * part of `for ((…))` is 1 (true), as in bash.
   */
  private async arithCommand(expr: WordPart[], io: Io, emptyIsTrue: boolean): Promise<bigint | undefined> {
    const text = await this.expandString({ parts: expr }, io);
    if (emptyIsTrue && text.trim() === '') return 1n;
    try {
      return this.arithmetic(text);
    } catch (error) {
      if (!(error instanceof ArithmeticError)) throw error;
      io.err(`${this.errorPrefix}((: ${error.message}\n`);
      return undefined;
    }
  }

  /** `[[ … ]]`: the value of the expression; ConditionStatus for a status other than 0/1. */
  private async cond(e: CondExpr, io: Io): Promise<boolean> {
    switch (e.kind) {
      case 'and':
        return (await this.cond(e.left, io)) && this.cond(e.right, io);
      case 'or':
        return (await this.cond(e.left, io)) || this.cond(e.right, io);
      case 'not':
        return !(await this.cond(e.expr, io));
      case 'group':
        return this.cond(e.expr, io);
      case 'unary': {
        const operand = await this.expandString(e.operand, io);
        if (e.op === '-v') return this.isVarSet(operand);
        if (e.op === '-o') return this.shell.options.get(operand) === true;
        return unaryTest(this.testContext(), e.op, operand);
      }
      case 'binary': {
        const left = await this.expandString(e.left, io);
        switch (e.op) {
          case '=':
          case '==':
          case '!=': {
            const matched = globRegExp(await this.expandPattern(e.right, io), true).test(left);
            return e.op === '!=' ? !matched : matched;
          }
          case '=~':
            return this.regexMatch(left, await this.expandRegex(e.right, io));
          case '<':
            return left < (await this.expandString(e.right, io));
          case '>':
            return left > (await this.expandString(e.right, io));
          case '-eq':
          case '-ne':
          case '-lt':
          case '-le':
          case '-gt':
          case '-ge': {
            const right = await this.expandString(e.right, io);
            let a: bigint;
            let b: bigint;
            try {
              a = this.arithmetic(left);
              b = this.arithmetic(right);
            } catch (error) {
              if (!(error instanceof ArithmeticError)) throw error;
              io.err(`${this.errorPrefix}[[: ${error.message}\n`);
              throw new ConditionStatus(EXIT.failure);
            }
            return { '-eq': a === b, '-ne': a !== b, '-lt': a < b, '-le': a <= b, '-gt': a > b, '-ge': a >= b }[e.op];
          }
          default:
            return binaryTest(this.testContext(), left, e.op, await this.expandString(e.right, io));
        }
      }
    }
  }

  /** `=~`: ERE match, setting BASH_REMATCH; an invalid expression makes `[[` return 2. */
  private regexMatch(text: string, source: string): boolean {
    let re: RegExp;
    try {
      re = new RegExp(translateRegex(source, true));
    } catch (error) {
      if (error instanceof RegexError || error instanceof SyntaxError) throw new ConditionStatus(EXIT.usage);
      throw error;
    }
    const m = re.exec(text);
    const vars = this.shell.vars;
    vars.unset('BASH_REMATCH');
    vars.setArray('BASH_REMATCH', m ? [...m].map((g) => ({ value: g ?? '' })) : []);
    return m !== null;
  }

  private testContext(): Pick<CommandContext, 'fs' | 'cwd' | 'shell'> {
    return { fs: this.host.fs, cwd: this.shell.cwd, shell: this };
  }

  private async condition(script: Script, io: Io): Promise<number> {
    this.conditionDepth++;
    try {
      return await this.runScript(script, io);
    } finally {
      this.conditionDepth--;
    }
  }

  /** One pass of a loop body; `stop` when a `break` ends this loop. */
  private async loopBody(body: Script, io: Io): Promise<{ status: number; stop: boolean }> {
    this.loopDepth++;
    try {
      return { status: await this.runScript(body, io), stop: false };
    } catch (error) {
      if (!(error instanceof Unwind) || (error.kind !== 'break' && error.kind !== 'continue')) throw error;
      if (error.value > 1) throw new Unwind(error.kind, error.value - 1);
      return { status: EXIT.ok, stop: error.kind === 'break' };
    } finally {
      this.loopDepth--;
    }
  }

  private async loopTick(): Promise<void> {
    if (++this.iterations % LOOP_YIELD_EVERY === 0) await sleepOn(this.host.clock, 0, this.interrupt, 'shell loop');
    if (this.current?.fired) throw new Unwind('abort', EXIT.interrupted);
  }

  /** Run `body` in this (forked) shell as a subshell: `exit`, `return` and loop control end only it. */
  private async runSubshell(body: () => Promise<number>): Promise<number> {
    try {
      return await body();
    } catch (error) {
      if (!(error instanceof Unwind) || error.kind === 'abort') throw error;
      if (error.kind === 'exit') return error.value;
      return error.kind === 'return' ? error.value : EXIT.ok;
    }
  }

  private async runSimple(command: SimpleCommand, io: Io): Promise<number> {
    const { argv, compound } = command.declaration ? await this.expandDeclaration(command.words, io) : { argv: await this.expandWords(command.words, io), compound: undefined };
    this.currentLine = command.line;
    if (argv.length === 0) {
      for (const assign of command.assigns) await this.assign(assign, io);
      const redirected = await this.redirect(command.redirects, io);
      if (redirected === undefined) return this.dialect.redirectionStatus;
      // The status of an assignment-only command is that of its last command substitution.
      return command.assigns.length > 0 || command.words.length > 0 ? this._lastStatus : EXIT.ok;
    }
    const assigns: Array<[string, string]> = [];
    for (const a of command.assigns) if (!a.array && !a.subscript) assigns.push([a.name, await this.expandString(a.value, io)]);
    this.currentLine = command.line;
    const redirected = await this.redirect(command.redirects, io);
    if (redirected === undefined) return this.dialect.redirectionStatus;
    if (argv[0] === 'exec' && !this.shell.functions.has('exec')) return this.execBuiltin(argv, assigns, redirected, compound);
    return this.dispatch(argv, assigns, redirected, compound);
  }

  /**
   * bash's `exec [--] COMMAND [ARGS…]`: the command replaces the shell, which ends with its status. On a
   * host the file is exec'd in the shell's own process (so `exec "$@"` leaves an entrypoint's program as
   * the container's pid 1); a file found nowhere is `exec: NAME: not found`, status 127, which ends a
   * script but not a shell at a prompt. Left out: `-a`, `-c`, `-l`, and redirections made permanent by an
   * `exec` with no command (it does nothing here).
   */
  private async execBuiltin(argv: string[], assigns: Array<[string, string]>, io: Io, compound: Set<number> | undefined): Promise<number> {
    const args = argv.slice(argv[1] === '--' ? 2 : 1);
    const name = args[0];
    if (name === undefined) {
      this.arriveAtGate();
      return EXIT.ok;
    }
    const hooks = this.host.processes;
    let status: number;
    if (hooks && this.process) {
      if (hooks.lookPath(this.process, name, this.getVar('PATH') ?? '', this.shell.cwd).length === 0) {
        this.arriveAtGate();
        io.err(`${this.errorPrefix}exec: ${name}: not found\n`);
        if (!this.interactive) this.exit(EXIT.notFound);
        return EXIT.notFound;
      }
      this.execInPlace = true;
      status = await this.runExternal(hooks, this.process, args, assigns, io);
    } else status = await this.dispatch(args, assigns, io, compound && new Set([...compound].map((i) => i - (argv.length - args.length))));
    this.exit(status);
    return status;
  }

  /** Run an expanded simple command: a function, a builtin, or (on a host) an executable file. */
  private async dispatch(argv: string[], assigns: Array<[string, string]>, redirected: Io, compound: Set<number> | undefined): Promise<number> {
    const name = argv[0]!;
    const fn = this.shell.functions.get(name);
    const hooks = this.host.processes;
    if (fn || !hooks || !this.process || this.host.commands.get(name)?.builtin) {
      // A function or builtin runs in this (sub)shell, which a command it runs must not replace.
      this.execInPlace = false;
      this.arriveAtGate();
    }
    if (fn) return this.callFunction(fn, argv, assigns, redirected);
    if (hooks && this.process && !this.host.commands.get(name)?.builtin) return this.runExternal(hooks, this.process, argv, assigns, redirected);
    const spec = this.host.commands.get(name);
    if (!spec) {
      redirected.err(`${this.errorPrefix}${name}: ${name.includes('/') ? 'No such file or directory' : 'command not found'}\n`);
      return EXIT.notFound;
    }
    const env = new Map<string, string>();
    for (const v of this.variables()) if (v.exported) env.set(v.name, v.value);
    for (const [k, v] of assigns) env.set(k, v);
    let stdinText: string | undefined;
    const stdin = redirected.stdin;
    const ctx: CommandContext = {
      argv,
      env,
      get stdin() {
        stdinText ??= stdin.readAll();
        return stdinText;
      },
      input: stdin,
      compoundAssignments: compound,
      stdout: redirected.out,
      stderr: redirected.err,
      interrupt: this.interrupt,
      clock: this.host.clock,
      rng: this.host.rng,
      shell: this,
      fs: this.host.fs,
      cwd: this.shell.cwd,
      kube: this.host.kube,
      ...(this.host.processes && this.process && { process: { host: this.host.processes.host, process: this.process } }),
      ...(this.host.terminal && stdin.terminal && { terminal: this.host.terminal }),
    };
    let status: number;
    // A builtin sees `VAR=value` before it as a shell variable, for its run only (`IFS=, read a b`).
    const temporary = spec.builtin === true && assigns.length > 0;
    if (temporary) {
      this.shell.vars.pushFrame();
      for (const [k, v] of assigns) {
        this.shell.vars.local(k);
        this.shell.vars.set(k, v, { exported: true });
      }
    }
    try {
      status = await spec.run(ctx);
    } catch (error) {
      if (error instanceof Unwind) throw error;
      if (error instanceof WriteError) {
        redirected.err(`${this.errorPrefix}${name}: ${error.message}\n`);
        return EXIT.failure;
      }
      if (error instanceof VariableError || error instanceof ArithmeticError || error instanceof ExpansionError) {
        redirected.err(`${this.errorPrefix}${error.message}\n`);
        return EXIT.failure;
      }
      redirected.err(`kubelab: ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failure;
    } finally {
      if (temporary) this.shell.vars.popFrame();
    }
    // bash reports finished jobs after it waited for a program (not after a builtin).
    if (!spec.builtin) this.reapJobs();
    return status;
  }

  /** A command that is a file on PATH, run as a process of the host (forked, or exec'd in place by a subshell). */
  private async runExternal(hooks: ProcessHooks, parent: Process, argv: string[], assigns: Array<[string, string]>, io: Io): Promise<number> {
    const name = argv[0]!;
    const path = hooks.lookPath(parent, name, this.getVar('PATH') ?? '', this.shell.cwd)[0];
    if (path === undefined) {
      this.arriveAtGate();
      io.err(`${this.errorPrefix}${name.includes('/') ? `${name}: No such file or directory` : this.dialect.notFound(name)}\n`);
      return EXIT.notFound;
    }
    const env = new Map<string, string>();
    for (const v of this.variables()) if (v.exported) env.set(v.name, v.value);
    for (const [k, v] of assigns) env.set(k, v);
    const inPlace = this.execInPlace;
    this.execInPlace = false;
    const gate = this.gate;
    this.gate = undefined;
    const status = await hooks.run({ parent, inPlace, path, argv, env, cwd: this.shell.cwd, io, interrupt: this.interrupt, shell: this, errorPrefix: this.errorPrefix, gate });
    this.reapJobs();
    return status;
  }

  /**
   * The arguments of a declaration builtin: `NAME=value` words expanded as assignments (no splitting or
   * globbing), `NAME=(…)` words passed as written with their indexes in `compound`, others as usual.
   */
  private async expandDeclaration(words: readonly Word[], io: Io): Promise<{ argv: string[]; compound: Set<number> }> {
    const argv: string[] = [];
    const compound = new Set<number>();
    for (const word of words) {
      if (word.array) {
        compound.add(argv.length);
        argv.push(word.raw ?? '');
        continue;
      }
      const first = word.parts[0];
      if (first?.kind === 'text' && !first.quoted && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(first.value)) argv.push(await this.expandString(word, io));
      else argv.push(...(await this.expandWords([word], io)));
    }
    return { argv, compound };
  }

  /** A `NAME=…` before a command word (or alone): scalar, element or array. */
  private async assign(a: Assignment, io: Io): Promise<void> {
    const vars = this.shell.vars;
    if (a.array) {
      await this.assignArray(a.name, a.array, a.append, io);
      return;
    }
    const value = await this.expandString(a.value, io);
    if (a.subscript) {
      const sub = await this.expandString({ parts: a.subscript }, io);
      const key = this.subscriptKey(a.name, sub);
      if (key === undefined) throw new ExpansionError(`${a.name}[${sub}]: bad array subscript`);
      vars.setElement(a.name, key, value, a.append);
      return;
    }
    vars.set(a.name, value, { append: a.append });
  }

  /** `NAME=(…)`: elements `[KEY]=value` or words (split and globbed as arguments are). */
  private async assignArray(name: string, words: readonly Word[], append: boolean, io: Io): Promise<void> {
    const vars = this.shell.vars;
    const entries: Array<{ key?: string | number; value: string; append?: boolean }> = [];
    for (const word of words) {
      const keyed = splitKeyedElement(word);
      if (!keyed) {
        for (const value of await this.expandWords([word], io)) entries.push({ value });
        continue;
      }
      const sub = await this.expandString({ parts: keyed.subscript }, io);
      const assoc = vars.get(name)?.assoc !== undefined;
      if (sub === '' && assoc) throw new ExpansionError(`${name}: bad array subscript`);
      const key = assoc ? sub : this.indexOf(sub);
      entries.push({ key, value: await this.expandString(keyed.value, io), append: keyed.append });
    }
    vars.setArray(name, entries, append);
  }

  /** An element reference's key: an associative array's key, or an indexed one's evaluated index. */
  private subscriptKey(name: string, subscript: string): number | string | undefined {
    if (this.shell.vars.get(name)?.assoc) return subscript === '' ? undefined : subscript;
    if (subscript.trim() === '') return undefined;
    return this.indexOf(subscript);
  }

  private indexOf(subscript: string): number {
    return Number(this.arithmeticOrThrow(subscript));
  }

  /** `name[subscript]` inside arithmetic: the element's value. */
  private elementRef(name: string, subscript: string): string | undefined {
    const key = this.subscriptKey(name, subscript);
    if (key === undefined) throw new ArithmeticError(`${name}[${subscript}]: bad array subscript`);
    return this.shell.vars.element(name, key);
  }

  private async callFunction(fn: { def: FunctionDefinition; where: Where }, argv: string[], assigns: Array<[string, string]>, io: Io): Promise<number> {
    if (this.callDepth >= MAX_CALL_DEPTH) {
      io.err(`${this.errorPrefix}${argv[0]}: maximum function nesting level exceeded (${MAX_CALL_DEPTH})\n`);
      return EXIT.failure;
    }
    const savedPositional = this.shell.positional;
    const savedWhere = this.where;
    const savedLine = this.currentLine;
    const savedLoops = this.loopDepth;
    const vars = this.shell.vars;
    vars.pushFrame();
    for (const [k, v] of assigns) {
      vars.local(k);
      vars.set(k, v, { exported: true });
    }
    this.shell.positional = argv.slice(1);
    this.where = this.where ? fn.where : undefined;
    this.loopDepth = 0;
    this.callDepth++;
    try {
      return await this.runCompound(fn.def.body, (await this.redirect(fn.def.body.redirects, io)) ?? io);
    } catch (error) {
      if (error instanceof Unwind && error.kind === 'return') return error.value;
      throw error;
    } finally {
      this.callDepth--;
      this.loopDepth = savedLoops;
      this.shell.positional = savedPositional;
      this.where = savedWhere;
      this.currentLine = savedLine;
      vars.popFrame();
    }
  }

  // —— redirections ——

  /** The streams after `redirects`, or undefined (after bash's message) when one cannot be made. */
  private async redirect(redirects: readonly Redirect[], io: Io): Promise<Io | undefined> {
    if (redirects.length === 0) return io;
    const fds = new Map<number, Stdin | ((text: string) => void)>([
      [0, io.stdin],
      [1, io.out],
      [2, io.err],
    ]);
    for (const r of redirects) {
      if (r.op === '<<') {
        fds.set(r.fd, new TextStdin(await this.expandString(r.target, io)));
        continue;
      }
      const target = await this.expandRedirectTarget(r.target, io);
      if (target === undefined) return undefined;
      if (r.op === '<<<') {
        fds.set(r.fd, new TextStdin(target + '\n'));
        continue;
      }
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') {
          fds.set(r.fd, r.fd === 0 ? EMPTY_STDIN : () => undefined);
          continue;
        }
        if (!/^\d+$/.test(target)) {
          if (r.op === '>&' && r.fd === 1) {
            const writer = this.fileWriter(target, false, io);
            if (!writer) return undefined;
            fds.set(1, writer);
            fds.set(2, writer);
            continue;
          }
          io.err(`${this.errorPrefix}${target}: ambiguous redirect\n`);
          return undefined;
        }
        const source = fds.get(Number(target));
        if (source === undefined || (typeof source === 'function') !== (r.op === '>&')) {
          io.err(`${this.errorPrefix}${target}: Bad file descriptor\n`);
          return undefined;
        }
        fds.set(r.fd, source);
        continue;
      }
      const device = this.device(target, r.op === '<', fds);
      if (device === null) {
        io.err(`${this.errorPrefix}${target}: Bad file descriptor\n`);
        return undefined;
      }
      if (device !== undefined) {
        if (r.op === '&>' || r.op === '&>>') fds.set(1, device);
        fds.set(r.op === '&>' || r.op === '&>>' ? 2 : r.fd, device);
        continue;
      }
      if (r.op === '<') {
        const path = this.host.fs.resolve(target, this.shell.cwd);
        try {
          fds.set(r.fd, new TextStdin(this.host.fs.readFile(path)));
        } catch (error) {
          if (!(error instanceof FsError)) throw error;
          io.err(`${this.errorPrefix}${this.dialect.redirectionFailed(target, error, false)}\n`);
          return undefined;
        }
        continue;
      }
      const writer = this.fileWriter(target, r.op === '>>' || r.op === '&>>', io);
      if (!writer) return undefined;
      if (r.op === '&>' || r.op === '&>>') {
        fds.set(1, writer);
        fds.set(2, writer);
      } else fds.set(r.fd, writer);
    }
    const stdin = fds.get(0);
    const out = fds.get(1);
    const err = fds.get(2);
    return {
      stdin: stdin !== undefined && typeof stdin !== 'function' ? stdin : EMPTY_STDIN,
      out: typeof out === 'function' ? out : () => undefined,
      err: typeof err === 'function' ? unreported(err) : () => undefined,
    };
  }

  /**
   * The files bash itself provides in redirections (/dev/stdin, /dev/stdout, /dev/stderr, /dev/fd/N),
   * and /dev/null, which the lab's file systems have no device for: reads nothing, swallows writes.
   */
  private device(target: string, reading: boolean, fds: ReadonlyMap<number, Stdin | ((text: string) => void)>): Stdin | ((text: string) => void) | null | undefined {
    const path = this.host.fs.resolve(target, this.shell.cwd);
    if (path === '/dev/null') return reading ? EMPTY_STDIN : () => undefined;
    const m = /^\/dev\/(?:(stdin|stdout|stderr)|fd\/(\d+))$/.exec(path);
    if (!m) return undefined;
    const open = fds.get(m[1] ? ['stdin', 'stdout', 'stderr'].indexOf(m[1]) : Number(m[2]));
    return open === undefined || (typeof open === 'function') === reading ? null : open;
  }

  /**
   * Open `target` for a `>` or `>>` as bash does (O_TRUNC, which a cgroup or /proc file ignores, or
   * O_APPEND): a failed open is bash's redirection error; each later write is a write(2) of its own, and
   * one that fails throws WriteError to the command writing.
   */
  private fileWriter(target: string, append: boolean, io: Io): ((text: string) => void) | undefined {
    const fs = this.host.fs;
    const path = fs.resolve(target, this.shell.cwd);
    try {
      fs.openForWrite(path, { append });
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      io.err(`${this.errorPrefix}${this.dialect.redirectionFailed(target, error, true)}\n`);
      return undefined;
    }
    return (text) => {
      if (text === '') return;
      try {
        fs.writeFile(path, text, { append: true });
      } catch (error) {
        throw error instanceof FsError ? new WriteError(error) : error;
      }
    };
  }

  private async expandRedirectTarget(word: Word, io: Io): Promise<string | undefined> {
    const fields = await this.expandWords([word], io);
    if (fields.length !== 1) {
      io.err(`${this.errorPrefix}${wordText(word)}: ambiguous redirect\n`);
      return undefined;
    }
    return fields[0]!;
  }

  // —— word expansion ——

  /** Words to fields: expansions, field splitting of unquoted results, then globbing. */
  private async expandWords(words: readonly Word[], io: Io): Promise<string[]> {
    const out: string[] = [];
    for (const word of words) {
      for (const field of await this.expandFields(word, io)) {
        if (field.glob && !this.shell.options.get('noglob')) {
          const matches = this.glob(field.pattern);
          if (matches.length > 0) {
            out.push(...matches);
            continue;
          }
        }
        out.push(field.value);
      }
    }
    return out;
  }

  private async expandFields(word: Word, io: Io): Promise<Array<{ value: string; pattern: string; glob: boolean }>> {
    const fields: Array<{ value: string; pattern: string; glob: boolean }> = [];
    let cur = { value: '', pattern: '', glob: false, exists: false };
    const end = () => {
      if (cur.exists) fields.push(cur);
      cur = { value: '', pattern: '', glob: false, exists: false };
    };
    const literal = (text: string, quoted: boolean) => {
      cur.value += text;
      cur.pattern += quoted ? escapeGlob(text) : text;
      if (!quoted && /[*?[]/.test(text)) cur.glob = true;
      if (quoted || text !== '') cur.exists = true;
    };
    const ifs = this.getVar('IFS') ?? ' \t\n';
    const split = (text: string) => {
      for (const ch of text) {
        if (ifs.includes(ch)) end();
        else literal(ch, false);
      }
    };
    for (const part of word.parts) {
      const value = await this.expandPart(part, io);
      if (typeof value !== 'string') {
        // One field per element ("$@", "${a[@]}"); unquoted, each element is split in turn.
        value.forEach((element, i) => {
          if (i > 0) end();
          if (part.kind === 'param' && part.quoted) literal(element, true);
          else split(element);
        });
        continue;
      }
      if (part.kind === 'text') literal(value, part.quoted);
      else if (part.kind === 'tilde' || part.quoted) literal(value, true);
      else split(value);
    }
    end();
    return fields;
  }

  /** A word as one string: no field splitting or globbing (assignments, case words, heredocs, `[[`). */
  private async expandString(word: Word, io: Io): Promise<string> {
    let out = '';
    for (const part of word.parts) {
      const value = await this.expandPart(part, io);
      out += typeof value === 'string' ? value : value.join(' ');
    }
    return out;
  }

  /** A pattern (case, `[[ == ]]`): quoted parts match literally. */
  private async expandPattern(word: Word, io: Io): Promise<string> {
    let out = '';
    for (const part of word.parts) {
      const value = await this.expandPart(part, io);
      const text = typeof value === 'string' ? value : value.join(' ');
      out += part.kind === 'tilde' || part.quoted ? escapeGlob(text) : text;
    }
    return out;
  }

  /** The right side of `=~`: quoted parts match literally. */
  private async expandRegex(word: Word, io: Io): Promise<string> {
    let out = '';
    for (const part of word.parts) {
      const value = await this.expandPart(part, io);
      const text = typeof value === 'string' ? value : value.join(' ');
      out += part.kind === 'tilde' || part.quoted ? text.replace(/[\\.[\]()*+?{}|^$]/g, '\\$&') : text;
    }
    return out;
  }

  /** A part's value: a string, or one string per word for `$@`, `${a[@]}` and their kin. */
  private async expandPart(part: WordPart, io: Io): Promise<string | string[]> {
    switch (part.kind) {
      case 'text':
        return part.value;
      case 'tilde': {
        const user = this.getVar('USER') ?? 'student';
        if (part.user === '') return this.getVar('HOME') ?? '';
        if (part.user === user) return user === 'root' ? '/root' : `/home/${user}`;
        if (part.user === 'root') return '/root';
        return `~${part.user}`;
      }
      case 'command':
        return this.commandSubstitution(part.script, io);
      case 'arith': {
        const expr = await this.expandString({ parts: part.expr }, io);
        return String(this.arithmeticOrThrow(expr));
      }
      case 'param':
        return this.expandParam(part, io);
    }
  }

  private async expandParam(part: WordPart & { kind: 'param' }, io: Io): Promise<string | string[]> {
    const { name, subscript, op } = part;
    const arg = () => this.expandString({ parts: part.arg ?? [] }, io);
    /** Elements joined as `"$*"` joins them, when the expansion is quoted `*`. */
    const words = (list: string[]): string | string[] => (part.quoted && (subscript === '*' || (subscript === undefined && name === '*')) ? list.join((this.getVar('IFS') ?? ' ')[0] ?? '') : list);
    if (op === 'keys') return words(this.shell.vars.keys(name));
    if (op === 'indirect') {
      const target = this.lookup(name) ?? '';
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(target);
      if (!m && !/^([0-9]+|[?$#@*!-])$/.test(target)) throw new ExpansionError(`${target}: invalid indirect expansion`);
      if (m?.[2] !== undefined) return this.elementValue(m[1]!, m[2], io) ?? '';
      return this.lookup(target) ?? '';
    }
    let list: string[] | undefined;
    let value: string | undefined;
    if (subscript === '@' || subscript === '*') list = this.shell.vars.values(name);
    else if (subscript === undefined && (name === '@' || name === '*')) list = [...this.shell.positional];
    else if (subscript !== undefined) value = this.elementValue(name, await this.expandString({ parts: subscript }, io), io);
    else value = this.lookup(name);
    const isSet = list ? list.length > 0 : value !== undefined;
    const isNull = list ? list.join('') === '' : value === undefined || value === '';
    const result = (): string | string[] => (list ? words(list) : (value ?? ''));
    switch (op) {
      case undefined:
        if (!isSet && !list && this.shell.options.get('nounset')) throw new ExpansionError(`${name}: unbound variable`);
        return result();
      case 'length':
        return list ? String(list.length) : String([...(value ?? '')].length);
      case 'slice': {
        const sliced = await this.slice(part, list, value, io);
        return typeof sliced === 'string' ? sliced : words(sliced);
      }
      case ':-':
        return isNull ? arg() : result();
      case '-':
        return isSet ? result() : arg();
      case ':=':
      case '=': {
        if (op === '=' ? isSet : !isNull) return result();
        const v = await arg();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || list) throw new ExpansionError(`$${name}: cannot assign in this way`);
        this.shell.vars.set(name, v);
        return v;
      }
      case ':+':
        return isNull ? '' : arg();
      case '+':
        return isSet ? arg() : '';
      case ':?':
      case '?': {
        if (op === '?' ? isSet : !isNull) return result();
        const message = await arg();
        throw new ExpansionError(`${name}: ${message !== '' ? message : op === ':?' ? 'parameter null or not set' : 'parameter not set'}`);
      }
      default: {
        if (!isSet && !list && this.shell.options.get('nounset')) throw new ExpansionError(`${name}: unbound variable`);
        const pattern = await this.expandPattern({ parts: part.arg ?? [] }, io);
        const replacement = part.replacement ? await this.expandString({ parts: part.replacement }, io) : '';
        const apply = (text: string) => applyPattern(op, text, pattern, replacement);
        return list ? words(list.map(apply)) : apply(value ?? '');
      }
    }
  }

  /** `${a[SUB]}`: an element's value; a negative index before the first element is bash's (non-fatal) error. */
  private elementValue(name: string, subscript: string, io: Io): string | undefined {
    const vars = this.shell.vars;
    if (vars.get(name)?.assoc) return vars.element(name, subscript);
    const index = this.indexOf(subscript);
    if (vars.badIndex(name, index)) {
      io.err(`${this.errorPrefix}${name}: bad array subscript\n`);
      return undefined;
    }
    return vars.element(name, index);
  }

  /** `${x:OFFSET:LENGTH}` on a string, `${a[@]:…}` on elements, `${@:…}` on positional parameters (from $0). */
  private async slice(part: WordPart & { kind: 'param' }, list: string[] | undefined, value: string | undefined, io: Io): Promise<string | string[]> {
    // (The caller joins `"${a[*]:…}"` as it joins `"${a[*]}"`.)
    const offset = Number(this.arithmeticOrThrow(await this.expandString({ parts: part.arg ?? [] }, io)));
    const lengthText = part.length === undefined ? undefined : await this.expandString({ parts: part.length }, io);
    const length = lengthText === undefined ? undefined : Number(this.arithmeticOrThrow(lengthText));
    if (list) {
      let items: string[];
      let start: number;
      if (part.subscript === undefined) {
        items = [this.lookup('0') ?? 'bash', ...list];
        start = offset < 0 ? items.length + offset : offset;
        if (start < 0) return [];
      } else {
        const keys = this.shell.vars.keys(part.name).map(Number);
        const values = list;
        const from = offset < 0 ? (keys.length > 0 ? keys[keys.length - 1]! + 1 : 0) + offset : offset;
        if (from < 0) return [];
        start = keys.findIndex((k) => k >= from);
        items = values;
        if (start < 0) return [];
      }
      if (length !== undefined && length < 0) throw new ExpansionError(`${lengthText}: substring expression < 0`);
      return items.slice(start, length === undefined ? undefined : start + length);
    }
    const chars = [...(value ?? '')];
    let start = offset < 0 ? chars.length + offset : offset;
    if (start < 0 || start > chars.length) return '';
    start = Math.min(start, chars.length);
    let end = chars.length;
    if (length !== undefined) {
      end = length < 0 ? chars.length + length : start + length;
      if (end < start) {
        if (length < 0) throw new ExpansionError(`${lengthText}: substring expression < 0`);
        end = start;
      }
    }
    return chars.slice(start, end).join('');
  }

  private lookup(name: string): string | undefined {
    if (name === '?') return String(this._lastStatus);
    if (name === '$') return String(this.pid);
    if (name === '#') return String(this.shell.positional.length);
    if (name === '@' || name === '*') return this.shell.positional.join(name === '*' ? (this.getVar('IFS') ?? ' ')[0] ?? '' : ' ');
    if (name === '-') return this.host.tty ? 'himBHs' : 'hB';
    if (name === '!') return this.jobs.lastPid === undefined ? undefined : String(this.jobs.lastPid);
    if (name === '0') return this.where?.name ?? this.dialect.name;
    if (/^\d+$/.test(name)) return this.shell.positional[Number(name) - 1];
    return this.getVar(name);
  }

  /** `$(…)`: the script's stdout without trailing newlines, run as a subshell. */
  private async commandSubstitution(script: Script, io: Io): Promise<string> {
    let out = '';
    const child = this.fork(true);
    child.execInPlace = isOneSimpleCommand(script);
    const status = await this.runForked(child, () => child.runScript(script, { stdin: io.stdin, out: (text) => (out += text), err: io.err }));
    this._lastStatus = status;
    return out.replace(/\n+$/, '');
  }

  /** Paths matching a glob pattern (`\` quotes a character), sorted as bash sorts in the C locale. */
  private glob(pattern: string): string[] {
    const fs = this.host.fs;
    const absolute = pattern.startsWith('/');
    const segments = pattern.split('/').filter((s) => s !== '');
    let results: string[] = [absolute ? '/' : ''];
    for (const segment of segments) {
      const next: string[] = [];
      const magic = /(^|[^\\])[*?[]/.test(segment);
      for (const prefix of results) {
        const dir = fs.resolve(prefix === '' ? '.' : prefix, this.shell.cwd);
        if (!magic) {
          const name = segment.replace(/\\(.)/g, '$1');
          if (fs.stat(fs.resolve(name, dir))) next.push(joinPath(prefix, name));
          continue;
        }
        if (fs.stat(dir)?.type !== 'dir') continue;
        const re = globRegExp(segment, false);
        for (const name of fs.readdir(dir)) {
          if (name.startsWith('.') && !segment.startsWith('.')) continue;
          if (re.test(name)) next.push(joinPath(prefix, name));
        }
      }
      results = next;
      if (results.length === 0) return [];
    }
    return results.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** A script that is one simple command, which a subshell execs in place. */
function isOneSimpleCommand(script: Script): boolean {
  const list = script.lists[0];
  return script.lists.length === 1 && !list!.background && list!.rest.length === 0 && !list!.first.negated && list!.first.commands.length === 1 && list!.first.commands[0]!.type === 'simple';
}

/** An array literal's `[KEY]=value` (or `[KEY]+=value`) element, split; undefined for a plain word. */
function splitKeyedElement(word: Word): { subscript: WordPart[]; value: Word; append: boolean } | undefined {
  const first = word.parts[0];
  if (!first || first.kind !== 'text' || first.quoted || !first.value.startsWith('[')) return undefined;
  const split = splitSubscript([{ ...first, value: first.value.slice(1) }, ...word.parts.slice(1)]);
  return split && { subscript: split.subscript, value: { parts: split.value }, append: split.append };
}

function joinPath(prefix: string, name: string): string {
  if (prefix === '') return name;
  return prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`;
}

function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

/**
 * `${x#p}`, `${x%%p}`, `${x/p/r}`, `${x^^p}`… on one value: removal of the shortest (`#`, `%`) or longest
 * (`##`, `%%`) matching prefix or suffix; replacement of the first (`/`), every (`//`), a leading (`/#`) or
 * a trailing (`/%`) longest match; upper- or lower-casing the first (`^`, `,`) or every (`^^`, `,,`)
 * character the pattern matches (any character without one).
 */
function applyPattern(op: PatternOp, value: string, pattern: string, replacement: string): string {
  const chars = [...value];
  const text = (from: number, to: number) => chars.slice(from, to).join('');
  const re = globRegExp(pattern, true);
  const n = chars.length;
  switch (op) {
    case '#':
    case '##':
      for (let k = 0; k <= n; k++) {
        const i = op === '#' ? k : n - k;
        if (re.test(text(0, i))) return text(i, n);
      }
      return value;
    case '%':
    case '%%':
      for (let k = 0; k <= n; k++) {
        const i = op === '%' ? n - k : k;
        if (re.test(text(i, n))) return text(0, i);
      }
      return value;
    case '/#':
      if (pattern === '') return value;
      for (let i = n; i >= 0; i--) if (re.test(text(0, i))) return replacement + text(i, n);
      return value;
    case '/%':
      if (pattern === '') return value;
      for (let i = 0; i <= n; i++) if (re.test(text(i, n))) return text(0, i) + replacement;
      return value;
    case '/':
    case '//': {
      if (pattern === '') return value;
      let out = '';
      let start = 0;
      while (start <= n) {
        let end = -1;
        for (let j = n; j >= start && end < 0; j--) if (re.test(text(start, j))) end = j;
        if (end < 0 || end === start) {
          if (start < n) out += chars[start];
          start++;
          continue;
        }
        out += replacement;
        start = end;
        if (op === '/') return out + text(start, n);
      }
      return out;
    }
    case '^':
    case '^^':
    case ',':
    case ',,': {
      const matches = pattern === '' ? () => true : (c: string) => re.test(c);
      const change = op.startsWith('^') ? (c: string) => c.toUpperCase() : (c: string) => c.toLowerCase();
      const all = op.length === 2;
      return chars.map((c, i) => ((all || i === 0) && matches(c) ? change(c) : c)).join('');
    }
  }
}

/** A glob pattern as a RegExp; `anySlash`: `*` also matches `/` (case patterns, `[[ == ]]`). */
export function globRegExp(pattern: string, anySlash: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]!);
    else if (c === '*') re += anySlash ? '[\\s\\S]*' : '[^/]*';
    else if (c === '?') re += anySlash ? '[\\s\\S]' : '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else re += escapeRegExp(c);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return new RegExp(`^${escapeRegExp(pattern)}$`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
