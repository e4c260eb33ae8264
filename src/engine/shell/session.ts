/**
 * Session — one shell: bash behind a pty for a terminal tab, or bash reading a script for a headless run.
 *
 * A terminal session (`tty: true`) gets raw keystrokes through `input`, edits the line with a LineEditor,
 * echoes, shows the prompt (Debian's colour PS1) and turns "\n" into "\r\n". Keys typed while a command
 * runs are typeahead, read after it ends; Ctrl-C interrupts the running command and drops the typeahead.
 * A headless session (`tty: false`) runs a whole script with `run`, line by line as bash reads a file,
 * and writes plain output; errors name the script and line as bash does (`bash: line 3: foo: command not
 * found` for stdin, `setup.sh: line 3: …` for a file).
 *
 * The interpreter is bash's: variables (exported ones are the environment commands get), `VAR=x cmd`,
 * word expansion (parameters, `$(…)`, arithmetic, `~`, field splitting on IFS whitespace, globbing
 * against the file system), redirections, pipelines (each stage runs to completion and its stdout is the
 * next one's stdin), `&&`/`||`, compound commands, functions with `$1…`/`$#`/`$@` and `return`, `break`/
 * `continue`, `set -e`, subshells and command substitutions that keep their changes to themselves.
 * Aliases are expanded in every session (the lab's shells behave as interactive ones; `k=kubectl` is
 * preset). Tab completes (completion.ts) without blocking: keys typed while candidates are gathered wait
 * as typeahead, and Ctrl-C abandons a completion that waits on a slow server. A loop yields to the clock every 10,000 iterations so Ctrl-C can stop it.
 *
 * A session never throws at its caller for what the user typed: bad input and failing commands become
 * messages in its output. Input to a closed session is an error (`SessionClosedError`).
 * Left out: job control and `&`, traps, `set -x`, `[[ ]]`, arrays, `read`, `local`, brace expansion.
 */
import type { Clock } from '../base/clock.ts';
import { Emitter } from '../base/emitter.ts';
import type { SeededRng } from '../base/seededRng.ts';
import type { Transport } from '../client/rest/transport.ts';
import { EXIT, Interrupt, sleepOn, type CommandContext, type ShellHost } from './command.ts';
import type { CommandTable } from './commands/index.ts';
import { complete, type CompletionHost } from './completion.ts';
import { FsError, MemoryFileSystem, type FileSystem } from './fs.ts';
import { LineEditor } from './lineEditor.ts';
import {
  IncompleteInput,
  KEYWORDS,
  ShellSyntaxError,
  evaluateArithmetic,
  parse,
  type AndOrList,
  type Command,
  type CompoundCommand,
  type FunctionDefinition,
  type ParseResult,
  type Pipeline,
  type Redirect,
  type Script,
  type SimpleCommand,
  type Word,
  type WordPart,
} from './parser.ts';

export interface SessionOptions {
  id: string;
  clock: Clock;
  rng: SeededRng;
  commands: CommandTable;
  tty: boolean;
  /** How a headless run names its script in errors: "bash" for stdin, else the file name. */
  scriptName?: string;
  user?: string;
  host?: string;
  cols?: number;
  rows?: number;
  /** The files this shell sees (default: a fresh tree with the home directory and /tmp). */
  fs?: FileSystem;
  /** How commands reach the apiserver (default: none; requests fail with a message). */
  kube?: { transport: Transport };
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export type SessionState = 'idle' | 'running' | 'closed';

/** The most a terminal may send at once (a paste); more is refused whole, with a message. */
export const MAX_INPUT_BYTES = 64 * 1024;

/** Loop iterations between yields to the clock (so Ctrl-C reaches a busy loop). */
const LOOP_YIELD_EVERY = 10_000;
/** bash's limit on nested function calls is FUNCNEST (unset: none); ours keeps the JS stack safe. */
const MAX_CALL_DEPTH = 200;

export class SessionClosedError extends Error {
  constructor(id: string) {
    super(`session ${id} is closed`);
    this.name = 'SessionClosedError';
  }
}

/** Where a command's standard streams go. */
interface Io {
  stdin: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** How the interpreter unwinds: loops, functions, the shell itself, or the current line (an expansion error). */
class Unwind {
  constructor(
    readonly kind: 'break' | 'continue' | 'return' | 'exit' | 'abort',
    readonly value: number,
  ) {}
}

/** An expansion failed (`${x:?}`, bad arithmetic): bash prints it and abandons the command line. */
class ExpansionError extends Error {}

interface Variable {
  value: string | undefined;
  exported: boolean;
}

interface ShellState {
  vars: Map<string, Variable>;
  positional: string[];
  functions: Map<string, { def: FunctionDefinition; where: Where }>;
  aliases: Map<string, string>;
  options: Map<string, boolean>;
  cwd: string;
}

/** How errors name the place: a script name and the line its text started on (none at a prompt). */
interface Where {
  name: string;
  lineBase: number;
}

const noKube: { transport: Transport } = {
  transport: {
    request: () => Promise.reject(new Error('this shell is not connected to a cluster')),
  },
};

export class Session implements ShellHost {
  readonly id: string;
  readonly history: string[] = [];
  private _state: SessionState = 'idle';
  private _lastStatus = 0;
  private exitRequested: number | undefined;
  private editor: LineEditor;
  private pendingLines = '';
  private typeahead = '';
  private current: Interrupt | undefined;
  /** The completion being gathered, if any (a newer Tab or Ctrl-C replaces it, and its answer is dropped). */
  private completing: object | undefined;
  private readonly pid: number;
  private readonly fs: FileSystem;
  private readonly kube: { transport: Transport };
  private shell: ShellState;
  private where: Where | undefined;
  private currentLine = 1;
  private conditionDepth = 0;
  private loopDepth = 0;
  private callDepth = 0;
  private pendingUnwind: Unwind | undefined;
  private iterations = 0;

