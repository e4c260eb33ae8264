/**
 * ShellProgram — bash, dash or busybox ash as the program of a process: `bash -c 'CMD' [NAME [ARGS…]]`,
 * `sh script.sh [ARGS…]` (also how the kernel runs a `#!/bin/sh` script), or a script read from stdin
 * (`echo ls | sh [-s ARGS…]`), run by the lab shell's interpreter with the process as `$$`, its environment, working
 * directory and stdio; the script's status is the exit code. As in bash and dash, `$0` is NAME after
 * `-c` (else the shell's name) or the script's path, and the words after it are `$1…`. A shell process that
 * a terminal Session drives (a login on a host) reads nothing itself.
 *
 * With a terminal as stdin and no script (`docker run -it busybox sh`, `docker exec -it web bash`), the
 * shell is interactive on that terminal: it puts the pty in raw mode, as readline and busybox's line
 * editing do, and hands each key it reads to an interactive Session (prompt, line editing, history, echo,
 * ^C for the command it waits for); what the Session shows goes back out through the pty. The prompt is
 * the shell's own default: busybox ash's `/ # `, dash's `# `, bash's `root@HOSTNAME:/# ` (Debian's PS1
 * without colour, as TERM=xterm gets it). `exit N` or ^D at an empty line ends it with that status, a
 * hangup (the terminal gone) with the last status, and a new window size (SIGWINCH) reaches the editor.
 *
 * Left out: options other than `-c`, `-l`/`--login`, `-i`, `-s`, `--norc`, `--noprofile`, and rc files;
 * commands an interactive shell runs read nothing from the terminal (they see end of file), and the
 * shell does not give them the terminal's foreground group.
 */
import { KernelError } from '../../kernel/errno.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { SIGINT, SIGQUIT, SIGTERM, SIGWINCH } from '../../kernel/process/signal.ts';
import type { Source } from '../../kernel/process/stdio.ts';
import { cfmakeraw, Pty } from '../../kernel/tty/pty.ts';
import { EXIT } from '../../shell/command.ts';
import type { HostShell } from '../../shell/host/hostShell.ts';
import { BASH_DIALECT, type ShellDialect } from '../../shell/interpreter.ts';
import type { Session } from '../../shell/session.ts';
import { EMPTY_STDIN } from '../../shell/stdin.ts';
import { ASH_DIALECT, ashPrompt } from './dialects.ts';

/** Options a shell takes and ignores here. */
const ACCEPTED = new Set(['-l', '--login', '-i', '--norc', '--noprofile']);

export class ShellProgram implements Program {
  private session: Session | undefined;

  constructor(
    private readonly shell: HostShell,
    /** How it words its messages; `name` is what it calls itself (bash, sh). */
    private readonly dialect: ShellDialect,
    /** The arguments when not the process's (busybox passes `sh -c …` for `busybox sh -c …`). */
    private readonly argv?: readonly string[],
  ) {}

  start(sys: ProgramContext): void {
    if (this.shell.isSessionShell(sys.process)) return;
    void this.run(sys);
  }

  onKilled(): void {
    this.session?.close();
  }

  private async run(sys: ProgramContext): Promise<void> {
    const process = sys.process;
    const name = this.dialect.name;
    const stderr = (text: string) => process.stdio.stderr.write(text);
    const args = (this.argv ?? process.argv).slice(1);
    let i = 0;
    let command: string | undefined;
    let fromStdin = false;
    for (; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '-c') {
        command = args[i + 1];
        if (command === undefined) {
          stderr(`${name}: -c: option requires an argument\n`);
          sys.exit(EXIT.usage);
          return;
        }
        break;
      }
      if (arg === '--') {
        i++;
        break;
      }
      if (arg === '-s') fromStdin = true;
      if (arg === '-s' || ACCEPTED.has(arg)) continue;
      if (arg.startsWith('-') && arg !== '-') {
        stderr(`${name}: ${arg}: invalid option\n`);
        sys.exit(EXIT.usage);
        return;
      }
      break;
    }
    let script: string;
    let scriptName = name;
    let positional: string[];
    let stdin = undefined;
    if (command !== undefined) {
      script = command;
      scriptName = args[i + 2] ?? name;
      positional = args.slice(i + 3);
    } else if (!fromStdin && args[i] !== undefined) {
      scriptName = args[i]!;
      positional = args.slice(i + 1);
      try {
        script = this.shell.host.vfsFor(process).readFile(scriptName);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        stderr(`${name}: ${scriptName}: ${error.describe}\n`);
        sys.exit(EXIT.notFound);
        return;
      }
    } else {
      positional = args.slice(i);
      const terminal = fromStdin ? undefined : Pty.of(process.stdio);
      if (terminal) {
        this.interactive(sys, terminal, positional);
        return;
      }
      script = await readAll(process.stdio.stdin);
      stdin = EMPTY_STDIN;
    }
    if (process.exiting || process.exitState !== undefined) return;
    const session = this.shell.scriptSession(process, { scriptName, dialect: this.dialect.name === 'bash' ? undefined : this.dialect, stdin });
    this.session = session;
    session.shellHost.positional = positional;
    const status = await session.run(script);
    if (!process.exiting && process.exitState === undefined) sys.exit(status);
  }

  /** An interactive shell on the terminal `pty`: keys in, the Session's screen out, until it ends. */
  private interactive(sys: ProgramContext, pty: Pty, positional: string[]): void {
    const process = sys.process;
    const saved = pty.termios;
    pty.termios = { ...cfmakeraw(saved), opost: saved.opost, onlcr: saved.onlcr };
    const session = this.shell.terminalSession(process, {
      cols: pty.cols || 80,
      rows: pty.rows || 24,
      dialect: this.dialect === BASH_DIALECT ? undefined : this.dialect,
      prompt: promptOf(this.dialect),
    });
    this.session = session;
    session.shellHost.positional = positional;
    // The Session writes a terminal's bytes ("\r\n" line ends); the pty's ONLCR makes them again.
    session.onDidWrite((chunk) => process.stdio.stdout.write(chunk.text.replace(/\r\n/g, '\n')));
    session.onDidExit((status) => {
      if (!pty.hungUp) pty.termios = saved;
      if (!process.exiting && process.exitState === undefined) sys.exit(status);
    });
    sys.sigaction(SIGINT, () => undefined);
    for (const signal of [SIGQUIT, SIGTERM]) sys.sigaction(signal, 'ignore');
    sys.sigaction(SIGWINCH, () => {
      if (session.state !== 'closed' && pty.cols > 0 && pty.rows > 0) session.resize(pty.cols, pty.rows);
    });
    session.start();
    void (async () => {
      for (let keys = await process.stdio.stdin.read(); session.state !== 'closed'; keys = await process.stdio.stdin.read()) {
        if (keys === undefined) {
          session.close();
          return;
        }
        session.input(keys);
      }
    })();
  }
}

/** The prompt each shell shows by default. */
function promptOf(dialect: ShellDialect): (state: { user: string; host: string; cwd: string }) => string {
  if (dialect === ASH_DIALECT) return ashPrompt;
  if (dialect === BASH_DIALECT) return ({ user, host, cwd }) => `${user}@${host}:${cwd}${user === 'root' ? '#' : '$'} `;
  return ({ user }) => (user === 'root' ? '# ' : '$ ');
}

async function readAll(source: Source): Promise<string> {
  let text = '';
  for (let chunk = await source.read(); chunk !== undefined; chunk = await source.read()) text += chunk;
  return text;
}
