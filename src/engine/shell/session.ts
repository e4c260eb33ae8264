/**
 * Session — one shell: bash behind a pty for a terminal tab, or bash reading a script for a headless run.
 *
 * A terminal session (`tty: true`) gets raw keystrokes through `input`, edits the line with a LineEditor,
 * echoes, shows the prompt (Debian's colour PS1) and turns "\n" into "\r\n". Keys typed while a command
 * runs are typeahead, read after it ends; Ctrl-C interrupts the foreground command (never a background
 * job) and drops the typeahead. While `read` waits on the terminal, keys go through the tty's line
 * discipline instead (echo, Backspace, Ctrl-U, Ctrl-D; one key at a time for `read -n`). Before each
 * prompt the shell reports the background jobs that have ended (`[1]+  Done  sleep 10`), as bash does.
 * A headless session (`tty: false`) runs a whole script with `run`, line by line as bash reads a file,
 * and writes plain output; errors name the script and line as bash does (`bash: line 3: foo: command not
 * found` for stdin, `setup.sh: line 3: …` for a file). Its stdin is empty: `read` there meets end of input.
 *
 * The language itself is the Interpreter's (interpreter.ts). Aliases are expanded in every session (the
 * lab's shells behave as interactive ones; `k=kubectl` is preset). Tab completes (completion.ts) without
 * blocking: keys typed while candidates are gathered wait as typeahead, and Ctrl-C abandons a completion
 * that waits on a slow server. Closing a session hangs up its jobs (SIGHUP), as closing a terminal does.
 *
 * On an emulated host (shell/host/) the session is a bash process: `processes` gives the process and the
 * hooks that run commands as its children, `pid` is `$$`, and a login shell (`login`) says `logout` as it
 * ends. A foreground command may take the terminal over (TerminalAttach: `ssh` to a host), and then every
 * key, Ctrl-C included, goes to it; `attached` says what it took it for (`onDidChangeAttached`), so a
 * terminal tab can name where its keys go.
 *
 * A session never throws at its caller for what the user typed: bad input and failing commands become
 * messages in its output. Input to a closed session is an error (`SessionClosedError`).
 */
import type { Clock, Timer } from '../base/clock.ts';
import { Emitter, type Disposable } from '../base/emitter.ts';
import type { SeededRng } from '../base/seededRng.ts';
import type { Transport } from '../client/rest/transport.ts';
import type { Process } from '../kernel/process/process.ts';
import { EXIT, Interrupt, type ShellHost, type TerminalAttach, type TerminalTarget } from './command.ts';
import type { CommandTable } from './commands/index.ts';
import { withEditorHost, type EditorHost } from './commands/editor.ts';
import { complete, type CompletionHost } from './completion.ts';
import { MemoryFileSystem, type FileSystem } from './fs.ts';
import { Interpreter, type InterpreterHost, type Io, type ProcessHooks, type ShellDialect, type Where } from './interpreter.ts';
import { LineEditor } from './lineEditor.ts';
import { ConditionalSyntaxError, IncompleteInput, KEYWORDS, ShellSyntaxError, parse, type ParseResult, type Script } from './parser.ts';
import { SIGHUP } from './signals.ts';
import { EMPTY_STDIN, type ReadRequest, type ReadResult, type Stdin } from './stdin.ts';

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
  /** `$$` (default: a plausible pid fixed by the seed). */
  pid?: number;
  /** On an emulated host: the shell's process and how it runs commands as processes. */
  processes?: { hooks: ProcessHooks; process: Process };
  /** How the shell words its messages (default: bash's). */
  dialect?: ShellDialect;
  /** The prompt for a user, host and working directory (default: Debian's colour PS1, `debianPrompt`). */
  prompt?: (state: PromptState) => string;
  /** A login shell: it says `logout` when it ends at a terminal. */
  login?: boolean;
  /** A headless session's stdin (default: empty). */
  stdin?: Stdin;
  /** The environment it starts with, "NAME=value" (exported; default: a login's HOME, USER, PATH…). */
  env?: readonly string[];
  /** The working directory it starts in (default: the home directory, else /). */
  cwd?: string;
  /** Who shows the files `vi`/`nano` open (the UI's editor panel); without one they fail as with no terminal. */
  editor?: EditorHost;
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export type SessionState = 'idle' | 'running' | 'closed';