  private readonly _onDidWrite = new Emitter<OutputChunk>();
  /** Everything the shell writes, in order. */
  readonly onDidWrite = this._onDidWrite.event;
  private readonly _onDidChangeState = new Emitter<SessionState>();
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidExit = new Emitter<number>();
  /** Fires once, with the exit status, when the shell ends. */
  readonly onDidExit = this._onDidExit.event;

  constructor(private readonly options: SessionOptions) {
    this.id = options.id;
    const user = options.user ?? 'student';
    const host = options.host ?? 'laptop';
    const home = user === 'root' ? '/root' : `/home/${user}`;
    const env: Array<[string, string]> = [
      ['HOME', home],
      ['USER', user],
      ['LOGNAME', user],
      ['HOSTNAME', host],
      ['SHELL', '/bin/bash'],
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['PWD', home],
      ['LANG', 'C.UTF-8'],
      ['TERM', options.tty ? 'xterm-256color' : 'dumb'],
    ];
    const vars = new Map<string, Variable>(env.map(([k, v]) => [k, { value: v, exported: true }]));
    vars.set('IFS', { value: ' \t\n', exported: false });
    vars.set('PS1', { value: '\\u@\\h:\\w\\$ ', exported: false });
    vars.set('PS2', { value: '> ', exported: false });
    if (options.fs) this.fs = options.fs;
    else {
      this.fs = new MemoryFileSystem(options.clock);
      this.fs.mkdir(home, { recursive: true });
      this.fs.mkdir('/tmp', { recursive: true });
    }
    this.kube = options.kube ?? noKube;
    this.shell = {
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
      cwd: this.fs.stat(home)?.type === 'dir' ? home : '/',
    };
    if (this.shell.cwd !== home) this.shell.vars.set('PWD', { value: '/', exported: true });
    // A plausible login-shell pid, fixed by the seed.
    this.pid = 1000 + options.rng.fork(`session/${options.id}`).int(30000);
    this.editor = new LineEditor((text) => this.emit('stdout', text, false), this.history, options.cols ?? 80);
  }

  get state(): SessionState {
    return this._state;
  }

  get lastStatus(): number {
    return this._lastStatus;
  }

  get user(): string {
    return this.getVar('USER') ?? 'student';
  }

  get host(): string {
    return this.getVar('HOSTNAME') ?? 'laptop';
  }

  /** Show the first prompt (terminal sessions). */
  start(): void {
    if (this.options.tty) this.prompt();
  }

