/**
 * Pty — a pseudo-terminal pair (drivers/tty/pty.c) with the N_TTY line discipline (drivers/tty/n_tty.c)
 * between them. The master is what a terminal emulator, sshd or a container shim holds: it writes the keys
 * typed (`write`) and reads what the programs print (`onDidOutput`). The slave is /dev/pts/N: the stdin,
 * stdout and stderr of the programs that run on the terminal (`slave`).
 *
 * Input processing: ICRNL (Enter's "\r" is "\n"); with ISIG, ^C, ^\ and ^Z flush the pending input and send
 * SIGINT, SIGQUIT and SIGTSTP to the foreground process group; with ICANON, a read gets one whole line,
 * ^? (DEL) erases a character, ^W a word, ^U the line, and ^D ends the line without a newline (at the
 * start of a line: end of file, a read of nothing); without ICANON a read gets what has arrived. ECHO shows
 * what is typed, control characters as ^X (ECHOCTL), erasures as "\b \b" (ECHOE, ECHOKE). Output
 * processing: OPOST with ONLCR turns every "\n" a program writes (or the echo writes) into "\r\n".
 * The window size is kept for TIOCGWINSZ; setting another sends SIGWINCH to the foreground group. Closing
 * the master (`hangup`) sends SIGHUP and SIGCONT to the session leader, and reads on the slave see end of
 * file from then on.
 *
 * Left out: the other termios flags (parity, IXON flow control, INLCR, IGNCR, OCRNL, VMIN/VTIME — a raw
 * read returns whatever has arrived), job control's SIGTTIN/SIGTTOU for background groups, packet mode,
 * and the 4095-byte line limit.
 */
import { Emitter, type Event } from '../../base/emitter.ts';
import type { Pid } from '../process/pid.ts';
import type { Process } from '../process/process.ts';
import type { ProcessTable } from '../process/processTable.ts';
import { SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGWINCH } from '../process/signal.ts';
import type { Sink, Source, Stdio } from '../process/stdio.ts';

/** The termios flags the line discipline honours (c_iflag, c_oflag, c_lflag bits by their names). */
export interface Termios {
  /** Map CR to NL on input. */
  readonly icrnl: boolean;
  /** Post-process output. */
  readonly opost: boolean;
  /** Map NL to CR-NL on output (with OPOST). */
  readonly onlcr: boolean;
  /** INTR, QUIT and SUSP generate signals. */
  readonly isig: boolean;
  /** Canonical mode: line editing, reads by line. */
  readonly icanon: boolean;
  /** Echo input characters. */
  readonly echo: boolean;
  /** ERASE and WERASE erase on screen ("\b \b"). */
  readonly echoe: boolean;
  /** Control characters echo as ^X. */
  readonly echoctl: boolean;
}

/** A new terminal's settings, as `stty sane` leaves them. */
export const SANE_TERMIOS: Termios = { icrnl: true, opost: true, onlcr: true, isig: true, icanon: true, echo: true, echoe: true, echoctl: true };

/** cfmakeraw(3): no input or output processing, no signals, no line editing, no echo. */
export function cfmakeraw(termios: Termios): Termios {
  return { ...termios, icrnl: false, opost: false, isig: false, icanon: false, echo: false };
}

/** The default control characters (c_cc): VINTR, VQUIT, VERASE, VKILL, VEOF, VSUSP, VWERASE. */
const VINTR = '\x03';
const VQUIT = '\x1c';
const VERASE = '\x7f';
const VKILL = '\x15';
const VEOF = '\x04';
const VSUSP = '\x1a';
const VWERASE = '\x17';

/** What a slave read hands out: a line (or raw input), or end of file. */
type Record = string | typeof EOF;
const EOF = Symbol('eof');

/** The pty whose slave is each Stdio, found from a process's descriptors (isatty, ttyname). */
const slaves = new WeakMap<Source, Pty>();

export class Pty {
  /** The line discipline's settings (tcgetattr/tcsetattr). */
  termios: Termios = SANE_TERMIOS;
  /** The window size in characters; 0×0 until someone sets it, as for a fresh pty. */
  private size = { cols: 0, rows: 0 };
  /** The line being typed in canonical mode. */
  private line = '';
  /** Input ready for a read. */
  private readonly ready: Record[] = [];
  private readonly readers: Array<(chunk: string | undefined) => void> = [];
  private closed = false;
  /** The controlling session's leader and its foreground process group (tcgetpgrp). */
  private session: Process | undefined;
  private foreground: Pid | undefined;
  private readonly _onDidOutput = new Emitter<string>();
  /** What the master reads: program output and echo, after output processing. */
  readonly onDidOutput: Event<string> = this._onDidOutput.event;
  private readonly _onDidClose = new Emitter<void>();
  /** Fires once, when the master has been closed. */
  readonly onDidClose: Event<void> = this._onDidClose.event;

  /** The slave side: what a process on this terminal has as descriptors 0, 1 and 2. */
  readonly slave: Stdio;

  constructor(
    /** N of /dev/pts/N. */
    readonly index: number,
    /** The host's processes, to signal the foreground group. */
    private readonly table: ProcessTable,
  ) {
    const stdin: Source = { read: () => this.read() };
    const out: Sink = { write: (text) => this.output(text) };
    this.slave = { stdin, stdout: out, stderr: out, tty: this.name };
    slaves.set(stdin, this);
  }

  /** The pty behind `stdio`'s stdin, if it is a terminal (isatty(0)). */
  static of(stdio: Stdio): Pty | undefined {
    return slaves.get(stdio.stdin);
  }