/** What a prompt is made from, read as each prompt is shown. */
export interface PromptState {
  user: string;
  host: string;
  /** The working directory, with the home directory as `~`. */
  cwd: string;
  home: string;
  /** `$KUBECONFIG` when exported (kubectl's and kube-ps1's first choice of kubeconfig). */
  kubeconfig?: string;
  /** The files the shell sees. */
  fs: FileSystem;
}

/** Debian's colour PS1 (`\[\033[01;32m\]\u@\h\[\033[00m\]:\[\033[01;34m\]\w\[\033[00m\]\$ `). */
export function debianPrompt(state: Pick<PromptState, 'user' | 'host' | 'cwd'>): string {
  const sigil = state.user === 'root' ? '#' : '$';
  return `\x1b[01;32m${state.user}@${state.host}\x1b[00m:\x1b[01;34m${state.cwd}\x1b[00m${sigil} `;
}

/** The most a terminal may send at once (a paste); more is refused whole, with a message. */
export const MAX_INPUT_BYTES = 64 * 1024;

export class SessionClosedError extends Error {
  constructor(id: string) {
    super(`session ${id} is closed`);
    this.name = 'SessionClosedError';
  }
}

const noKube: { transport: Transport } = {
  transport: {
    request: () => Promise.reject(new Error('this shell is not connected to a cluster')),
  },
};

/** `read` waiting on the terminal: what it asked for and the keys typed so far. */
interface TerminalReader {
  request: ReadRequest;
  /** Canonical mode: the line being typed, not yet given to `read`. */
  line: string;
  /** What `read` has taken (cbreak mode, for `read -n`). */
  taken: string;
  finish(result: ReadResult): void;
}

export class Session {
  readonly id: string;
  readonly history: string[] = [];
  private _state: SessionState = 'idle';
  private editor: LineEditor;
  private pendingLines = '';
  private typeahead = '';
  private current: Interrupt | undefined;
  /** The completion being gathered, if any (a newer Tab or Ctrl-C replaces it, and its answer is dropped). */
  private completing: object | undefined;
  private readonly pid: number;
  private lastPid: number;
  private readonly fs: FileSystem;
  private readonly kube: { transport: Transport };
  private readonly shell: Interpreter;
  private reader: TerminalReader | undefined;
  /** The terminal as stdin: what `read` at a prompt reads from. */
  private readonly terminal: Stdin;
  /** A command that took the terminal over gets every key. */
  private takenOver: ((data: string) => void) | undefined;
  /** What the keys reach while a command holds the terminal (the innermost, through nested logins). */
  private _attached: TerminalTarget | undefined;
  private cols: number;
  private rows: number;

  private readonly _onDidWrite = new Emitter<OutputChunk>();
  /** Everything the shell writes, in order. */
  readonly onDidWrite = this._onDidWrite.event;
  private readonly _onDidChangeState = new Emitter<SessionState>();
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidExit = new Emitter<number>();
  /** Fires once, with the exit status, when the shell ends. */
  readonly onDidExit = this._onDidExit.event;
  private readonly _onDidChangeAttached = new Emitter<TerminalTarget | undefined>();
  /** A command took the terminal over (`ssh`, `kubectl exec -it`…) or gave it back. */
  readonly onDidChangeAttached = this._onDidChangeAttached.event;

  constructor(private readonly options: SessionOptions) {
    this.id = options.id;
    const user = options.user ?? 'student';
    const home = user === 'root' ? '/root' : `/home/${user}`;
    if (options.fs) this.fs = options.fs;
    else {
      this.fs = new MemoryFileSystem(options.clock);
      this.fs.mkdir(home, { recursive: true });
      this.fs.mkdir('/tmp', { recursive: true });
    }
    this.kube = options.kube ?? noKube;
    // A plausible login-shell pid, fixed by the seed; the jobs it starts get the pids after it.
    this.pid = options.pid ?? 1000 + options.rng.fork(`session/${options.id}`).int(30000);
    this.lastPid = this.pid;
    this.cols = options.cols ?? 80;
    this.rows = options.rows ?? 24;
    const host: InterpreterHost = {
      clock: options.clock,
      rng: options.rng,
      commands: options.editor ? withEditorHost(options.commands, options.editor) : options.commands,
      fs: this.fs,
      kube: this.kube,
      tty: options.tty,
      history: this.history,
      clearScreen: () => {
        if (this.options.tty) this.emit('stdout', '\x1b[H\x1b[2J\x1b[3J', false);
      },
      emit: (stream, text) => this.emit(stream, text, true),
      nextPid: () => ++this.lastPid,
      processes: options.processes?.hooks,
      dialect: options.dialect,
      terminal: options.tty ? this.terminalAttach() : undefined,
    };
    this.shell = Interpreter.create(host, { user, host: options.host ?? 'laptop', pid: this.pid, interactive: options.tty, process: options.processes?.process, cwd: options.cwd });
    for (const entry of options.env ?? []) {
      const at = entry.indexOf('=');
      if (at > 0) this.shell.setVar(entry.slice(0, at), entry.slice(at + 1), true);
    }
    this.terminal = {
      terminal: true,
      readAll: () => '',
      ready: () => this.typeahead !== '',
      read: (request, interrupt) => this.readTerminal(request, interrupt),
    };
    this.editor = new LineEditor((text) => this.emit('stdout', text, false), this.history, options.cols ?? 80);
  }

