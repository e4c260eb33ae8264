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
 * A session never throws at its caller for what the user typed: bad input and failing commands become
 * messages in its output. Input to a closed session is an error (`SessionClosedError`).
 */
import type { Clock } from '../base/clock.ts';
import { Emitter } from '../base/emitter.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { EXIT, Interrupt, type CommandContext, type ShellHost } from './command.ts';
import type { CommandTable } from './commands/index.ts';
import { LineEditor } from './lineEditor.ts';
import { IncompleteInput, ShellSyntaxError, expandWord, parse, type AndOrList, type Pipeline, type Script } from './parser.ts';

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
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export type SessionState = 'idle' | 'running' | 'closed';

/** The most a terminal may send at once (a paste); more is refused whole, with a message. */
export const MAX_INPUT_BYTES = 64 * 1024;

export class SessionClosedError extends Error {
  constructor(id: string) {
    super(`session ${id} is closed`);
    this.name = 'SessionClosedError';
  }
}

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
  private readonly env: Map<string, string>;
  private readonly pid: number;

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
    this.env = new Map([
      ['HOME', home],
      ['USER', user],
      ['LOGNAME', user],
      ['HOSTNAME', host],
      ['SHELL', '/bin/bash'],
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['PWD', home],
      ['LANG', 'C.UTF-8'],
      ['TERM', options.tty ? 'xterm-256color' : 'dumb'],
    ]);
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
    return this.env.get('USER')!;
  }

  get host(): string {
    return this.env.get('HOSTNAME')!;
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
    const lines = script.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let buffer = '';
    let startLine = 1;
    for (let n = 1; n <= lines.length && this.exitRequested === undefined; n++) {
      if (buffer === '') startLine = n;
      buffer += (buffer === '' ? '' : '\n') + lines[n - 1];
      let parsed: Script;
      try {
        parsed = parse(buffer);
      } catch (error) {
        if (error instanceof IncompleteInput && n < lines.length) continue;
        const message = error instanceof Error ? error.message : String(error);
        this.emit('stderr', `${name}: line ${error instanceof IncompleteInput ? n + 1 : startLine}: ${message}\n`, true);
        if (error instanceof ShellSyntaxError) this.emit('stderr', `${name}: line ${startLine}: \`${buffer}'\n`, true);
        this._lastStatus = EXIT.usage;
        break;
      }
      buffer = '';
      await this.execute(parsed, `${name}: line ${startLine}: `);
    }
    const status = this.exitRequested ?? this._lastStatus;
    this.close(status);
    return status;
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

  commands(): Array<{ name: string; summary: string }> {
    return [...this.options.commands].map(([name, spec]) => ({ name, summary: spec.summary })).sort((a, b) => a.name.localeCompare(b.name));
  }

  exit(status: number): void {
    this.exitRequested = status;
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
      } else {
        this.typeahead = rest;
        rest = '';
        void this.submitLine(event.text);
      }
    }
  }

  private async submitLine(line: string): Promise<void> {
    const source = this.pendingLines === '' ? line : `${this.pendingLines}\n${line}`;
    let parsed: Script;
    try {
      parsed = parse(source);
    } catch (error) {
      if (error instanceof IncompleteInput) {
        this.pendingLines = source;
        this.editor.begin('> ');
        this.drainTypeahead();
        return;
      }
      this.pendingLines = '';
      this.emit('stderr', `bash: ${error instanceof Error ? error.message : String(error)}\n`, true);
      this._lastStatus = EXIT.usage;
      this.prompt();
      this.drainTypeahead();
      return;
    }
    this.pendingLines = '';
    this.setState('running');
    await this.execute(parsed, 'bash: ');
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
    const cwd = this.env.get('PWD') === this.env.get('HOME') ? '~' : this.env.get('PWD')!;
    const sigil = this.user === 'root' ? '#' : '$';
    this.editor.begin(`\x1b[01;32m${this.user}@${this.host}\x1b[00m:\x1b[01;34m${cwd}\x1b[00m${sigil} `);
  }

  // —— execution ——

  private async execute(script: Script, errorPrefix: string): Promise<void> {
    const interrupt = new Interrupt();
    this.current = interrupt;
    try {
      for (const list of script.lists) {
        await this.runAndOr(list, interrupt, errorPrefix);
        if (interrupt.fired || this.exitRequested !== undefined) break;
      }
      if (interrupt.fired && this.options.tty && this._state !== 'closed') this.emit('stdout', '\n', true);
    } finally {
      this.current = undefined;
    }
  }

  private async runAndOr(list: AndOrList, interrupt: Interrupt, errorPrefix: string): Promise<void> {
    this._lastStatus = await this.runPipeline(list.first, interrupt, errorPrefix);
    for (const { op, pipeline } of list.rest) {
      if (interrupt.fired || this.exitRequested !== undefined) return;
      if ((op === '&&') === (this._lastStatus === 0)) this._lastStatus = await this.runPipeline(pipeline, interrupt, errorPrefix);
    }
  }

  /** Run each command of a pipeline in turn, the stdout of one the stdin of the next. */
  private async runPipeline(pipeline: Pipeline, interrupt: Interrupt, errorPrefix: string): Promise<number> {
    let stdin = '';
    let status = 0;
    for (let i = 0; i < pipeline.commands.length; i++) {
      const last = i === pipeline.commands.length - 1;
      const argv = pipeline.commands[i]!.words.map((w) => expandWord(w, (name) => this.lookup(name)));
      let captured = '';
      const stdout = last ? (text: string) => this.emit('stdout', text, true) : (text: string) => (captured += text);
      status = await this.runCommand(argv, stdin, stdout, interrupt, errorPrefix);
      stdin = captured;
      if (interrupt.fired) return EXIT.interrupted;
    }
    return status;
  }

  private async runCommand(argv: string[], stdin: string, stdout: (text: string) => void, interrupt: Interrupt, errorPrefix: string): Promise<number> {
    const name = argv[0]!;
    const spec = this.options.commands.get(name);
    if (!spec) {
      this.emit('stderr', `${errorPrefix}${name}: command not found\n`, true);
      return EXIT.notFound;
    }
    const ctx: CommandContext = {
      argv,
      env: this.env,
      stdin,
      stdout,
      stderr: (text) => this.emit('stderr', text, true),
      interrupt,
      clock: this.options.clock,
      rng: this.options.rng,
      shell: this,
    };
    try {
      return await spec.run(ctx);
    } catch (error) {
      this.emit('stderr', `kubelab: ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`, true);
      return EXIT.failure;
    }
  }

  private lookup(name: string): string | undefined {
    if (name === '?') return String(this._lastStatus);
    if (name === '$') return String(this.pid);
    if (name === '0') return this.options.scriptName ?? 'bash';
    return this.env.get(name);
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