  /** Its name as ps and /proc show it: "pts/N". */
  get name(): string {
    return `pts/${this.index}`;
  }

  get cols(): number {
    return this.size.cols;
  }

  get rows(): number {
    return this.size.rows;
  }

  /** Whether the master has been closed. */
  get hungUp(): boolean {
    return this.closed;
  }

  /**
   * TIOCSCTTY: the terminal becomes `leader`'s session's controlling terminal, and the leader's group its
   * foreground group.
   */
  setControllingTerminal(leader: Process): void {
    this.session = leader;
    this.foreground = leader.pgrp;
    leader.tty = this.name;
  }

  /** tcsetpgrp(3): which process group gets the terminal's signals. */
  setForegroundGroup(pgrp: Pid): void {
    this.foreground = pgrp;
  }

  /** TIOCSWINSZ: a new size, and SIGWINCH to the foreground group when it changed. */
  resize(cols: number, rows: number): void {
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    this.signalForeground(SIGWINCH);
  }

  // —— master side ——

  /** Keys typed at the terminal, through input processing. */
  write(data: string): void {
    if (this.closed) return;
    const t = this.termios;
    for (const key of data) {
      const c = t.icrnl && key === '\r' ? '\n' : key;
      if (t.isig && (c === VINTR || c === VQUIT || c === VSUSP)) {
        // isig(): the pending input is flushed (no NOFLSH) and the character echoed as ^C, ^\ or ^Z.
        this.line = '';
        this.ready.length = 0;
        this.echo(c);
        this.signalForeground(c === VINTR ? SIGINT : c === VQUIT ? SIGQUIT : SIGTSTP);
        continue;
      }
      if (!t.icanon) {
        this.echo(c);
        this.push(c);
        continue;
      }
      if (c === VERASE) {
        if (this.line !== '') this.erase(1);
        continue;
      }
      if (c === VWERASE) {
        const word = /\S*\s*$/.exec(this.line.replace(/\s+$/, ''))?.[0] ?? '';
        this.erase([...this.line].length - [...this.line.replace(/\s+$/, '')].length + [...word].length);
        continue;
      }
      if (c === VKILL) {
        this.erase([...this.line].length);
        continue;
      }
      if (c === VEOF) {
        const line = this.line;
        this.line = '';
        this.push(line === '' ? EOF : line);
        continue;
      }
      this.echo(c);
      this.line += c;
      if (c === '\n') {
        const line = this.line;
        this.line = '';
        this.push(line);
      }
    }
  }

  /**
   * The master is closed (the terminal went away, the shim let go): the session leader gets SIGHUP and
   * SIGCONT, and every read on the slave sees end of file.
   */
  hangup(): void {
    if (this.closed) return;
    this.closed = true;
    const leader = this.session;
    if (leader && leader.exitState === undefined && !leader.exiting) {
      for (const signal of [SIGHUP, SIGCONT]) this.table.signalFromKernel(leader, signal);
    }
    for (const reader of this.readers.splice(0)) reader(undefined);
    this._onDidClose.fire();
    this._onDidOutput.dispose();
    this._onDidClose.dispose();
  }

  // —— slave side ——

  private read(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const record = this.take();
    if (record !== undefined) return Promise.resolve(record === EOF ? undefined : record);
    return new Promise((resolve) => this.readers.push(resolve));
  }

  /** What one read returns now: a line in canonical mode, all there is in raw mode; undefined: nothing yet. */
  private take(): Record | undefined {
    if (this.ready.length === 0) return undefined;
    if (this.termios.icanon) return this.ready.shift();
    let text = '';
    while (this.ready.length > 0 && this.ready[0] !== EOF) text += this.ready.shift() as string;
    return text === '' ? this.ready.shift() : text;
  }

  private push(record: Record): void {
    this.ready.push(record);
    while (this.readers.length > 0) {
      const next = this.take();
      if (next === undefined) return;
      this.readers.shift()!(next === EOF ? undefined : next);
    }
  }

  /** A program's write: OPOST/ONLCR, then to the master. */
  private output(text: string): void {
    if (this.closed || text === '') return;
    const t = this.termios;
    this._onDidOutput.fire(t.opost && t.onlcr ? text.replace(/\n/g, '\r\n') : text);
  }

  private echo(c: string): void {
    if (!this.termios.echo) return;
    const code = c.charCodeAt(0);
    const control = (code < 0x20 && c !== '\n' && c !== '\t') || code === 0x7f;
    this.output(control && this.termios.echoctl ? `^${code === 0x7f ? '?' : String.fromCharCode(code + 64)}` : c);
  }

  /** Take `count` characters off the line being typed, and off the screen (two columns for one shown as ^X). */
  private erase(count: number): void {
    const chars = [...this.line];
    const gone = chars.splice(chars.length - count, count);
    this.line = chars.join('');
    if (!this.termios.echo || !this.termios.echoe) return;
    const columns = gone.reduce((n, c) => n + (this.termios.echoctl && (c.charCodeAt(0) < 0x20 || c === '\x7f') && c !== '\t' ? 2 : 1), 0);
    this.output('\b \b'.repeat(columns));
  }

  private signalForeground(signal: number): void {
    const group = this.foreground;
    if (!group) return;
    for (const process of this.table.list()) {
      if (process.pgrp === group && process.exitState === undefined && !process.exiting) this.table.signalFromKernel(process, signal);
    }
  }
}