  /** The shell itself, for a command run outside it that asks its shell (a process's command on a host). */
  get shellHost(): ShellHost {
    return this.shell;
  }

  get state(): SessionState {
    return this._state;
  }

  get lastStatus(): number {
    return this.shell.lastStatus;
  }

  get user(): string {
    return this.shell.getVar('USER') ?? 'student';
  }

  get host(): string {
    return this.shell.getVar('HOSTNAME') ?? 'laptop';
  }

  /** Where the keys go now when a foreground command holds the terminal (TerminalTarget), else undefined: the shell. */
  get attached(): TerminalTarget | undefined {
    return this._attached;
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
    if (this.takenOver && this._state === 'running') {
      this.takenOver(data);
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
        if (this.reader) this.feedReader(data.slice(0, data.indexOf('\x03')));
        this.emit('stdout', '^C', true);
        this.typeahead = '';
        this.current?.fire();
      } else if (this.reader) this.feedReader(data);
      else this.typeahead += data;
      return;
    }
    this.consume(data);
  }

  resize(cols: number, rows: number): void {
    if (!(cols >= 1 && rows >= 1)) throw new RangeError(`resize: columns and rows must be positive, got ${cols}×${rows}`);
    this.cols = cols;
    this.rows = rows;
    this.editor.setColumns(cols);
  }

  /** Run a whole script headlessly; resolves with the status of the last command run. */
  async run(script: string): Promise<number> {
    if (this._state === 'closed') throw new SessionClosedError(this.id);
    const name = this.options.scriptName ?? 'bash';
    await this.runText(script, name);
    const status = this.shell.exitRequested ?? this.shell.lastStatus;
    this.close(status);
    return status;
  }

  /** Read `text` as bash reads a script: a complete command at a time, each run before the next is read. */
  private async runText(text: string, name: string): Promise<void> {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let buffer = '';
    let startLine = 1;
    for (let n = 1; n <= lines.length && this.shell.exitRequested === undefined && this._state !== 'closed'; n++) {
      if (buffer === '') startLine = n;
      buffer += (buffer === '' ? '' : '\n') + lines[n - 1];
      let parsed: ParseResult;
      try {
        parsed = parse(buffer, { atEof: n === lines.length, aliases: this.shell.aliases });
      } catch (error) {
        if (error instanceof IncompleteInput && n < lines.length) continue;
        const message = error instanceof Error ? error.message : String(error);
        const errorLine = error instanceof IncompleteInput ? n + 1 : startLine + (error instanceof ShellSyntaxError ? error.line - 1 : 0);
        if (error instanceof ConditionalSyntaxError) {
          // bash's own words for `[[` errors, no echo of the line, `$?` as it was (2 at the very end).
          for (const line of message.split('\n')) if (line !== '') this.emit('stderr', `${name}: line ${errorLine}: ${line}\n`, true);
          if (error.atEnd && n === lines.length) this.shell.lastStatus = EXIT.usage;
          break;
        }
        this.emit('stderr', `${name}: line ${errorLine}: ${message}\n`, true);
        if (error instanceof ShellSyntaxError && (message.startsWith('syntax error') || error.echo)) this.emit('stderr', `${name}: line ${errorLine}: ${error.echo ?? `\`${lines[errorLine - 1] ?? buffer}'`}\n`, true);
        this.shell.lastStatus = EXIT.usage;
        break;
      }
      buffer = '';
      for (const warning of parsed.warnings) this.emit('stderr', `${name}: line ${n}: ${warning.message.replace(/at line (\d+)/, (_, l: string) => `at line ${startLine + Number(l) - 1}`)}\n`, true);
      await this.execute(parsed, { name, lineBase: startLine - 1 });
    }
  }

  /** End the shell now (closing its terminal tab). A running command is interrupted and jobs hung up. */
  close(status = this.shell.lastStatus): void {
    if (this._state === 'closed') return;
    this.current?.fire();
    this.shell.hangUp(SIGHUP);
    this.setState('closed');
    this._onDidExit.fire(status);
    this._onDidWrite.dispose();
    this._onDidExit.dispose();
    this._onDidChangeState.dispose();
    this._onDidChangeAttached.dispose();
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
        this.shell.lastStatus = EXIT.interrupted;
        this.prompt();
      } else if (event.type === 'eof') {
        if (this.pendingLines !== '') {
          this.emit('stderr', `bash: ${new IncompleteInput().message}\n`, true);
          this.pendingLines = '';
          this.prompt();
        } else {
          this.emit('stdout', this.options.login ? 'logout\n' : 'exit\n', true);
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
      home: this.shell.getVar('HOME') ?? '/',
      kubeconfig: this.shell.vars.get('KUBECONFIG')?.exported ? this.shell.getVar('KUBECONFIG') : undefined,
      aliases: this.shell.aliases,
      commandNames: () => [...this.shell.aliases.keys(), ...KEYWORDS, ...this.shell.functions(), ...this.options.commands.keys()],
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
        this.editor.begin(this.shell.getVar('PS2') ?? '> ');
        this.drainTypeahead();
        return;
      }
      this.pendingLines = '';
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ConditionalSyntaxError) {
        // bash's own words for `[[` errors, no echo of the line, `$?` as it was.
        for (const line of message.split('\n')) if (line !== '') this.emit('stderr', `bash: ${line}\n`, true);
      } else {
        this.emit('stderr', `bash: ${message}\n`, true);
        if (error instanceof ShellSyntaxError && (message.startsWith('syntax error') || error.echo)) this.emit('stderr', `bash: ${error.echo ?? `\`${source.split('\n')[error.line - 1] ?? source}'`}\n`, true);
        this.shell.lastStatus = EXIT.usage;
      }
      this.prompt();
      this.drainTypeahead();
      return;
    }
    this.pendingLines = '';
    this.setState('running');
    await this.execute(parsed, undefined);
    if (this._state === 'closed') return;
    this.setState('idle');
    if (this.shell.exitRequested !== undefined) {
      if (this.options.login) this.emit('stderr', 'logout\n', true);
      this.close(this.shell.exitRequested);
      return;
    }
    this.shell.reapJobs();
    this.prompt();
    this.drainTypeahead();
  }

  private drainTypeahead(): void {
    const data = this.typeahead;
    this.typeahead = '';
    if (data !== '') this.consume(data);
  }

  private prompt(): void {
    const home = this.shell.getVar('HOME') ?? '';
    const pwd = this.shell.cwd;
    const cwd = home !== '' && home !== '/' && (pwd === home || pwd.startsWith(home + '/')) ? '~' + pwd.slice(home.length) : pwd;
    if (this.options.prompt) {
      const kubeconfig = this.shell.vars.get('KUBECONFIG')?.exported ? this.shell.getVar('KUBECONFIG') : undefined;
      this.editor.begin(this.options.prompt({ user: this.user, host: this.host, cwd, home, fs: this.fs, ...(kubeconfig !== undefined ? { kubeconfig } : {}) }));
      return;
    }
    this.editor.begin(debianPrompt({ user: this.user, host: this.host, cwd }));
  }

  // —— execution ——

  /** Run one complete command text read at the top level. */
  private async execute(script: Script, where: Where | undefined): Promise<void> {
    const interrupt = new Interrupt();
    this.current = interrupt;
    const io: Io = {
      stdin: this.options.tty ? this.terminal : (this.options.stdin ?? EMPTY_STDIN),
      out: (text) => this.emit('stdout', text, true),
      err: (text) => this.emit('stderr', text, true),
    };
    try {
      await this.shell.execute(script, where, io, interrupt);
    } finally {
      this.current = undefined;
    }
    if (interrupt.fired && this.options.tty && this._state !== 'closed') this.emit('stdout', '\n', true);
  }

  /**
   * The terminal for a foreground command to take over (see TerminalAttach): the one place a program gets
   * the keys, so the one place that reports where they go (`attached`).
   */
  private terminalAttach(): TerminalAttach {
    const size = () => ({ cols: this.cols, rows: this.rows });
    return {
      attach: (onInput, target) => {
        this.takenOver = onInput;
        this.setAttached(target);
        return {
          dispose: () => {
            if (this.takenOver !== onInput) return;
            this.takenOver = undefined;
            this.setAttached(undefined);
          },
          retarget: (inner) => {
            if (this.takenOver === onInput) this.setAttached(inner ?? target);
          },
        };
      },
      write: (text) => this.emit('stdout', text, false),
      get cols() {
        return size().cols;
      },
      get rows() {
        return size().rows;
      },
    };
  }

  // —— the terminal as stdin ——

  /** `read` from the terminal: keys already typed first, then what comes, until the request is met. */
  private readTerminal(request: ReadRequest, interrupt: Interrupt): Promise<ReadResult> {
    return new Promise((resolve) => {
      if (interrupt.fired) {
        resolve({ text: '', eof: false, interrupted: true });
        return;
      }
      const stops: Array<Timer | Disposable> = [];
      const reader: TerminalReader = {
        request,
        line: '',
        taken: '',
        finish: (result) => {
          if (this.reader !== reader) return;
          this.reader = undefined;
          for (const stop of stops) {
            if ('cancel' in stop) stop.cancel();
            else stop.dispose();
          }
          resolve(result);
        },
      };
      this.reader = reader;
      stops.push(interrupt.onDidFire(() => reader.finish({ text: reader.taken + reader.line, eof: false, interrupted: true })));
      if (request.timeoutMs !== undefined) stops.push(this.options.clock.after(request.timeoutMs, () => reader.finish({ text: reader.taken + reader.line, eof: false, timedOut: true }), 'read -t'));
      const typed = this.typeahead;
      this.typeahead = '';
      if (typed !== '') this.feedReader(typed);
    });
  }

  /**
   * Keys for a waiting `read`, through the tty's line discipline: canonical mode hands over whole lines
   * (Backspace, Ctrl-U and Ctrl-D edit them; Enter ends them), cbreak mode (`read -n`) every key. Echo
   * shows control keys as ^X (ECHOCTL). What `read` does not take stays typeahead.
   */
  private feedReader(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const reader = this.reader;
      if (!reader) {
        this.typeahead += data.slice(i);
        return;
      }
      const { request } = reader;
      const echo = (text: string) => {
        if (request.echo !== false) this.emit('stdout', text, false);
      };
      const c = data[i] === '\r' ? '\n' : data[i]!;
      if (request.count === undefined) {
        if (c === '\x7f' || c === '\b') {
          if (reader.line !== '') {
            reader.line = [...reader.line].slice(0, -1).join('');
            echo('\b \b');
          }
          continue;
        }
        if (c === '\x15') {
          echo('\b \b'.repeat([...reader.line].length));
          reader.line = '';
          continue;
        }
        if (c === '\x04') {
          if (reader.line === '') reader.finish({ text: reader.taken, eof: true });
          continue;
        }
        reader.line += c;
        echo(c === '\n' ? '\r\n' : visible(c));
        if (c !== '\n') continue;
        // A whole line: `read` takes up to its delimiter; the rest waits for whoever reads next.
        const line = reader.line;
        reader.line = '';
        const at = request.delimiter === undefined ? -1 : line.indexOf(request.delimiter);
        if (at < 0) {
          reader.taken += line;
          continue;
        }
        this.typeahead = line.slice(at + 1).replace(/\n/g, '\r') + this.typeahead;
        reader.finish({ text: reader.taken + line.slice(0, at), eof: false });
        continue;
      }
      echo(c === '\n' ? '\r\n' : visible(c));
      if (c === request.delimiter) {
        reader.finish({ text: reader.taken, eof: false });
        continue;
      }
      reader.taken += c;
      if ([...reader.taken].length >= request.count) reader.finish({ text: reader.taken, eof: false });
    }
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

  private setAttached(target: TerminalTarget | undefined): void {
    if (this._attached === target) return;
    this._attached = target;
    this._onDidChangeAttached.fire(target);
  }

  private setState(state: SessionState): void {
    if (this._state === state) return;
    this._state = state;
    this._onDidChangeState.fire(state);
  }
}


/** A key as a terminal echoes it with ECHOCTL: control characters as ^X, DEL as ^?. */
function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\t') return c;
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  return code === 0x7f ? '^?' : c;
}