  /** Raw bytes from the terminal. */
  input(data: string): void {
    if (this._state === 'closed') throw new SessionClosedError(this.id);
    if (!this.options.tty) throw new Error(`session ${this.id} is headless: use run() instead of input()`);
    if (data.length > MAX_INPUT_BYTES) {
      this.notice(`kubelab: input of ${data.length} characters refused: the terminal takes at most ${MAX_INPUT_BYTES} at once. Save long text to a file with the editor instead.`);
      return;
    }
    if (this.completing && this._state === 'idle') {
      if (!data.includes('\x03')) {
        this.typeahead += data;
        return;
      }
      this.completing = undefined;
      data = this.typeahead + data;
      this.typeahead = '';
    }
    if (this._state === 'running') {
      const ctrlC = data.lastIndexOf('\x03');
      if (ctrlC >= 0) {
        this.emit('stdout', '^C', true);
        this.typeahead = '';
        this.current?.fire();
      } else {
        this.typeahead += data;
      }
      return;
    }
    this.consume(data);
  }

  resize(cols: number, rows: number): void {
    if (!(cols >= 1 && rows >= 1)) throw new RangeError(`resize: columns and rows must be positive, got ${cols}×${rows}`);
    this.editor.setColumns(cols);
  }

  /** Run a whole script headlessly; resolves with the status of the last command run. */
  async run(script: string): Promise<number> {
    if (this._state === 'closed') throw new SessionClosedError(this.id);
    const name = this.options.scriptName ?? 'bash';
    await this.runText(script, name);
    const status = this.exitRequested ?? this._lastStatus;
    this.close(status);
    return status;
  }

  /** Read `text` as bash reads a script: a complete command at a time, each run before the next is read. */
  private async runText(text: string, name: string): Promise<void> {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let buffer = '';
    let startLine = 1;
    for (let n = 1; n <= lines.length && this.exitRequested === undefined && this._state !== 'closed'; n++) {
      if (buffer === '') startLine = n;
      buffer += (buffer === '' ? '' : '\n') + lines[n - 1];
      let parsed: ParseResult;
      try {
        parsed = parse(buffer, { atEof: n === lines.length, aliases: this.shell.aliases });
      } catch (error) {
        if (error instanceof IncompleteInput && n < lines.length) continue;
        if (error instanceof IncompleteInput) {
          try {
            parse(buffer, { atEof: false, aliases: this.shell.aliases });
          } catch {
            // The same error without atEof; the first one is reported.
          }
        }
        const message = error instanceof Error ? error.message : String(error);
        const errorLine = error instanceof IncompleteInput ? n + 1 : startLine + (error instanceof ShellSyntaxError ? error.line - 1 : 0);
        this.emit('stderr', `${name}: line ${errorLine}: ${message}\n`, true);
        if (error instanceof ShellSyntaxError && message.startsWith('syntax error')) this.emit('stderr', `${name}: line ${errorLine}: \`${lines[errorLine - 1] ?? buffer}'\n`, true);
        this._lastStatus = EXIT.usage;
        break;
      }
      buffer = '';
      for (const warning of parsed.warnings) this.emit('stderr', `${name}: line ${n}: ${warning.message.replace(/at line (\d+)/, (_, l: string) => `at line ${startLine + Number(l) - 1}`)}\n`, true);
      await this.execute(parsed, { name, lineBase: startLine - 1 });
    }
  }

  /** End the shell now (closing its terminal tab). A running command is interrupted. */
  close(status = this._lastStatus): void {
    if (this._state === 'closed') return;
    this.current?.fire();
    this.setState('closed');
    this._onDidExit.fire(status);
    this._onDidWrite.dispose();
    this._onDidExit.dispose();
    this._onDidChangeState.dispose();
  }

  // —— ShellHost ——

  clearHistory(): void {
    this.history.length = 0;
  }

  clearScreen(): void {
    if (this.options.tty) this.emit('stdout', '\x1b[H\x1b[2J\x1b[3J', false);
  }

  commands(): Array<{ name: string; summary: string; builtin?: boolean }> {
    return [...this.options.commands].map(([name, spec]) => ({ name, summary: spec.summary, builtin: spec.builtin })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  exit(status: number): void {
    this.exitRequested = status;
  }

  get errorPrefix(): string {
    return this.where ? `${this.where.name}: line ${this.where.lineBase + this.currentLine}: ` : 'bash: ';
  }

  getVar(name: string): string | undefined {
    return this.shell.vars.get(name)?.value;
  }

  setVar(name: string, value: string, exported?: boolean): void {
    const v = this.shell.vars.get(name);
    if (v) {
      v.value = value;
      if (exported) v.exported = true;
    } else this.shell.vars.set(name, { value, exported: exported ?? false });
  }

  exportVar(name: string): void {
    const v = this.shell.vars.get(name);
    if (v) v.exported = true;
    else this.shell.vars.set(name, { value: undefined, exported: true });
  }

  unsetVar(name: string): void {
    this.shell.vars.delete(name);
  }

  variables(): Array<{ name: string; value: string; exported: boolean }> {
    return [...this.shell.vars]
      .filter(([, v]) => v.value !== undefined)
      .map(([name, v]) => ({ name, value: v.value!, exported: v.exported }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get cwd(): string {
    return this.shell.cwd;
  }

  chdir(path: string): void {
    this.setVar('OLDPWD', this.shell.cwd);
    this.shell.cwd = path;
    this.setVar('PWD', path);
  }

  get aliases(): Map<string, string> {
    return this.shell.aliases;
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
    const spec = this.options.commands.get(name);
    if (!spec) return undefined;
    if (spec.builtin) return { kind: 'builtin' };
    return { kind: 'file', path: this.commandPaths(name)[0] };
  }

  commandPaths(name: string): string[] {
    const spec = this.options.commands.get(name);
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
      const status = await this.runSource(text, path);
      return status;
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
      this.emit('stderr', `${name}: line ${line}: ${error instanceof Error ? error.message : String(error)}\n`, true);
      return EXIT.usage;
    }
    this.where = { name, lineBase: 0 };
    try {
      return await this.runScript(parsed, this.baseIo());
    } catch (error) {
      if (error instanceof Unwind && error.kind === 'return') return error.value;
      throw error;
    }
  }

  async exec(argv: readonly string[], env: ReadonlyMap<string, string>, io: { stdin: string; stdout(text: string): void; stderr(text: string): void }, interrupt: Interrupt): Promise<number> {
    const name = argv[0];
    const spec = name === undefined || this.commandPaths(name).length === 0 ? undefined : this.options.commands.get(name);
    if (!spec) return EXIT.notFound;
    const ctx: CommandContext = {
      argv,
      env,
      stdin: io.stdin,
      stdout: (text) => io.stdout(text),
      stderr: (text) => io.stderr(text),
      interrupt,
      clock: this.options.clock,
      rng: this.options.rng,
      shell: this,
      fs: this.fs,
      cwd: this.shell.cwd,
      kube: this.kube,
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

  // —— interactive loop ——

  private consume(data: string): void {
    let rest = data;
    while (rest !== '' && this._state === 'idle') {
      const result = this.editor.feed(rest);
      rest = result.rest;
      const event = result.event;
      if (!event) break;
      if (event.type === 'interrupt') {
        this.pendingLines = '';
        this._lastStatus = EXIT.interrupted;
        this.prompt();
      } else if (event.type === 'eof') {
        if (this.pendingLines !== '') {
          this.emit('stderr', `bash: ${new IncompleteInput().message}\n`, true);
          this.pendingLines = '';
          this.prompt();
        } else {
          this.emit('stdout', 'exit\n', true);
          this.close();
          return;
        }
      } else if (event.type === 'complete') {
        this.typeahead = rest;
        void this.completeLine(event.text, event.cursor);
        return;
      } else {
        this.typeahead = rest;
        rest = '';
        void this.submitLine(event.text);
      }
    }
  }

  /** Tab: gather candidates for the word at the cursor, hand them to the line editor, read the typeahead. */
  private async completeLine(text: string, cursor: number): Promise<void> {
    const token = {};
    this.completing = token;
    const host: CompletionHost = {
      fs: this.fs,
      cwd: this.shell.cwd,
      home: this.getVar('HOME') ?? '/',
      kubeconfig: this.shell.vars.get('KUBECONFIG')?.exported ? this.getVar('KUBECONFIG') : undefined,
      aliases: this.shell.aliases,
      commandNames: () => [...this.shell.aliases.keys(), ...KEYWORDS, ...this.shell.functions.keys(), ...this.options.commands.keys()],
      kube: this.kube,
    };
    let result: Awaited<ReturnType<typeof complete>>;
    try {
      result = await complete(text, cursor, host);
    } catch {
      result = { from: cursor, candidates: [] };
    }
    if (this.completing !== token || this._state !== 'idle') return;
    this.completing = undefined;
    this.editor.completed(result.from, result.candidates);
    this.drainTypeahead();
  }

  private async submitLine(line: string): Promise<void> {
    const source = this.pendingLines === '' ? line : `${this.pendingLines}\n${line}`;
    let parsed: Script;
    try {
      parsed = parse(source, { aliases: this.shell.aliases });
    } catch (error) {
      if (error instanceof IncompleteInput) {
        this.pendingLines = source;
        this.editor.begin(this.getVar('PS2') ?? '> ');
        this.drainTypeahead();
        return;
      }
      this.pendingLines = '';
      const message = error instanceof Error ? error.message : String(error);
      this.emit('stderr', `bash: ${message}\n`, true);
      if (error instanceof ShellSyntaxError && message.startsWith('syntax error')) this.emit('stderr', `bash: \`${source.split('\n')[error.line - 1] ?? source}'\n`, true);
      this._lastStatus = EXIT.usage;
      this.prompt();
      this.drainTypeahead();
      return;
    }
    this.pendingLines = '';
    this.setState('running');
    await this.execute(parsed, undefined);
    if (this._state === 'closed') return;
    this.setState('idle');
    if (this.exitRequested !== undefined) {
      this.close(this.exitRequested);
      return;
    }
    this.prompt();
    this.drainTypeahead();
  }

  private drainTypeahead(): void {
    const data = this.typeahead;
    this.typeahead = '';
    if (data !== '') this.consume(data);
  }

  private prompt(): void {
    const home = this.getVar('HOME') ?? '';
    const pwd = this.shell.cwd;
    const cwd = home !== '' && home !== '/' && (pwd === home || pwd.startsWith(home + '/')) ? '~' + pwd.slice(home.length) : pwd;
    const sigil = this.user === 'root' ? '#' : '$';
    this.editor.begin(`\x1b[01;32m${this.user}@${this.host}\x1b[00m:\x1b[01;34m${cwd}\x1b[00m${sigil} `);
  }

  // —— execution ——

  /** Run one complete command text read at the top level. */
  private async execute(script: Script, where: Where | undefined): Promise<void> {
    const interrupt = new Interrupt();
    this.current = interrupt;
    this.where = where;
    this.iterations = 0;
    try {
      await this.runScript(script, this.baseIo());
    } catch (error) {
      if (error instanceof Unwind) {
        if (error.kind === 'exit') this.exitRequested = error.value;
      } else {
        this.emit('stderr', `kubelab: internal error in the shell: ${error instanceof Error ? error.message : String(error)}\n`, true);
        this._lastStatus = EXIT.failure;
      }
    } finally {
      this.current = undefined;
      this.pendingUnwind = undefined;
      this.loopDepth = 0;
      this.callDepth = 0;
      this.conditionDepth = 0;
    }
    if (interrupt.fired) {
      this._lastStatus = EXIT.interrupted;
      if (this.options.tty && this._state !== 'closed') this.emit('stdout', '\n', true);
    }
  }

  private baseIo(): Io {
    return {
      stdin: '',
      out: (text) => this.emit('stdout', text, true),
      err: (text) => this.emit('stderr', text, true),
    };
  }

  private get interrupt(): Interrupt {
    return this.current ?? new Interrupt();
  }

  private async runScript(script: Script, io: Io): Promise<number> {
    for (const list of script.lists) {
      await this.runAndOr(list, io);
    }
    return this._lastStatus;
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
    const statuses: number[] = [];
    if (pipeline.negated) this.conditionDepth++;
    try {
      for (let i = 0; i < pipeline.commands.length; i++) {
        const last = i === pipeline.commands.length - 1;
        if (last) {
          status = await this.runCommand(pipeline.commands[i]!, { ...io, stdin });
        } else {
          let captured = '';
          // Every stage but the last is a subshell: its changes to variables do not outlive it.
          status = await this.subshell(() => this.runCommand(pipeline.commands[i]!, { ...io, stdin, out: (text) => (captured += text) }));
          stdin = captured;
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
        const redirected = await this.redirect(command.redirects, io);
        status = redirected === undefined ? EXIT.failure : await this.runCompound(command, redirected);
      }
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
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
      case 'subshell':
        return this.subshell(() => this.runScript(command.body, io));
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
          this.setVar(command.name, item);
          const result = await this.loopBody(command.body, io);
          status = result.status;
          if (result.stop) break;
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
    }
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
    if (++this.iterations % LOOP_YIELD_EVERY === 0) await sleepOn(this.options.clock, 0, this.interrupt, 'shell loop');
    if (this.current?.fired) throw new Unwind('abort', EXIT.interrupted);
  }

  /** Run `body` with the shell's state copied, as a forked subshell; `exit` ends only the subshell. */
  private async subshell(body: () => Promise<number>): Promise<number> {
    const saved = this.shell;
    const savedLoops = this.loopDepth;
    this.shell = {
      vars: new Map([...saved.vars].map(([k, v]) => [k, { ...v }])),
      positional: [...saved.positional],
      functions: new Map(saved.functions),
      aliases: new Map(saved.aliases),
      options: new Map(saved.options),
      cwd: saved.cwd,
    };
    this.loopDepth = 0;
    const savedCall = this.callDepth;
    this.callDepth = 0;
    try {
      return await body();
    } catch (error) {
      if (!(error instanceof Unwind) || error.kind === 'abort') throw error;
      if (error.kind === 'exit') {
        this.exitRequested = undefined;
        return error.value;
      }
      return error.kind === 'return' ? error.value : EXIT.ok;
    } finally {
      this.shell = saved;
      this.loopDepth = savedLoops;
      this.callDepth = savedCall;
    }
  }

  private async runSimple(command: SimpleCommand, io: Io): Promise<number> {
    const argv = await this.expandWords(command.words, io);
    const assigns: Array<[string, string]> = [];
    for (const { name, value } of command.assigns) assigns.push([name, await this.expandString(value, io)]);
    this.currentLine = command.line;
    const redirected = await this.redirect(command.redirects, io);
    if (redirected === undefined) return EXIT.failure;
    if (argv.length === 0) {
      for (const [name, value] of assigns) this.setVar(name, value);
      // The status of an assignment-only command is that of its last command substitution.
      return command.assigns.length > 0 || command.words.length > 0 ? this._lastStatus : EXIT.ok;
    }
    const name = argv[0]!;
    const fn = this.shell.functions.get(name);
    if (fn) return this.callFunction(fn, argv, assigns, redirected);
    const spec = this.options.commands.get(name);
    if (!spec) {
      redirected.err(`${this.errorPrefix}${name}: ${name.includes('/') ? 'No such file or directory' : 'command not found'}\n`);
      return EXIT.notFound;
    }
    const env = new Map<string, string>();
    for (const [k, v] of this.shell.vars) if (v.exported && v.value !== undefined) env.set(k, v.value);
    for (const [k, v] of assigns) env.set(k, v);
    const ctx: CommandContext = {
      argv,
      env,
      stdin: redirected.stdin,
      stdout: redirected.out,
      stderr: redirected.err,
      interrupt: this.interrupt,
      clock: this.options.clock,
      rng: this.options.rng,
      shell: this,
      fs: this.fs,
      cwd: this.shell.cwd,
      kube: this.kube,
    };
    try {
      return await spec.run(ctx);
    } catch (error) {
      if (error instanceof Unwind) throw error;
      redirected.err(`kubelab: ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failure;
    }
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
    const savedVars = assigns.map(([k]) => [k, this.shell.vars.get(k)] as const);
    for (const [k, v] of assigns) this.shell.vars.set(k, { value: v, exported: true });
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
      for (const [k, v] of savedVars) {
        if (v) this.shell.vars.set(k, v);
        else this.shell.vars.delete(k);
      }
    }
  }

  // —— redirections ——

  /** The streams after `redirects`, or undefined (after bash's message) when one cannot be made. */
  private async redirect(redirects: readonly Redirect[], io: Io): Promise<Io | undefined> {
    if (redirects.length === 0) return io;
    const fds = new Map<number, string | ((text: string) => void)>([
      [0, io.stdin],
      [1, io.out],
      [2, io.err],
    ]);
    for (const r of redirects) {
      if (r.op === '<<') {
        fds.set(r.fd, await this.expandString(r.target, io));
        continue;
      }
      const target = await this.expandRedirectTarget(r.target, io);
      if (target === undefined) return undefined;
      if (r.op === '<<<') {
        fds.set(r.fd, target + '\n');
        continue;
      }
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') {
          fds.set(r.fd, r.fd === 0 ? '' : () => undefined);
          continue;
        }
        if (!/^\d+$/.test(target)) {
          if (r.op === '>&' && r.fd === 1) {
            const writer = this.openForWrite(target, false, io);
            if (!writer) return undefined;
            fds.set(1, writer);
            fds.set(2, writer);
            continue;
          }
          io.err(`${this.errorPrefix}${target}: ambiguous redirect\n`);
          return undefined;
        }
        const source = fds.get(Number(target));
        if (source === undefined || typeof source !== (r.op === '>&' ? 'function' : 'string')) {
          io.err(`${this.errorPrefix}${target}: Bad file descriptor\n`);
          return undefined;
        }
        fds.set(r.fd, source);
        continue;
      }
      if (r.op === '<') {
        const path = this.fs.resolve(target, this.shell.cwd);
        try {
          fds.set(r.fd, this.fs.readFile(path));
        } catch (error) {
          if (!(error instanceof FsError)) throw error;
          io.err(`${this.errorPrefix}${target}: ${error.describe}\n`);
          return undefined;
        }
        continue;
      }
      const writer = this.openForWrite(target, r.op === '>>' || r.op === '&>>', io);
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
      stdin: typeof stdin === 'string' ? stdin : '',
      out: typeof out === 'function' ? out : () => undefined,
      err: typeof err === 'function' ? err : () => undefined,
    };
  }

  private openForWrite(target: string, append: boolean, io: Io): ((text: string) => void) | undefined {
    const path = this.fs.resolve(target, this.shell.cwd);
    try {
      if (this.fs.stat(path)?.type === 'dir') throw new FsError('EISDIR', path);
      this.fs.writeFile(path, '', { append });
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      io.err(`${this.errorPrefix}${target}: ${error.describe}\n`);
      return undefined;
    }
    return (text) => {
      try {
        this.fs.writeFile(path, text, { append: true });
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
      }
    };
  }

  private async expandRedirectTarget(word: Word, io: Io): Promise<string | undefined> {
    const fields = await this.expandWords([word], io);
    if (fields.length !== 1) {
      io.err(`${this.errorPrefix}${rawText(word)}: ambiguous redirect\n`);
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
      if (part.kind === 'param' && part.quoted && part.name === '@' && part.op === undefined) {
        const args = this.shell.positional;
        args.forEach((arg, i) => {
          if (i > 0) end();
          literal(arg, true);
        });
        continue;
      }
      const value = await this.expandPart(part, io);
      if (part.kind === 'text') literal(value, part.quoted);
      else if (part.kind === 'tilde' || part.quoted) literal(value, true);
      else split(value);
    }
    end();
    return fields;
  }

  /** A word as one string: no field splitting or globbing (assignments, case words, heredocs). */
  private async expandString(word: Word, io: Io): Promise<string> {
    let out = '';
    for (const part of word.parts) out += await this.expandPart(part, io);
    return out;
  }

  /** A case pattern: quoted parts match literally. */
  private async expandPattern(word: Word, io: Io): Promise<string> {
    let out = '';
    for (const part of word.parts) {
      const value = await this.expandPart(part, io);
      out += part.kind === 'tilde' || part.quoted ? escapeGlob(value) : value;
    }
    return out;
  }

  private async expandPart(part: WordPart, io: Io): Promise<string> {
    switch (part.kind) {
      case 'text':
        return part.value;
      case 'tilde': {
        if (part.user === '') return this.getVar('HOME') ?? '';
        if (part.user === this.user) return this.user === 'root' ? '/root' : `/home/${this.user}`;
        if (part.user === 'root') return '/root';
        return `~${part.user}`;
      }
      case 'command':
        return this.commandSubstitution(part.script, io);
      case 'arith': {
        let expr = '';
        for (const p of part.expr) expr += await this.expandPart(p, io);
        try {
          return String(evaluateArithmetic(expr, { get: (name) => this.getVar(name), set: (name, value) => this.setVar(name, value) }));
        } catch (error) {
          if (error instanceof ShellSyntaxError) throw new ExpansionError(error.message);
          throw error;
        }
      }
      case 'param':
        return this.expandParam(part, io);
    }
  }

  private async expandParam(part: WordPart & { kind: 'param' }, io: Io): Promise<string> {
    const value = this.lookup(part.name);
    const arg = async () => {
      let out = '';
      for (const p of part.arg ?? []) out += await this.expandPart(p, io);
      return out;
    };
    switch (part.op) {
      case undefined:
        if (value === undefined && this.shell.options.get('nounset') && !['@', '*'].includes(part.name)) throw new ExpansionError(`${part.name}: unbound variable`);
        return value ?? '';
      case 'length':
        return String([...(value ?? '')].length);
      case ':-':
        return value === undefined || value === '' ? arg() : value;
      case '-':
        return value === undefined ? arg() : value;
      case ':=':
      case '=': {
        if (value !== undefined && (part.op === '=' || value !== '')) return value;
        const v = await arg();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(part.name)) throw new ExpansionError(`$${part.name}: cannot assign in this way`);
        this.setVar(part.name, v);
        return v;
      }
      case ':+':
        return value === undefined || value === '' ? '' : arg();
      case '+':
        return value === undefined ? '' : arg();
      case ':?':
      case '?': {
        if (value !== undefined && (part.op === '?' || value !== '')) return value;
        const message = await arg();
        throw new ExpansionError(`${part.name}: ${message !== '' ? message : part.op === ':?' ? 'parameter null or not set' : 'parameter not set'}`);
      }
    }
  }

  private lookup(name: string): string | undefined {
    if (name === '?') return String(this._lastStatus);
    if (name === '$') return String(this.pid);
    if (name === '#') return String(this.shell.positional.length);
    if (name === '@' || name === '*') return this.shell.positional.join(name === '*' ? (this.getVar('IFS') ?? ' ')[0] ?? '' : ' ');
    if (name === '-') return this.options.tty ? 'himBHs' : 'hB';
    if (name === '!') return undefined;
    if (name === '0') return this.where?.name ?? 'bash';
    if (/^\d+$/.test(name)) return this.shell.positional[Number(name) - 1];
    return this.getVar(name);
  }

  /** `$(…)`: the script's stdout without trailing newlines, run as a subshell. */
  private async commandSubstitution(script: Script, io: Io): Promise<string> {
    let out = '';
    const savedLine = this.currentLine;
    await this.subshell(async () => {
      const status = await this.runScript(script, { stdin: '', out: (text) => (out += text), err: io.err });
      this._lastStatus = status;
      return status;
    });
    this.currentLine = savedLine;
    return out.replace(/\n+$/, '');
  }

  /** Paths matching a glob pattern (`\` quotes a character), sorted as bash sorts in the C locale. */
  private glob(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const segments = pattern.split('/').filter((s) => s !== '');
    let results: string[] = [absolute ? '/' : ''];
    for (const segment of segments) {
      const next: string[] = [];
      const magic = /(^|[^\\])[*?[]/.test(segment);
      for (const prefix of results) {
        const dir = this.fs.resolve(prefix === '' ? '.' : prefix, this.shell.cwd);
        if (!magic) {
          const name = segment.replace(/\\(.)/g, '$1');
          if (this.fs.stat(this.fs.resolve(name, dir))) next.push(joinPath(prefix, name));
          continue;
        }
        if (this.fs.stat(dir)?.type !== 'dir') continue;
        const re = globRegExp(segment, false);
        for (const name of this.fs.readdir(dir)) {
          if (name.startsWith('.') && !segment.startsWith('.')) continue;
          if (re.test(name)) next.push(joinPath(prefix, name));
        }
      }
      results = next;
      if (results.length === 0) return [];
    }
    return results.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  // —— output ——

  /** `translate`: command output, whose "\n" becomes "\r\n" on a terminal (the pty's ONLCR). */
  private emit(stream: OutputChunk['stream'], text: string, translate: boolean): void {
    if (this._state === 'closed' || text === '') return;
    this._onDidWrite.fire({ stream, text: translate && this.options.tty ? text.replace(/\r?\n/g, '\r\n') : text });
  }

  /** A message from the lab itself, on its own line, after which the prompt and line are redrawn. */
  private notice(message: string): void {
    this.emit('stderr', `\n${message}\n`, true);
    if (this._state === 'idle') {
      const kept = this.editor.text;
      this.prompt();
      if (kept !== '') this.editor.feed(kept);
    }
  }

  private setState(state: SessionState): void {
    if (this._state === state) return;
    this._state = state;
    this._onDidChangeState.fire(state);
  }
}

function joinPath(prefix: string, name: string): string {
  if (prefix === '') return name;
  return prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`;
}

function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

/** A glob pattern as a RegExp; `anySlash`: `*` also matches `/` (case patterns). */
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

/** A word's text as written, for messages (`$x: ambiguous redirect`). */
function rawText(word: Word): string {
  return word.parts.map((p) => (p.kind === 'text' ? p.value : p.kind === 'param' ? `$${p.name}` : p.kind === 'tilde' ? `~${p.user}` : '$(…)')).join('');
}
